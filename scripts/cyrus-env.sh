# scripts/cyrus-env.sh - a throwaway Cyrus IMAP 3.6 on loopback, for the
# tests: the server Fastmail runs, from Debian's own packages unpacked by
# scripts/setup (it conflicts with dovecot-imapd, so it is not installed).
# Sourced; defines cyrus_* functions and, after cyrus_start, CYRUS_DIR,
# CYRUS_IMAP_PORT (STARTTLS offered), CYRUS_IMAPS_PORT and CYRUS_CA (the
# certificate to trust).  Serves user "test", password "secret".
#
# Cyrus needs no fixed system path: every path is in its imapd.conf, the
# programs are started by their full path, and the libraries come from the
# unpacked tree through LD_LIBRARY_PATH.

_kith_env_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$_kith_env_dir/dovecot-env.sh"

KITH_TEST_SERVERS=${KITH_TEST_SERVERS:-/var/cache/kith-test-servers}
CYRUS_ROOT=$KITH_TEST_SERVERS/root

# cyrus_available: the unpacked server is there (scripts/setup puts it there).
cyrus_available() {
	[ -x "$CYRUS_ROOT/usr/lib/cyrus/bin/master" ] && command -v saslpasswd2 >/dev/null
}

# Cyrus syncs every append to disk: 3,400 messages take 27 s on ext4.  A
# throwaway server need not, and libeatmydata (package eatmydata) makes
# fsync a no-op for it: 1.2 s.
_cyrus_env() {
	local preload=
	[ -e /usr/lib/x86_64-linux-gnu/libeatmydata.so.1 ] && preload=/usr/lib/x86_64-linux-gnu/libeatmydata.so.1
	env LD_LIBRARY_PATH="$CYRUS_ROOT/usr/lib/x86_64-linux-gnu" ${preload:+LD_PRELOAD=$preload} "$@"
}


# cyrus_start DIR: write DIR/imapd.conf and DIR/cyrus.conf and start the
# server; on the first start, also the user's folders: INBOX, and Sent,
# Archive, Drafts, Junk and Trash with their special-use flags.
#
# specialusealways is off, as RFC 6154 allows: a plain LIST then carries
# no special-use flags, and only LIST ... RETURN (SPECIAL-USE) shows them.
# IDLE is served by idled, as on Fastmail; without it Cyrus looks for
# changes only every imapidlepoll (60 s by default).
cyrus_start() {
	local d=$1 owner r=$CYRUS_ROOT/usr/lib/cyrus/bin
	d=$(mkdir -p "$d" && cd "$d" && pwd)
	CYRUS_DIR=$d
	cyrus_available || { echo "cyrus: not unpacked in $CYRUS_ROOT; run scripts/setup" >&2; return 1; }
	mkdir -p "$d/lib" "$d/spool" "$d/run" "$d/ssl"
	[ -f "$d/ssl/cert.pem" ] || dovecot_cert "$d/ssl" DNS:localhost IP:127.0.0.1
	CYRUS_CA=$d/ssl/cert.pem
	if [ -f "$d/ports" ]; then
		read -r CYRUS_IMAP_PORT CYRUS_IMAPS_PORT <"$d/ports"
	else
		CYRUS_IMAP_PORT=$(dovecot_free_port)
		CYRUS_IMAPS_PORT=$(dovecot_free_port)
		echo "$CYRUS_IMAP_PORT $CYRUS_IMAPS_PORT" >"$d/ports"
	fi
	owner=$(dovecot_mail_owner)
	cat >"$d/imapd.conf" <<CONF
configdirectory: $d/lib
partition-default: $d/spool
defaultpartition: default
autocreate_quota: 0
cyrus_user: $owner
admins: cyrus
altnamespace: yes
unixhierarchysep: yes
specialusealways: no
munge8bit: no
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $d/sasldb2
sasl_mech_list: PLAIN LOGIN
tls_server_cert: $d/ssl/cert.pem
tls_server_key: $d/ssl/key.pem
idlesocket: $d/lib/socket/idle
lmtpsocket: $d/lib/socket/lmtp
notifysocket: $d/lib/socket/notify
syslog_prefix: kith-test-cyrus
CONF
	cat >"$d/cyrus.conf" <<CONF
START {
  recover cmd="$r/ctl_cyrusdb -C $d/imapd.conf -r"
  idled cmd="$r/idled -C $d/imapd.conf"
}
SERVICES {
  imap cmd="$r/imapd -C $d/imapd.conf" listen="127.0.0.1:$CYRUS_IMAP_PORT" prefork=0
  imaps cmd="$r/imapd -s -C $d/imapd.conf" listen="127.0.0.1:$CYRUS_IMAPS_PORT" prefork=0
}
EVENTS {
}
CONF
	[ -f "$d/sasldb2" ] || echo secret | saslpasswd2 -p -f "$d/sasldb2" -c test
	mkdir -p "$d/lib/socket"
	chown -R "$owner:$(id -gn "$owner")" "$d/lib" "$d/spool" "$d/run" "$d/ssl" "$d/sasldb2"
	dovecot_fix_perms "$d"
	rm -f "$d/run/master.pid"
	_cyrus_env "$r/master" -C "$d/imapd.conf" -M "$d/cyrus.conf" -p "$d/run/master.pid" -d \
		-L "$d/master.log" || return 1
	if ! imap_wait_greeting "$CYRUS_IMAP_PORT"; then
		echo "cyrus did not start; see $d/master.log" >&2
		return 1
	fi
	[ -f "$d/folders-made" ] && return 0
	python3 - "$CYRUS_IMAPS_PORT" "$CYRUS_CA" <<'PY' || return 1
import imaplib, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
with imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]), ssl_context=ctx) as imap:
    imap.login("test", "secret")
    imap.select("INBOX")  # made at the first login, by the time it is selected
    for name in ("Sent", "Archive", "Drafts", "Junk", "Trash"):
        typ, data = imap._simple_command("CREATE", '%s (USE (\\%s))' % (name, name))
        if typ != "OK" and b"exists" not in b" ".join(d for d in data if d).lower():
            sys.exit("cannot create %s: %r" % (name, data))
PY
	touch "$d/folders-made"
}

# cyrus_fill DIR MAILDIR: append a Maildir's messages (INBOX from cur/,
# Sent and Archive from .Sent and .Archive) in file-name order, as Dovecot
# numbers them, each with its file's mtime as INTERNALDATE.
cyrus_fill() {
	python3 "$_kith_env_dir/imap-fill" --port "$CYRUS_IMAPS_PORT" --ca "$CYRUS_CA" \
		--maildir "$2" INBOX=cur Sent=.Sent/cur Archive=.Archive/cur
}

# cyrus_deliver DIR FOLDER < MESSAGE: a new message in FOLDER, now.
cyrus_deliver() {
	python3 "$_kith_env_dir/imap-fill" --port "$CYRUS_IMAPS_PORT" --ca "$CYRUS_CA" --stdin "$2"
}

# cyrus_stop DIR: stop the server and every process it started.
cyrus_stop() {
	imap_stop_pidfile "$1/run/master.pid"
}
