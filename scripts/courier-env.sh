# scripts/courier-env.sh - a throwaway Courier-IMAP 5.0 on loopback, for the
# tests, from Debian's own packages unpacked by scripts/setup (it conflicts
# with dovecot-imapd, so it is not installed).  Sourced; defines courier_*
# functions and, after courier_start, COURIER_DIR, COURIER_IMAP_PORT
# (STARTTLS offered), COURIER_IMAPS_PORT and COURIER_CA.  Serves user
# "test", password "secret", from DIR/mail/test/Maildir: a Maildir++, its
# folders ".Sent", ".Archive" seen as INBOX.Sent, INBOX.Archive.
#
# Courier's login library talks to authdaemond through a socket whose path
# is compiled in (/run/courier/authdaemon/socket); authdaemond reads
# /etc/courier/authdaemonrc and loads its modules from
# /usr/lib/courier-authlib; couriertls must find a user "courier".  So the
# server runs in a private mount namespace (unshare -m, hence root) where
# /etc and /usr are overlays of the real ones with this server's files on
# top, and /run is its own tmpfs.  Nothing outside the namespace changes.

_kith_env_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$_kith_env_dir/dovecot-env.sh"

KITH_TEST_SERVERS=${KITH_TEST_SERVERS:-/var/cache/kith-test-servers}
COURIER_ROOT=$KITH_TEST_SERVERS/root

