#!/usr/bin/env bash
# Hostile names and subjects (quotes, SQL, terminal escapes, invalid UTF-8)
# come out of every command as valid JSON and as text without escapes, and
# hostile arguments are data, never SQL.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$KITH_SRCDIR/tests/cli-env.sh"

cli_world
k() { kith -c "$CFG" "$@"; }

run k --json list --acquaintances
ok "list --json with a hostile name is JSON" json_ok <<<"$out"
ok "no ESC byte in JSON" no_esc "$out"
ok "JSON is ASCII only" python3 -c 'import sys; sys.stdin.buffer.read().decode("ascii")' <<<"$out"
name=$(jget '[p["name"] for p in d if p["email"] == "mallory@evil.example"][0]' <<<"$out")
like "$name" 'DROP TABLE people' "the hostile name survives as data"

for cmd in "due --all" "list --acquaintances" "search mallory" "show mallory" "replies" "status" \
	"circles" "export"; do
	# shellcheck disable=SC2086
	run k $cmd
	is "$rc" 0 "$cmd exits 0"
	ok "$cmd: no escape reaches the terminal" no_esc "$out"
	# shellcheck disable=SC2086
	run k --json $cmd
	ok "$cmd --json is valid JSON" json_ok <<<"$out"
	ok "$cmd --json: no escape" no_esc "$out"
done
run k show mallory
like "$out" 'Mallory' "show names Mallory"
like "$out" 'DELETE FROM messages' "and shows the hostile subject as text"
for f in csv vcard; do
	run k export --format $f
	ok "export $f: no escape" no_esc "$out"
done
run k export --format csv
unlike "$out" '\x1b' "csv is clean"

# Forced colour would be the only escapes, and only SGR ones.
run env -u NO_COLOR script -qec "kith -c '$CFG' show mallory" /dev/null
if [ "$rc" -eq 0 ]; then
	escapes=$(printf '%s' "$out" | LC_ALL=C grep -ao $'\x1b[^m]*m\?' | LC_ALL=C grep -v $'^\x1b\\[[0-9;]*m$' || true)
	is "$escapes" "" "on a terminal, the only escapes are kith's own colours"
	run env NO_COLOR=1 script -qec "kith -c '$CFG' show mallory" /dev/null
	ok "NO_COLOR: no escape at all on a terminal" no_esc "$out"
	run env -u NO_COLOR script -qec "kith -c '$CFG' --no-color show mallory" /dev/null
	ok "--no-color: no escape at all on a terminal" no_esc "$out"
else
	pass "# SKIP script(1) cannot allocate a terminal here"
fi

# Hostile arguments: data, not SQL.
run k search "'; DROP TABLE people; --"
ok "an SQL-looking search is just text" test "$rc" -eq 0
run k --json list --acquaintances
ok "the people are all still there" test "$(jget 'len(d)' <<<"$out")" -ge 8
run k show "%"
ok "a LIKE wildcard as WHO matches nothing special" test "$rc" -ne 0
run k show $'\x1b[31mbob'
ok "an escape in WHO is not echoed raw" no_esc "$err"
run k show $'\xff\xfe'
ok "invalid UTF-8 in WHO is refused cleanly" test "$rc" -eq 1 -o "$rc" -eq 2
ok "and not echoed raw" python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8")' <<<"$err"
run k note mallory $'evil \x1b]0;title\x07 note'
is "$rc" 0 "a note with escapes is stored"
run k show mallory
ok "and shown without them" no_esc "$out"
run k --json show mallory
like "$(jget 'd["notes"]' <<<"$out")" 'evil' "kept as data in JSON"

# A damaged database: every value read back is untrusted.  A header size of
# -1 (or one far larger than kith stores) is refused, not trusted for a buffer.
cp "$DB" "$T/damaged.db"
sed "s|^database = .*|database = $T/damaged.db|" "$CFG" >"$T/damaged.conf"
sqlite3 "$T/damaged.db" "UPDATE messages SET header_len = -1 WHERE id = (SELECT min(id) FROM messages);
	UPDATE messages SET header_len = 1000000000 WHERE id = (SELECT max(id) FROM messages)"
run kith -c "$T/damaged.conf" rebuild
ok "rebuild on a damaged header size: no crash" test "$rc" -lt 128
like "$err" "damaged header block" "the damaged message is named"

# Dates from far in the future (a corrupt file, or stored before they were
# clamped) and scores that are not numbers cannot make the model infinite.
cp "$DB" "$T/future.db"
sed "s|^database = .*|database = $T/future.db|" "$CFG" >"$T/future.conf"
sqlite3 "$T/future.db" "UPDATE people SET last_contact = 9000000000000000, last_received = 9000000000000000,
	s_in = 1e308 * 10, a_in = -5 WHERE id IN (SELECT person FROM addresses WHERE addr LIKE 'bob@%')"
run kith -c "$T/future.conf" --json show bob
is "$rc" 0 "show with a far-future date exits 0"
ok "its JSON is valid" json_ok <<<"$out"
unlike "$out" '[0-9]e\+?[0-9]{2}|inf|nan|NaN|Infinity' "no number in it is out of range"

# Bidi overrides (U+202E) and escapes from an imported vCard are cleaned on
# the way in, and any already stored are cleaned again on the way out.
has_bidi() { printf '%s' "$1" | LC_ALL=C grep -q $'\xe2\x80[\xaa-\xae]\\|\xe2\x81[\xa6-\xa9]\\|\x1b'; }
printf 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Eve \xe2\x80\xaegnp.exe\r\nEMAIL:eve@bidi.example\r\nNOTE:met \xe2\x81\xa6at\x1b[31m a fair\r\nCATEGORIES:ring\xe2\x80\xad,x\r\nEND:VCARD\r\n' \
	>"$T/bidi.vcf"
run k import "$T/bidi.vcf"
is "$rc" 0 "import a vCard with bidi overrides"
ok "the import report shows none" not has_bidi "$out$err"
stored=$(sqlite3 "$DB" "SELECT name FROM user_people WHERE name LIKE 'Eve%'; SELECT text FROM user_notes;
	SELECT circle FROM user_circles")
like "$stored" "Eve" "the card is stored"
ok "with no override or escape" not has_bidi "$stored"
run k show eve
like "$out" "Eve gnp\.exe" "the name is kept, without the override"
sqlite3 "$DB" "UPDATE people SET name = 'Old '||char(8238)||'gnp.exe' WHERE name LIKE 'Eve%';
	UPDATE user_people SET name = 'Old '||char(8238)||'gnp.exe' WHERE name LIKE 'Eve%'"
run k show eve@bidi.example
ok "a stored override is not shown" not has_bidi "$out"
run k list --acquaintances
ok "nor listed" not has_bidi "$out"

done_testing
