#!/usr/bin/env bash
# Given a small mailbox of known people, the read commands answer in text and
# JSON: due, replies, show, list, search, circles, export, help.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$KITH_SRCDIR/tests/cli-env.sh"

cli_world
k() { kith -c "$CFG" "$@"; }

# --- due ------------------------------------------------------------------
run k due
is "$rc" 0 "due exits 0"
like "$out" '^ *#  NAME +EMAIL +STATUS +WHY' "due has a header row"
like "$out" 'Bob Stone +bob@stone\.example +overdue' "Bob, silent for 4 months, is overdue"
unlike "$out" 'Carol' "Carol, written to this week, is not due"
unlike "$out" 'letters\.example' "a newsletter is never due"
unlike "$out" ' +$' "no trailing blanks"
ok "no colour in a pipe" no_esc "$out"

run k --json due
is "$rc" 0 "due --json exits 0"
ok "due --json is JSON" json_ok <<<"$out"
fields=$(jget '",".join(sorted(d[0].keys()))' <<<"$out")
for f in id name email addresses circle cadence_days cadence_source last_contact last_sent \
	last_received days_since ratio status priority strength reciprocity last_subject reason; do
	like ",$fields," ",$f," "due --json items have '$f'"
done
like "$(jget 'd[0]["last_contact"]' <<<"$out")" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
	"timestamps are ISO 8601 UTC"
is "$(jget '[p["priority"] for p in d] == sorted([p["priority"] for p in d], reverse=True)' <<<"$out")" \
	True "the most pressing first"
is "$(jget '[p["circle"] for p in d if p["email"] == "bob@stone.example"]' <<<"$out")" "['investors']" \
	"circle of a configured member"

run k --json due -n 1
is "$(jget 'len(d)' <<<"$out")" 1 "-n 1 gives one person"
run k --json due --circle investors
is "$(jget '[p["email"] for p in d]' <<<"$out")" "['bob@stone.example']" "--circle keeps the circle"
run k --json due --all
like "$(jget '" ".join(p["email"] for p in d)' <<<"$out")" 'carol@diaz\.example' "--all shows the fresh ones too"

run k due -n 0
is "$rc" 2 "-n 0 is a usage error"
like "$err" "bad count '0'" "and names the bad value"
run k due -n many
is "$rc" 2 "-n many is a usage error"
run k due --bogus
is "$rc" 2 "an unknown option is a usage error"
like "$err" "unknown option '--bogus'" "and names it"
run k due extra
is "$rc" 2 "an unexpected argument is a usage error"

# --- replies ----------------------------------------------------------------
run k replies
is "$rc" 0 "replies exits 0"
like "$out" 'you owe a reply to:' "owed section"
like "$out" 'Erin Wu +erin@wu\.example +[0-9]+ (days|weeks) ago' "Erin is owed a reply"
like "$out" 'waiting for an answer from:' "awaiting section"
like "$out" 'Frank Ng +frank@ng\.example' "Frank has not answered"
run k --json replies
ok "replies --json is JSON" json_ok <<<"$out"
is "$(jget 'sorted(d.keys())' <<<"$out")" "['awaiting', 'owed']" "replies --json has owed and awaiting"
is "$(jget 'sorted(d["owed"][0].keys())' <<<"$out")" \
	"['email', 'id', 'message_id', 'name', 'since', 'subject']" "reply items have the documented fields"

# --- show -------------------------------------------------------------------
run k show bob@stone.example
is "$rc" 0 "show by address"
like "$out" 'addresses +bob@stone\.example' "show lists the addresses"
like "$out" 'cadence +investors circle: every 4 weeks' "cadence and its source"
like "$out" 'relationship +yes' "why it is a relationship"
like "$out" 'history \(newest first\):' "show has a history"
like "$out" 'you wrote +Lunch plans' "history items in words: who wrote, and the subject"
unlike "$out" 'from-is-me|\(default\)|[0-9]\.[0-9][0-9]' "no rule names or raw scores by default"
run k --verbose show bob@stone.example
like "$out" 'sent .*counted +Lunch plans' "--verbose: direction, class, counted, subject"
like "$out" 'strength +[0-9]+\.[0-9]+ ' "--verbose: the strength score"
run k show Bob
is "$rc" 0 "show by name fragment"
run k --json show bob
ok "show --json is JSON" json_ok <<<"$out"
is "$(jget '[k for k in ("circles","notes","history") if k in d]' <<<"$out")" \
	"['circles', 'notes', 'history']" "show --json has circles, notes, history"
