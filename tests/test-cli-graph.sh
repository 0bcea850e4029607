#!/usr/bin/env bash
# Synchronicity on the demo mailbox: given two years of Ana's mail served by
# a real Dovecot and synced by kithd, `kith circles --suggest` recovers the
# climbing friends and the work team the generator designed, with Lena
# Fischer bridging them; `kith related maya` lists the climbing friends,
# dormant ties first; `kith circle accept` turns a suggestion into a circle;
# `kith goals` counts this week's climbing friends written to.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

demo_sync <<'CONF'
[circle climbing]
cadence = 60d
members = maya@chen.example, lena.fischer@work.example, ines@moreau.example, kwame@mensah.example, chloe@martin.example

[goal seed-round]
circle = climbing
per_week = 2
CONF
k() { kith -c "$T/config" "$@"; }

# --- circles --suggest ------------------------------------------------------
run k --json circles --suggest
is "$rc" 0 "kith --json circles --suggest" || diag "$err"
printf '%s' "$out" >"$T/suggest.json"
run k --json circles --suggest
if [ "$out" = "$(cat "$T/suggest.json")" ]; then pass "the same database gives the same suggestions"; else fail "the same database gives the same suggestions"; fi

python3 - "$T/manifest.json" "$T/suggest.json" <<'PY' >"$T/checks"
import json, sys

manifest, sug = (json.load(open(p)) for p in sys.argv[1:3])
from tap import check

comms = sug["communities"]
emails = lambda c: {m["email"].lower() for m in c["members"] if m["email"]}
check([c["number"] for c in comms] == list(range(1, len(comms) + 1)), "communities are numbered 1..n")
bridges = {b["email"]: b for b in sug["bridges"]}
lena = manifest["bridges"][0]["address"]
climbers = {a.lower() for a in manifest["circles"]["climbing"]["members"]} - {lena}
climbing = [c for c in comms if climbers <= emails(c)]
check(len(climbing) == 1, "one community holds the climbing friends", "got: %s" % [sorted(emails(c)) for c in comms])
if climbing:
    c = climbing[0]
    check(len(emails(c) - climbers) <= 1, "and few others", "extra: %s" % sorted(emails(c) - climbers))
    check(c["name"] == "climbing", "it is named 'climbing' (%s)" % c["name_from"], "got: %s" % c["name"])
workers = {p["address"].lower() for p in manifest["relationships"] if p["address"].lower().endswith("@work.example")}
work = [c for c in comms if len(workers & emails(c)) * 2 > len(workers)]
check(len(work) == 1, "one community holds the work team", "got: %s" % [sorted(emails(c)) for c in comms])
if work:
    c = work[0]
    check(all(e.endswith("@work.example") for e in emails(c)), "only colleagues", "got: %s" % sorted(emails(c)))
    check(c["name"] == "work", "it is named 'work' (%s)" % c["name_from"], "got: %s" % c["name"])
check(lena in bridges, "%s is a bridge (%s)" % (manifest["bridges"][0]["name"], manifest["bridges"][0]["reason"]),
      "bridges: %s" % sorted(bridges))
if lena in bridges and climbing and work:
    check(set(bridges[lena]["communities"]) == {climbing[0]["number"], work[0]["number"]},
          "she links the climbing friends and the work team", "got: %s" % bridges[lena]["communities"])
