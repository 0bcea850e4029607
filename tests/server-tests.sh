# tests/server-tests.sh - the integration tests every IMAP server must pass,
# sourced by tests/test-server-{dovecot,cyrus,courier}.sh with KITH_SERVER
# set: given a small mailbox (INBOX 10, Sent 3, Archive 4, and Drafts,
# Junk, Trash) on the real server, kithd finds Sent and Archive (by their
# special-use flags where the server has them, else by name) and says what
# it reads and leaves out; syncs over implicit TLS and STARTTLS asking
# CAPABILITY only when no answer carried it; counts nothing twice when the
# server renumbers a folder; resyncs an unchanged mailbox in at most 2
# commands per folder; and stores mail that arrives while it IDLEs.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"
. "$KITH_SRCDIR/tests/server-lib.sh"

srv_available || bail "$KITH_SERVER cannot run here: run scripts/setup (as root)"

m=$T/src/mail/test/Maildir
mkdir -p "$T/src/mail/test"
fill "$T/src" test INBOX 10 in
fill "$T/src" test Sent 3 sent "Me <test@example.org>" "Bob Example <bob@example.org>"
fill "$T/src" test Archive 4 arch
for f in Drafts Junk Trash; do maildir "$T/src" test "$f" >/dev/null; done
srv_start "$T/srv" "$m"
DOVECOT_IMAPS_PORT=$SRV_IMAPS_PORT DOVECOT_CA=$SRV_CA	# write_config's defaults
write_config "$T/config" "port = $SRV_IMAPS_PORT" "ca_file = $SRV_CA"

# Which folders, and why: by flag on Dovecot and Cyrus (Cyrus gives the
# flags only to LIST ... RETURN (SPECIAL-USE)), by name on Courier.
case $KITH_SERVER in
courier) why="by its name" ;;
*) why="by its special-use flag" ;;
esac
if [ "$KITH_SERVER" = cyrus ]; then
	plain=$(srv_plain_list)
	unlike "$plain" '\\(Sent|Archive)' "cyrus: a plain LIST carries no special-use flag" || diag "$plain"
fi
run "$KITHD" -c "$T/config" --check
is "$rc" 0 "kithd --check logs in"
first=$(head -1 <<<"$out")
like "$first" "'INBOX' \\(inbox\\)" "--check: INBOX is read"
like "$first" "'$SRV_SENT' \\(sent, $why\\)" "--check: $SRV_SENT is read as sent, $why"
like "$first" "'$SRV_ARCHIVE' \\(archive, $why\\)" "--check: $SRV_ARCHIVE is read as archive, $why"
left=$(sed -n 2p <<<"$out")
for f in Drafts Junk Trash; do
	like "$left" "leaving out .*'([A-Z]+\\.)?$f' \\(" "--check: $f is left out, with the reason"
done

# First sync, implicit TLS, with the protocol traced.
run "$KITHD" -c "$T/config" --once -vv --no-notify
is "$rc" 0 "first sync over implicit TLS" || diag "$(tail -5 <<<"$err")"
is "$(folder_count INBOX)" 10 "INBOX: 10 messages"
is "$(folder_count "$SRV_SENT")" 3 "$SRV_SENT: 3 messages"
is "$(folder_count "$SRV_ARCHIVE")" 4 "$SRV_ARCHIVE: 4 messages"
is "$(sql "SELECT role FROM folders WHERE name = '$SRV_ARCHIVE'")" archive "$SRV_ARCHIVE has the archive role"
is "$(sql "SELECT count(*) FROM messages")" 17 "17 messages stored"
like "$err" "main: reading .*'$SRV_ARCHIVE' \\(archive, $why\\)" "the log says what is read, and why"
like "$err" "main: leaving out .*Trash' \\(" "and what is left out"
like "$err" "main: reading '$SRV_SENT' .*'INBOX' \\(inbox\\)$" "Sent is read first, INBOX last"
# Over TLS the greeting's capabilities count; the LOGIN answer's too when
# it has them (Dovecot, Cyrus), else kith asks once (Courier).
caps=$(grep -c 'C: [^ ]* CAPABILITY' <<<"$err")
case $KITH_SERVER in courier) want=1 ;; *) want=0 ;; esac
is "$caps" "$want" "implicit TLS: $want CAPABILITY command(s)"
like "$err" "LIST \"\" \"\\*\"" "LIST is sent"
case $KITH_SERVER in
courier) unlike "$err" 'RETURN \(SPECIAL-USE\)' "no RETURN (SPECIAL-USE) where SPECIAL-USE is not offered" ;;
*) like "$err" 'C: [^ ]* LIST "" "\*" RETURN \(SPECIAL-USE\)' "LIST asks RETURN (SPECIAL-USE)" ;;
esac

# A second session.  Courier gives a folder no mail client has opened
# read-write a new UIDVALIDITY in every session: kith reads it again, says
# why, and counts nothing twice.  (The new one is the time in seconds: a
# session in the same second gets the same.)
[ "$KITH_SERVER" = courier ] && sleep 1.1
run "$KITHD" -c "$T/config" --once -v --no-notify
is "$rc" 0 "a second sync"
is "$(sql "SELECT count(*) FROM messages")" 17 "still 17 messages: nothing counted twice"
is "$(sql "SELECT count(*) FROM locations")" 17 "and 17 locations"
if [ "$KITH_SERVER" = courier ]; then
	like "$err" "INBOX: UIDVALIDITY changed .*reading it again.*Courier does this" \
		"courier: the log says why the folder is read again"
	srv_open_rw
	run "$KITHD" -c "$T/config" --once --no-notify	# reads the renumbered folders once more
