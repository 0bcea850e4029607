#!/usr/bin/env bash
# A refused login is a clear error: `--once` exits 1, the error is recorded,
# and the daemon retries with growing delays instead of hammering the server.
# A failing password_command is reported with its own words.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"

fill "$T/dc" test INBOX 2 in
dovecot_test_start "$T/dc"
failures() { grep -c "auth.*test.*\(Password mismatch\|unknown user\|failed\)\|Disconnected.*auth failed" \
	"$T/dc/dovecot.log" || true; }

write_config "$T/config" "password_command = echo wrong"
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 1 "wrong password: --once exits 1"
like "$err" "main: 127.0.0.1: login as 'test' refused: .*(AUTHENTICATIONFAILED|failed)" \
	"the error names the account, host, user and the server's answer"
unlike "$err" "wrong" "the password is not in the message"
like "$(sql "SELECT last_error FROM accounts WHERE name = 'main'")" "login as 'test' refused" \
	"the error is recorded for kith status"

write_config "$T/config" "password_command = echo 'no such entry' >&2; exit 3"
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 1 "a failing password_command: --once exits 1"
like "$err" "password_command failed with exit status 3: no such entry" "its status and stderr are quoted"
write_config "$T/config" "password_command = true"
run "$KITHD" -c "$T/config" --once --no-notify
like "$err" "password_command printed nothing" "an empty secret is an error"

# The daemon keeps trying, more and more slowly, and says so once.
write_config "$T/config" "password_command = echo wrong"
before=$(failures)
start_kithd -c "$T/config" --no-notify
sleep 10
stop_kithd
is "$kithd_rc" 0 "the daemon stops cleanly while failing"
attempts=$(( $(failures) - before ))
diag "$attempts login attempts in 10 s"
ok "it retried (at least 2 attempts)" test "$attempts" -ge 2
ok "it did not hammer the server (at most 4 attempts)" test "$attempts" -le 4
delays=$(grep -o "retrying in [0-9.]*" "$T/kithd.log" | awk '{print $3}')
diag "delays: $(echo $delays)"
ok "the delays grow" awk 'NR > 1 && $1 <= prev { exit 1 } { prev = $1 }' <<<"$delays"
is "$(grep -c "login as 'test' refused" "$T/kithd.log")" 1 "the refusal is logged once"

# password_command gets no descriptor but 0-2: not the IMAP socket it
# authenticates, nor any other account's.
cat >"$T/fds.py" <<'PY'
import os, sys
found = []
for fd in range(3, 1024):
    try:
        os.fstat(fd)
        found.append(str(fd))
    except OSError:
        pass
open(sys.argv[1], "w").write(" ".join(found) or "none")
PY
write_config "$T/config" "password_command = python3 $T/fds.py $T/fds && echo secret"
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 0 "a password_command listing its descriptors: login works"
is "$(cat "$T/fds")" "none" "it inherited no descriptor but stdin, stdout and stderr"

# It is done when it exits, even if something it started keeps stdout open.
write_config "$T/config" "password_command = sleep 100 & echo \$! >$T/bg.pid; echo secret"
start=$(date +%s)
run timeout 50 "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 0 "a password_command leaving a background process: login works"
ok "without waiting for that process" test $(( $(date +%s) - start )) -lt 10
kill "$(cat "$T/bg.pid")" 2>/dev/null || true

done_testing
