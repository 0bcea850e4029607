#!/usr/bin/env bash
# A hostile server (garbage lines, a literal of 3.9 GB announced, a connection
# cut in the middle of a literal, all over TLS) gets an error, never a crash
# or a memory blow-up; a well-behaved scripted server syncs.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"

dovecot_cert "$T/ssl" DNS:localhost IP:127.0.0.1
fake() {	# fake MODE: tests/fake-imap.py over TLS, its port in $fake_port
	rm -f "$T/fake.port"
	python3 "$KITH_SRCDIR/tests/fake-imap.py" --mode "$1" --port-file "$T/fake.port" \
		--log "$T/fake-$1.log" --cert "$T/ssl/cert.pem" --key "$T/ssl/key.pem" &
	fake_pid=$!
	at_exit "kill $fake_pid"
	wait_until 5 test -s "$T/fake.port" || bail "fake-imap.py did not start"
	fake_port=$(cat "$T/fake.port")
}

# Sanitizers add their own shadow memory: allow for it.
rss_limit=65536
nm -D "$KITHD" 2>/dev/null | grep -q __asan_init && rss_limit=$((4 * 65536))
for mode in normal garbage huge-literal cut-literal; do
	fake "$mode"
	DOVECOT_IMAPS_PORT=$fake_port DOVECOT_CA=$T/ssl/cert.pem write_config "$T/config"
	sed -i "s|$T/kith.db|$T/$mode.db|" "$T/config"
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

done_testing
