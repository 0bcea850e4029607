#!/usr/bin/env bash
# The user's decisions: log, add, snooze, ignore, cadence, circle, note,
# merge, split, import; bad values are usage errors naming them; a locked
# database is waited for, then refused with 75.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$KITH_SRCDIR/tests/cli-env.sh"

cli_world
k() { kith -c "$CFG" "$@"; }
due_emails() { k --json due -n 100 | jget '" ".join(p["email"] or "" for p in d)'; }

# --- snooze / unsnooze ---------------------------------------------------------
like "$(due_emails)" 'bob@stone' "Bob is due to begin with"
run k snooze bob 2w
is "$rc" 0 "snooze for a duration"
like "$out" 'snoozed Bob Stone until 2026-06-15' "says until when"
unlike "$(due_emails)" 'bob@stone' "a snoozed person is not due"
run k --json show bob
like "$(jget 'd["snoozed_until"]' <<<"$out")" '^2026-06-15T' "show --json has snoozed_until"
run k unsnooze bob
is "$rc" 0 "unsnooze"
like "$(due_emails)" 'bob@stone' "due again after unsnooze"
run k snooze bob 2026-09-01
is "$rc" 0 "snooze until a date"
run k snooze bob 2020-01-01
is "$rc" 2 "a past date is a usage error"
like "$err" "bad date '2020-01-01': it is not in the future" "naming it"
run k snooze bob fortnight
is "$rc" 2 "a bad duration is a usage error"
like "$err" "bad duration or date 'fortnight'" "naming it"
run k unsnooze bob

# --- log ----------------------------------------------------------------------
run k log bob --kind call --when 2026-05-31 --note "caught up"
is "$rc" 0 "log a call"
like "$out" 'logged a call with Bob Stone on 2026-05-31' "says what was logged"
run k --json show bob
is "$(jget 'd["history"][0]["kind"]' <<<"$out")" call "the call is in the history"
unlike "$(due_emails)" 'bob@stone' "a logged call refreshes the relationship"
run k log bob --kind lunch
is "$rc" 2 "a bad kind is a usage error"
like "$err" "bad kind 'lunch'" "naming it"
run k log bob --when someday
is "$rc" 2 "a bad date is a usage error"
like "$err" "bad date 'someday'" "naming it"
run k log bob --when 2027-01-01
is "$rc" 2 "a future date is refused"
run k log brown
is "$rc" 2 "an ambiguous WHO is refused with 2"

# --- add ----------------------------------------------------------------------
run k add Grace Hopper --email grace@navy.example --circle mentors --note "met at PyCon" --follow-up 2w
is "$rc" 0 "add someone met offline"
like "$out" 'added Grace Hopper \(id [0-9]+\), follow up in 2 weeks' "says so"
run k --json show grace
is "$(jget 'd["email"]' <<<"$out")" grace@navy.example "with the address"
is "$(jget 'd["circles"]' <<<"$out")" "['mentors']" "in the circle"
like "$(jget 'd["notes"]' <<<"$out")" 'met at PyCon' "with the note"
is "$(jget 'd["cadence_source"]' <<<"$out")" person "the follow-up set her cadence"
run k add Nobody --email not-an-address
is "$rc" 2 "a bad address is a usage error"
like "$err" "bad address 'not-an-address'" "naming it"
run k add Somebody --follow-up soon
is "$rc" 2 "a bad follow-up is a usage error"
like "$err" "bad follow-up 'soon'" "naming it"

# --- cadence ------------------------------------------------------------------
run k cadence carol 3d
is "$rc" 0 "set a cadence"
run k --json show carol
is "$(jget 'd["cadence_days"]' <<<"$out")" 3.0 "cadence_days follows"
is "$(jget 'd["cadence_source"]' <<<"$out")" person "cadence_source says person"
run k cadence carol never
run k --json show carol
is "$(jget 'd["cadence_days"]' <<<"$out")" None "never: cadence_days is null"
run k cadence carol auto
run k --json show carol
unlike "$(jget 'd["cadence_source"]' <<<"$out")" 'person|never' "auto: learned or default again"
run k cadence carol sometimes
is "$rc" 2 "a bad cadence is a usage error"
like "$err" "bad cadence 'sometimes'" "naming it"

# --- ignore -------------------------------------------------------------------
run k ignore dana@brown.example
is "$rc" 0 "ignore a person"
unlike "$(due_emails)" 'dana@brown' "an ignored person is never due"
run k --json show dana@brown.example
is "$(jget 'd["ignored"]' <<<"$out")" True "show says ignored"
run k unignore dana@brown.example
like "$(due_emails)" 'dana@brown' "unignore brings her back"
run k ignore '*@brown.example'
is "$rc" 0 "ignore a pattern"
like "$out" "ignoring every address matching '\*@brown\.example'" "says so"
unlike "$(due_emails)" 'brown\.example' "nobody matching the pattern is due"
run k unignore '*@brown.example'
is "$rc" 0 "unignore a pattern"

