# tests/notify-env.sh - a desktop for the notification tests: a private
# session bus with no service directories (nothing starts behind the test's
# back), Xvfb, dunst, or the recording server tests/fake-notifyd.py.
#
# Source it after tests/lib.sh.  Every helper registers its cleanup with
# at_exit and bails out when what it starts does not come up.

NOTIFY_NAME=org.freedesktop.Notifications

# notify_bus_start DIR: a private session bus at DIR/bus, exported in
# DBUS_SESSION_BUS_ADDRESS.
notify_bus_start() {
	local d=$1 out
	mkdir -p "$d"
	cat >"$d/bus.conf" <<-EOF
	<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
	 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
	<busconfig>
	  <type>session</type>
	  <listen>unix:path=$d/bus</listen>
	  <auth>EXTERNAL</auth>
	  <policy context="default">
	    <allow send_destination="*" eavesdrop="true"/>
	    <allow eavesdrop="true"/>
	    <allow own="*"/>
	  </policy>
	</busconfig>
	EOF
	out=$(dbus-daemon --config-file="$d/bus.conf" --fork --print-pid=1 --print-address=1) ||
		bail "cannot start dbus-daemon"
	NOTIFY_BUS_PID=$(printf '%s\n' "$out" | sed -n 2p)
	DBUS_SESSION_BUS_ADDRESS=$(printf '%s\n' "$out" | sed -n 1p)
	export DBUS_SESSION_BUS_ADDRESS
	at_exit "kill $NOTIFY_BUS_PID"
}

# notify_has_owner: is org.freedesktop.Notifications owned on the bus?
notify_has_owner() {
	dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
		org.freedesktop.DBus.NameHasOwner "string:$NOTIFY_NAME" 2>/dev/null |
		grep -q 'boolean true'
}

notify_wait_owner() {
	local i
	for i in $(seq 1 100); do
		notify_has_owner && return 0
		sleep 0.05
	done
	return 1
}

# notify_xvfb_start DIR: a virtual screen on a free display, in DISPLAY.
notify_xvfb_start() {
	local d=$1 i
	mkdir -p "$d"
	Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$d/display" 2>"$d/xvfb.log" &
	NOTIFY_XVFB_PID=$!
	at_exit "kill $NOTIFY_XVFB_PID"
	for i in $(seq 1 100); do
		[ -s "$d/display" ] && break
		sleep 0.05
	done
	[ -s "$d/display" ] || bail "Xvfb did not start: $(cat "$d/xvfb.log")"
	DISPLAY=:$(head -n1 "$d/display")
	export DISPLAY
}

# notify_dunst_start DIR: dunst on $DISPLAY, notifications that never expire;
# $NOTIFY_DUNST_EXTRA is added to its [global] settings.
notify_dunst_start() {
	local d=$1
	mkdir -p "$d"
	cat >"$d/dunstrc" <<-EOF
	[global]
	    monitor = 0
	    follow = none
	    width = 420
	    height = 200
	    origin = top-right
	    offset = 10x40
	    notification_limit = 0
	    font = DejaVu Sans 10
	    markup = full
	    format = "<b>%a · %s</b>\\n%b"
	    show_indicators = yes
	    frame_width = 2
	    history_length = 50
	    sticky_history = yes
	    ${NOTIFY_DUNST_EXTRA:-}
	[urgency_low]
	    background = "#f4f1ea"
	    foreground = "#2b2b2b"
	    frame_color = "#7a9e7e"
	    timeout = 0
	[urgency_normal]
	    timeout = 0
	[urgency_critical]
	    timeout = 0
	EOF
	dunst -config "$d/dunstrc" >"$d/dunst.log" 2>&1 &
	NOTIFY_DUNST_PID=$!
	at_exit "kill $NOTIFY_DUNST_PID"
	notify_wait_owner || bail "dunst did not take $NOTIFY_NAME: $(cat "$d/dunst.log")"
}

# notify_fake_start MODE LOG: tests/fake-notifyd.py in MODE (record, hang,
# error), writing what it is shown to LOG.
notify_fake_start() {
	: >"$2"
	/usr/bin/python3 "$KITH_SRCDIR/tests/fake-notifyd.py" --mode "$1" --log "$2" \
		>"$2.out" 2>&1 &
	NOTIFY_FAKE_PID=$!
	at_exit "kill $NOTIFY_FAKE_PID"
	notify_wait_owner || bail "fake-notifyd did not start: $(cat "$2.out")"
}

