# tests/test-kithd-lib.sh - helpers shared by the tests/test-kithd-*.sh scripts
# (sourced, not a test itself): mailboxes written straight into Maildir, a
# config for the test server, waiting, and looking into the database.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

command -v sqlite3 >/dev/null || bail "sqlite3 is needed"
KITHD="$KITH_BUILDDIR/daemon/kithd"
[ -x "$KITHD" ] || bail "no kithd binary at $KITHD"

# maildir DC USER FOLDER: the Maildir directory of FOLDER ("INBOX", "Sent"...).
maildir() {
	local d="$1/mail/$2/Maildir"
	[ "$3" = INBOX ] || d="$d/.$3"
	mkdir -p "$d/cur" "$d/new" "$d/tmp"
	echo "$d"
}

# fill DC USER FOLDER COUNT PREFIX [FROM] [TO]: COUNT messages with
# Message-IDs <PREFIX-N@test>, written at once (Dovecot numbers them in
# file-name order when it first opens the folder).
fill() {
	local dir
	dir=$(maildir "$1" "$2" "$3")
	python3 - "$dir" "$4" "$5" "${6:-Bob Example <bob@example.org>}" "${7:-Me <test@example.org>}" <<'PY'
import os, sys
d, n, prefix, frm, to = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
for i in range(1, n + 1):
    name = "%s/cur/%d.%s-%06d.kith:2,S" % (d, 1700000000 + i, prefix, i)
    with open(name, "w") as f:
        f.write("From: %s\nTo: %s\nSubject: %s number %d\nDate: Mon, 2 Mar 2026 10:%02d:00 +0000\n"
                "Message-ID: <%s-%d@test>\n\nhi\n" % (frm, to, prefix, i, i % 60, prefix, i))
PY
	dovecot_fix_perms "$1"
}

# message FROM TO SUBJECT MSGID: one message on stdout, for doveadm save.
message() {
	printf 'From: %s\nTo: %s\nSubject: %s\nDate: Tue, 3 Mar 2026 09:00:00 +0000\nMessage-ID: <%s>\n\nhello\n' \
		"$1" "$2" "$3" "$4"
}

# write_config FILE ["key = value"...]: one account "main" for user test on
# the test server over verified implicit TLS.  Each "key = value" replaces
# the default of that key in [account main] or is added to it; "key =" with
# nothing after it removes the key.
write_config() {
	local f=$1 line key i
	shift
	local -a keys=(host port tls ca_file user password_command)
	local -A val=([host]=127.0.0.1 [port]=$DOVECOT_IMAPS_PORT [tls]=implicit
		[ca_file]=$DOVECOT_CA [user]=test [password_command]="echo secret")
	for line in "$@"; do
		key=${line%%=*}
		key=${key// /}
		[ -n "${val[$key]+set}" ] || keys+=("$key")
		val[$key]=${line#*= }
		[[ $line == *= ]] && val[$key]=""
	done
	{
		echo "[kith]"
		echo "database = $T/kith.db"
		echo "me = test@example.org"
		echo "[account main]"
		for key in "${keys[@]}"; do
			[ -n "${val[$key]}" ] && echo "$key = ${val[$key]}"
		done
	} >"$f"
}

# sql QUERY: one answer from the test database.
sql() { sqlite3 -batch -noheader "$T/kith.db" "$1" 2>/dev/null; }

# folder_count NAME: locations stored for folder NAME of any account.
folder_count() {
	sql "SELECT count(*) FROM locations l JOIN folders f ON f.id = l.folder_id WHERE f.name = '$1'"
}

# wait_until SECONDS CMD...: poll CMD every 0.1 s; fails after SECONDS.
wait_until() {
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# start_kithd ARGS...: a kithd in the background, its pid in $kithd_pid and
# its stderr in $T/kithd.log; stopped at exit.
start_kithd() {
	"$KITHD" "$@" 2>>"$T/kithd.log" &
	kithd_pid=$!
	at_exit "kill $kithd_pid; wait $kithd_pid"
}

# stop_kithd: SIGTERM and wait; the exit status in $kithd_rc.
stop_kithd() {
	kill -TERM "$kithd_pid" 2>/dev/null
	wait "$kithd_pid" && kithd_rc=0 || kithd_rc=$?
}
