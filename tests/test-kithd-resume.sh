#!/usr/bin/env bash
# A 5,000-message INBOX is fetched in batches of 500, each committed with its
# sync point.  When the server dies in the middle (over TLS) the messages of
# the batch that did arrive are kept with a sync point just below the first
# that did not; kithd reconnects and resumes, and the store ends equal to one
# from an uninterrupted sync.
# SIGTERM in the middle of a sync exits 0 and leaves a consistent store.
# kill -9 while batches wait for the writer thread loses and duplicates
# nothing, with the UIDs searched in small windows.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"

fill "$T/dc" test INBOX 5000 big
fill "$T/dc" test Sent 20 sent "Me <test@example.org>" "Bob Example <bob@example.org>"
dovecot_test_start "$T/dc"
write_config "$T/config"

# The INBOX sync point and its locations always move together.
consistent() {	# consistent DB: locations = last_uid
	local n last
	# One statement, so one snapshot even while kithd keeps committing.
	read -r n last < <(sqlite3 -separator ' ' "$1" "SELECT
		(SELECT count(*) FROM locations l JOIN folders f ON f.id = l.folder_id WHERE f.name = 'INBOX'),
		(SELECT coalesce(max(last_uid), 0) FROM folders WHERE name = 'INBOX')")
	diag "INBOX: $n locations, sync point $last"
	[ "$n" = "$last" ]
}
inbox_at_least() { [ "$(folder_count INBOX)" -ge "$1" ] 2>/dev/null; }

start_kithd -c "$T/config" --no-notify
ok "the first batches are stored" wait_until 30 inbox_at_least 500
dovecot_crash "$T/dc"
crashed_at=$(folder_count INBOX)
diag "server killed with $crashed_at INBOX messages stored"
ok "at the crash the store's sync point matches its locations" consistent "$T/kith.db"
ok "kithd survives the server's death" alive "$kithd_pid"
sleep 1
dovecot_start "$T/dc" >/dev/null || bail "cannot restart dovecot"
ok "after the restart kithd resumes and finishes" wait_until 60 inbox_at_least 5000
like "$(cat "$T/kithd.log")" "127.0.0.1: .*connection lost|retrying in" "the lost connection is logged with a retry delay"
stop_kithd
is "$kithd_rc" 0 "SIGTERM: exit 0"

dump() {
	sqlite3 "$1" "SELECT f.name, l.uid, m.message_id, m.date FROM locations l
		JOIN folders f ON f.id = l.folder_id JOIN messages m ON m.id = l.message ORDER BY 1, 2"
}
write_config "$T/config2"
sed -i "s|$T/kith.db|$T/fresh.db|" "$T/config2"
/usr/bin/time -f "%M" -o "$T/rss" "$KITHD" -c "$T/config2" --once --no-notify 2>"$T/once.log"
is "$?" 0 "an uninterrupted --once sync of 5,020 messages exits 0"
rss=$(tail -1 "$T/rss")
diag "peak RSS of --once: $rss KB"
if nm -D "$KITHD" 2>/dev/null | grep -q __asan_init; then
	pass "memory stays flat # SKIP sanitizers inflate the RSS"
else
	ok "memory stays flat (peak RSS under 64 MB)" test "$rss" -lt 65536
fi
if [ "$(dump "$T/kith.db")" = "$(dump "$T/fresh.db")" ]; then
	pass "the resumed store equals the uninterrupted one"
else
	fail "the resumed store equals the uninterrupted one" \
		"$(diff <(dump "$T/kith.db") <(dump "$T/fresh.db") | head -5)"
fi
is "$(sql "SELECT count(*) FROM messages")" 5020 "every message stored once"

# SIGTERM in the middle of a sync.
write_config "$T/config3"
sed -i "s|$T/kith.db|$T/term.db|" "$T/config3"
start_kithd -c "$T/config3" --no-notify
term_inbox() { [ "$(sqlite3 "$T/term.db" "SELECT count(*) FROM locations l JOIN folders f ON f.id = l.folder_id WHERE f.name = 'INBOX'" 2>/dev/null)" -ge 500 ] 2>/dev/null; }
ok "a new sync is under way" wait_until 30 term_inbox
stop_kithd
is "$kithd_rc" 0 "SIGTERM in the middle of a sync exits 0"
ok "and leaves a consistent store" consistent "$T/term.db"
is "$(sqlite3 "$T/term.db" "SELECT value FROM meta WHERE key = 'daemon.state'")" stopped "the state says stopped"

# kill -9 in the middle of a sync searched in windows of 700 UIDs.
write_config "$T/config4"
sed -i "s|$T/kith.db|$T/kill.db|" "$T/config4"
KITHD_SEARCH_WINDOW=700 "$KITHD" -c "$T/config4" --once --no-notify 2>"$T/kill.log" &
kill_pid=$!
kill_inbox() { [ "$(sqlite3 "$T/kill.db" "SELECT count(*) FROM locations l JOIN folders f ON f.id = l.folder_id WHERE f.name = 'INBOX'" 2>/dev/null)" -ge 1500 ] 2>/dev/null; }
ok "a windowed sync is under way" wait_until 30 kill_inbox
kill -9 "$kill_pid"
wait "$kill_pid" 2>/dev/null
ok "kill -9 leaves the sync point matching the locations" consistent "$T/kill.db"
KITHD_SEARCH_WINDOW=700 "$KITHD" -c "$T/config4" --once --no-notify 2>>"$T/kill.log"
is "$?" 0 "the next --once finishes the sync"
if [ "$(dump "$T/kill.db")" = "$(dump "$T/fresh.db")" ]; then
	pass "the store after kill -9 equals the uninterrupted one"
else
	fail "the store after kill -9 equals the uninterrupted one" \
		"$(diff <(dump "$T/kill.db") <(dump "$T/fresh.db") | head -5)"
fi
is "$(sqlite3 "$T/kill.db" "SELECT count(*) FROM messages")" 5020 "every message stored once after kill -9"

done_testing
