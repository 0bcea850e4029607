#!/usr/bin/env bash
# scripts/demo end to end: the generated mailbox is served over TLS, kithd
# syncs all of it, kith answers, and nothing the demo started is left running.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

demo=$T/demo
# demo_servers: pids of Dovecot masters serving from $demo, if any.
demo_servers() {
	local p
	for p in $(pgrep -x dovecot 2>/dev/null); do
		tr '\0' ' ' </proc/"$p"/cmdline 2>/dev/null | grep -q -- "$demo/" && echo "$p"
	done
	true
}

for round in 1 2; do
	run env KITH_DEMO_SETUP=0 KITH_DEMO_DIR="$demo" "$KITH_SRCDIR/scripts/demo"
	is "$rc" 0 "run $round: the demo succeeds"
	[ "$rc" -eq 0 ] || diag "$err" "$(cat "$demo/kithd.log" 2>/dev/null)"
	like "$(printf '%s' "$err" | tr '\n' ' ')" \
		'demo: generating .*demo: starting a local IMAP server.*demo: kithd is syncing' \
		"run $round: it says what it is doing"
	like "$err" 'serving INBOX [0-9]+, Sent [0-9]+, Archive [0-9]+' "run $round: the server holds the mailbox"
	is "$(demo_servers)" "" "run $round: no Dovecot is left running"
done

like "$out" 'stored +[0-9]+ messages' "kith status reports what was stored"
like "$out" '\$ .*kith -c .*/config due' "the due list is shown with the command that makes it"
like "$out" 'you owe a reply to' "the owed replies are shown"
like "$out" 'until the next run\. Try:' "a hint of what to try next"
like "$out" 'kith -c .*/config show maya' "with the exact -c flag"
like "$out" 'From the demo to your own mail' "the last lines lead to one's own mail"
like "$out" 'kith config init --address you@example\.org' "starting with config init"
like "$out" 'kith config check --connect' "then a login check"
like "$out" 'kithd --once && .*kith due' "then a first sync"
unlike "$out" 'start it: systemctl --user start kithd' "status does not offer the unit, which would ignore the demo's config"
like "$out" 'daemon +not running \(with this configuration: kithd -c ' "but kithd -c with the demo's"
unlike "$out" $'\x1b' "no terminal escape reaches the output"

# kithd read every message that was generated, once.
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["messages"])' "$demo/manifest.json")
got=$(sqlite3 "$demo/kith.db" 'select count(*) from messages')
is "$got" "$want" "every distinct message is stored once"

# Interrupted while the server runs: the trap still stops it.
env KITH_DEMO_SETUP=0 KITH_DEMO_DIR="$demo" KITH_BUILDDIR=/nonexistent "$KITH_SRCDIR/scripts/demo" \
	>"$T/fail.out" 2>"$T/fail.err" && rc=0 || rc=$?
is "$rc" 1 "without the binaries the demo fails"
like "$(cat "$T/fail.err")" "kithd and kith are not built in '/nonexistent'" "and says why"
is "$(demo_servers)" "" "and still stops the server it started"
done_testing
