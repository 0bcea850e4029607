#!/usr/bin/env bash
# Given a folder kithd has read, when it is renamed on the server (and the
# configuration follows), or left out with `exclude`, the next sync drops
# the old folder's row, role and locations from the store and from
# `kith status`; its messages stay known.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"

fill "$T/dc" test INBOX 3 in
fill "$T/dc" test Projects 2 proj
dovecot_add_user "$T/dc" test secret
dovecot_test_start "$T/dc"

write_config "$T/config" "folders = INBOX, Projects"
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 0 "the first sync exits 0"
is "$(folder_count Projects)" 2 "Projects is read, with its 2 messages"

doveadm_ "$T/dc" mailbox rename -u test Projects Clients
write_config "$T/config" "folders = INBOX, Clients"
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 0 "the sync after the rename exits 0"
like "$err" "1 folder no longer read .*: forgotten" "the log says a folder was forgotten"
is "$(sql "SELECT group_concat(name, ' ') FROM (SELECT name FROM folders ORDER BY name)")" "Clients INBOX" \
	"the Projects row is gone"
is "$(folder_count Clients)" 2 "the renamed folder holds the 2 messages"
is "$(sql "SELECT count(*) FROM locations")" 5 "no location of the old name is left"
is "$(sql "SELECT count(*) FROM messages")" 5 "no message was lost or counted twice"
run "$KITH_BUILDDIR/cli/kith" -c "$T/config" --json status
unlike "$out" '"Projects"' "kith status no longer lists Projects"

# Auto mode reads INBOX, Sent and Archive; excluding Archive forgets it.
fill "$T/dc" test Archive 1 arch
write_config "$T/config"
run "$KITHD" -c "$T/config" --once --no-notify
is "$(sql "SELECT role FROM folders WHERE name = 'Archive'")" archive "Archive is read as the archive"
write_config "$T/config" "exclude = Archive"
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 0 "the sync with Archive excluded exits 0"
is "$(sql "SELECT count(*) FROM folders WHERE name = 'Archive'")" 0 "the excluded Archive's row is gone"

done_testing
