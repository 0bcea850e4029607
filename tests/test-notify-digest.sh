#!/usr/bin/env bash
# Given a mailbox where Cara (a focus circle), Ana and Bob are due and Dan
# waits for an answer, when kithd has synced at 09:45 with the digest at
# 09:30, dunst shows Cara, Ana and "Reply to Dan" as low-urgency "kith"
# notifications with Write / Snooze 2 weeks / Done; Snooze and Done chosen
# in dunst's menu reach the store at once, and nothing is shown twice.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$KITH_SRCDIR/tests/notify-env.sh"

notify_bus_start "$T/bus"
notify_xvfb_start "$T/x"

# dunst's context menu runs "dmenu" with one line per action, e.g.
# "#Done (Ana Lima) [3,done]"; this one picks the line matching $T/want.
cat >"$T/pick" <<EOF
#!/bin/sh
cat >"$T/menu"
grep -E "\$(cat "$T/want")" "$T/menu" | head -n 1
EOF
chmod +x "$T/pick"
NOTIFY_DUNST_EXTRA="dmenu = $T/pick" notify_dunst_start "$T/dunst"

# Everything sent to the server, as dbus-monitor sees it on the private bus.
dbus-monitor --session "type=method_call,interface=org.freedesktop.Notifications,member=Notify" \
	>"$T/monitor" 2>&1 &
at_exit "kill $!"

export KITH_NOW=$NOTIFY_NOW
NOTIFY_SETTINGS=$'digest_time = 09:30\nquiet_hours = 21:00-08:00\nmax_per_day = 3'
notify_world "$T/w"

kithd_start -v
ok "the digest appears on the desktop" wait_for 20 sh -c '[ "$(dunstctl count displayed)" -ge 3 ]'
sleep 0.5
is "$(dunstctl count displayed)" 3 "max_per_day = 3: three notifications"

mon=$(cat "$T/monitor")
is "$(grep -c 'member=Notify' "$T/monitor")" 3 "three Notify calls reach the server"
like "$mon" 'string "kith"' "app name kith"
like "$mon" 'string "x-office-address-book"' "an address-book icon"
like "$(tr '\n' ' ' <"$T/monitor")" '"urgency"[[:space:]]+variant[[:space:]]+byte 0' "low urgency"
for a in '"write"' '"Write"' '"snooze"' '"Snooze 2 weeks"' '"done"' '"Done"'; do
	like "$mon" "string $a" "action $a offered"
done
summaries=$(grep -A4 'member=Notify' "$T/monitor" | sed -n 's/^ *string "\(.*\)"$/\1/p' | grep -v '^kith$\|^x-office')
is "$(printf '%s\n' "$summaries" | grep -v '^$' | head -n 3 | tr '\n' '|')" "Cara Diaz|Ana Lima|Reply to Dan Okafor|" \
	"Cara (focus circle) first, then Ana, then the reply owed to Dan"
unlike "$mon" 'string "Bob Stone"' "Bob waits: the day's three are shown"
like "$mon" 'A question about the report' "the reply nudge names the mail waiting for an answer"
# The nudges word time as the commands do (one function for both).
run kith due
ana_reason=$(printf '%s\n' "$out" | sed -n 's/.*Ana Lima .*ana@example\.com  *[a-z]*  *//p')
like "$ana_reason" 'ago' "kith due gives Ana a reason"
ok "Ana's nudge says what kith due says: $ana_reason" grep -qF "string \"$ana_reason" "$T/monitor"
run kith replies
dan_since=$(printf '%s\n' "$out" | sed -n 's/.*dan@example\.com  *\(.*\) ago .*/\1/p')
like "$mon" "waiting for your answer for $dan_since" "the reply nudge's wait is replies' ($dan_since)"

import -window root -crop 460x270+564+30 +repage "$T/nudge.png" 2>/dev/null
ok "a screenshot of the nudges" test -s "$T/nudge.png"
cp "$T/nudge.png" "$KITH_BUILDDIR/tests/nudge.png" 2>/dev/null || true

# Snooze Ana from dunst's menu: the store knows at once.
echo 'Snooze.*Ana Lima' >"$T/want"
dunstctl context
snoozed() { [ "$(sqlite3 "$KITH_DB" "SELECT action FROM notifications WHERE person_key = 'ana@example.com'")" = snooze ]; }
ok "Snooze on Ana's nudge is recorded" wait_for 5 snoozed
like "$(cat "$T/menu")" 'Snooze 2 weeks \(Ana Lima\)' "dunst's menu lists Snooze 2 weeks for Ana"
run kith due
is "$rc" 0 "kith due runs"
unlike "$out" 'Ana Lima' "kith due no longer suggests Ana"

# Done on Cara's: a manual interaction, so she is no longer due.
echo 'Done.*Cara Diaz' >"$T/want"
dunstctl context
done_() { [ "$(sqlite3 "$KITH_DB" "SELECT action FROM notifications WHERE person_key = 'cara@example.edu'")" = done ]; }
ok "Done on Cara's nudge is recorded" wait_for 5 done_
run kith --json show cara@example.edu
like "$out" '"kind": *"message"' "Cara's history has the interaction Done logged"
run kith due
is "$rc" 0 "kith due runs"
unlike "$out" 'Cara Diaz' "kith due no longer suggests Cara"

# Another sync round the same day shows nothing new.
before=$(kithd_rounds)
kill -USR1 "$KITHD_PID"
ok "a second round finishes" wait_for 10 sh -c "[ \"\$(sqlite3 '$KITH_DB' \"SELECT value FROM meta WHERE key = 'daemon.sync_seq'\")\" -gt $before ]"
sleep 1
is "$(grep -c 'member=Notify' "$T/monitor")" 3 "a second digest the same day shows nothing"

kill -TERM "$KITHD_PID"
wait "$KITHD_PID"
is "$?" 0 "kithd stops cleanly"
is "$(grep -c 'member=Notify' "$T/monitor")" 3 "and shows nothing on the way out"
done_testing
