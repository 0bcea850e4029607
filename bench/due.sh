#!/usr/bin/env bash
# bench/due.sh - `kith due`, `replies`, `list` and `show` on a store of ~10^6
# interactions / 2*10^4 people, timed with hyperfine against baselines
# measured in the same run (process start-up, and a full scan of the
# messages table).  Prints the medians and the ratios; the target is a
# median of at most 50 ms for each command.
#
#   bench/due.sh [--messages N] [--people N] [--db FILE] [--keep]
#   --db FILE      time an existing database instead of building one
#   KITH_BUILDDIR  where kith and tests/kith-ingest are built (default:
#                  the source tree; `make check` builds tests/kith-ingest,
#                  or `make tests/kith-ingest`)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${KITH_BUILDDIR:-$src}
kith=$build/cli/kith
ingest=$build/tests/kith-ingest
messages=350000
people=20000
db=
keep=0
usage() { echo "usage: bench/due.sh [--messages N] [--people N] [--db FILE] [--keep]" >&2; exit 2; }
number() {
	case $2 in
	'' | *[!0-9]*) echo "bench/due.sh: bad $1 '$2': want a number" >&2; exit 2 ;;
	esac
}
while [ $# -gt 0 ]; do
	case $1 in
	--messages) [ $# -ge 2 ] || usage; number "$1" "$2"; messages=$2; shift 2 ;;
	--people) [ $# -ge 2 ] || usage; number "$1" "$2"; people=$2; shift 2 ;;
	--db) [ $# -ge 2 ] || usage; db=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	*) usage ;;
	esac
done
[ -x "$kith" ] || { echo "bench/due.sh: no kith in '$build/cli' (build it, or set KITH_BUILDDIR)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench/due.sh: hyperfine is missing (scripts/setup --for bench installs it)" >&2; exit 1; }

work=$(mktemp -d /dev/shm/kith-bench-due.XXXXXX)
cleanup() {
	if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

write_config() {
	cat >"$work/config" <<CONF
[kith]
database = $db
me = ana@rivera.example
CONF
}

if [ -z "$db" ]; then
	[ -x "$ingest" ] || { echo "bench/due.sh: no kith-ingest in '$build/tests' (make tests/kith-ingest)" >&2; exit 1; }
	echo "bench: generating $messages messages over $people people…" >&2
	"$src/scripts/gen-mailbox" --size huge --messages "$messages" --people "$people" \
		--out "$work/mail" --manifest "$work/manifest.json" 2>/dev/null
	db=$work/kith.db
	# The same fixed "now" as the corpus, so every run ranks the same people.
	KITH_NOW=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["now"])' "$work/manifest.json")
	export KITH_NOW
	write_config
	echo "bench: ingesting them into $db…" >&2
	start=$(date +%s%N)
	"$ingest" -c "$work/config" "$db" "$work/mail=inbox" "$work/mail/.Sent=sent" >"$work/ingest.log" 2>&1 || {
		echo "bench/due.sh: kith-ingest failed:" >&2
		tail -20 "$work/ingest.log" >&2
		exit 1
	}
	ingest_ms=$((($(date +%s%N) - start) / 1000000))
	echo "bench: ingested in $((ingest_ms / 1000)).$((ingest_ms % 1000 / 100)) s" >&2
	rm -rf "$work/mail"
fi
[ -f "$db" ] || { echo "bench/due.sh: no database '$db'" >&2; exit 1; }
write_config
export KITH_CONFIG=$work/config

"$kith" due >"$work/due.out" 2>&1 || { echo "bench/due.sh: kith due failed:" >&2; cat "$work/due.out" >&2; exit 1; }
sizes=$(sqlite3 "$db" "select (select count(*) from messages) || ' messages, ' ||
	(select count(*) from people) || ' people, ' || (select count(*) from interactions) || ' interactions'" 2>/dev/null ||
	echo "(counts unavailable)")

# `kith show` of the person with the most mail: the longest history to read.
who=$(sqlite3 "$db" "select key from people where key like '%@%' order by messages desc limit 1")
for cmd in replies list "show $who"; do
	# shellcheck disable=SC2086 # $cmd is a command and its argument
	"$kith" $cmd >"$work/cmd.out" 2>&1 || { echo "bench/due.sh: kith $cmd failed:" >&2; cat "$work/cmd.out" >&2; exit 1; }
done

echo "bench: timing with hyperfine…" >&2
hyperfine -N --style basic --warmup 5 --min-runs 40 --export-json "$work/hyperfine.json" \
	-n 'kith --version' "$kith --version" \
	-n 'sqlite3 count(*) messages' "sqlite3 $db 'select count(*) from messages'" \
	-n 'kith due' "$kith due" \
	-n 'kith replies' "$kith replies" \
	-n 'kith list' "$kith list" \
	-n 'kith show' "$kith show $who" >"$work/hyperfine.out" 2>&1 || {
	cat "$work/hyperfine.out" >&2
	exit 1
}

python3 - "$work/hyperfine.json" "$sizes" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ms = {k: r["median"] * 1000 for k, r in res.items()}
due = ms["kith due"]
print("kith due, replies, list, show on a store of %s, one run:" % sys.argv[2])
for k, r in res.items():
    print("  %-26s median %7.1f ms  (min %.1f, max %.1f, %d runs)" % (
        k, r["median"] * 1000, r["min"] * 1000, r["max"] * 1000, len(r["times"])))
print("ratio kith due / kith --version:            %.1f" % (due / ms["kith --version"]))
print("ratio kith due / sqlite3 count(*) messages: %.2f" % (due / ms["sqlite3 count(*) messages"]))
for k in ("kith due", "kith replies", "kith list", "kith show"):
    print("%-12s median %5.1f ms: target <= 50 ms %s" % (k, ms[k], "met" if ms[k] <= 50 else "MISSED"))
PY
