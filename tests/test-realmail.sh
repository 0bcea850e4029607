#!/usr/bin/env bash
# The people model on real mail: given public real mailboxes (three Enron
# custodians and the LKML sample of notmuch's test corpus, prepared by
# scripts/realmail-prep) served by a real Dovecot, when kithd syncs each one,
# what `kith` says agrees with what the mailbox's owner would say, as written
# down in tests/fixtures/realmail/*/expect.json.  Each check names the rule
# it tests in brackets; expectations beyond the written rules are TODO.
# Then the owner accepts the addresses kith suggests as theirs (me =, kith
# rebuild), and who is a relationship is checked again.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

fixtures=$KITH_SRCDIR/tests/fixtures/realmail
dc=$T/dc

# maildir_from_fixture FIXTURE USER: the fixture's INBOX and Sent as USER's
# Maildir, file names in Date order and each file's mtime its Date (Dovecot
# takes INTERNALDATE from the mtime).
maildir_from_fixture() {
	python3 - "$1" "$dc/mail/$2/Maildir" <<'PY'
import email.utils, os, shutil, sys

src, md = sys.argv[1:3]
for folder, sub in (("INBOX", ""), ("Sent", ".Sent")):
    for d in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(md, sub, d), exist_ok=True)
    for name in sorted(os.listdir(os.path.join(src, folder))):
        path = os.path.join(src, folder, name)
        with open(path, "rb") as f:
            data = f.read()
        date = None
        for line in data.split(b"\n\n", 1)[0].decode("utf-8", "replace").splitlines():
            if line.lower().startswith("date:"):
                date = email.utils.parsedate_tz(line[5:].strip())
                break
        when = email.utils.mktime_tz(date) if date else 0
        dest = os.path.join(md, sub, "cur", "%d.%s.realmail:2,S" % (when, name))
        shutil.copyfile(path, dest)
        os.utime(dest, (when, when))
PY
}

# One server, one Dovecot user per fixture.
names=()
for d in "$fixtures"/*/; do
	[ -f "$d/expect.json" ] || continue
	name=$(basename "$d")
	names+=("$name")
	dovecot_add_user "$dc" "$name" secret
	maildir_from_fixture "$d" "$name" || bail "cannot write the maildir of $name"
done
[ "${#names[@]}" -gt 0 ] || bail "no fixtures in $fixtures"
dovecot_fix_perms "$dc"
dovecot_test_start "$dc"

# fold_checks FILE: the checker's TAP lines as this test's own; a TODO line
# is reported but is no failure.
fold_checks() {
	local line
	while IFS= read -r line; do
		case $line in
		"not ok "*"# TODO"*) tap_n=$((tap_n + 1)); echo "not ok $tap_n - ${line#not ok * - }" ;;
		"ok "*) pass "${line#ok * - }" ;;
		"not ok "*) fail "${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$1"
}

for name in "${names[@]}"; do
	w=$T/$name
	mkdir -p "$w"
	expect=$fixtures/$name/expect.json
	read -r now me < <(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(e["now"], ", ".join(e["me"]))' "$expect")
	cat >"$w/config" <<CONF
[kith]
database = $w/kith.db
me = $me

[account $name]
host = 127.0.0.1
port = $DOVECOT_IMAPS_PORT
tls = implicit
ca_file = $DOVECOT_CA
user = $name
password_command = echo secret

[notify]
enabled = no
CONF
	export KITH_NOW=$now
	run kithd -c "$w/config" --once --no-notify
	is "$rc" 0 "$name: kithd syncs the mailbox" || { diag "$err"; continue; }
	want=$(python3 - "$fixtures/$name" <<'PY'
import email.parser, glob, sys
parse = email.parser.BytesHeaderParser()
ids = {parse.parse(open(f, "rb"))["Message-ID"] for f in glob.glob(sys.argv[1] + "/*/[0-9]*")}
print(len(ids))
PY
)
	got=$(sqlite3 "$w/kith.db" 'select count(*) from messages')
	is "$got" "$want" "$name: [sync] every message is stored"

	k() { kith -c "$w/config" "$@"; }
	snapshot() {
		k --json list --acquaintances --sort name >"$1.list" &&
			k --json replies >"$1.replies" &&
			k --json due --all >"$1.due"
	}
	ok "$name: kith lists everyone, replies and due" snapshot "$w/before" || continue
	k --json due -n 10 >"$w/due10" 2>"$w/due10.err" || diag "$(cat "$w/due10.err")"
	k --json merge --suggest >"$w/merge" 2>"$w/merge.err" || diag "$(cat "$w/merge.err")"
	: >"$w/shows"
	python3 -c 'import json,sys; [print(w, a) for w, a in json.load(open(sys.argv[1])).get("show_by_words", [])]' \
		"$expect" | while read -r w1 w2 addr; do
		k --json show "$w1 $w2" >"$w/show.out" 2>/dev/null && rc=0 || rc=$?
		printf '%s %s\t%s\t%s\t%s\n' "$w1" "$w2" "$addr" "$rc" "$(tr -d '\n' <"$w/show.out")" >>"$w/shows"
	done

	python3 "$KITH_SRCDIR/tests/realmail-check.py" "$name" "$expect" "$w" >"$w/checks" ||
		fail "$name: the checker ran" "$(tail -3 "$w/checks")"
	fold_checks "$w/checks"

	run k rebuild
	is "$rc" 0 "$name: [rebuild] kith rebuild" || diag "$err"
	ok "$name: kith answers again after the rebuild" snapshot "$w/after"
	for f in list replies due; do
		if cmp -s "$w/before.$f" "$w/after.$f"; then
			pass "$name: [rebuild] rebuild changes nothing: $f"
		else
			fail "$name: [rebuild] rebuild changes nothing: $f" "$(diff "$w/before.$f" "$w/after.$f" | head -5)"
		fi
	done

	# The owner accepts each suggestion that an address is theirs which is
	# theirs indeed (expect.json's self_aliases), as kith says to: into
	# `me`, then kith rebuild.  kith never takes one on its own.
	accept=$(python3 - "$w/merge" "$expect" <<'PY'
import json, sys
merge, expect = (json.load(open(f)) for f in sys.argv[1:3])
mine = {s["address"].lower() for s in expect["self_aliases"]}
print(", ".join(sorted({s["addresses"][0] for s in merge
                        if s.get("rule") == "yours" and s["addresses"][0].lower() in mine})))
PY
)
	python3 -c 'import json,sys; sys.exit(not json.load(open(sys.argv[1]))["self_aliases"])' "$expect" || continue
	diag "$name: the owner accepts as theirs: ${accept:-nothing kith suggested}"
	[ -z "$accept" ] || sed -i "s|^me = .*|me = $me, $accept|" "$w/config"
	run k rebuild
	is "$rc" 0 "$name: [self-alias] kith rebuild after accepting the suggested addresses" || { diag "$err"; continue; }
	k --json list --acquaintances --sort name >"$w/accepted.list" ||
		fail "$name: kith lists everyone after accepting"
	python3 "$KITH_SRCDIR/tests/realmail-check.py" "$name" "$expect" "$w" --accepted >"$w/checks2" ||
		fail "$name: the checker ran after accepting" "$(tail -3 "$w/checks2")"
	fold_checks "$w/checks2"
done
unset KITH_NOW
done_testing
