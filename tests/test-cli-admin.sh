#!/usr/bin/env bash
# The machinery: config check on good and bad files, status, sync with and
# without a daemon, rebuild.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$KITH_SRCDIR/tests/cli-env.sh"

cli_world
k() { kith -c "$CFG" "$@"; }

# --- config check ----------------------------------------------------------------
run k config check
is "$rc" 0 "a good config checks OK"
like "$out" "^config OK: '$CFG'" "and says so"
run env KITH_CONFIG="$CFG" kith config check
is "$rc" 0 "KITH_CONFIG is honoured"
run kith config check
is "$rc" 78 "no config at all is not 'OK': there is nothing to read"
like "$err" "no configuration file at '$XDG_CONFIG_HOME/kith/config': write one with 'kith config init" \
	"and says where it would be and how to write one"
unlike "$out" 'config OK' "never 'config OK' then"
# config init writes where config check reads: "~/" in KITH_CONFIG is home,
# and missing directories are made 0700.
run env HOME="$T/home" KITH_CONFIG='~/made/kith.conf' kith config init --address ana@x.example
is "$rc" 0 "config init under KITH_CONFIG=~/..." || diag "$err"
is "$(stat -c %a "$T/home/made" 2>&1)" 700 "the missing directory is made 0700"
run env HOME="$T/home" KITH_CONFIG='~/made/kith.conf' kith config check
is "$rc" 0 "config check reads the file written" || diag "$err"
run kith -c "$T/missing.conf" config check
is "$rc" 78 "a named config that is missing exits 78"
check_bad() {	# check_bad DESCRIPTION REGEX: config in $T/bad.conf fails naming file:line and key
	run kith -c "$T/bad.conf" config check
	is "$rc" 78 "$1: exit 78"
	like "$err" "$2" "$1: names file:line and key"
}
printf '[kith]\nmee = ana@x.example\n' >"$T/bad.conf"
check_bad "unknown key" "bad\.conf:2: .*mee: unknown key"
printf '[kith]\ndefault_cadence = often\n' >"$T/bad.conf"
check_bad "bad duration" "bad\.conf:2: .*default_cadence"
printf '[account a]\nhost = imap.example.org\nuser = a\npassword_command = true\nport = 99999\n' >"$T/bad.conf"
check_bad "bad port" "bad\.conf:5: .*port"
printf '[account a]\nhost = imap.example.org\nuser = a\npassword = hunter2\n' >"$T/bad.conf"
check_bad "a password in the file" "bad\.conf:4: .*password"
unlike "$err" 'hunter2' "the password itself is not echoed"
acct='[account a]\nhost = imap.example.org\nuser = a\npassword_command = true\n'
printf '[frobnicate x]\nkey = 1\n' >"$T/bad.conf"
check_bad "unknown section kind" "bad\.conf:1: .*frobnicate"
printf "$acct"'tls = none\n' >"$T/bad.conf"
check_bad "tls = none on a non-loopback host" "bad\.conf:5: .*tls"
printf "$acct$acct" >"$T/bad.conf"
check_bad "two accounts with one name" "bad\.conf:5: \[account a\].*duplicate"
printf '[account a]\nuser = a\npassword_command = true\n' >"$T/bad.conf"
check_bad "missing host" "bad\.conf:1: \[account a\] host"
printf '[notify]\ndigest_time = 9h30\n' >"$T/bad.conf"
check_bad "bad clock time" "bad\.conf:2: .*digest_time"
printf '[notify]\nquiet_hours = late-early\n' >"$T/bad.conf"
check_bad "quiet hours that do not parse" "bad\.conf:2: .*quiet_hours"
printf "$acct"'ca_file = %s/no-such-ca.pem\n' "$T" >"$T/bad.conf"
check_bad "unreadable ca_file" "bad\.conf:5: .*ca_file.*no-such-ca\.pem"
printf '[circle investors]\ncadence = monthly\n' >"$T/bad.conf"
check_bad "a circle whose cadence does not parse" "bad\.conf:2: \[circle investors\] cadence"
printf '[kith]\nmee = x\n[notify]\ndigest_time = 25:99\n' >"$T/bad.conf"
check_bad "every error, not only the first" "bad\.conf:2: .*mee.*"
like "$err" "bad\.conf:4: .*digest_time" "the second error is reported too"
run k config frob
is "$rc" 2 "a bad config action is a usage error"
# --- status -------------------------------------------------------------------------
run k status
is "$rc" 0 "status exits 0"
like "$out" 'daemon +not running' "no daemon runs"
like "$out" 'stored +[0-9]+ messages, [0-9]+ people, [0-9]+ relationships' "counts"
like "$out" 'local +inbox +inbox +[0-9]+ ' "folders with message counts"
run k --json status
ok "status --json is JSON" json_ok <<<"$out"
is "$(jget 'd["daemon"]["running"]' <<<"$out")" False "daemon.running is false"
is "$(jget 'sorted(f["role"] for f in d["folders"])' <<<"$out")" "['inbox', 'sent']" "folders with roles"
n=$(python3 -c 'import os,sys; print(sum(len(os.listdir(os.path.join(sys.argv[1], s))) for s in ("cur", ".Sent/cur")))' "$T/Maildir")
is "$(jget 'd["messages"]' <<<"$out")" "$n" "every message file was stored once"
is "$(jget 'sum(f["messages"] for f in d["folders"])' <<<"$out")" "$n" "folder counts add up"
like "$(jget 'd["accounts"][0]["last_sync"]' <<<"$out")" '^2026-06-01T12:00:00Z$' "account last sync"

