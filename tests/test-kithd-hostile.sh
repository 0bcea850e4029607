#!/usr/bin/env bash
# A hostile server (garbage lines, a literal of 3.9 GB announced, a connection
# cut in the middle of a literal, lines and greetings that never end, a
# message too big to read, a server that trickles or stalls, escapes in
# folder names, answers and greetings that crash libetpan) gets an error or
# is worked around, never a crash, a hang or a memory blow-up; a well-behaved
# scripted server syncs.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"

dovecot_cert "$T/ssl" DNS:localhost IP:127.0.0.1
# fake [--plain] MODE [ARGS...]: tests/fake-imap.py over TLS (without it with
# --plain), its port in $fake_port.
fake() {
	local mode tls=(--cert "$T/ssl/cert.pem" --key "$T/ssl/key.pem")
	[ "$1" = --plain ] && tls=() && shift
	mode=$1
	shift
	rm -f "$T/fake.port"
	python3 "$KITH_SRCDIR/tests/fake-imap.py" --mode "$mode" --port-file "$T/fake.port" \
		--log "$T/fake-$mode.log" "${tls[@]}" "$@" &
	fake_pid=$!
	at_exit "kill $fake_pid"
	wait_until 5 test -s "$T/fake.port" || bail "fake-imap.py did not start"
	fake_port=$(cat "$T/fake.port")
}

# fake_config DB [LINES...]: $T/config for the fake server over TLS, storing
# into DB, with write_config's LINES.
fake_config() {
	local db=$1
	shift
	DOVECOT_IMAPS_PORT=$fake_port DOVECOT_CA=$T/ssl/cert.pem write_config "$T/config" "$@"
	sed -i "s|$T/kith.db|$db|" "$T/config"
}

# plain_config DB: $T/config for the fake server without TLS, storing into DB.
plain_config() {
	fake_config "$1" "tls = none" "ca_file ="
}

# Sanitizers add their own shadow memory: allow for it.
rss_limit=65536
nm -D "$KITHD" 2>/dev/null | grep -q __asan_init && rss_limit=$((4 * 65536))
for mode in normal garbage huge-literal cut-literal; do
	fake "$mode"
	fake_config "$T/$mode.db"
	start=$(date +%s)
	/usr/bin/time -f "%M" -o "$T/rss" timeout 60 "$KITHD" -c "$T/config" --once --no-notify \
		2>"$T/$mode.err" && rc=0 || rc=$?
	err=$(cat "$T/$mode.err")
	rss=$(tail -1 "$T/rss" 2>/dev/null)
	diag "$mode: exit $rc after $(( $(date +%s) - start )) s, peak RSS ${rss:-?} KB"
	case $mode in
	normal)
		is "$rc" 0 "normal: the scripted server syncs"
		is "$(sqlite3 "$T/$mode.db" "SELECT count(*) FROM messages")" 3 "normal: its 3 messages are stored"
		;;
	*)
		is "$rc" 1 "$mode: --once exits 1, no crash"
		like "$err" "127.0.0.1: UID FETCH: " "$mode: the error names the host and the command"
		is "$(sqlite3 "$T/$mode.db" "SELECT count(*) FROM locations")" 0 "$mode: nothing half-stored"
		;;
	esac
	ok "$mode: memory stays bounded (peak RSS under 64 MB)" test "${rss:-999999}" -lt "$rss_limit"
	kill "$fake_pid" 2>/dev/null
done
like "$(cat "$T/huge-literal.err")" "literal over" "huge-literal: the error says why"

# Outside FETCH bodies too, every literal and line has a cap: a folder name of
# 300 MB, one announced with more digits than a number holds, a LIST line or a
# greeting that never ends.
for mode in list-literal list-long-literal endless-line endless-greeting; do
	fake "$mode"
	fake_config "$T/$mode.db"
	/usr/bin/time -f "%M" -o "$T/rss" timeout 60 "$KITHD" -c "$T/config" --once --no-notify \
		2>"$T/$mode.err" && rc=0 || rc=$?
	rss=$(tail -1 "$T/rss" 2>/dev/null)
	diag "$mode: exit $rc, peak RSS ${rss:-?} KB"
	is "$rc" 1 "$mode: --once exits 1, no crash"
	like "$(cat "$T/$mode.err")" "127.0.0.1: .*(literal|line) over" "$mode: the error says what was too big"
	ok "$mode: memory stays bounded (peak RSS under 64 MB)" test "${rss:-999999}" -lt "$rss_limit"
	# Refused for its size, before libetpan reads the number and asks for gigabytes.
	[ "$mode" != list-long-literal ] ||
		like "$(cat "$T/$mode.err")" "literal over" "$mode: refused as a literal too big"
	kill "$fake_pid" 2>/dev/null