# courier_available: the unpacked server is there and can be run (as root).
courier_available() {
	[ -x "$COURIER_ROOT/usr/bin/imapd" ] && [ -x "$COURIER_ROOT/usr/lib/courier/courier/imaplogin" ] &&
		[ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null
}

# courier_maildir DIR: an empty Maildir++ for the test user, with the
# folders a mail client makes (Courier has no special-use flags).
courier_maildir() {
	local m=$1/mail/test/Maildir f
	for f in "" .Sent .Archive .Drafts .Trash .Junk; do
		mkdir -p "$m/$f/cur" "$m/$f/new" "$m/$f/tmp"
		[ -z "$f" ] || touch "$m/$f/maildirfolder"
	done
}

# courier_start DIR: start the server on DIR/mail/test/Maildir (made empty,
# with its folders, when missing).  IMAP_IDLE_TIMEOUT keeps Courier's
# default: under IDLE it looks for new mail once a minute.
courier_start() {
	local d=$1 owner uid gid r=$COURIER_ROOT imapenv
	d=$(mkdir -p "$d" && cd "$d" && pwd)
	COURIER_DIR=$d
	courier_available || { echo "courier: not unpacked in $r (run scripts/setup), or not root" >&2; return 1; }
	[ -d "$d/mail/test/Maildir/cur" ] || courier_maildir "$d"
	for f in .Drafts .Trash .Junk; do
		mkdir -p "$d/mail/test/Maildir/$f/cur" "$d/mail/test/Maildir/$f/new" "$d/mail/test/Maildir/$f/tmp"
	done
	mkdir -p "$d/etc/courier" "$d/ssl" "$d/run"
	if [ ! -f "$d/ssl/server.pem" ]; then
		dovecot_cert "$d/ssl" DNS:localhost IP:127.0.0.1
		cat "$d/ssl/key.pem" "$d/ssl/cert.pem" >"$d/ssl/server.pem"
		chmod 600 "$d/ssl/server.pem"
	fi
	COURIER_CA=$d/ssl/cert.pem
	if [ -f "$d/ports" ]; then
		read -r COURIER_IMAP_PORT COURIER_IMAPS_PORT <"$d/ports"
	else
		COURIER_IMAP_PORT=$(dovecot_free_port)
		COURIER_IMAPS_PORT=$(dovecot_free_port)
		echo "$COURIER_IMAP_PORT $COURIER_IMAPS_PORT" >"$d/ports"
	fi
	owner=nobody
	uid=$(id -u "$owner")
	gid=$(id -g "$owner")
	# /etc inside the namespace: the real one plus these files.
	cat >"$d/etc/courier/authdaemonrc" <<CONF
authmodulelist="authuserdb"
daemons=1
authdaemonvar=/run/courier/authdaemon
DEBUG_LOGIN=0
DEFAULTOPTIONS=""
LOGGEROPTS=""
CONF
	printf 'test\tuid=%s|gid=%s|home=%s|mail=%s|systempw=%s\n' "$uid" "$gid" "$d/mail/test" \
		"$d/mail/test/Maildir" "$(openssl passwd -1 secret)" >"$d/etc/courier/userdb"
	chmod 600 "$d/etc/courier/userdb"
	{ grep -v '^courier:' /etc/passwd; echo "courier:x:$uid:$gid:Courier:/nonexistent:/usr/sbin/nologin"; } >"$d/etc/passwd"
	{ grep -v '^courier:' /etc/group; echo "courier:x:$gid:"; } >"$d/etc/group"
	# couriertls runs as "courier" for STARTTLS: the key must be its own.
	chown -R "$owner:$(id -gn "$owner")" "$d/mail" "$d/ssl/server.pem"
	dovecot_fix_perms "$d"
	# Courier-IMAP's settings come from the environment (/etc/courier/imapd).
	imapenv="PATH=/usr/bin:/bin:/usr/sbin:/sbin MAILDIRPATH=Maildir
IMAP_CAPABILITY='IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE'
IMAP_CAPABILITY_TLS='IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE AUTH=PLAIN'
IMAP_IDLE_TIMEOUT=60 IMAP_KEYWORDS=1 IMAP_ACL=1 IMAP_UMASK=022 IMAP_USELOCKS=1
IMAP_TRASHFOLDERNAME=Trash IMAP_MOVE_EXPUNGE_TO_TRASH=0 IMAP_TLS_REQUIRED=0
COURIERTLS=/usr/bin/couriertls TLS_CERTFILE=$d/ssl/server.pem TLS_VERIFYPEER=NONE"
	cat >"$d/start.sh" <<SH
set -e
mount -t overlay overlay -o lowerdir=$d/etc:/etc /etc
mount -t overlay overlay -o lowerdir=$r/usr:/usr /usr
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/courier/authdaemon
/usr/sbin/makeuserdb -f $d/etc/courier/userdb
/usr/sbin/courierlogger -pid=$d/run/authdaemond.pid -start /usr/lib/courier/courier-authlib/authdaemond
env -i $(echo "$imapenv" | tr '\n' ' ') IMAP_STARTTLS=YES \\
	/usr/sbin/courierlogger -pid=$d/run/imapd.pid -start -name=imapd \\
	/usr/sbin/couriertcpd -address=127.0.0.1 -nodnslookup -noidentlookup -maxprocs=40 -maxperip=40 \\
	$COURIER_IMAP_PORT /usr/lib/courier/courier/imaplogin /usr/bin/imapd Maildir
env -i $(echo "$imapenv" | tr '\n' ' ') IMAP_TLS=1 \\
	/usr/sbin/courierlogger -pid=$d/run/imapd-ssl.pid -start -name=imapd-ssl \\
	/usr/sbin/couriertcpd -address=127.0.0.1 -nodnslookup -noidentlookup -maxprocs=40 -maxperip=40 \\
	$COURIER_IMAPS_PORT /usr/bin/couriertls -server -tcpd /usr/lib/courier/courier/imaplogin /usr/bin/imapd Maildir
SH
	unshare -m --propagation private sh "$d/start.sh" >"$d/start.log" 2>&1 || {
		echo "courier did not start; see $d/start.log" >&2
		return 1
	}
	if ! imap_wait_greeting "$COURIER_IMAP_PORT"; then
		echo "courier did not answer; see $d/start.log" >&2
		return 1
	fi
}


# courier_deliver DIR FOLDER < MESSAGE: a new message in FOLDER ("INBOX",
# "INBOX.Sent"...), written as a delivery agent does: into tmp/, then
# renamed into new/.
courier_deliver() {
	local d=$1 folder=$2 m name
	m=$d/mail/test/Maildir
	[ "$folder" = INBOX ] || m=$m/.${folder#INBOX.}
	name=$(date +%s).$$_$RANDOM.kith-test
	cat >"$m/tmp/$name"
	chown nobody:"$(id -gn nobody)" "$m/tmp/$name"
	mv "$m/tmp/$name" "$m/new/$name"
}

# courier_stop DIR: stop the server (its loggers stop what they started).
courier_stop() {
	local f
	for f in imapd imapd-ssl authdaemond; do
		imap_stop_pidfile "$1/run/$f.pid"
	done
}