fi

# Nothing changed: at most 2 commands per folder, no FETCH.
run "$KITHD" -c "$T/config" --once -vv --no-notify
is "$rc" 0 "a sync with no change"
unlike "$err" 'C: [^ ]* UID FETCH' "fetches nothing"
n=$(grep -cE 'C: [^ ]* (EXAMINE|SELECT|STATUS|NOOP|UID SEARCH|SEARCH|FETCH|CHECK)' <<<"$err")
ok "at most 2 commands per folder ($n for 3 folders)" test "$n" -le 6
unlike "$err" "UIDVALIDITY changed" "no folder renumbered"
is "$(sql "SELECT count(*) FROM locations")" 17 "still 17 locations"

# STARTTLS: CAPABILITY asked again under TLS, never trusted from before it.
write_config "$T/config-starttls" "port = $SRV_IMAP_PORT" "tls = starttls" "ca_file = $SRV_CA"
sed -i "s|^database = .*|database = $T/starttls.db|" "$T/config-starttls"
run "$KITHD" -c "$T/config-starttls" --once -vv --no-notify
is "$rc" 0 "first sync over STARTTLS" || diag "$(tail -5 <<<"$err")"
is "$(sqlite3 -batch -noheader "$T/starttls.db" "SELECT count(*) FROM messages")" 17 "STARTTLS: 17 messages"
after=$(sed -n '/C: [^ ]* STARTTLS/,$p' <<<"$err" | grep -c 'C: [^ ]* CAPABILITY')
case $KITH_SERVER in courier) want=2 ;; *) want=1 ;; esac
is "$after" "$want" "STARTTLS: CAPABILITY asked again after it ($want in all)"

# IDLE: mail delivered while kithd waits is stored soon.  Courier reports
# it late under IDLE (once a minute); kith renews IDLE there every 10 s.
case $KITH_SERVER in courier) limit=20 ;; *) limit=5 ;; esac
write_config "$T/config-poll" "port = $SRV_IMAPS_PORT" "ca_file = $SRV_CA" "poll_interval = 2s"
start_kithd -c "$T/config-poll" --no-notify -vv
ok "kithd waits with IDLE" wait_until 10 grep -q "INBOX: waiting with IDLE" "$T/kithd.log"
message "Carol <carol@example.org>" "test@example.org" "fresh" "fresh-1@test" | srv_deliver INBOX
start=$(date +%s.%N)
has_fresh() { [ "$(sql "SELECT count(*) FROM messages WHERE message_id = 'fresh-1@test'")" = 1 ]; }
if wait_until "$limit" has_fresh; then
	pass "mail delivered during IDLE is stored within $limit s"
else
	fail "mail delivered during IDLE is stored within $limit s" "$(tail -5 "$T/kithd.log")"
fi
diag "$KITH_SERVER: stored after $(echo "$(date +%s.%N) - $start" | bc) s"
sleep 2.2	# one poll of the other folders at least
stop_kithd
is "$kithd_rc" 0 "SIGTERM: kithd exits 0"
# The commands, tags dropped: never the same folder examined twice in a row
# (after the first pass, nor around a poll of the other folders).
cmds=$(sed -n 's/^kithd: C: [^ ]* \([A-Z].*\)/\1/p' "$T/kithd.log" | tr -d '\r' | sed 's/ *$//')
twice=$(grep -v '^DONE$' <<<"$cmds" | uniq -d | grep EXAMINE)
is "$twice" "" "no folder examined twice in a row" || diag "$cmds"
like "$cmds" 'STATUS' "the other folders were polled with STATUS"

# The server restarts: kithd comes back, and says which folders it reads
# once, not at every connection.
: >"$T/kithd.log"
start_kithd -c "$T/config" --no-notify
ok "kithd connects as a daemon" wait_until 10 grep -q "main: reading" "$T/kithd.log"
sleep 0.5
srv_restart || bail "cannot restart $KITH_SERVER"
message "Dan <dan@example.org>" "test@example.org" "after restart" "restart-1@test" | srv_deliver INBOX
has_restart() { [ "$(sql "SELECT count(*) FROM messages WHERE message_id = 'restart-1@test'")" = 1 ]; }
ok "after the server's restart kithd reconnects and syncs" wait_until 20 has_restart
is "$(grep -c 'main: reading' "$T/kithd.log")" 1 "the folders read are logged once" || diag "$(cat "$T/kithd.log")"
stop_kithd

# Folders given by name get the role their flags or names give them.
write_config "$T/config-listed" "port = $SRV_IMAPS_PORT" "ca_file = $SRV_CA" "folders = INBOX, $SRV_SENT"
sed -i "s|^database = .*|database = $T/listed.db|" "$T/config-listed"
run "$KITHD" -c "$T/config-listed" --once --no-notify
is "$rc" 0 "folders = INBOX, $SRV_SENT: syncs"
is "$(sqlite3 -batch -noheader "$T/listed.db" "SELECT role FROM folders WHERE name = '$SRV_SENT'")" sent \
	"a listed $SRV_SENT is read as sent"

done_testing
