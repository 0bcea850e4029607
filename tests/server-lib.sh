# tests/server-lib.sh - one interface to the three IMAP servers kith is
# tested against: Dovecot 2.3, Cyrus IMAP 3.6 and Courier-IMAP 5.0, each a
# throwaway server on loopback (scripts/*-env.sh; tests/README.md).
# Sourced after tests/test-kithd-lib.sh, with KITH_SERVER set to dovecot,
# cyrus or courier.  Defines srv_* functions and, after srv_start, SRV_DIR,
# SRV_IMAP_PORT, SRV_IMAPS_PORT, SRV_CA, and SRV_SENT, SRV_ARCHIVE (the
# names of the Sent and Archive folders on this server).

. "$KITH_SRCDIR/scripts/cyrus-env.sh"
. "$KITH_SRCDIR/scripts/courier-env.sh"

case ${KITH_SERVER:-} in
dovecot) SRV_SENT=Sent SRV_ARCHIVE=Archive ;;
cyrus) SRV_SENT=Sent SRV_ARCHIVE=Archive ;;
courier) SRV_SENT=INBOX.Sent SRV_ARCHIVE=INBOX.Archive ;;
*) bail "KITH_SERVER must be dovecot, cyrus or courier, not '${KITH_SERVER:-}'" ;;
esac

# srv_available: the server can run here (Cyrus and Courier need
# scripts/setup; Courier needs root for its mount namespace).
srv_available() {
	case $KITH_SERVER in
	dovecot) command -v dovecot >/dev/null ;;
	cyrus) cyrus_available ;;
	courier) courier_available ;;
	esac
}

# srv_start DIR [MAILDIR]: start the server in DIR serving MAILDIR (a
# Maildir with .Sent and .Archive, as gen-mailbox and fill write them), or
# an empty mailbox.  Stopped at exit.
srv_start() {
	local d=$1 m=${2:-}
	mkdir -p "$d/mail/test"
	case $KITH_SERVER in
	dovecot)
		[ -z "$m" ] || [ "$m" = "$d/mail/test/Maildir" ] || cp -a "$m" "$d/mail/test/Maildir"
		dovecot_start "$d" || bail "cannot start dovecot in $d"
		at_exit "dovecot_stop '$d'"
		SRV_IMAP_PORT=$DOVECOT_IMAP_PORT SRV_IMAPS_PORT=$DOVECOT_IMAPS_PORT SRV_CA=$DOVECOT_CA
		;;
	cyrus)
		cyrus_start "$d" || bail "cannot start cyrus in $d"
		at_exit "cyrus_stop '$d'"
		if [ -n "$m" ]; then
			cyrus_fill "$d" "$m" 2>/dev/null || bail "cannot fill cyrus from $m"
		fi
		SRV_IMAP_PORT=$CYRUS_IMAP_PORT SRV_IMAPS_PORT=$CYRUS_IMAPS_PORT SRV_CA=$CYRUS_CA
		;;
	courier)
		[ -z "$m" ] || [ "$m" = "$d/mail/test/Maildir" ] || cp -a "$m" "$d/mail/test/Maildir"
		courier_start "$d" || bail "cannot start courier in $d"
		at_exit "courier_stop '$d'"
		SRV_IMAP_PORT=$COURIER_IMAP_PORT SRV_IMAPS_PORT=$COURIER_IMAPS_PORT SRV_CA=$COURIER_CA
		;;
	esac
	SRV_DIR=$d
}

# srv_restart: stop the server and start it again on the same ports, as
# a server's restart does to its clients.
srv_restart() {
	case $KITH_SERVER in
	dovecot)
		local pid
		pid=$(cat "$SRV_DIR/run/master.pid")
		dovecot_stop "$SRV_DIR"
		wait_until 5 not alive "$pid"	# its ports are free once it is gone
		dovecot_start "$SRV_DIR"
		;;
	cyrus) cyrus_stop "$SRV_DIR" && cyrus_start "$SRV_DIR" ;;
	courier) courier_stop "$SRV_DIR" && courier_start "$SRV_DIR" ;;
	esac
}

# srv_deliver FOLDER < MESSAGE: new mail in FOLDER (INBOX, $SRV_SENT...).
srv_deliver() {
	case $KITH_SERVER in
	dovecot) doveadm_ "$SRV_DIR" save -u test -m "$1" ;;
	cyrus) cyrus_deliver "$SRV_DIR" "$1" ;;
	courier) courier_deliver "$SRV_DIR" "$1" ;;
	esac
}

# srv_open_rw: open every folder read-write once, as any mail client does
# (Courier keeps a folder's UIDVALIDITY only from then on).
srv_open_rw() {
	python3 - "$SRV_IMAPS_PORT" "$SRV_CA" <<'PY'
import imaplib, re, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
with imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]), ssl_context=ctx) as imap:
    imap.login("test", "secret")
    for line in imap.list()[1]:
        name = re.search(rb'"([^"]*)"$|(\S+)$', line)
        name = (name.group(1) or name.group(2)).decode()
        imap.select('"%s"' % name)
        imap.close()
PY
}

# srv_plain_list: the answer to a plain LIST "" "*", one folder a line.
srv_plain_list() {
	python3 - "$SRV_IMAPS_PORT" "$SRV_CA" <<'PY'
import imaplib, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
with imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]), ssl_context=ctx) as imap:
    imap.login("test", "secret")
    for line in imap.list()[1]:
        print(line.decode())
PY
}