# --- sync -----------------------------------------------------------------------------
run k sync
is "$rc" 1 "sync without a daemon exits 1"
like "$err" 'kithd is not running' "and says so"
run k sync --wait --timeout forever
is "$rc" 2 "a bad timeout is a usage error"

# A stand-in named kithd that answers SIGUSR1 the way the daemon does:
# bump daemon.sync_seq and record the round's result.
mkdir -p -m 0700 "$T/bin" "$XDG_RUNTIME_DIR/kith"
# (#!/bin/bash, not env: the process must be called kithd, as paths_daemon_pid checks.)
cat >"$T/bin/kithd" <<'SH'
#!/bin/bash
db=$1 result=$2
round() {
	python3 - "$db" "$result" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
seq = db.execute("SELECT value FROM meta WHERE key = 'daemon.sync_seq'").fetchone()
db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('daemon.sync_seq', ?)",
           (str(int(seq[0]) + 1 if seq else 1),))
db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('daemon.sync_result', ?)", (sys.argv[2],))
db.commit()
PY
}
trap 'sleep 0.3; round' USR1
while :; do sleep 0.1; done
SH
chmod +x "$T/bin/kithd"
"$T/bin/kithd" "$DB" ok &
fake=$!
at_exit "kill $fake"
echo "$fake" >"$(pidfile_of "$DB")"
sleep 0.2
run k sync
is "$rc" 0 "sync signals a running daemon"
like "$out" "asked kithd \(pid $fake\) to sync now" "and says so"
run k sync --wait --timeout 20s
is "$rc" 0 "sync --wait waits for the round"
like "$out" 'sync finished: ok' "and prints its result"
run k --json status
is "$(jget 'd["daemon"]["running"]' <<<"$out")" True "status sees the daemon"
kill "$fake"; wait "$fake" 2>/dev/null
"$T/bin/kithd" "$DB" "login failed: personal" &
fake=$!
at_exit "kill $fake"
echo "$fake" >"$(pidfile_of "$DB")"
sleep 0.2
run k sync --wait --timeout 20s
is "$rc" 1 "a failed round exits 1"
like "$err" 'login failed: personal' "with the daemon's error"
kill -STOP "$fake"
run k sync --wait --timeout 1s
is "$rc" 1 "a daemon that never finishes times out"
like "$err" 'did not finish a sync round within 1 seconds' "and says so"
kill -CONT "$fake"; kill "$fake"

# --- rebuild ----------------------------------------------------------------------------
before=$(k --json list --acquaintances | jget 'sorted((p["email"], p["relationship"]) for p in d)')
run k rebuild
is "$rc" 0 "rebuild exits 0"
after=$(k --json list --acquaintances | jget 'sorted((p["email"], p["relationship"]) for p in d)')
is "$after" "$before" "a rebuild gives the same people"

done_testing
