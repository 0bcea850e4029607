#!/usr/bin/env bash
# tests/long-kill.sh - `make check-long`: kill -9 over a whole first sync.
#
# A 40,000-message mailbox (scripts/gen-mailbox --size bench) is served by a
# throwaway Dovecot.  One kithd --once syncs it without interruption; another
# database is synced by kithd --once killed with SIGKILL at 10 points spread
# over the sync (by the count of messages it has stored, each kill a varying
# part of a batch later, so that kills land in fetches and in commits) and
# restarted each time, then left to finish.  The two stores must be the same:
# messages and their headers, where each one is (folder and UID), every
# folder's sync point, the people and their interactions, and what the user
# sees (`kith --json list`, `due --all`, `replies`, row ids aside).  Each
# store the kills leave behind must pass SQLite's integrity and foreign key
# checks, with every folder's sync point matching its stored locations.
#
# Not part of `make check` (it can take minutes); tests/test-kithd-kill.sh
# runs it there with 6,000 messages and 3 kills.
#   KITH_LONG_MESSAGES  mailbox size (default 40000)
#   KITH_LONG_KILLS     number of kills (default 10)
#   KITH_KEEP=1         keep the work directory (in /dev/shm when it exists)

# The mailbox and both stores live in memory: on disk the test would mostly
# time the disk.
[ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

command -v sqlite3 >/dev/null || bail "sqlite3 is needed"
KITHD=$KITH_BUILDDIR/daemon/kithd
[ -x "$KITHD" ] || bail "no kithd binary at $KITHD: run make first"
[ -x "$KITH_BUILDDIR/cli/kith" ] || bail "no kith binary: run make first"
N=${KITH_LONG_MESSAGES:-40000}
KILLS=${KITH_LONG_KILLS:-10}
case $N$KILLS in *[!0-9]*) bail "KITH_LONG_MESSAGES and KITH_LONG_KILLS must be numbers" ;; esac
export KITH_NOW=2025-06-02T12:00:00Z
t0=$SECONDS

dc=$T/dc
mkdir -p "$dc/mail/test"
"$KITH_SRCDIR/scripts/gen-mailbox" --size bench --messages "$N" --people 1500 --now "$KITH_NOW" \
	--out "$dc/mail/test/Maildir" --manifest "$T/manifest.json" >/dev/null 2>"$T/gen.log" ||
	bail "cannot generate the mailbox: $(tail -3 "$T/gen.log")"
diag "$N messages generated in $((SECONDS - t0)) s"
me=$(python3 -c 'import json,sys; print(", ".join(json.load(open(sys.argv[1]))["me"]))' "$T/manifest.json")
dovecot_test_start "$dc"

# config NAME: a config for the database $T/NAME.db.
config() {
	cat >"$T/$1.conf" <<CONF
[kith]
database = $T/$1.db
me = $me

[account bench]
host = 127.0.0.1
port = $DOVECOT_IMAPS_PORT
tls = implicit
ca_file = $DOVECOT_CA
user = test
password_command = echo secret

[notify]
enabled = no
CONF
}

# stored DB: the number of messages in DB (0 before it exists).
stored() {
	local n
	n=$(sqlite3 -batch -noheader "$1" "SELECT count(*) FROM messages" 2>/dev/null)
	echo "${n:-0}"
}

