#!/usr/bin/env bash
# The digest's rules, with the clock pinned by KITH_NOW and a recording
# notification server: quiet hours hold it back, max_per_day caps it (focus
# circle first), a person is not shown twice for the same due period, a
# missed digest is shown once; with no session bus, or a server that refuses,
# nudges are logged and kithd says so once.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$KITH_SRCDIR/tests/notify-env.sh"

notify_bus_start "$T/bus"
notify_fake_start record "$T/shown"
NOTIFY_SETTINGS=$'digest_time = 09:30\nquiet_hours = 21:00-08:00\nmax_per_day = 2'
notify_world "$T/w"

once() { KITH_NOW=$1 run kithd --once -v; }
shown() { grep -c '"method": "Notify"' "$T/shown"; }
summaries() { sed -n 's/.*"summary": "\([^"]*\)".*/\1/p' "$T/shown" | tr '\n' '|'; }

# 22:00 is after the digest time but inside quiet hours, and so is 07:30.
once 2025-06-01T22:00:00Z
is "$rc" 0 "kithd --once syncs the mailbox"
is "$(shown)" 0 "quiet hours: nothing shown at 22:00"
once 2025-06-02T07:30:00Z
is "$(shown)" 0 "nor at 07:30"

once 2025-06-02T08:05:00Z
is "$(shown)" 2 "quiet hours over: the waiting digest, max_per_day = 2 nudges"
is "$(summaries)" "Cara Diaz|Reply to Dan Okafor|" "the focus circle first, then the owed reply"
grep -q '"urgency": 0' "$T/shown" && pass "urgency low" || fail "urgency low" "$(head -n1 "$T/shown")"
grep -q '"app": "kith"' "$T/shown" && pass "app name kith" || fail "app name kith"

once 2025-06-02T15:00:00Z
is "$(shown)" 2 "today's digest after it: max_per_day already reached today"
once 2025-06-02T16:00:00Z
is "$(shown)" 2 "a second digest the same day shows nothing"

# The next day: people already shown for this due period are not repeated.
once 2025-06-03T09:45:00Z
is "$(summaries)" "Cara Diaz|Reply to Dan Okafor|Ana Lima|Bob Stone|" \
	"the next day brings the two not shown yet, no repeats"

# kithd was not running at 07:00 for days: the missed digests make one,
# shown at the next opportunity, once.
rm -f "$KITH_DB"
: >"$T/shown"
once 2025-06-06T12:00:00Z
is "$(shown)" 2 "a missed digest is shown at the next opportunity"
once 2025-06-06T12:30:00Z
is "$(shown)" 2 "and not repeated"
is "$(sqlite3 "$KITH_DB" "SELECT value FROM meta WHERE key = 'notify.last_digest'")" 2025-06-06 \
	"the digest of 2025-06-06 is recorded as done"

# --no-notify and notify.enabled = no show nothing.
rm -f "$KITH_DB"
: >"$T/shown"
KITH_NOW=2025-06-02T10:00:00Z run kithd --once --no-notify
is "$(shown)" 0 "--no-notify: nothing shown"
NOTIFY_SETTINGS='enabled = no'
notify_config
once 2025-06-02T10:00:00Z
is "$(shown)" 0 "notify.enabled = no: nothing shown"

# No session bus at all: nudges go to the log, said once.
NOTIFY_SETTINGS=$'digest_time = 07:00\nmax_per_day = 3'
notify_config
rm -f "$KITH_DB"
( unset DBUS_SESSION_BUS_ADDRESS; export DISPLAY=:99; KITH_NOW=2025-06-02T10:00:00Z kithd --once -v ) \
	>/dev/null 2>"$T/nobus.log"
is "$(grep -c 'no desktop session: nudges are logged' "$T/nobus.log")" 1 "no bus: said once"
is "$(grep -c 'nudge: ' "$T/nobus.log")" 3 "no bus: the three nudges are logged"
like "$(cat "$T/nobus.log")" 'nudge: Cara Diaz <cara@example.edu>' "a logged nudge names the person"
is "$(shown)" 0 "and nothing reached the private bus"
is "$(sqlite3 "$KITH_DB" "SELECT count(*) FROM notifications WHERE channel = 'log'")" 3 \
	"logged nudges count as shown"

# $XDG_RUNTIME_DIR/bus is found without DBUS_SESSION_BUS_ADDRESS (systemd --user).
rm -f "$KITH_DB"
: >"$T/shown"
ln -s "$T/bus/bus" "$XDG_RUNTIME_DIR/bus"
( unset DBUS_SESSION_BUS_ADDRESS; KITH_NOW=2025-06-02T10:00:00Z kithd --once ) 2>"$T/rt.log"
is "$(shown)" 3 "the bus at \$XDG_RUNTIME_DIR/bus is used"
rm -f "$XDG_RUNTIME_DIR/bus"

# A server that refuses: logged instead, and kithd still succeeds.
kill "$NOTIFY_FAKE_PID"
for i in $(seq 1 50); do notify_has_owner || break; sleep 0.05; done
notify_fake_start error "$T/refused"
rm -f "$KITH_DB"
once 2025-06-02T10:00:00Z
is "$rc" 0 "a refusing server does not fail kithd --once"
like "$err" 'cannot show a notification, nudges are logged: .*refused on purpose' "the refusal is logged"
is "$(grep -c 'nudge: ' <<<"$err")" 3 "the nudges are logged instead"
is "$(grep -c '"error": true' "$T/refused")" 1 "after one refusal the server is left alone"

# People added by hand have no address: the notifier knows them by the
# people model's key, as the CLI does, so two of them are two nudges (with
# no Write, and no crash), and each says what `kith due` says.
NOTIFY_SETTINGS=$'digest_time = 09:30\nmax_per_day = 10'
notify_config
rm -f "$KITH_DB"
once 2025-06-02T08:00:00Z
KITH_NOW=2025-06-02T08:00:00Z kith add Zoe Hand --follow-up 1d >/dev/null
KITH_NOW=2025-06-02T08:00:00Z kith add Yan Hand --follow-up 1d >/dev/null
once 2025-06-05T10:00:00Z
is "$rc" 0 "kithd --once nudges about people without an address"
is "$(sqlite3 "$KITH_DB" "SELECT count(DISTINCT person_key) FROM notifications WHERE person_key LIKE 'manual:%'")" 2 \
	"two people added by hand: two nudges, each under its own key"
zoe_why=$(KITH_NOW=2025-06-05T10:00:00Z kith due -n 20 | sed -n 's/.*Zoe Hand  *[a-z]*  *//p')
like "$zoe_why" 'every' "kith due gives Zoe a reason"
like "$err" "nudge: Zoe Hand.*$zoe_why" "and her nudge says the same"
done_testing
