#!/usr/bin/env bash
# New ties from an event and from mail, end to end: `kith event add`, `kith
# add --event` and `kith log --event` record the people met at the Porto
# summit; `kith seeds` and `kith events` say how each tie grows; `kith due`
# follows them up in plain words; the daily digest on a real notification
# server (dunst, on a private bus and Xvfb) shows one new tie a day unless a
# focus circle asks for more; a goal targets the event's circle; `kith
# brief --ics` reads a calendar invite.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$KITH_SRCDIR/tests/notify-env.sh"

notify_bus_start "$T/bus"
notify_xvfb_start "$T/x"
notify_dunst_start "$T/dunst"
dbus-monitor --session "type=method_call,interface=org.freedesktop.Notifications,member=Notify" \
	>"$T/monitor" 2>&1 &
at_exit "kill $!"

# The world of tests/notify-env.sh (Cara, Ana, Bob due; Dan owed a reply),
# "now" 2025-06-02 09:45, plus two ties made by mail:
#   Jon  the user wrote 2025-05-28 and heard nothing: waiting, due (3 days)
#   Kim  the user wrote 2025-05-20, Kim answered 2025-05-21: growing, next in 3 weeks
export KITH_NOW=$NOTIFY_NOW
NOTIFY_SETTINGS=$'digest_time = 09:30\nmax_per_day = 10'
notify_world "$T/w"
md=$T/w/dc/mail/test/Maildir
notify_msg "$md" Sent 2025-05-28T10:00:00Z 'Me <me@example.org>' 'Jon Park <jon@example.io>' \
	'Your talk on maps' jon1
notify_msg "$md" Sent 2025-05-20T10:00:00Z 'Me <me@example.org>' 'Kim Ito <kim@example.io>' \
	'Following up' kim1
notify_msg "$md" INBOX 2025-05-21T10:00:00Z 'Kim Ito <kim@example.io>' 'Me <me@example.org>' \
	'Re: Following up' kim2 kim1
cat >>"$KITH_CONFIG" <<EOF

[goal porto]
circle = event:Porto summit
per_week = 2
EOF

run kithd --once --no-notify
is "$rc" 0 "kithd --once syncs the mailbox"

# The event and the people met there, five days ago.
run kith event add "Porto summit" --date 2025-05-28 --circle conf
is "$rc" 0 "event add"
like "$out" 'circle event:Porto summit' "event add names the event's circle"
run kith event add "Porto summit"
is "$rc" 1 "an event is added once"
run kith add Eve Martin --email eve@example.io --event "Porto summit" --note "maps of rivers"
is "$rc" 0 "add --event"
run kith add Gil Santos --email gil@example.io --event "Porto summit"
run kith add Fay Gold --email fay@example.io --event "Porto summit"
run kith log fay --kind event --event "Porto summit" --when 2025-05-31
is "$rc" 0 "log --kind event --event"
run kith add Hal Brun --email hal@example.io --event "Nowhere"
is "$rc" 2 "add --event with an unknown event is a usage error"
like "$err" "no event 'Nowhere'" "and says so"

run kith seeds
is "$rc" 0 "kith seeds"
like "$out" 'Eve Martin +eve@example\.io +waiting +4 days ago +Porto summit +now' "Eve: waiting, follow up now"
like "$out" 'Fay Gold +fay@example\.io +growing +4 days ago +Porto summit +in 3 weeks' \
	"Fay, met again 3 days later: growing, next step 3 weeks after that"
like "$out" 'Jon Park +jon@example\.io +waiting +4 days ago +mail +now' "Jon, written to once: waiting, from mail"
like "$out" 'Kim Ito +kim@example\.io +growing +12 days ago +mail +in 9 days' "Kim answered: growing"
like "$out" 'Ana Lima +ana@example\.com +lost +5 months ago +mail +—' \
	"Ana, first written to 5 months ago and silent since January: lost"
run kith seeds --days 30
unlike "$out" 'Ana Lima|Bob Stone|Dan Okafor' "seeds --days 30: only the ties of the last month"
like "$out" 'Eve Martin' "Eve among them"
run kith --json seeds
like "$out" '"seed_state": "waiting"' "seeds --json: seed_state"
like "$out" '"origin": "event"' "seeds --json: origin"
like "$out" '"event": "Porto summit"' "seeds --json: event"
like "$out" '"next_follow_up": "2025-05-31T' "seeds --json: Eve's follow-up 3 days after meeting"
run kith seeds --days 3
unlike "$out" 'Eve Martin' "seeds --days 3: Eve, met 5 days ago, is not among them"

run kith show eve@example.io
like "$out" 'new tie +waiting, first met 4 days ago at Porto summit; follow up: now' "show: Eve's new tie"
run kith --json show kim@example.io
like "$out" '"seed_state": "growing"' "show --json: Kim's seed_state"
like "$out" '"origin": "mail"' "show --json: Kim's origin"
run kith --json show ana@example.com
like "$out" '"seed_state": "lost"' "show --json: Ana, first written to 5 months ago, is a lost tie"

run kith events
like "$out" 'Porto summit +2025-05-28 +3 +1 +2 +0' "events: 3 people, 1 growing, 2 waiting, 0 lost"
run kith --json events
like "$out" '"circle": "event:Porto summit"' "events --json: circle"
like "$out" '"also_circle": "conf"' "events --json: the extra circle"

