#!/usr/bin/env bash
# A notification server that never answers (libnotify then blocks for 25 s)
# holds up neither sync nor shutdown: while the notifier waits on it, new
# mail is synced within a second, and SIGTERM ends kithd in a few seconds.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$KITH_SRCDIR/tests/notify-env.sh"

notify_bus_start "$T/bus"
notify_fake_start hang "$T/calls"
export KITH_NOW=$NOTIFY_NOW
notify_world "$T/w"

kithd_start -v
hung() { grep -q '"hung": true' "$T/calls"; }
ok "the digest is stuck on the hung server" wait_for 20 hung
rounds=$(kithd_rounds)
msgs=$(sqlite3 "$KITH_DB" "SELECT count(*) FROM messages")

# New mail arrives, and a sync is asked for while the notifier is blocked.
printf 'From: Eve <eve@example.com>\r\nTo: me@example.org\r\nSubject: Lunch?\r\nMessage-ID: <eve1@example.org>\r\nDate: Mon, 2 Jun 2025 09:00:00 +0000\r\n\r\nHi.\r\n' |
	doveadm_ "$T/w/dc" save -u test -m INBOX
start=$(date +%s%N)
kill -USR1 "$KITHD_PID"
synced() { [ "$(kithd_rounds)" -gt "$rounds" ]; }
wait_for 10 synced
took=$((($(date +%s%N) - start) / 1000000))
diag "sync round while the notifier hangs: ${took} ms"
ok "the sync round finishes within 1 s" test "$took" -lt 1000
is "$(sqlite3 "$KITH_DB" "SELECT count(*) FROM messages")" $((msgs + 1)) "the new message is stored"
ok "the notifier is still waiting" not grep -q 'nudge shown' "$T/kithd.log"

start=$(date +%s%N)
kill -TERM "$KITHD_PID"
wait "$KITHD_PID"
rc=$?
took=$((($(date +%s%N) - start) / 1000000))
diag "SIGTERM to exit with a hung notification server: ${took} ms"
is "$rc" 0 "kithd exits cleanly"
ok "within 5 s, not libnotify's 25" test "$took" -lt 5000
like "$(cat "$T/kithd.log")" 'notification server does not answer' "and says why it did not wait"
done_testing
