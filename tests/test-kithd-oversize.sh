#!/usr/bin/env bash
# Given a real server with a message whose header fields run to 5 MB (a
# To: line of 300,000 addresses) between two ordinary ones, `kithd --once`
# asks for no more header than it keeps (what comes after is lost), stores
# all three and exits 0.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"

fill "$T/dc" test INBOX 2 small
python3 - "$(maildir "$T/dc" test INBOX)" <<'PY'
import sys
d = sys.argv[1]
with open("%s/cur/1700000001.big-000001.kith:2,S" % d, "w") as f:
    f.write("From: Ana <ana@example.org>\nMessage-ID: <big@test>\nTo: " +
            ", ".join("r%d@example.org" % i for i in range(300000)) +
            "\nSubject: everyone\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n"
            "\nhi\n")
PY
dovecot_fix_perms "$T/dc"
dovecot_add_user "$T/dc" test secret
dovecot_test_start "$T/dc"
write_config "$T/config"

/usr/bin/time -f "%M" -o "$T/rss" "$KITHD" -c "$T/config" --once --no-notify 2>"$T/err" && rc=0 || rc=$?
diag "exit $rc, peak RSS $(tail -1 "$T/rss") KB"
is "$rc" 0 "--once exits 0"
is "$(folder_count INBOX)" 3 "all three messages are stored, the big one included"
is "$(sql "SELECT count(*) FROM messages WHERE message_id = 'big@test'")" 1 "the big one is known by its Message-ID"
is "$(sql "SELECT header_len FROM messages WHERE message_id = 'big@test'")" 262144 \
	"only the first 256 KB of its header fields were fetched"
unlike "$(cat "$T/err")" "literal over" "no literal was refused"

done_testing