# --- circle, note ---------------------------------------------------------------
run k circle add friends carol erin
is "$rc" 0 "circle add with two people"
run k --json list --circle friends
is "$(jget 'sorted(p["email"] for p in d)' <<<"$out")" "['carol@diaz.example', 'erin@wu.example']" \
	"both are in the circle"
run k circles
like "$out" 'friends +2 ' "circles counts them"
run k circle rm friends erin
run k --json list --circle friends
is "$(jget '[p["email"] for p in d]' <<<"$out")" "['carol@diaz.example']" "circle rm"
run k circle add friends carol nobody-at-all
is "$rc" 1 "an unknown WHO in a circle add changes nothing"
run k circle join friends carol
is "$rc" 2 "a bad circle action is a usage error"
run k note erin "prefers phone calls"
is "$rc" 0 "note"
run k --json show erin
like "$(jget 'd["notes"]' <<<"$out")" 'prefers phone calls' "the note is shown"

# --- merge, split ---------------------------------------------------------------
run k merge dan@brown.example dana@brown.example
is "$rc" 0 "merge two people"
run k --json show dan@brown.example
is "$(jget 'sorted(d["addresses"])' <<<"$out")" "['dan@brown.example', 'dana@brown.example']" \
	"one person with both addresses"
run k split dana@brown.example
is "$rc" 0 "split an address off again"
run k --json show dana@brown.example
is "$(jget 'd["addresses"]' <<<"$out")" "['dana@brown.example']" "a person of its own"
run k merge bob bob@stone.example
is "$rc" 2 "merging a person with itself is a usage error"

# --- decisions survive a rebuild ---------------------------------------------------
k note bob "investor, likes hiking" >/dev/null
run k rebuild
is "$rc" 0 "rebuild"
like "$out" 'rebuilt: [0-9]+ people, [0-9]+ relationships' "says what it rebuilt"
run k --json show bob
like "$(jget 'd["notes"]' <<<"$out")" 'likes hiking' "notes survive a rebuild"
run k --json show grace
is "$(jget 'd["circles"]' <<<"$out")" "['mentors']" "circles survive a rebuild"

# --- import -------------------------------------------------------------------
cat >"$T/contacts.vcf" <<'VCF'
BEGIN:VCARD
VERSION:3.0
FN:Heidi Klum
EMAIL;TYPE=work:heidi@klum.example
CATEGORIES:models,friends
NOTE:met in Berlin\, 2019
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Bob Again
EMAIL:bob@stone.example
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Ivan
  Petrov
END:VCARD
VCF
run k import "$T/contacts.vcf"
is "$rc" 0 "import a vCard file"
like "$out" 'imported line 1 +Heidi Klum <heidi@klum\.example>' "reports what was imported"
like "$out" 'skipped +line 8 +Bob Again <bob@stone\.example>: this address is known already' \
	"and what was skipped, and why"
like "$out" '2 imported, 1 skipped' "a summary"
run k --json show heidi
is "$(jget 'sorted(d["circles"])' <<<"$out")" "['friends', 'models']" "CATEGORIES become circles"
like "$(jget 'd["notes"]' <<<"$out")" 'met in Berlin, 2019' "NOTE unescaped"
is "$(jget 'd["seed_state"]' <<<"$out")" "None" "an imported card is no new tie"
run k --json show petrov
is "$(jget 'd["name"]' <<<"$out")" "Ivan Petrov" "folded lines are unfolded"
printf 'BEGIN:VCARD\nFN:Judy\nthis line is broken\nEND:VCARD\n' >"$T/bad.vcf"
run k import "$T/bad.vcf"
is "$rc" 1 "a malformed vCard file is an error"
like "$err" 'bad\.vcf:3: malformed vCard line' "naming the line"
printf 'BEGIN:VCARD\nFN:Judy\n' >"$T/cut.vcf"
run k import "$T/cut.vcf"
like "$err" "cut\.vcf:2: the card of line 1 has no END:VCARD" "a cut file names the card"
run k import "$T/none.vcf"
is "$rc" 1 "a missing file is an error"

# --- a locked database ------------------------------------------------------------
hold_lock() {	# hold_lock SECONDS: a writer holding the write lock, in the background
	python3 - "$DB" "$1" "$T/locked" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO meta(key, value) VALUES ('test.lock', 'held') "
           "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
open(sys.argv[3], "w").close()
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
PY
	locker=$!
	for _ in $(seq 1 100); do [ -e "$T/locked" ] && break; sleep 0.05; done
	rm -f "$T/locked"
}
hold_lock 1.5
start=$(date +%s.%N)
run k note carol "written while another process held the lock"
is "$rc" 0 "a write waits for a short lock and succeeds"
wait "$locker"
run k --json due
is "$rc" 0 "reads work while nobody writes"
hold_lock 9
start=$(date +%s)
run k note carol "this one stays locked out"
end=$(date +%s)
is "$rc" 75 "a database that stays locked exits 75"
like "$err" 'busy' "saying it is busy"
ok "after waiting the busy timeout" test $((end - start)) -ge 4
run k --json show carol
is "$rc" 0 "reads answer while another process holds the write lock"
unlike "$out" 'stays locked out' "the refused note was not written"
wait "$locker"

done_testing
