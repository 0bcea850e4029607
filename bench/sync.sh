#!/usr/bin/env bash
# bench/sync.sh - the first sync of a 100k-message INBOX+Sent over IMAPS:
# kithd --once against the bare header FETCH (bench/bare-fetch.py: what the
# server alone costs) and against mbsync + mu index, on the same mailbox,
# same server, same run.  Prints times, peak RSS, the database size and
# ratios (the machine may be shared and noisy, so only ratios within one run
# mean anything).  --no-peers leaves out mbsync and mu (a 10^6 run would
# take mu hours); a run that /dev/shm has no room for is skipped.
#
#   bench/sync.sh [--messages N] [--no-peers] [--keep]
#   KITH_BUILDDIR  where kithd is built (default: the source tree)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${KITH_BUILDDIR:-$src}
kithd=$build/daemon/kithd
messages=100000
keep=0
peers=1
while [ $# -gt 0 ]; do
	case $1 in
	--messages) messages=${2:?--messages needs a number}; shift 2 ;;
	--keep) keep=1; shift ;;
	--no-peers) peers=0; shift ;;
	*) echo "usage: bench/sync.sh [--messages N] [--no-peers] [--keep]" >&2; exit 2 ;;
	esac
done
case $messages in
'' | *[!0-9]*) echo "bench/sync.sh: bad --messages '$messages': want a number" >&2; exit 2 ;;
esac
[ -x "$kithd" ] || { echo "bench/sync.sh: no kithd in '$build/daemon' (build it, or set KITH_BUILDDIR)" >&2; exit 1; }
tools="/usr/bin/time sqlite3 python3"
[ "$peers" = 0 ] || tools="$tools mbsync mu"
for tool in $tools; do
	command -v "$tool" >/dev/null || { echo "bench/sync.sh: '$tool' is missing (scripts/setup --for bench installs it)" >&2; exit 1; }
done

# Room on /dev/shm: the Maildir, Dovecot's index, kith's database and the
# mbsync copy take about 6 KB a message (measured at 10^5: 0.5 GB).
need_kb=$((messages * (peers ? 12 : 6)))
have_kb=$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')
if [ "$have_kb" -lt "$need_kb" ]; then
	echo "bench/sync.sh: skipped: $messages messages need about $((need_kb / 1024)) MB on /dev/shm, which has $((have_kb / 1024)) MB free"
	exit 0
fi

. "$src/scripts/dovecot-env.sh"
# Dovecot's imap process is limited to 256 MB by default, too little for a
# Maildir of a million messages (its index alone is hundreds of MB).
DOVECOT_EXTRA_CONF='service imap {
  vsz_limit = 4G
}'
# Big mailboxes live in memory: on disk the benchmark would measure the disk.
work=$(mktemp -d /dev/shm/kith-bench-sync.XXXXXX)
chmod 755 "$work"
cleanup() {
	dovecot_stop "$work/dc" 2>/dev/null || true
	if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "bench: generating $messages messages (80% INBOX, 20% Sent, ~1 KB each)…" >&2
"$src/scripts/gen-mailbox" --size bench --messages "$messages" --out "$work/dc/mail/test/Maildir" \
	--manifest "$work/manifest.json" 2>/dev/null
dovecot_start "$work/dc" >/dev/null

# Warm the server once (index and header cache), so that whichever client
# runs first does not pay for Dovecot's first look at 100k files.
echo "bench: warming the server…" >&2
python3 - "$DOVECOT_IMAPS_PORT" "$DOVECOT_CA" <<'PY'
import imaplib, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
with imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]), ssl_context=ctx) as imap:
    imap.login("test", "secret")
    for box in ("INBOX", "Sent"):
        imap.select(box, readonly=True)
        imap.uid("FETCH", "1:*", "(BODY.PEEK[HEADER])")
PY

# The peers: mbsync pulls INBOX and Sent into a Maildir, mu indexes it.
cat >"$work/mbsyncrc" <<CONF
FSync no

