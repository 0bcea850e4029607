#!/usr/bin/env bash
# kithd speaks systemd's notify protocol: READY=1, STATUS=, WATCHDOG=1 while
# it runs, RELOADING=1 then READY=1 on SIGHUP with a changed config,
# STOPPING=1 on SIGTERM; and SIGTERM in the middle of a long first sync
# leaves a store that a later run completes with nothing lost or doubled.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$KITH_SRCDIR/tests/notify-env.sh"

# The service manager's side: a datagram socket that records every message.
export NOTIFY_SOCKET=$T/notify.sock
/usr/bin/python3 - "$NOTIFY_SOCKET" "$T/sd" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        for line in s.recv(4096).decode().splitlines():
            log.write(line + "\n")
PY
at_exit "kill $!"
for i in $(seq 1 50); do [ -S "$NOTIFY_SOCKET" ] && break; sleep 0.05; done
: >"$T/sd"

# 6000 messages: the first sync takes several batches.
mkdir -p "$T/w/dc"
dovecot_add_user "$T/w/dc" test secret
python3 - "$T/w/dc/mail/test/Maildir/cur" <<'PY'
import os, sys
d = sys.argv[1]
for i in range(6000):
    p = os.path.join(d, "%010d.m%d.kith:2,S" % (1500000000 + i * 600, i))
    with open(p, "w") as f:
        f.write("From: Person %d <p%d@example.com>\r\nTo: me@example.org\r\n"
                "Subject: note %d\r\nMessage-ID: <m%d@example.com>\r\n"
                "Date: Mon, 2 Jun 2025 09:00:00 +0000\r\n\r\nHi.\r\n" % (i % 97, i % 97, i, i))
    os.utime(p, (1500000000 + i * 600,) * 2)
PY
dovecot_fix_perms "$T/w/dc"
KITH_NOW=$NOTIFY_NOW
export KITH_NOW
NOTIFY_SETTINGS='enabled = no'
notify_world "$T/w"

has() { grep -q -- "$1" "$T/sd"; }
export WATCHDOG_USEC=400000
kithd_start --no-notify
ok "READY=1" wait_for 10 has '^READY=1$'
ok "STATUS= while syncing" wait_for 10 has '^STATUS=.'
ok "WATCHDOG=1 at half the interval" wait_for 5 has '^WATCHDOG=1$'

# SIGTERM in the middle of the first sync.
stored() { sqlite3 "$KITH_DB" "SELECT count(*) FROM messages" 2>/dev/null || echo 0; }
ok "the first batches are committed" wait_for 20 sh -c "[ \"\$(sqlite3 '$KITH_DB' 'SELECT count(*) FROM messages')\" -gt 0 ]"
kill -TERM "$KITHD_PID"
wait "$KITHD_PID"
is "$?" 0 "SIGTERM mid-sync: kithd exits 0"
ok "STOPPING=1" has '^STOPPING=1$'
partial=$(stored)
diag "stored before SIGTERM took effect: $partial"
ok "it stopped before the end" test "$partial" -lt 6000

run kithd --once --no-notify
is "$rc" 0 "the next run finishes the sync"
total=$(find "$T/w/dc/mail/test/Maildir" -type f -name '*:2,S' | wc -l)
is "$(stored)" "$total" "every message is stored once: nothing lost, nothing doubled"

# SIGHUP with a changed configuration.
: >"$T/sd"
kithd_start --no-notify
ok "READY=1 again" wait_for 10 has '^READY=1$'
sed -i 's/^poll_interval = .*/poll_interval = 30min/' "$KITH_CONFIG"
: >"$T/sd"
kill -HUP "$KITHD_PID"
ok "RELOADING=1 on SIGHUP" wait_for 5 has '^RELOADING=1'
ok "then READY=1" wait_for 5 has '^READY=1$'
ok "still running" alive "$KITHD_PID"
kill -TERM "$KITHD_PID"
wait "$KITHD_PID"
is "$?" 0 "and stops cleanly"
done_testing
