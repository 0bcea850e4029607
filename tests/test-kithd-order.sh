#!/usr/bin/env bash
# kithd as a daemon, mail arriving in the wrong order: given an answer that
# IDLE brings to INBOX before the user's question is read from Sent, when
# the question arrives, the answer becomes a person's reply; given the
# user's posts to a list read before any of the list's mail, when the
# list's mail arrives, its address stops being a person.  Then
# `kith rebuild` changes nothing.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"

fill "$T/dc" test INBOX 2 in
fill "$T/dc" test Sent 1 sent "Me <test@example.org>" "Bob Example <bob@example.org>"
dovecot_test_start "$T/dc"
write_config "$T/config" "poll_interval = 2s"

# mail FROM TO SUBJECT MSGID DATE [HEADER...]: one message for doveadm save.
mail() {
	local from=$1 to=$2 subject=$3 id=$4 date=$5 h
	shift 5
	printf 'From: %s\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: <%s>\n' "$from" "$to" "$subject" "$date" "$id"
	for h in "$@"; do printf '%s\n' "$h"; done
	printf '\nhello\n'
}
class_of() { sql "SELECT class || ' ' || rule FROM messages WHERE message_id = '$1'"; }
class_is() { [ "$(class_of "$1")" = "$2" ]; }

start_kithd -c "$T/config" --no-notify -v
ok "kithd waits with IDLE" wait_until 10 grep -q "INBOX: waiting with IDLE" "$T/kithd.log"

# Carol's answer comes first; her server marks all its mail bulk.
mail "Carol <carol@example.org>" "test@example.org" "Re: Budget" "c1@example.org" \
	"Tue, 3 Mar 2026 10:00:00 +0000" "In-Reply-To: <q1@example.org>" "Precedence: bulk" |
	doveadm_ "$T/dc" save -u test -m INBOX
ok "the answer is stored, and without the question it is bulk" \
	wait_until 5 class_is c1@example.org "bulk precedence-bulk"
mail "Me <test@example.org>" "Carol <carol@example.org>" "Budget" "q1@example.org" \
	"Tue, 3 Mar 2026 09:00:00 +0000" | doveadm_ "$T/dc" save -u test -m Sent
if wait_until 6 class_is c1@example.org "reply-human reply-to-user"; then
	pass "once the question is read from Sent, the answer is a person's reply"
else
	fail "once the question is read from Sent, the answer is a person's reply" \
		"got: $(class_of c1@example.org)" "$(tail -3 "$T/kithd.log")"
fi

# The user posts to a list on two days; the list's own mail comes later.
for d in 4 5; do
	mail "Me <test@example.org>" "dev@lists.example.org" "Patch $d" "p$d@example.org" \
		"Wed, $d Mar 2026 09:00:00 +0000" | doveadm_ "$T/dc" save -u test -m Sent
done
is_person() { [ "$(sql "SELECT count(*) FROM addresses WHERE addr = '$1'")" = 1 ]; }
ok "before any of its mail, the list's address is taken for a person" \
	wait_until 6 is_person dev@lists.example.org
mail "Dan <dan@example.org>" "dev@lists.example.org" "Re: Patch 4" "d1@example.org" \
	"Thu, 5 Mar 2026 09:00:00 +0000" "Cc: test@example.org" "List-Id: Dev <dev.lists.example.org>" \
	"List-Post: <mailto:dev@lists.example.org>" | doveadm_ "$T/dc" save -u test -m INBOX
ok "once the list's mail arrives, its address is no person" wait_until 5 not is_person dev@lists.example.org
is "$(class_of p4@example.org)" "self post-to-list" "the user's mail to it is a list post"

stop_kithd
is "$kithd_rc" 0 "kithd exits 0"
sql "SELECT message_id, class, rule FROM messages ORDER BY message_id" >"$T/before"
run kith -c "$T/config" rebuild
is "$rc" 0 "kith rebuild" || diag "$err"
sql "SELECT message_id, class, rule FROM messages ORDER BY message_id" >"$T/after"
if cmp -s "$T/before" "$T/after"; then
	pass "kith rebuild decides every message the same"
else
	fail "kith rebuild decides every message the same" "$(diff "$T/before" "$T/after" | head -4)"
fi

done_testing
