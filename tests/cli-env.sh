# tests/cli-env.sh - a small mailbox with known people, ingested into a kith
# database, for the CLI tests.  Source after tests/lib.sh; then run
# cli_world, which sets $CFG (the config), $DB (the database) and KITH_NOW.
#
# The people, as of KITH_NOW = 2026-06-01T12:00:00Z (user: Ana Rivera,
# ana@rivera.example):
#   Bob Stone      wrote back and forth until 120 days ago     -> overdue
#   Carol Diaz     weekly, last 3 days ago                     -> ok
#   Dan Brown, Dana Brown  ("brown" is ambiguous)
#   Erin Wu        wrote 10 days ago, unanswered               -> owed reply
#   Frank Ng       Ana wrote 20 days ago, no answer            -> awaiting
#   Émile Zola     RFC 2047 name
#   Mallory        a hostile name and subject: quotes, SQL, ESC, bad UTF-8
#   news@letters.example  a newsletter: never a relationship

KITH_NOW=2026-06-01T12:00:00Z
export KITH_NOW

cli_world() {
	MAILDIR=$T/Maildir
	DB=$T/kith.db
	CFG=$T/config
	cat >"$CFG" <<EOF
[kith]
database = $DB
me = ana@rivera.example

[circle investors]
cadence = 30d
members = bob@stone.example

[notify]
enabled = no
EOF
	python3 - "$MAILDIR" <<'PY' || bail "cannot write the test mailbox"
import sys
from maildir import Maildir
box = Maildir(sys.argv[1])
msg = box.msg
ANA = b"Ana Rivera <ana@rivera.example>"

def thread(person, days, subject=b"Catching up", answered=True):
    """Ana writes on each of `days` (days ago); the person answers a day later."""
    for d in days:
        m = msg(d, ANA, person, subject, sent=True)
        if answered and d - 1 >= 0:
            msg(d - 1, person, ANA, b"Re: " + subject, reply_to_id=m)

BOB = b"Bob Stone <bob@stone.example>"
thread(BOB, [300, 250, 200, 160, 121], b"Lunch plans")
CAROL = b"Carol Diaz <carol@diaz.example>"
thread(CAROL, [71, 64, 57, 50, 43, 36, 29, 22, 15, 8, 4], b"Weekly sync")
thread(b"Dan Brown <dan@brown.example>", [200, 100], b"Board meeting")
thread(b"Dana Brown <dana@brown.example>", [180, 90], b"Conference")
ERIN = b"Erin Wu <erin@wu.example>"
thread(ERIN, [60], b"The report")
msg(10, ERIN, ANA, b"Question about the report")
FRANK = b"Frank Ng <frank@ng.example>"
m = msg(90, FRANK, ANA, b"Introduction")
msg(89, ANA, FRANK, b"Re: Introduction", reply_to_id=m, sent=True)
msg(20, ANA, FRANK, b"Following up", sent=True)
thread(b"=?UTF-8?Q?=C3=89mile_Zola?= <emile@zola.example>", [30, 16], b"=?UTF-8?Q?Caf=C3=A9?=")
EVIL = b"\"Mallory \\\"; DROP TABLE people; -- \x1b[31mRED\x1b[0m \xff\xfe\" <mallory@evil.example>"
thread(EVIL, [400, 300], b"\x1b]0;pwned\x07 '; DELETE FROM messages; -- \xc3\x28 =?UTF-8?Q?=1B[2J?=")
for i in range(5):
    msg(7 * i + 2, b"Letters Weekly <news@letters.example>", ANA, b"Issue %d" % i,
        extra=b"List-Unsubscribe: <https://letters.example/u>\r\nPrecedence: bulk\r\n")
PY
	kith-ingest -c "$CFG" "$DB" "$MAILDIR=inbox" "$MAILDIR/.Sent=sent" 2>"$T/ingest.log" ||
		bail "kith-ingest failed: $(cat "$T/ingest.log")"
}

# json_ok: stdin is one valid JSON document.
json_ok() { python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null; }

# jq-like access without jq: jget EXPR, EXPR in Python over `d` (the document).
jget() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# no_esc TEXT: no ESC (0x1b) nor C1 CSI byte sequence in TEXT.
no_esc() { ! printf '%s' "$1" | LC_ALL=C grep -q $'\x1b\|\xc2\x9b'; }

PATH="$KITH_BUILDDIR/tests:$PATH"
export PATH
