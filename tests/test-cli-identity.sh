#!/usr/bin/env bash
# Given a mailbox without display names (the way Exchange exports look), kith
# names no one after their address, finds "ann lee" at ann.lee@, shows
# addresses as written, suggests merges with the rule in plain words, keeps a
# role mailbox out of relationships, and does not nag about an address its
# owner has left for a new one.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$KITH_SRCDIR/tests/cli-env.sh"

MAILDIR=$T/Maildir
DB=$T/kith.db
CFG=$T/config
cat >"$CFG" <<EOF
[kith]
database = $DB
me = ana.rivera@rivera.example

[notify]
enabled = no
EOF
python3 - "$MAILDIR" <<'PY' || bail "cannot write the test mailbox"
import sys
from maildir import Maildir
box = Maildir(sys.argv[1])
ANA = b"Ana Rivera <ana.rivera@rivera.example>"


def msg(days_ago, frm, to, extra=b"", reply_to_id=None, sent=False):
    return box.msg(days_ago, frm, to, extra=extra, reply_to_id=reply_to_id, sent=sent, references=False)


# Ann writes without a display name; so do Britt's two addresses.
for d in (120, 90, 60):
    m = msg(d, ANA, b"ann.lee@corp.example", sent=True)
    msg(d - 1, b"ann.lee@corp.example", ANA, reply_to_id=m)
for d in (100, 70):
    msg(d, ANA, b"britt.davis@corp.example", sent=True)
msg(40, ANA, b"britt_davis@corp.example", sent=True)
# Jo Doeson changed jobs: the old address went silent, the new one took over.
for d in (400, 370, 340, 310, 280, 250):
    m = msg(d, ANA, b"jdoeson@old-employer.example", sent=True)
    msg(d - 1, b"jdoeson@old-employer.example", ANA, reply_to_id=m)
m = msg(200, b"jdoeson@new-employer.example", ANA)
msg(12, ANA, b"jdoeson@new-employer.example", reply_to_id=m, sent=True)
# An expense-report mailbox, written to on three days, never answering.
for d in (50, 35, 20):
    msg(d, ANA, b"expense.reports@corp.example", sent=True)
# Bruno writes his Gmail address with a dot; the user types it without.
for d in (30, 25):
    m = msg(d, ANA, b"brunokeller@gmail.com", sent=True)
    msg(d - 1, b"Bruno Keller <Bruno.Keller@gmail.com>", ANA, reply_to_id=m)
msg(10, b"Bruno Keller <Bruno.Keller@gmail.com>", ANA)
# The user's own second addresses: one named after her, one a short form of hers.
for d in (80, 45):
    msg(d, ANA, b"\"Ana Rivera (E-mail)\" <ar1977@home.example>", sent=True)
    msg(d, ANA, b"arivera@rivera.example", sent=True)
PY
kith-ingest -c "$CFG" "$DB" "$MAILDIR=inbox" "$MAILDIR/.Sent=sent" 2>"$T/ingest.log" ||
	bail "kith-ingest failed: $(cat "$T/ingest.log")"
k() { kith -c "$CFG" "$@"; }

# --- names --------------------------------------------------------------------
run k --json show ann.lee@corp.example
is "$rc" 0 "show by address"
is "$(jget 'd["name"]' <<<"$out")" None "no display name in any header: name is null"
run k show "ann lee"
is "$rc" 0 "'ann lee' finds ann.lee@"
like "$out" 'name +ann\.lee@corp\.example' "text shows the address where there is no name"
run k list
like "$out" ' - +ann\.lee@corp\.example' "the NAME column does not repeat the address"

# --- addresses as written -------------------------------------------------------
run k --json show bruno
is "$(jget 'd["email"]' <<<"$out")" "Bruno.Keller@gmail.com" "a Gmail address shows as Bruno writes it"
is "$(jget 'len(d["addresses"])' <<<"$out")" 1 "brunokeller@ and Bruno.Keller@ are one address"

# --- role mailboxes ---------------------------------------------------------------
run k --json show expense.reports@corp.example
is "$(jget 'd["relationship"]' <<<"$out")" False "an expense mailbox that never answers is no relationship"
is "$(jget 'd["role_mailbox"]' <<<"$out")" True "it is a role mailbox"
run k show expense.reports@corp.example
like "$out" 'role mailbox' "show says why it is not a relationship"
run k --json replies
unlike "$out" 'expense' "and no answer is awaited from it"

# --- merge suggestions ----------------------------------------------------------------
run k merge --suggest
is "$rc" 0 "merge --suggest exits 0"
like "$out" 'britt\.davis@corp\.example and britt_davis@corp\.example differ only in separators' \
	"separators: the reason in plain words"
like "$out" 'jdoeson@old-employer\.example fell silent in .* as jdoeson@new-employer\.example started' \
	"a job change: the reason in plain words"
like "$out" 'kith merge [0-9]+ [0-9]+' "each with the command that merges"
like "$out" "others write to ar1977@home\.example as \"Ana Rivera \(E-mail\)\", your own name" \
	"an address named after the user is suggested as hers"
like "$out" "arivera@rivera\.example is the first initial and surname of ana\.rivera@rivera\.example" \
	"so is a short form of her address"
like "$out" "add ar1977@home\.example to 'me'" "with the way to accept it"
run k --json merge --suggest
is "$(jget 'sorted(set(s["rule"] for s in d))' <<<"$out")" "['job-change', 'same-local-part', 'yours']" \
	"--json names each rule"

# --- due agrees with the suggestions ---------------------------------------------------
run k due --all
like "$out" 'jdoeson@old-employer\.example .*probably the same person as jdoeson@new-employer\.example' \
	"the old address is held back: its owner was in touch at the new one"
run k --json due
unlike "$(jget '" ".join(p["email"] for p in d)' <<<"$out")" 'jdoeson@old|arivera' \
	"neither the old address nor the user's own is nagged about"
run k show jdoeson@old-employer.example
like "$out" "identity +probably the same person as jdoeson@new-employer\.example" "show explains it"

# --- keeping two addresses apart is remembered ---------------------------------------------
run k split britt_davis@corp.example
is "$rc" 0 "split on a lone address keeps it apart"
run k merge --suggest
unlike "$out" 'britt_davis' "kept apart: no longer suggested"
run k rebuild
run k merge --suggest
unlike "$out" 'britt_davis' "nor after a rebuild"
like "$out" 'jdoeson' "while the other suggestions stay"

done_testing
