#!/usr/bin/env bash
# A database kept busy (another writer holding the lock past the busy
# timeout) while the digest is being shown: no nudge is shown twice.  A
# nudge is recorded before it is shown, so a record that fails keeps it
# back for the next check instead of letting that check show it again.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$KITH_SRCDIR/tests/notify-env.sh"

notify_bus_start "$T/bus"
# The server answers each Notify a second after it shows it: the window in
# which the lock below is taken.
notify_fake_start slow "$T/shown"
NOTIFY_SETTINGS=$'digest_time = 09:30\nquiet_hours = 21:00-08:00\nmax_per_day = 3'
notify_world "$T/w"

once() { KITH_NOW=$1 run kithd --once -v; }
summaries() { sed -n 's/.*"summary": "\([^"]*\)".*/\1/p' "$T/shown"; }

# Synced in quiet hours: nothing shown yet.
once 2025-06-01T22:00:00Z
is "$rc" 0 "kithd --once syncs the mailbox"
is "$(summaries | wc -l)" 0 "nothing shown in quiet hours"

# As soon as the first nudge reaches the desktop, another writer takes the
# lock for 30 s: every write of the digest meets a busy database.
python3 - "$KITH_DB" "$T/shown" "$T/locked" <<'PY' &
import sqlite3, sys, time
db, shown, flag = sys.argv[1:]
deadline = time.time() + 60
while time.time() < deadline and '"method": "Notify"' not in open(shown).read():
    time.sleep(0.02)
con = sqlite3.connect(db, isolation_level=None)
con.execute("BEGIN IMMEDIATE")
open(flag, "w").close()
time.sleep(30)
con.execute("COMMIT")
PY
holder=$!
at_exit "kill $holder"
once 2025-06-02T09:45:00Z
wait "$holder"
ok "the lock was taken while the digest was shown" test -e "$T/locked"
first=$(summaries | wc -l)
diag "shown while the database was busy: $first"

# The next check, with the database free again, shows the rest, and no repeat.
once 2025-06-02T09:50:00Z
is "$rc" 0 "the next check runs"
is "$(summaries | sort | uniq -d)" "" "no nudge was shown twice"
is "$(summaries | wc -l)" 3 "the day's three nudges were shown in all"
is "$(sqlite3 "$KITH_DB" "SELECT count(*) FROM notifications")" 3 "and all three are recorded"

done_testing