is "$(jget 'sorted(d["history"][0].keys())' <<<"$out")" \
	"['at', 'class', 'counted', 'direction', 'kind', 'message_id', 'rule', 'subject', 'why']" \
	"history items have the documented fields"
id=$(jget 'd["id"]' <<<"$out")
run k show "$id"
like "$out" 'Bob Stone' "show by id"
run k show brown
is "$rc" 2 "an ambiguous WHO exits 2"
like "$err" "'brown' matches 2 people" "and says so"
like "$err" 'Dan Brown' "listing Dan"
like "$err" 'Dana Brown' "and Dana"
run k show zzzzzz
is "$rc" 1 "an unknown WHO exits 1"
like "$err" "no one matches 'zzzzzz'" "and says so"
run k show
is "$rc" 2 "show without WHO is a usage error"

# --- list, search -------------------------------------------------------------
run k list
is "$rc" 0 "list exits 0"
like "$out" 'Carol Diaz' "list shows relationships"
unlike "$out" 'letters\.example' "list leaves acquaintances out"
for s in due strength recent name; do
	run k --json list --sort $s
	ok "list --sort $s is JSON" json_ok <<<"$out"
done
run k --json list --sort name
is "$(jget '[p["name"] for p in d] == sorted([p["name"] for p in d], key=lambda s: s.lower())' <<<"$out")" \
	True "--sort name sorts by name"
run k list --sort shoe-size
is "$rc" 2 "a bad sort key is a usage error"
like "$err" "bad sort key 'shoe-size'" "naming it"
run k --json list --acquaintances
like "$(jget '" ".join(p["email"] or "" for p in d)' <<<"$out")" 'news@letters\.example' \
	"--acquaintances includes the newsletter"
run k --json list --circle investors
is "$(jget '[p["email"] for p in d]' <<<"$out")" "['bob@stone.example']" "list --circle"
run k search carol
like "$out" 'carol@diaz\.example' "search by name"
run k --json search "Weekly sync"
like "$(jget '" ".join(p["email"] for p in d)' <<<"$out")" 'carol' "search by subject"
run k search
is "$rc" 2 "search without text is a usage error"

# --- circles, export ----------------------------------------------------------
run k circles
like "$out" 'investors +1 ' "circles counts members"
run k --json circles
ok "circles --json is JSON" json_ok <<<"$out"
run k export
ok "export is JSON by default" json_ok <<<"$out"
run k export --format csv
like "$out" '^id,name,email,' "export csv has a header"
like "$out" '"bob@stone\.example"' "export csv has people"
run k export --format vcard
like "$out" 'BEGIN:VCARD' "export vcard"
like "$out" 'EMAIL;PREF=1:bob@stone\.example' "with addresses"
run k export --format xml
is "$rc" 2 "a bad export format is a usage error"

# --- help and general ---------------------------------------------------------
run kith help
like "$out" 'due +whom to reconnect with' "help lists the commands"
unlike "$out" 'complete-who' "hidden commands stay hidden"
run kith due --help
like "$out" 'usage: kith due \[-n N\]' "CMD --help"
run kith help show
like "$out" 'usage: kith show WHO' "help CMD"
run kith --version
like "$out" '^kith [0-9]' "--version"
run kith frobnicate
is "$rc" 2 "an unknown command exits 2"
run kith
is "$rc" 2 "no command exits 2"
run kith -c "$CFG" -d "$T/nothing.db" due
is "$rc" 1 "a missing database exits 1"
like "$err" "no database at '.*nothing\.db' yet: run kithd" "suggesting to run kithd"
run k complete-who bo
like "$out" 'bob@stone\.example' "complete-who completes addresses"
run env COLUMNS=50 kith -c "$CFG" due
ok "COLUMNS=50: every line fits" python3 -c 'import sys; sys.exit(max(len(l) for l in sys.stdin.read().splitlines()) > 50)' <<<"$out"
kith -c "$CFG" due >/dev/full 2>"$T/full.err" && rc=0 || rc=$?
is "$rc" 1 "a write error on stdout exits 1"
like "$(cat "$T/full.err")" 'cannot write to standard output' "and says so"
kith -c "$CFG" --json due >/dev/full 2>/dev/null && rc=0 || rc=$?
is "$rc" 1 "also for JSON"
run env KITH_NOW=yesterdayish kith -c "$CFG" due
ok "a bad KITH_NOW is refused" test "$rc" -ne 0
like "$err" "KITH_NOW='yesterdayish'" "naming it"

done_testing