check(all(b["email"] not in climbers for b in sug["bridges"]), "a climber who knows Lena alone is no bridge")
names = [c["name"] for c in comms]
check(len(set(names)) == len(names), "every community has its own name", "got: %s" % names)
check(len(sug["bridges"]) <= max(1, len(manifest["relationships"]) // 10),
      "bridges are at most a tenth of the relationships", "got %d" % len(sug["bridges"]))
check([b["weight"] for b in sug["bridges"]] == sorted((b["weight"] for b in sug["bridges"]), reverse=True),
      "bridges come strongest first")
if climbing:
    print("NUMBER %d" % climbing[0]["number"])
PY
number=$(sed -n 's/^NUMBER //p' "$T/checks")
fold_tap "$T/checks"

run k circles --suggest
is "$rc" 0 "kith circles --suggest (text)"
like "$out" "climbing — [0-9]+ people" "the text names the climbing community"
like "$out" "Lena Fischer links" "and the bridge"
run k circles --suggest extra
is "$rc" 2 "circles --suggest takes no operand"

# --- circle accept ------------------------------------------------------------
run k --json circle accept "${number:-1}" crag
is "$rc" 0 "kith circle accept N crag" || diag "$err"
accepted=$(printf '%s' "$out" | python3 -c 'import json,sys; print(sorted(json.load(sys.stdin)["ids"]))')
run k --json list --circle crag --acquaintances
listed=$(printf '%s' "$out" | python3 -c 'import json,sys; print(sorted(p["id"] for p in json.load(sys.stdin)))')
is "$listed" "$accepted" "the circle holds exactly the suggested members"
run k circle accept 999 nowhere
is "$rc" 1 "an unknown suggestion number is an error"
like "$err" "no suggested community 999" "which says so"
run k circle accept x nowhere
is "$rc" 2 "a bad number is a usage error"
run k circle accept 1
is "$rc" 2 "accept needs a name"

# --- related ------------------------------------------------------------------
run k --json related maya
is "$rc" 0 "kith --json related maya" || diag "$err"
python3 - "$T/manifest.json" <<'PY' "$out" >"$T/checks"
import json, sys

manifest = json.load(open(sys.argv[1]))
rel = json.loads(sys.argv[2])
from tap import check

check(rel["email"] == "maya@chen.example", "related answers about Maya")
items = rel["related"]
got = [i["email"] for i in items]
friends = [a for a in manifest["circles"]["climbing"]["members"] if a != "maya@chen.example"]
check(all(f in got for f in friends), "all her climbing friends are related", "got: %s" % got)
check(all(i["email"] not in ("maya@chen.example",) for i in items), "not Maya herself")
groups = [0 if i["relationship"] and i["status"] == "dormant" else 1 if i["relationship"] else 2 for i in items]
check(groups == sorted(groups), "dormant ties first, then relationships, then acquaintances", "got: %s" % groups)
for g in (0, 1, 2):
    scores = [i["score"] for i, gg in zip(items, groups) if gg == g]
    check(scores == sorted(scores, reverse=True), "by score within group %d" % g, "got: %s" % scores)
check(all(i["shared_threads"] >= 1 and i["related_reason"].startswith("%d thread" % i["shared_threads"])
          for i in items), "each says how many threads", "got: %s" % [i["related_reason"] for i in items])
check(all(not i["email"].endswith("@blast.example") for i in items), "nobody from the 40-friend blast")
PY
fold_tap "$T/checks"

run k related maya
is "$rc" 0 "kith related maya (text)"
like "$out" "Inès Moreau .* threads? with Maya Chen, last " "with a reason per person"
run k related -n 2 maya
is "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" 2 "-n limits the list"
run k related nobody-like-this
is "$rc" 1 "an unknown WHO is an error"
run k related
is "$rc" 2 "related needs a WHO"

# --- goals --------------------------------------------------------------------
# A Friday: the week began on Monday 2025-05-26 00:00 UTC.
export KITH_NOW=2025-05-30T18:00:00Z
for a in maya@chen.example lena.fischer@work.example ines@moreau.example kwame@mensah.example chloe@martin.example; do
	k --json show "$a" -n 1000 >"$T/show.$a" || fail "kith show $a"
done
want=$(python3 - "$T" <<'PY'
import glob, json, sys
from datetime import datetime, timezone
lo = datetime(2025, 5, 26, tzinfo=timezone.utc)
hi = datetime(2025, 5, 30, 18, tzinfo=timezone.utc)
n = 0
for f in glob.glob(sys.argv[1] + "/show.*"):
    for h in json.load(open(f))["history"]:
        at = datetime.strptime(h["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        if lo <= at <= hi and (h["direction"] == "manual" or (h["direction"].startswith("sent") and h["counted"])):
            n += 1
            break
print(n)
PY
)
ok "the demo has climbing mail this week (the check below is not trivial)" test "${want:-0}" -ge 1
run k goals
is "$rc" 0 "kith goals" || diag "$err"
like "$out" "^seed-round: $want of 2 this week" "seed-round: $want of 2 this week"
like "$out" "next: " "with whom to write to next"
run k --json goals
is "$(printf '%s' "$out" | python3 -c 'import json,sys; g=json.load(sys.stdin)[0]; print(g["done"], g["per_week"], g["week_start"], len(g["reached"]))')" \
	"$want 2 2025-05-26T00:00:00Z $want" "goals --json: done, per_week, week_start, reached"
k log chloe --when 2025-05-29 --kind call >/dev/null || fail "kith log"
run k goals
like "$out" "^seed-round: $((want + 1)) of 2 this week" "a logged call counts towards the goal"
run k goals extra
is "$rc" 2 "goals takes no operand"

done_testing
