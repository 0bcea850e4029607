#!/usr/bin/env bash
# Every command words one person's time the same way: given Paul, written
# to every 6 days until 8 weeks ago and then left waiting for an answer,
# `due`, `list`, `show` and `replies` say the same spans in the same words,
# and the rhythm kith learned is the one the mail shows.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$KITH_SRCDIR/tests/cli-env.sh"

MAILDIR=$T/Maildir
CFG=$T/config
cat >"$CFG" <<CONF
[kith]
database = $T/kith.db
me = ana@rivera.example

[notify]
enabled = no
CONF
python3 - "$MAILDIR" <<'PY' || bail "cannot write the test mailbox"
import os, sys, calendar, time
root = sys.argv[1]
NOW = calendar.timegm((2026, 6, 1, 12, 0, 0))
DAY = 86400
ANA = b"Ana Rivera <ana@rivera.example>"
PAUL = b"Paul Ortiz <paul@ortiz.example>"
for d in ("cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"):
    os.makedirs(os.path.join(root, d), exist_ok=True)
seq = [0]

def msg(days_ago, frm, to, subject, reply_to_id=None, sent=False):
    seq[0] += 1
    t = NOW - int(days_ago * DAY)
    mid = b"<w%d@test.example>" % seq[0]
    date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t)).encode()
    h = b"From: " + frm + b"\r\nTo: " + to + b"\r\nSubject: " + subject + \
        b"\r\nDate: " + date + b"\r\nMessage-ID: " + mid + b"\r\n"
    if reply_to_id:
        h += b"In-Reply-To: " + reply_to_id + b"\r\nReferences: " + reply_to_id + b"\r\n"
    h += b"\r\nhello\r\n"
    sub = ".Sent/cur" if sent else "cur"
    path = os.path.join(root, sub, "%d.%06d.words:2,S" % (t, seq[0]))
    with open(path, "wb") as f:
        f.write(h)
    return mid

# Every 6 days from 151 days ago to 61: Ana asks, Paul answers a day later.
for d in range(151, 60, -6):
    m = msg(d, ANA, PAUL, b"Plan %d" % d, sent=True)
    msg(d - 1, PAUL, ANA, b"Re: Plan %d" % d, reply_to_id=m)
# Then Ana opens a new thread 55 days ago; no answer.
msg(55, ANA, PAUL, b"Still on for the trip?", sent=True)
PY
kith-ingest -c "$CFG" "$T/kith.db" "$MAILDIR=inbox" "$MAILDIR/.Sent=sent" 2>"$T/ingest.log" ||
	bail "kith-ingest failed: $(cat "$T/ingest.log")"
k() { kith -c "$CFG" "$@"; }

run k due
is "$rc" 0 "due exits 0"
like "$out" 'Paul Ortiz .* you wrote every 6 days until April, kith asks every 9 days · you last wrote 8 weeks ago' \
	"due states the rhythm seen, until when, what kith asks, and who wrote last"
due_asks=$(printf '%s\n' "$out" | sed -n 's/.*kith asks every \([^·]*[a-z]\) ·.*/\1/p')
due_last=$(printf '%s\n' "$out" | sed -n 's/.*you last wrote \(.*\)$/\1/p')

run k list
is "$rc" 0 "list exits 0"
like "$out" "Paul Ortiz +paul@ortiz\\.example +$due_last +$due_asks +overdue" \
	"list's LAST CONTACT and CADENCE are due's words ($due_last, $due_asks)"

run k show paul
is "$rc" 0 "show exits 0"
like "$out" "cadence +you wrote every 6 days until April, kith asks every $due_asks" \
	"show's cadence is due's"
like "$out" "last contact +$due_last \\(2026-04-07\\); you wrote $due_last, they wrote 2 months ago" \
	"show's last contact is due's"
like "$out" "suggested +yes: you wrote every 6 days" "show's reason is due's"

run k replies
is "$rc" 0 "replies exits 0"
like "$out" "Paul Ortiz +paul@ortiz\\.example +$due_last +Still on for the trip\\?" \
	"replies waits for Paul in the same words"

run k --json due
is "$(jget '[p["cadence_days"] for p in d if p["email"] == "paul@ortiz.example"][0]' <<<"$out")" 9.0 \
	"JSON: the cadence is 1.5 × the 6-day rhythm"
is "$(jget '[p["cadence_source"] for p in d if p["email"] == "paul@ortiz.example"][0]' <<<"$out")" learned \
	"JSON: learned"

done_testing