# intact DB: SQLite's own checks pass, and every folder's sync point is its
# highest stored UID with every UID below it stored (Dovecot numbers the
# generated folders 1, 2, 3...), so a batch is either wholly in or not.
intact() {
	local ic fk bad
	ic=$(sqlite3 -batch -noheader "$1" "PRAGMA integrity_check" 2>&1)
	fk=$(sqlite3 -batch -noheader "$1" "PRAGMA foreign_key_check" 2>&1)
	bad=$(sqlite3 -batch -noheader "$1" "SELECT f.name || ': sync point ' || f.last_uid || ', ' ||
			count(l.uid) || ' locations up to UID ' || coalesce(max(l.uid), 0)
		FROM folders f LEFT JOIN locations l ON l.folder_id = f.id
		GROUP BY f.id HAVING count(l.uid) != f.last_uid OR coalesce(max(l.uid), 0) != f.last_uid" 2>&1)
	[ "$ic" = ok ] && [ -z "$fk" ] && [ -z "$bad" ] && return 0
	diag "integrity_check: $(echo "$ic" | head -3 | tr '\n' ' ')"
	[ -z "$fk" ] || diag "foreign_key_check: $(echo "$fk" | head -3 | tr '\n' ' ')"
	[ -z "$bad" ] || diag "sync points: $(echo "$bad" | head -3 | tr '\n' ' ')"
	return 1
}

# --- the uninterrupted sync ---------------------------------------------------
config ref
start=$(date +%s%N)
run kithd -c "$T/ref.conf" --once --no-notify
ref_ms=$((($(date +%s%N) - start) / 1000000))
is "$rc" 0 "an uninterrupted kithd --once syncs the mailbox" || diag "$err"
is "$(stored "$T/ref.db")" "$N" "it stores all $N messages"
diag "uninterrupted sync: $ref_ms ms"

# --- the same sync, killed KILLS times ------------------------------------------
# Kill k waits until (k-1)/KILLS of the mailbox is stored, then for a part
# of one batch's time (500 messages, timed by the uninterrupted sync) that
# turns with k, so that the kills fall at different moments of a batch.
# Kill 1 lands before the first commit.
config kill
batch_ms=$((ref_ms * 500 / N))
[ "$batch_ms" -ge 20 ] || batch_ms=20
landed=0
start=$SECONDS
live_pid=
kill_live() { [ -z "$live_pid" ] || kill -KILL "$live_pid"; }	# a kithd left by an abort
at_exit kill_live
for ((k = 1; k <= KILLS; k++)); do
	want=$((N * (k - 1) / KILLS))
	"$KITHD" -c "$T/kill.conf" --once --no-notify 2>>"$T/kill.log" &
	pid=$! live_pid=$!
	began=$(date +%s%N)
	# A kithd that stops making progress is killed all the same, and
	# found out by the comparison at the end.
	until [ "$(stored "$T/kill.db")" -ge "$want" ] || ! alive "$pid" || [ "$SECONDS" -gt "$((start + 600))" ]; do
		sleep 0.05
	done
	delay_ms=$((batch_ms * (k * 3 % 8) / 8))
	sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
	if alive "$pid"; then
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null
		live_pid=
		landed=$((landed + 1))
		ms=$((($(date +%s%N) - began) / 1000000))
		# Look only at a copy, so that kithd itself is the next to open
		# the store as the kill left it, write-ahead log and all (the
		# last connection to close would fold the log in).
		rm -rf "$T/snap" && mkdir "$T/snap"
		cp "$T/kill.db"* "$T/snap/"
		wal=$(stat -c %s "$T/snap/kill.db-wal" 2>/dev/null) || wal=0
		at=$(stored "$T/snap/kill.db")
		diag "kill $k: $ms ms after start, $delay_ms ms past $want stored;" \
			"$at stored, write-ahead log $((wal / 1024)) KB"
	else
		wait "$pid" && krc=0 || krc=$?
		live_pid=
		diag "kill $k: kithd had already exited ($krc) with $(stored "$T/kill.db") messages stored"
		break
	fi
	ok "after kill $k ($at messages) the store is intact" intact "$T/snap/kill.db"
done
is "$landed" "$KILLS" "all $KILLS kills landed while kithd was syncing"
run kithd -c "$T/kill.conf" --once --no-notify
is "$rc" 0 "after the last kill, kithd --once finishes the sync" || diag "$err"
diag "killed sync: $((SECONDS - start)) s in all"
ok "the finished store is intact" intact "$T/kill.db"
is "$(stored "$T/kill.db")" "$N" "it stores all $N messages, each once"

# --- the two stores compared ---------------------------------------------------
# same WHAT QUERY: QUERY's rows are the same in both stores (it reads the
# tables of schema "s", run once on each database).
same() {
	local a b
	a=$(sqlite3 -batch -noheader -cmd "ATTACH '$T/ref.db' AS s" :memory: "$2" 2>&1 | sha1sum)
	b=$(sqlite3 -batch -noheader -cmd "ATTACH '$T/kill.db' AS s" :memory: "$2" 2>&1 | sha1sum)
	if [ "$a" = "$b" ]; then
		pass "same $1"
	else
		fail "same $1" "$(diff <(sqlite3 -batch -cmd "ATTACH '$T/ref.db' AS s" :memory: "$2" 2>&1) \
			<(sqlite3 -batch -cmd "ATTACH '$T/kill.db' AS s" :memory: "$2" 2>&1) | head -6)"
	fi
}
same "messages (Message-ID, dates, subject, header, class)" \
	"SELECT message_id, internaldate, date, subject, hex(header), header_len, class, rule
	 FROM s.messages ORDER BY message_id"
same "locations (folder, UID, Message-ID)" \
	"SELECT f.name, l.uid, m.message_id FROM s.locations l JOIN s.folders f ON f.id = l.folder_id
	 JOIN s.messages m ON m.id = l.message ORDER BY 1, 2"
same "folder sync points" \
	"SELECT a.name, f.name, f.role, f.uidvalidity, f.last_uid, f.highestmodseq
	 FROM s.folders f JOIN s.accounts a ON a.id = f.account_id ORDER BY 1, 2"
same "people" \
	"SELECT key, name, name_from, name_other, relationship, gate_out, gate_day, gate_days2, gate_back,
		gate_manual, s_out, s_in, a_out FROM s.people ORDER BY key"
same "addresses" \
	"SELECT a.addr, p.key, a.n, a.last_in, a.dead_at, a.name FROM s.addresses a
	 JOIN s.people p ON p.id = a.person ORDER BY 1"
same "interactions per person" \
	"SELECT p.key, count(*), sum(i.dir = 0), sum(i.dir = 1), sum(i.dir = 3), sum(i.counted), sum(i.eligible),
		sum(i.direct), min(i.at), max(i.at), sum(i.weight)
	 FROM s.interactions i JOIN s.people p ON p.id = i.person GROUP BY p.key ORDER BY 1"
same "interactions (person, message, time, direction, weight)" \
	"SELECT p.key, a.addr, m.message_id, i.at, i.dir, i.field, i.weight, i.eligible, i.counted, i.direct
	 FROM s.interactions i JOIN s.people p ON p.id = i.person LEFT JOIN s.addresses a ON a.id = i.address
	 LEFT JOIN s.messages m ON m.id = i.message ORDER BY 1, 2, 3, 4, 5"
same "addresses learned as the user's" "SELECT addr FROM s.me_learned ORDER BY 1"

# What the user sees, without row ids (they count people in the order they
# were met), masked as tests/test-order.sh does.
snapshot() {	# snapshot NAME: $T/NAME.list, .due, .replies
	local c
	for c in "list --acquaintances --sort name" "due --all" "replies"; do
		# shellcheck disable=SC2086
		kith -c "$T/$1.conf" --json $c 2>>"$T/$1.kith.log" | grep -v '^ *"id": ' |
			sed -E 's/kith merge [0-9]+ [0-9]+/kith merge ID ID/g' >"$T/$1.${c%% *}" || return 1
	done
}
snapshot ref || fail "kith answers on the uninterrupted store" "$(tail -3 "$T/ref.kith.log")"
snapshot kill || fail "kith answers on the killed store" "$(tail -3 "$T/kill.kith.log")"
for f in list due replies; do
	n=$(wc -l <"$T/ref.$f")
	if [ -s "$T/ref.$f" ] && cmp -s "$T/ref.$f" "$T/kill.$f"; then
		pass "kith --json $f is the same ($n lines)"
	else
		fail "kith --json $f is the same" "$(diff "$T/ref.$f" "$T/kill.$f" | head -6)"
	fi
done
diag "$N messages, $landed kills, $((SECONDS - t0)) s in all"
done_testing
