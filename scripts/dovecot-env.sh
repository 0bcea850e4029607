# scripts/dovecot-env.sh - a throwaway Dovecot on loopback, for the demo, the
# tests and the benchmarks.  Sourced; defines dovecot_* functions and, after
# dovecot_start, DOVECOT_DIR, DOVECOT_CONF, DOVECOT_IMAP_PORT,
# DOVECOT_IMAPS_PORT and DOVECOT_CA (the certificate to trust).

dovecot_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The user mail belongs to: Dovecot refuses UID 0, so as root it is nobody.
dovecot_mail_owner() {
	if [ "$(id -u)" -eq 0 ]; then echo nobody; else id -un; fi
}

# dovecot_cert DIR NAME...: a self-signed certificate whose SANs are NAME...
# ("DNS:localhost", "IP:127.0.0.1"), as DIR/cert.pem and DIR/key.pem.
dovecot_cert() {
	local dir=$1
	shift
	local san
	san=$(IFS=,; echo "$*")
	mkdir -p "$dir"
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=${1#*:}" \
		-addext "subjectAltName=$san" \
		-keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1
}

# dovecot_add_user DIR NAME PASSWORD: a user with mail in DIR/mail/NAME/Maildir.
dovecot_add_user() {
	local d=$1 name=$2 pass=$3 owner uid gid
	owner=$(dovecot_mail_owner)
	uid=$(id -u "$owner")
	gid=$(id -g "$owner")
	mkdir -p "$d/mail/$name/Maildir/cur" "$d/mail/$name/Maildir/new" "$d/mail/$name/Maildir/tmp"
	grep -q "^$name:" "$d/users" 2>/dev/null ||
		echo "$name:{PLAIN}$pass:$uid:$gid::$d/mail/$name::" >>"$d/users"
	dovecot_fix_perms "$d"
}

# Dovecot's mail processes run as the mail owner: every directory above the
# maildir must be traversable by it, and the mail must be its own.
dovecot_fix_perms() {
	local d=$1 p owner
	owner=$(dovecot_mail_owner)
	p=$d
	while [ "$p" != / ] && [ -n "$p" ]; do
		chmod o+x "$p" 2>/dev/null || true
		p=$(dirname "$p")
	done
	[ -d "$d/mail" ] && chown -R "$owner:$(id -gn "$owner")" "$d/mail"
	chmod 755 "$d" "$d/mail" 2>/dev/null || true
}

# dovecot_start DIR: write DIR/dovecot.conf and start the server.
# $DOVECOT_EXTRA_MAILBOXES, when set, is added to the namespace as it is
# (mailbox blocks, e.g. one with special_use = \All); $DOVECOT_EXTRA_CONF,
# when set, at the end of the configuration (e.g. a service's vsz_limit).
dovecot_start() {
	local d=$1 i
	d=$(mkdir -p "$d" && cd "$d" && pwd)
	DOVECOT_DIR=$d
	DOVECOT_CONF=$d/dovecot.conf
	mkdir -p "$d/run" "$d/state" "$d/ssl"
	[ -f "$d/ssl/cert.pem" ] || dovecot_cert "$d/ssl" DNS:localhost IP:127.0.0.1
	DOVECOT_CA=$d/ssl/cert.pem
	[ -f "$d/users" ] || dovecot_add_user "$d" test secret
	dovecot_fix_perms "$d"
	if [ -f "$d/ports" ]; then
		read -r DOVECOT_IMAP_PORT DOVECOT_IMAPS_PORT <"$d/ports"
	else
		DOVECOT_IMAP_PORT=$(dovecot_free_port)
		DOVECOT_IMAPS_PORT=$(dovecot_free_port)
		echo "$DOVECOT_IMAP_PORT $DOVECOT_IMAPS_PORT" >"$d/ports"
	fi
	local login_user
	login_user=$(dovecot_mail_owner)
	cat >"$DOVECOT_CONF" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $d/run
state_dir = $d/state
instance_name = kith-test-$DOVECOT_IMAP_PORT
log_path = $d/dovecot.log
default_internal_user = $(id -un)
default_internal_group = $(id -gn)
default_login_user = $login_user
first_valid_uid = 1
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $DOVECOT_IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $DOVECOT_IMAPS_PORT
    ssl = yes
  }
}
service auth-worker {
  user = \$default_internal_user
}
ssl = yes
ssl_cert = <$d/ssl/cert.pem
ssl_key = <$d/ssl/key.pem
auth_mechanisms = plain login
auth_verbose = yes
disable_plaintext_auth = no
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $d/users
}
mail_location = maildir:~/Maildir
mail_fsync = never
mailbox_idle_check_interval = 1 secs
namespace inbox {
  inbox = yes
  separator = /
  prefix =
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = create
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = create
  }
${DOVECOT_EXTRA_MAILBOXES:-}
}
${DOVECOT_EXTRA_CONF:-}
CONF
	rm -f "$d/run/master.pid"
	dovecot -c "$DOVECOT_CONF" || return 1
	imap_wait_greeting "$DOVECOT_IMAP_PORT" && return 0
	echo "dovecot did not start; see $d/dovecot.log" >&2
	return 1
}

# imap_wait_greeting PORT: wait up to 5 s for "* OK" on 127.0.0.1:PORT
# (a port without TLS: the greeting must be readable).
imap_wait_greeting() {
	local i
	for i in $(seq 1 100); do
		if python3 - "$1" <<'PY' 2>/dev/null; then return 0; fi
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
assert s.recv(100).startswith(b"* OK")
PY
		sleep 0.05
	done
	return 1
}

# imap_stop_pidfile FILE: TERM the process FILE names, wait up to 5 s for it
# to be gone, and remove FILE (a missing FILE is nothing to stop).
imap_stop_pidfile() {
	local pid i
	[ -f "$1" ] || return 0
	pid=$(cat "$1")
	kill -s TERM "$pid" 2>/dev/null || true
	for i in $(seq 1 100); do
		case $(ps -o stat= -p "$pid" 2>/dev/null) in
		'' | Z*) break ;;
		esac
		sleep 0.05
	done
	rm -f "$1"
}

# dovecot_stop DIR: stop the server, and every process it started.
dovecot_stop() {
	local d=$1 pid pgid
	[ -f "$d/run/master.pid" ] || return 0
	pid=$(cat "$d/run/master.pid")
	pgid=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')
	if [ -n "$pgid" ]; then
		kill -s TERM -- "-$pgid" 2>/dev/null || kill "$pid" 2>/dev/null
	fi
	rm -f "$d/run/master.pid"
}

# dovecot_crash DIR: kill the whole server at once, as a crash would.
dovecot_crash() {
	local d=$1 pid pgid
	pid=$(cat "$d/run/master.pid")
	pgid=$(ps -o pgid= -p "$pid" | tr -d ' ')
	kill -s KILL -- "-$pgid"
	rm -f "$d/run/master.pid"
}

# doveadm_ DIR ARGS...: doveadm against this server.
doveadm_() {
	local d=$1
	shift
	doveadm -c "$d/dovecot.conf" "$@"
}