IMAPAccount bench
Host localhost
Port $DOVECOT_IMAPS_PORT
User test
Pass secret
SSLType IMAPS
CertificateFile $DOVECOT_CA
PipelineDepth 50

IMAPStore bench-far
Account bench

MaildirStore bench-near
Path $work/mbsync/
Inbox $work/mbsync/INBOX
SubFolders Verbatim

Channel bench
Far :bench-far:
Near :bench-near:
Patterns INBOX Sent
Create Near
Sync Pull
SyncState *
CONF
mkdir -p "$work/mbsync"

cat >"$work/config" <<CONF
[kith]
database = $work/kith.db
me = ana@rivera.example

[account bench]
host = 127.0.0.1
port = $DOVECOT_IMAPS_PORT
tls = implicit
ca_file = $DOVECOT_CA
user = test
password_command = echo secret
folders = INBOX, Sent

[notify]
enabled = no
CONF

# measure NAME CMD...: "<user s> <system s> <seconds> <peak RSS KB>" into $work/NAME.time.
measure() {
	local name=$1
	shift
	echo "bench: $name…" >&2
	/usr/bin/time -f '%U %S %e %M' -o "$work/$name.time" "$@" >"$work/$name.out" 2>&1 || {
		echo "bench: $name failed:" >&2
		tail -20 "$work/$name.out" >&2
		exit 1
	}
}
measure bare python3 "$src/bench/bare-fetch.py" "$DOVECOT_IMAPS_PORT" "$DOVECOT_CA" \
	"$src/lib/header.c" INBOX Sent
measure kithd "$kithd" -c "$work/config" --once --no-notify
pulled=0
if [ "$peers" = 1 ]; then
	measure mbsync mbsync -c "$work/mbsyncrc" -q -a
	mu init --muhome="$work/mu" --maildir="$work/mbsync" --my-address=ana@rivera.example >/dev/null
	measure mu-index mu index --muhome="$work/mu" --quiet
	pulled=$(find "$work/mbsync" -type f -path '*/cur/*' -o -type f -path '*/new/*' | wc -l)
fi

stored=$(sqlite3 "$work/kith.db" 'select count(*) from messages')
dbsize=$(du -k "$work/kith.db" | cut -f1)

python3 - "$work" "$messages" "$stored" "$pulled" "$dbsize" "$peers" <<'PY'
import sys
work, n, stored, pulled, dbkb, peers = sys.argv[1], *map(int, sys.argv[2:])
t = {}
for name in ("bare", "kithd") + (("mbsync", "mu-index") if peers else ()):
    user, system, secs, kb = open("%s/%s.time" % (work, name)).read().split()[-4:]
    t[name] = (float(secs), int(kb) / 1024, float(user) + float(system))
print("sync of %d messages (INBOX+Sent) over IMAPS, one run:" % n)
for name, (secs, mb, cpu) in t.items():
    print("  %-9s %7.2f s  CPU %7.2f s  peak RSS %6.1f MB" % (name, secs, cpu, mb))
print("  bare fetch: %s" % open("%s/bare.out" % work).read().strip())
print("  kithd stored %d messages, database %.1f MB" % (stored, dbkb / 1024))
ratio = t["kithd"][0] / t["bare"][0]
print("ratio kithd / bare fetch:          %.2f (target <= 3, moonshot 2) %s"
      % (ratio, "met" if ratio <= 3 else "MISSED"))
if peers:
    chain = t["mbsync"][0] + t["mu-index"][0]
    print("  mbsync pulled %d" % pulled)
    print("ratio kithd / mbsync:              %.2f" % (t["kithd"][0] / t["mbsync"][0]))
    print("ratio (mbsync + mu index) / kithd: %.2f (target >= 10) %s"
          % (chain / t["kithd"][0], "met" if chain / t["kithd"][0] >= 10 else "MISSED"))
rss = t["kithd"][1]
print("kithd peak RSS %.1f MB: target <= 64 MB %s" % (rss, "met" if rss <= 64 else "MISSED"))
if stored != n:
    print("kithd stored %d of %d messages" % (stored, n))
    sys.exit(1)
PY