run kith due -n 20
like "$out" 'Eve Martin .*new: first met 4 days ago at Porto summit — they have not written yet' \
	"due: Eve, in plain words"
like "$out" 'Jon Park .*new: first in touch 4 days ago — they have not written yet' "due: Jon, from mail"
unlike "$out" 'Fay Gold|Kim Ito' "growing ties whose step has not passed are not due"
like "$out" 'Ana Lima' "the old friends are still due"
run kith due --circle "event:Porto summit"
is "$(printf '%s\n' "$out" | grep -c 'example\.io')" 2 "due --circle event:…: Eve and Gil"

run kith goals
is "$rc" 0 "a goal can target an event's circle"
like "$out" 'event:Porto summit' "goals names the event's circle"

# The digest: four new ties are due (Eve, Gil, Bob, Jon) but one a day is shown.
run kithd --once
is "$rc" 0 "kithd --once shows the digest"
sleep 0.5
summaries() { grep -A4 'member=Notify' "$T/monitor" | sed -n 's/^ *string "\(.*\)"$/\1/p' |
	grep -v '^kith$\|^x-office\|^$'; }
s=$(summaries)
like "$s" 'Cara Diaz' "the digest shows Cara"
like "$s" 'Reply to Dan Okafor' "and the reply owed to Dan"
is "$(printf '%s\n' "$s" | grep -c 'Eve Martin\|Gil Santos\|Jon Park\|Bob Stone')" 1 "one new tie a day in the digest"
like "$s" 'Eve Martin' "the most pressing: Eve"
like "$(cat "$T/monitor")" 'new: first (met|in touch) 4 days ago' "the new tie's nudge words its reason as due does"

# The next day, with the event's extra circle in focus, more than one.
cat >>"$KITH_CONFIG" <<EOF

[circle conf]
focus = yes
EOF
KITH_NOW=2025-06-03T09:45:00Z run kithd --once
is "$rc" 0 "kithd --once the next day"
sleep 0.5
# Without the focus only one more would come; Gil is in it, so he comes
# beyond the one a day (Bob, first of the others).
s2=$(summaries | sed "1,$(printf '%s\n' "$s" | wc -l)d")
like "$s2" 'Gil Santos' "a focus circle asks for its new ties: Gil"
like "$s2" 'Bob Stone' "and the one new tie of the day besides"
unlike "$s2" 'Jon Park' "but no other"
is "$(summaries | sort | uniq -d | grep -c .)" 0 "nobody is shown twice"

# A calendar invite as a mail client saves it: folded lines, quoted names,
# MAILTO: in capitals, the user as organizer, and a stranger.
printf '%s\r\n' 'BEGIN:VCALENDAR' 'VERSION:2.0' 'BEGIN:VEVENT' 'SUMMARY:Rivers and maps' \
	'ORGANIZER;CN="Me":mailto:me@example.org' \
	'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN="Martin, Eve";RSVP=TRUE:MAILTO:eve@exa' \
	' mple.io' \
	'ATTENDEE;CN=Ana Lima;PARTSTAT=ACCEPTED:mailto:ana@example.com' \
	'ATTENDEE;CN="Zed Stranger";PARTSTAT=NEEDS-ACTION:mailto:zed@elsewhere.example' \
	'END:VEVENT' 'END:VCALENDAR' >"$T/invite.ics"
run kith brief --ics "$T/invite.ics"
is "$rc" 0 "brief --ics"
like "$out" '^Eve Martin' "a page for Eve (the folded attendee)"
like "$out" 'new tie +waiting, first met 4 days ago at Porto summit' "her new tie"
like "$out" 'notes +maps of rivers' "her notes"
like "$out" 'Ana Lima' "a page for Ana"
like "$out" 'last exchange +2025-01-08' "Ana's last exchange"
like "$out" 'Coffee in Lisbon' "with its subject"
like "$out" 'unknown: no mail with them yet' "the stranger is listed as unknown"
like "$out" 'Zed Stranger <zed@elsewhere\.example>' "by name and address"
unlike "$out" 'me@example\.org' "the user, organizer, gets no page"
is "$(printf '%s\n' "$out" | python3 -c 'import sys; print(sum(len(l.decode().rstrip()) > 80 for l in sys.stdin.buffer))')" 0 \
	"no line wider than 80 columns"
run kith --json brief --ics "$T/invite.ics"
python3 - "$out" <<'PY' && pass "brief --json: two people, then the unknown attendee" || fail "brief --json"
import json, sys
d = json.loads(sys.argv[1])
assert [x["unknown"] for x in d] == [False, False, True], d
assert d[0]["email"] == "eve@example.io" and d[0]["seed_state"] == "waiting", d[0]
assert d[0]["notes"] == ["maps of rivers"] and "owed" in d[0] and "awaiting" in d[0] and "related" in d[0]
assert d[1]["last_exchange"]["subject"].endswith("Coffee in Lisbon?"), d[1]["last_exchange"]
assert d[2]["email"] == "zed@elsewhere.example" and d[2]["name"] == "Zed Stranger" and d[2]["id"] is None
PY
run kith brief --event "Porto summit"
is "$(printf '%s\n' "$out" | grep -c '^─')" 3 "brief --event: one page for each of the three"
run kith brief Fay
like "$out" 'last exchange .*logged an event' "brief WHO: Fay's logged meeting at the event"
run kith brief
is "$rc" 2 "brief with nobody named is a usage error"

done_testing
