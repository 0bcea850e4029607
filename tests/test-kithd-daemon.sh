#!/usr/bin/env bash
# kithd as a daemon: it IDLEs on INBOX (new mail stored within 2 s), polls
# Sent every poll_interval, syncs on SIGUSR1, keeps its configuration when a
# reloaded one is bad, holds a locked pid file, and leaves cleanly on SIGTERM.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"

fill "$T/dc" test INBOX 10 in
fill "$T/dc" test Sent 2 sent "Me <test@example.org>" "Bob Example <bob@example.org>"
dovecot_test_start "$T/dc"
write_config "$T/config" "poll_interval = 2s"

run "$KITHD" -c "$T/nonexistent" --once
is "$rc" 78 "a missing configuration file exits 78"
printf '[account x]\nhost = h\nbogus = 1\n' >"$T/bad"
run "$KITHD" -c "$T/bad" --once
is "$rc" 78 "a bad configuration exits 78"
like "$err" "bogus" "the error names the bad key"
run "$KITHD" --bogus
is "$rc" 2 "an unknown option exits 2"

start_kithd -c "$T/config" --no-notify -v
seq_is() { [ "$(sql "SELECT value FROM meta WHERE key = 'daemon.sync_seq'")" = "$1" ]; }
ok "the first round finishes" wait_until 10 seq_is 1
is "$(folder_count INBOX)" 10 "INBOX synced at start"
pidfile=$(pidfile_of "$T/kith.db")
is "$(cat "$pidfile" 2>/dev/null)" "$kithd_pid" "the pid file holds the daemon's pid"
is "$(stat -c %a "$XDG_RUNTIME_DIR/kith")" 700 "the runtime directory is private"

run "$KITHD" -c "$T/config" --no-notify
is "$rc" 1 "a second kithd refuses to start"
like "$err" "already running \(pid $kithd_pid" "and says which one runs"

# The pid file is keyed by the database: a kithd on another database runs too.
sed "s|^database = .*|database = $T/other.db|" "$T/config" >"$T/other.conf"
"$KITHD" -c "$T/other.conf" --no-notify 2>"$T/other.log" &
other_pid=$!
at_exit "kill $other_pid"
other_pidfile=$(pidfile_of "$T/other.db")
ok "a kithd on another database starts beside it" wait_until 10 test -s "$other_pidfile"
is "$(cat "$other_pidfile" 2>/dev/null)" "$other_pid" "with its own pid file"
ok "and keeps running" alive "$other_pid"
kill "$other_pid"
wait "$other_pid" 2>/dev/null || true

# A runtime directory another user could have made or opened (the /tmp
# fallback) is refused; the pid file is never followed through a symlink.
mkdir -p -m 0755 "$T/open/kith"
chmod 0755 "$T/open/kith"
run env XDG_RUNTIME_DIR="$T/open" "$KITHD" -c "$T/other.conf" --once --no-notify
is "$rc" 1 "a runtime directory open to others: kithd refuses to start"
like "$err" "refusing the runtime directory '$T/open/kith'" "and says which"
if [ "$(id -u)" = 0 ]; then
	mkdir -p -m 0700 "$T/theirs/kith"
	chown nobody "$T/theirs/kith"
	run env XDG_RUNTIME_DIR="$T/theirs" "$KITHD" -c "$T/other.conf" --once --no-notify
	is "$rc" 1 "a runtime directory of another user: refused"
else
	pass "# SKIP not root: cannot give a directory to another user"
fi
mkdir -p -m 0700 "$T/mine" "$T/link"
ln -s "$T/mine" "$T/link/kith"
run env XDG_RUNTIME_DIR="$T/link" "$KITHD" -c "$T/other.conf" --once --no-notify
is "$rc" 1 "a runtime directory that is a symlink: refused"
mkdir -p -m 0700 "$T/trap/kith"
echo "precious" >"$T/victim"
ln -s "$T/victim" "$(XDG_RUNTIME_DIR=$T/trap pidfile_of "$T/other.db")"
run env XDG_RUNTIME_DIR="$T/trap" "$KITHD" -c "$T/other.conf" --once --no-notify
is "$rc" 1 "a pid file that is a symlink: refused"
is "$(cat "$T/victim")" "precious" "and the file it points to is untouched"

