# tests/lib.sh - shared helpers for kith's shell tests: TAP output, a private
# home per test, a throwaway Dovecot, and the built binaries on PATH.
#
# Source it first thing:  . "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
# Every test gets its own directory $T (removed at exit unless KITH_KEEP=1),
# with HOME and the XDG directories inside it, so nothing touches the user's.

set -u

KITH_SRCDIR=${KITH_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
KITH_BUILDDIR=${KITH_BUILDDIR:-$KITH_SRCDIR}
export KITH_SRCDIR KITH_BUILDDIR
# The Python helpers of the tests (tap.py, maildir.py) for `python3 -` blocks.
export PYTHONPATH="$KITH_SRCDIR/tests${PYTHONPATH:+:$PYTHONPATH}"
PATH="$KITH_BUILDDIR/daemon:$KITH_BUILDDIR/cli:$PATH"
export PATH

# --- TAP ------------------------------------------------------------------
tap_n=0
tap_failed=0

ok() {	# ok DESCRIPTION CMD...: passes when CMD succeeds; returns as CMD did
	local desc=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n - $desc"
	else
		echo "not ok $tap_n - $desc"
		tap_failed=$((tap_failed + 1))
		return 1
	fi
}

not() { ! "$@"; }	# for ok: ok "it stopped" not alive "$pid"

pass() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
fail() {
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	shift
	local line
	for line in "$@"; do echo "#   $line"; done
	return 1
}
diag() { echo "# $*"; }

is() {	# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "got:  '$1'" "want: '$2'"
	fi
}

like() {	# like GOT REGEX DESCRIPTION
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		pass "$3"
	else
		fail "$3" "got:  '$(printf '%s' "$1" | head -c 2000)'" "want: /$2/"
	fi
}

unlike() {	# unlike GOT REGEX DESCRIPTION
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		fail "$3" "got:  '$(printf '%s' "$1" | head -c 2000)'" "must not match: /$2/"
	else
		pass "$3"
	fi
}

# run CMD...: sets $out (stdout), $err (stderr) and $rc, never fails itself.
run() {
	local o e
	o=$(mktemp "$T/out.XXXXXX")
	e=$(mktemp "$T/err.XXXXXX")
	"$@" >"$o" 2>"$e" </dev/null && rc=0 || rc=$?
	out=$(cat "$o")
	err=$(cat "$e")
	rm -f "$o" "$e"
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

bail() { echo "Bail out! $*"; exit 1; }

# --- a private world per test ------------------------------------------------
T=$(mktemp -d "${TMPDIR:-/tmp}/kith-test.XXXXXX")
chmod 755 "$T"
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share" \
	XDG_STATE_HOME="$T/home/.local/state" XDG_RUNTIME_DIR="$T/run"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# pidfile_of DATABASE: the pid file of the kithd on DATABASE (the FNV-1a of
# its path, the directory resolved).
pidfile_of() {
	python3 - "$1" <<'PY'
import os, sys
path = os.path.join(os.path.realpath(os.path.dirname(sys.argv[1])), os.path.basename(sys.argv[1]))
h = 0xcbf29ce484222325
for c in path.encode():
    h = ((h ^ c) * 0x100000001b3) & 0xffffffffffffffff
print("%s/kith/kithd-%016x.pid" % (os.environ["XDG_RUNTIME_DIR"], h))
PY
}
unset KITH_CONFIG KITH_NOW NOTIFY_SOCKET DBUS_SESSION_BUS_ADDRESS DISPLAY JOURNAL_STREAM
export NO_COLOR=1 TZ=UTC LC_ALL=C.UTF-8

cleanup_hooks=()
at_exit() { cleanup_hooks+=("$*"); }
run_cleanup() {
	local i
	for ((i = ${#cleanup_hooks[@]} - 1; i >= 0; i--)); do
		eval "${cleanup_hooks[$i]}" >/dev/null 2>&1 || true
	done
	if [ "${KITH_KEEP:-0}" = 1 ]; then
		echo "# kept $T" >&2
	else
		rm -rf "$T"
	fi
}
trap run_cleanup EXIT

# A free TCP port on loopback.
free_port() {
	python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

# alive PID: the process exists and is not a zombie (in containers nobody
# may reap a daemon that detached).
alive() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case $st in Z*|"") return 1 ;; esac
}

# --- Dovecot ----------------------------------------------------------------
# dovecot_start DIR: a throwaway Dovecot serving user "test" (password
# "secret") from DIR/mail/test/Maildir over IMAP (port $DOVECOT_IMAP_PORT,
# STARTTLS offered) and IMAPS ($DOVECOT_IMAPS_PORT), with a self-signed
# certificate for localhost/127.0.0.1 in DIR/ssl/cert.pem.  Extra users:
# dovecot_add_user DIR NAME PASSWORD before or after starting.
. "$KITH_SRCDIR/scripts/dovecot-env.sh"

dovecot_test_start() {
	local d=${1:-$T/dovecot}
	dovecot_start "$d" || bail "cannot start dovecot in $d"
	at_exit "dovecot_stop '$d'"
}

# fold_tap FILE: count the TAP lines another program wrote to FILE (a
# checker in python, say) as this test's own, renumbered.
fold_tap() {
	local line
	while read -r line; do
		case $line in
		"ok "*) pass "${line#ok * - }" ;;
		"not ok "*) fail "${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$1"
}

# demo_sync: the demo mailbox (scripts/gen-mailbox, "now" fixed at
# $DEMO_NOW) served by a real Dovecot and synced once by kithd.  Leaves
# the generator's manifest in $T/manifest.json and a config in $T/config
# whose [kith] and [account demo] sections come first; more sections
# (circles, goals) are read from stdin.  KITH_NOW is set to $DEMO_NOW.
DEMO_NOW=2025-06-02T12:00:00Z
demo_sync() {
	local dc=$T/dc me extra
	extra=$(cat)
	mkdir -p "$dc/mail/test"
	"$KITH_SRCDIR/scripts/gen-mailbox" --out "$dc/mail/test/Maildir" --size demo \
		--now "$DEMO_NOW" --manifest "$T/manifest.json" >/dev/null ||
		bail "cannot generate the demo mailbox"
	dovecot_test_start "$dc"
	me=$(python3 -c 'import json,sys; print(", ".join(json.load(open(sys.argv[1]))["me"]))' \
		"$T/manifest.json")
	cat >"$T/config" <<CONF
[kith]
database = $T/kith.db
me = $me

[account demo]
host = 127.0.0.1
port = $DOVECOT_IMAPS_PORT
tls = implicit
ca_file = $DOVECOT_CA
user = test
password_command = echo secret

[notify]
enabled = no

$extra
CONF
	export KITH_NOW=$DEMO_NOW
	run kithd -c "$T/config" --once --no-notify
	is "$rc" 0 "kithd syncs the demo mailbox" || diag "$err"
}