done

# With implicit TLS the certificate is checked before the greeting is read:
# a server on the path that floods it gets nothing read.
dovecot_cert "$T/other" DNS:localhost IP:127.0.0.1
fake endless-greeting
DOVECOT_IMAPS_PORT=$fake_port DOVECOT_CA=$T/other/cert.pem write_config "$T/config"
sed -i "s|$T/kith.db|$T/untrusted.db|" "$T/config"
/usr/bin/time -f "%M" -o "$T/rss" timeout 60 "$KITHD" -c "$T/config" --once --no-notify \
	2>"$T/untrusted.err" && rc=0 || rc=$?
rss=$(tail -1 "$T/rss" 2>/dev/null)
diag "untrusted flood: exit $rc, peak RSS ${rss:-?} KB"
is "$rc" 1 "untrusted certificate: --once exits 1"
like "$(cat "$T/untrusted.err")" "certificate" "untrusted certificate: refused for its certificate"
ok "untrusted certificate: the flood is not read (peak RSS under 64 MB)" test "${rss:-999999}" -lt "$rss_limit"
kill "$fake_pid" 2>/dev/null

# One message the server sends whole (5 MB of To:) whatever was asked: it is
# skipped after a few tries, logged once, and its neighbours are stored.
fake big-header
fake_config "$T/big.db"
"$KITHD" -c "$T/config" --no-notify 2>"$T/big.err" &
big_pid=$!
at_exit "kill $big_pid"
big_stored() { test "$(sqlite3 "$T/big.db" "SELECT last_uid FROM folders" 2>/dev/null)" = 3; }
ok "big-header: the messages around the unreadable one are stored" wait_until 40 big_stored
kill "$big_pid"
wait "$big_pid" || true
like "$(cat "$T/big.err")" "skipping the message with UID 2" "big-header: the skipped message is logged"
is "$(grep -c "skipping the message" "$T/big.err")" 1 "big-header: once"
is "$(sqlite3 "$T/big.db" "SELECT group_concat(uid) FROM (SELECT uid FROM locations ORDER BY uid)")" "1,3" \
	"big-header: UIDs 1 and 3 are stored"
is "$(sqlite3 "$T/big.db" "SELECT count(*) FROM meta WHERE key LIKE 'unreadable.%.2'")" 1 \
	"big-header: the skipped message is recorded"
is "$(sqlite3 "$T/big.db" "SELECT last_uid FROM folders WHERE name = 'INBOX'")" 3 "big-header: the sync point is past it"
run "$KITH_BUILDDIR/cli/kith" -c "$T/config" status
like "$out" "1 message could not be read and was skipped" "big-header: kith status says a message was skipped"
like "$out" "INBOX +2 " "big-header: which folder and UID"
run "$KITH_BUILDDIR/cli/kith" -c "$T/config" --json status
is "$(printf '%s' "$out" | jq -r '.skipped[] | "\(.account) \(.folder) \(.uid) \(.at != null) \(.reason | length > 0)"')" \
	"main INBOX 2 true true" "big-header: and so does its JSON"
kill "$fake_pid" 2>/dev/null

# fake_sync MODE DB [FAKE ARGS...]: kithd --once against fake-imap.py MODE, into DB.
fake_sync() {
	local mode=$1 db=$2
	shift 2
	fake "$mode" "$@"
	fake_config "$db"
	run timeout 60 "$KITHD" -c "$T/config" --once --no-notify
}

# An INTERNALDATE in 2200 and no Date: stored as at most one day from now.
fake_sync future-date "$T/future.db"
is "$rc" 0 "future-date: syncs"
now=$(date +%s)
is "$(sqlite3 "$T/future.db" "SELECT count(*) FROM messages WHERE internaldate <= $now + 86400 \
	AND date <= $now + 86400")" 1 "future-date: the date is clamped to tomorrow at the latest"
