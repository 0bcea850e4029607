#!/usr/bin/env bash
# A Gmail-like server whose "All Mail" folder (SPECIAL-USE \All) holds every
# message: `kithd --once` reads All Mail and Sent, not INBOX again; every
# message is stored once; and the user's other address is still learned from
# Sent (3 messages from it).
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"

fill "$T/dc" test INBOX 6 in
fill "$T/dc" test Sent 4 sent "Me <alias@example.org>" "Bob Example <bob@example.org>"
# All Mail: copies of everything (same Message-IDs).
fill "$T/dc" test "All Mail" 6 in
fill "$T/dc" test "All Mail" 4 sent "Me <alias@example.org>" "Bob Example <bob@example.org>"
export DOVECOT_EXTRA_MAILBOXES='  mailbox "All Mail" {
    special_use = \All
    auto = subscribe
  }'
dovecot_test_start "$T/dc"
write_config "$T/config"

run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 0 "--once exits 0" || diag "$err"
is "$(sql "SELECT group_concat(name || '=' || role, ' ') FROM (SELECT name, role FROM folders ORDER BY name)")" \
	"All Mail=all Sent=sent" "All Mail and Sent are read, INBOX is not read again"
is "$(sql "SELECT count(*) FROM messages")" 10 "every message is stored once"
is "$(folder_count 'All Mail')" 10 "All Mail: 10 messages located"
is "$(sql "SELECT addr FROM me_learned")" "alias@example.org" "the user's other address is learned from Sent"
done_testing