# notify_fake_call METHOD ARGS...: call the recording server's own interface,
# e.g. notify_fake_call InvokeAction uint32:1 string:snooze
notify_fake_call() {
	local m=$1
	shift
	dbus-send --session --print-reply --dest=$NOTIFY_NAME /org/freedesktop/Notifications \
		"org.kith.Test.$m" "$@" >/dev/null
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# dunst_displayed: how many notifications dunst shows now.
dunst_displayed() { dunstctl count displayed 2>/dev/null || echo 0; }

# --- a small designed mailbox with people due ---------------------------------
# The user is me@example.org; "now" in these tests is 2025-06-02 (UTC).
#   Cara  (circle "friends", focus)  last contact 2025-03-03: overdue, comes first
#   Ana                              last contact 2025-01-08: long overdue
#   Bob                              last contact 2025-04-21: overdue
#   Dan   wrote 2025-05-19 and waits for an answer: an owed reply
NOTIFY_NOW=2025-06-02T09:45:00Z

# notify_msg MAILDIR FOLDER DATE FROM TO SUBJECT ID [IN-REPLY-TO]
notify_msg() {
	local md=$1 folder=$2 date=$3 from=$4 to=$5 subj=$6 id=$7 irt=${8:-}
	local dir=$md/cur n
	[ "$folder" = Sent ] && dir=$md/.Sent/cur
	mkdir -p "$dir" "${dir%/cur}/new" "${dir%/cur}/tmp"
	n=$(date -u -d "$date" +%s)
	{
		printf 'Date: %s\r\n' "$(date -u -R -d "$date")"
		printf 'From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@example.org>\r\n' \
			"$from" "$to" "$subj" "$id"
		[ -n "$irt" ] && printf 'In-Reply-To: <%s@example.org>\r\n' "$irt"
		printf 'Content-Type: text/plain; charset=utf-8\r\n\r\nHello.\r\n'
	} >"$dir/$n.$id.kith:2,S"
	touch -d "@$n" "$dir/$n.$id.kith:2,S"
}

# notify_world DIR: Dovecot serving the mailbox above, a config in
# $KITH_CONFIG (notify settings from $NOTIFY_SETTINGS), and $KITH_DB.
notify_world() {
	local d=$1 md
	dovecot_add_user "$d/dc" test secret
	md=$d/dc/mail/test/Maildir
	notify_msg "$md" Sent 2025-01-06T10:00:00Z 'Me <me@example.org>' 'Ana Lima <ana@example.com>' \
		'Coffee in Lisbon?' ana1
	notify_msg "$md" INBOX 2025-01-08T10:00:00Z 'Ana Lima <ana@example.com>' 'Me <me@example.org>' \
		'Re: Coffee in Lisbon?' ana2 ana1
	notify_msg "$md" Sent 2025-04-18T10:00:00Z 'Me <me@example.org>' 'Bob Stone <bob@example.net>' \
		'The Porto meetup' bob1
	notify_msg "$md" INBOX 2025-04-21T10:00:00Z 'Bob Stone <bob@example.net>' 'Me <me@example.org>' \
		'Re: The Porto meetup' bob2 bob1
	notify_msg "$md" Sent 2025-02-27T10:00:00Z 'Me <me@example.org>' 'Cara Diaz <cara@example.edu>' \
		'Slides from the talk' cara1
	notify_msg "$md" INBOX 2025-03-03T10:00:00Z 'Cara Diaz <cara@example.edu>' 'Me <me@example.org>' \
		'Re: Slides from the talk' cara2 cara1
	# The user had the last word with each of them: no reply is owed.
	notify_msg "$md" Sent 2025-01-08T12:00:00Z 'Me <me@example.org>' 'Ana Lima <ana@example.com>' \
		'Re: Coffee in Lisbon?' ana3 ana2
	notify_msg "$md" Sent 2025-04-21T12:00:00Z 'Me <me@example.org>' 'Bob Stone <bob@example.net>' \
		'Re: The Porto meetup' bob3 bob2
	notify_msg "$md" Sent 2025-03-03T12:00:00Z 'Me <me@example.org>' 'Cara Diaz <cara@example.edu>' \
		'Re: Slides from the talk' cara3 cara2
	notify_msg "$md" Sent 2025-01-14T12:00:00Z 'Me <me@example.org>' 'Dan Okafor <dan@example.com>' \
		'Re: The quarterly report' dan4 dan2
	notify_msg "$md" Sent 2025-01-13T10:00:00Z 'Me <me@example.org>' 'Dan Okafor <dan@example.com>' \
		'The quarterly report' dan1
	notify_msg "$md" INBOX 2025-01-14T10:00:00Z 'Dan Okafor <dan@example.com>' 'Me <me@example.org>' \
		'Re: The quarterly report' dan2 dan1
	notify_msg "$md" INBOX 2025-05-19T10:00:00Z 'Dan Okafor <dan@example.com>' 'Me <me@example.org>' \
		'A question about the report' dan3
	dovecot_test_start "$d/dc"
	KITH_DB=$d/kith.db
	KITH_CONFIG=$d/config
	export KITH_DB KITH_CONFIG
	notify_config
}

# notify_config: (re)write $KITH_CONFIG with $NOTIFY_SETTINGS.
notify_config() {
	cat >"$KITH_CONFIG" <<-EOF
	[kith]
	database = $KITH_DB
	me = me@example.org

	[account test]
	host = 127.0.0.1
	port = $DOVECOT_IMAP_PORT
	tls = starttls
	ca_file = $DOVECOT_CA
	user = test
	password_command = echo secret
	folders = INBOX, Sent
	idle = yes
	poll_interval = 15min

	[notify]
	${NOTIFY_SETTINGS:-digest_time = 09:30}

	[circle friends]
	members = cara@example.edu
	focus = yes
	EOF
}

# kithd_start ARGS...: kithd in the background, stderr in $T/kithd.log.
kithd_start() {
	kithd "$@" 2>>"$T/kithd.log" &
	KITHD_PID=$!
	at_exit "kill $KITHD_PID"
}

# kithd_rounds: sync rounds the running kithd has finished (from the store).
kithd_rounds() {
	sqlite3 "$KITH_DB" "SELECT value FROM meta WHERE key = 'daemon.sync_seq'" 2>/dev/null || echo 0
}

# nudges_shown: rows in the store's record of shown nudges.
nudges_shown() { sqlite3 "$KITH_DB" "SELECT count(*) FROM notifications" 2>/dev/null || echo 0; }
