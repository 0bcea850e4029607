#!/usr/bin/env bash
# Given a mailbox with INBOX, Sent, Archive, Junk and Trash, `kithd --once`
# reads exactly INBOX+Sent+Archive, counts a message found in two folders
# once, reads nothing again when nothing changed, survives a UIDVALIDITY
# change without double counting, and syncs two accounts on one server.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"

fill "$T/dc" test INBOX 40 in
fill "$T/dc" test Sent 7 sent "Me <test@example.org>" "Bob Example <bob@example.org>"
# The archive holds copies of five INBOX messages (same Message-IDs).
fill "$T/dc" test Archive 5 in
fill "$T/dc" test Junk 3 junk
fill "$T/dc" test Trash 2 trash
# INBOX mail is unread: reading headers must not mark it \Seen.
for f in "$T/dc/mail/test/Maildir/cur/"*; do mv "$f" "${f%S}"; done
dovecot_add_user "$T/dc" test secret
dovecot_add_user "$T/dc" ana secret2
fill "$T/dc" ana INBOX 4 ana
fill "$T/dc" ana Sent 1 in
dovecot_test_start "$T/dc"
write_config "$T/config"

run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 0 "--once exits 0 when every account synced"
is "$(folder_count INBOX)" 40 "INBOX: 40 messages located"
is "$(folder_count Sent)" 7 "Sent: 7 messages located"
is "$(folder_count Archive)" 5 "Archive: 5 messages located"
is "$(sql "SELECT count(*) FROM folders WHERE name IN ('Junk', 'Trash', 'Drafts')")" 0 \
	"Junk, Trash and Drafts are never read"
is "$(sql "SELECT count(*) FROM messages")" 47 "a message in two folders is one message"
is "$(sql "SELECT group_concat(name || '=' || role, ' ') FROM (SELECT * FROM folders ORDER BY name)")" \
	"Archive=archive INBOX=inbox Sent=sent" "folders carry their roles"
is "$(sql "SELECT last_uid FROM folders WHERE name = 'INBOX'")" 40 "the INBOX sync point is its last UID"
is "$(sql "SELECT last_error IS NULL AND last_sync > 0 FROM accounts WHERE name = 'main'")" 1 \
	"the account's last sync is recorded without error"
is "$(sql "SELECT value FROM meta WHERE key = 'daemon.sync_seq'")" 1 "one sync round recorded"
is "$(sql "SELECT value FROM meta WHERE key = 'daemon.sync_result'")" ok "the round's result is ok"
like "$err" "INBOX: 35 new messages \(5 already known\)|Archive: 5 new messages" "the log says what was read"
is "$(find "$T/dc/mail/test/Maildir/cur" -name '*:2,' | wc -l)" 40 "unread INBOX mail is still unread"

# Nothing changed: nothing is fetched, nothing is stored twice.
run "$KITHD" -c "$T/config" --once --no-notify -v
is "$rc" 0 "a second --once exits 0"
unlike "$err" "messages to fetch|new messages" "a no-change sync fetches nothing"
is "$(sql "SELECT count(*) FROM locations")" 52 "no location was added"

# UIDVALIDITY changes: the folder is read again, nothing counts twice.
doveadm_ "$T/dc" mailbox update -u test --uid-validity 777 INBOX
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 0 "--once after a UIDVALIDITY change exits 0"
like "$err" "UIDVALIDITY changed" "the change is logged"
is "$(sql "SELECT uidvalidity FROM folders WHERE name = 'INBOX'")" 777 "the new UIDVALIDITY is stored"
is "$(folder_count INBOX)" 40 "INBOX still has 40 locations"
is "$(sql "SELECT count(*) FROM messages")" 47 "no message was counted twice"

# A second account on the same server, with its own mail and one shared message
# (its user was created before the server started).
cat >>"$T/config" <<EOF
[account work]
host = localhost
port = $DOVECOT_IMAPS_PORT
ca_file = $DOVECOT_CA
user = ana
password_command = printf 'secret2\\nsecond line ignored\\n'
EOF
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 0 "two accounts on one server: --once exits 0"
is "$(sql "SELECT count(*) FROM accounts WHERE last_error IS NULL")" 2 "both accounts synced"
is "$(sql "SELECT count(*) FROM messages")" 51 "the second account added its 4 new messages"
is "$(sql "SELECT count(*) FROM folders f JOIN accounts a ON a.id = f.account_id WHERE a.name = 'work'")" 3 \
	"the second account has its own INBOX, Sent and Archive"

# Explicit folder lists and exclusions.
write_config "$T/config2" "folders = INBOX, Nope" "exclude = Archive"
sed -i "s|$T/kith.db|$T/other.db|" "$T/config2"
run "$KITHD" -c "$T/config2" --once --no-notify
is "$rc" 1 "a listed folder that does not exist makes --once exit 1"
like "$err" "folder 'Nope' does not exist on 127.0.0.1" "and is named in the error"
is "$(sqlite3 "$T/other.db" "SELECT count(*) FROM locations")" 40 "the folders that exist are still read"

done_testing