# Mail delivered while kithd IDLEs on INBOX.
ok "kithd waits with IDLE" wait_until 5 grep -q "INBOX: waiting with IDLE" "$T/kithd.log"
message "Carol <carol@example.org>" "test@example.org" "fresh" "fresh-1@test" |
	doveadm_ "$T/dc" save -u test -m INBOX
start=$(date +%s.%N)
has_fresh() { [ "$(sql "SELECT count(*) FROM messages WHERE message_id = 'fresh-1@test'")" = 1 ]; }
if wait_until 2 has_fresh; then
	pass "mail delivered during IDLE is stored within 2 s"
else
	fail "mail delivered during IDLE is stored within 2 s" "$(tail -5 "$T/kithd.log")"
fi
diag "stored after $(echo "$(date +%s.%N) - $start" | bc) s"

# New sent mail, found by the poll of the folders not under IDLE.
message "Me <test@example.org>" "dave@example.org" "sent later" "sent-later@test" |
	doveadm_ "$T/dc" save -u test -m Sent
has_sent() { [ "$(sql "SELECT count(*) FROM messages WHERE message_id = 'sent-later@test'")" = 1 ]; }
ok "new Sent mail is picked up within poll_interval (2 s)" wait_until 4 has_sent

# SIGUSR1: a sync round now, counted in daemon.sync_seq.
kill -USR1 "$kithd_pid"
ok "SIGUSR1 makes a sync round" wait_until 5 seq_is 2
is "$(sql "SELECT value FROM meta WHERE key = 'daemon.sync_result'")" ok "its result is ok"

# kith sync --wait against this very daemon: it signals kithd and returns
# once that round has finished and been counted.
run kith -c "$T/config" sync --wait --timeout 20s
is "$rc" 0 "kith sync --wait returns with the real kithd's round" || diag "$err"
like "$out" 'sync finished: ok' "and prints its result"
ok "that round was counted" seq_is 3

# SIGHUP with a broken configuration: logged, the old one stays.
cp "$T/config" "$T/config.good"
echo "nonsense = 1" >>"$T/config"
kill -HUP "$kithd_pid"
ok "a bad configuration on SIGHUP is reported" wait_until 5 grep -q "keeping the previous configuration" "$T/kithd.log"
ok "kithd still runs" alive "$kithd_pid"
cp "$T/config.good" "$T/config"
kill -HUP "$kithd_pid"
ok "a good configuration on SIGHUP starts a new round" wait_until 5 seq_is 4
message "Erin <erin@example.org>" "test@example.org" "after reload" "after-reload@test" |
	doveadm_ "$T/dc" save -u test -m INBOX
has_after() { [ "$(sql "SELECT count(*) FROM messages WHERE message_id = 'after-reload@test'")" = 1 ]; }
ok "after the reload kithd IDLEs again" wait_until 3 has_after

stop_kithd
is "$kithd_rc" 0 "SIGTERM: kithd exits 0"
ok "the pid file is removed" not test -e "$pidfile"
is "$(sql "SELECT value FROM meta WHERE key = 'daemon.state'")" stopped "the state says stopped"
unlike "$(cat "$T/kithd.log")" "secret" "the password never reaches the log"

# Under systemd: READY, STATUS and STOPPING over NOTIFY_SOCKET.
python3 - "$T/notify.sock" "$T/notify.txt" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as f:
    while True:
        f.write(s.recv(4096).decode() + "\n")
PY
notify_pid=$!
at_exit "kill $notify_pid"
wait_until 5 test -S "$T/notify.sock" || bail "no notify socket"
NOTIFY_SOCKET=$T/notify.sock start_kithd -c "$T/config" --no-notify
ok "READY=1 is sent" wait_until 5 grep -q "READY=1" "$T/notify.txt"
ok "STATUS says idle once synced" wait_until 5 grep -q "STATUS=idle; 1 account" "$T/notify.txt"
stop_kithd
ok "STOPPING=1 is sent" grep -q "STOPPING=1" "$T/notify.txt"

done_testing