kill "$fake_pid" 2>/dev/null

# UID 4294967295: the last UID there can be, and no wrap to 0 after it.
fake_sync max-uid "$T/max.db"
is "$rc" 0 "max-uid: syncs"
is "$(sqlite3 "$T/max.db" "SELECT last_uid FROM folders")" 4294967295 "max-uid: the sync point is UID 4294967295"
run timeout 60 "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 0 "max-uid: a second pass syncs"
is "$(grep -c "UID FETCH" "$T/fake-max-uid.log")" 1 "max-uid: and fetches nothing again"
unlike "$(cat "$T/fake-max-uid.log")" "UID SEARCH UID (0:|\*)" "max-uid: no search from UID 0"
kill "$fake_pid" 2>/dev/null

# A slow server holds no lock: while kithd waits 10 s for a FETCH, a CLI
# write goes through at once.
fake slow-fetch --delay 10
fake_config "$T/slow.db"
"$KITHD" -c "$T/config" --once --no-notify 2>"$T/slow.err" &
slow_pid=$!
at_exit "kill $slow_pid"
ok "slow-fetch: kithd is waiting for its FETCH" wait_until 20 grep -q "UID FETCH" "$T/fake-slow-fetch.log"
sleep 1
start=$(date +%s)
run timeout 30 "$KITH_BUILDDIR/cli/kith" -c "$T/config" add "Zed Example" --email zed@example.org
is "$rc" 0 "slow-fetch: kith add meanwhile exits 0 (not 75)"
ok "slow-fetch: without waiting for kithd" test $(( $(date +%s) - start )) -lt 5
wait "$slow_pid" && rc=0 || rc=$?
is "$rc" 0 "slow-fetch: kithd then finishes its sync"
is "$(sqlite3 "$T/slow.db" "SELECT count(*) FROM locations")" 3 "slow-fetch: and stores the 3 messages"
kill "$fake_pid" 2>/dev/null

# A folder named with terminal escapes (ESC ] title BEL, ESC [2J, CSI) reaches
# neither the terminal nor the log.
has_esc() { printf '%s' "$1" | LC_ALL=C grep -q $'\x1b\\|\x07\\|\xc2\x9b'; }
fake_sync escape-folder "$T/escape.db"
is "$rc" 0 "escape-folder: syncs"
run "$KITHD" -c "$T/config" --once --no-notify -v
ok "escape-folder: the log names the folder" grep -q "reading 'Sent" <<<"$err"
ok "escape-folder: without its escapes" not has_esc "$err"
run "$KITHD" -c "$T/config" --check
like "$out" "reading 'Sent\]0;owned\[2J31m' \(sent, by its special-use flag\), 'INBOX' \(inbox\)" "escape-folder: kithd --check lists the folder"
ok "escape-folder: kithd --check prints no escape" not has_esc "$out"
# The status line for systemd (shown by `systemctl status`) names folders too.
python3 - "$T/notify.sock" "$T/sd" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as log:
    while True:
        log.write(s.recv(4096) + b"\n")
PY
sd_pid=$!
at_exit "kill $sd_pid"
wait_until 5 test -S "$T/notify.sock" || bail "no notify socket"
sqlite3 "$T/escape.db" "UPDATE folders SET last_uid = 0, uidvalidity = 0"
run env NOTIFY_SOCKET="$T/notify.sock" "$KITHD" -c "$T/config" --once --no-notify
ok "escape-folder: the status line names the folder" grep -aq "STATUS=.*Sent" "$T/sd"
ok "escape-folder: without its escapes" not has_esc "$(cat "$T/sd")"
kill "$sd_pid"
run env PATH="$KITH_BUILDDIR/daemon:$PATH" "$KITH_BUILDDIR/cli/kith" -c "$T/config" config check --connect
like "$out" "Sent" "escape-folder: config check --connect lists it"
ok "escape-folder: config check --connect prints no escape" not has_esc "$out$err"
kill "$fake_pid" 2>/dev/null

# A server trickling its answer a byte at a time beats any wait for data,
# but not the deadline of the command (600 s; 3 s here).
fake trickle
fake_config "$T/trickle.db"
start=$(date +%s)
run env KITHD_COMMAND_TIMEOUT=3 timeout 60 "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 1 "trickle: --once gives up with an error"
like "$err" "127.0.0.1: UID FETCH: the server took over 3 s to answer" "trickle: and says why"
ok "trickle: soon after the deadline" test $(( $(date +%s) - start )) -lt 15

# SIGTERM waits for the batch under way, but not for a trickling server.
"$KITHD" -c "$T/config" --no-notify 2>"$T/trickle-term.err" &
term_pid=$!
at_exit "kill $term_pid"
second_fetch() { [ "$(grep -c "UID FETCH" "$T/fake-trickle.log")" -ge 2 ]; }
ok "trickle: kithd is in the middle of a FETCH" wait_until 20 second_fetch
sleep 1
start=$(date +%s)
kill -TERM "$term_pid"
wait "$term_pid" && rc=0 || rc=$?
took=$(( $(date +%s) - start ))
diag "SIGTERM during a trickled FETCH: exit $rc after $took s"
is "$rc" 0 "trickle: SIGTERM exits 0"
ok "trickle: within 10 s" test "$took" -lt 10
like "$(cat "$T/trickle-term.err")" "slow to answer: cutting the connection" "trickle: and says why it did not wait"
kill "$fake_pid" 2>/dev/null

# Without TLS (loopback only), a connection closed inside a literal made
# libetpan spin at full CPU for ever: it is an error like any other.
fake --plain cut-literal
plain_config "$T/plain.db"
start=$(date +%s)
run timeout 30 "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 1 "plain cut-literal: --once exits 1 (no endless spin)"
ok "plain cut-literal: at once" test $(( $(date +%s) - start )) -lt 10
kill "$fake_pid" 2>/dev/null

# fake_daemon_survives MODE COMMAND WAITING WHAT [LINES...]: kithd (not --once)
# against fake-imap.py MODE sends COMMAND (WAITING says so), is still alive
# 2 s after, having had WHAT, and SIGTERM then stops it cleanly.
fake_daemon_survives() {
	local mode=$1 cmd=$2 waiting=$3 what=$4 pid
	shift 4
	fake "$mode"
	fake_config "$T/$mode.db" "$@"
	"$KITHD" -c "$T/config" --no-notify 2>"$T/$mode.err" &
	pid=$!
	at_exit "kill $pid"
	ok "$mode: $waiting" wait_until 20 grep -q "$cmd" "$T/fake-$mode.log"
	sleep 2
	ok "$mode: and survives $what" alive "$pid"
	kill "$pid"
	wait "$pid" && rc=0 || rc=$?
	is "$rc" 0 "$mode: SIGTERM exits 0"
	kill "$fake_pid" 2>/dev/null
}

# STATUS answered with a bare OK (no STATUS line) while kithd checks the
# folders it does not IDLE on: libetpan then gives no result, which crashed
# kithd (found by the IMAP fuzzer).
fake_daemon_survives status-empty STATUS "kithd asks STATUS between IDLEs" \
	"a STATUS without an answer" "poll_interval = 2s"

# libetpan 1.9.4 parses a continuation ("+ idling") without a parser
# context, as it does a greeting, where a code with a list crashed it: one
# in the answer to IDLE must not stop kithd either.
fake_daemon_survives idle-code IDLE "kithd IDLEs" "the continuation's code"

# A greeting with a response code holding a list (BADCHARSET, PERMANENTFLAGS)
# crashes libetpan 1.9.4, and before STARTTLS anyone on the path can send
# one: the code is read as text, and the session goes on.
for mode in badcharset permanentflags; do
	fake --plain "$mode-greeting"
	plain_config "$T/$mode.db"
	run timeout 30 "$KITHD" -c "$T/config" --once --no-notify
	is "$rc" 0 "$mode-greeting: --once exits 0, no crash"
	ok "$mode-greeting: and asks for the capabilities the greeting did not give" \
		grep -q "CAPABILITY" "$T/fake-$mode-greeting.log"
	ok "$mode-greeting: and fetches" grep -q "UID FETCH" "$T/fake-$mode-greeting.log"
	kill "$fake_pid" 2>/dev/null
done

done_testing
