#!/usr/bin/env python3
# realmail-check.py - what kith said about a real mailbox against what its owner expects.
"""realmail-check.py NAME EXPECT.json DIR

DIR holds kith's answers after kithd synced fixture NAME: before.list
(list --acquaintances), before.replies, before.due (due --all), due10
(due -n 10), merge (merge --suggest) and shows (one line per `show WORDS`:
words, address, exit code, JSON). Prints one TAP line per expectation,
tagged with the rule it tests; expectations marked todo in EXPECT.json are
TODO lines. Ends with '#' lines giving the first ten of due, the size of
awaiting and the merge suggestions, for a reader to judge.

With --accepted, DIR/accepted.list is `list --acquaintances` after the
owner accepted the suggestions that addresses are theirs (written into
`me`, then `kith rebuild`): checks recall, including the relationships
marked after_accepting, and that no accepted address is a person.
"""

import datetime
import json
import os
import re
import statistics
import sys

name, expect_path, d = sys.argv[1:4]
accepted = sys.argv[4:5] == ["--accepted"]
expect = json.load(open(expect_path))


def load(f, default):
    try:
        with open(os.path.join(d, f)) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return default


people = load("accepted.list" if accepted else "before.list", [])
replies = load("before.replies", {"owed": [], "awaiting": []})
due = load("before.due", [])
due10 = load("due10", [])
merge = load("merge", [])

by_addr = {}
for p in people:
    for a in (p.get("addresses") or []) + [p.get("email")]:
        if a:
            by_addr[a.lower()] = p

n = 0


def check(cond, tag, desc, detail="", todo=False):
    global n
    n += 1
    line = "%s %d - %s: [%s] %s" % ("ok" if cond else "not ok", n, name, tag, desc)
    if todo and not cond:
        line += " # TODO beyond the written rules"
    print(line)
    if not cond and detail:
        print("#   " + detail)


def brief(p):
    return p and {k: p.get(k) for k in ("name", "email", "relationship", "status")}


def in_due(addr, items):
    addr = addr.lower()
    return [i for i in items
            if addr in [a.lower() for a in (i.get("addresses") or []) + [i.get("email") or ""]]]


def suggested(a, b):
    """A merge suggestion names both addresses, or kith already holds them as one person."""
    a, b = a.lower(), b.lower()
    for s in merge:
        text = " ".join(s.get("people", [])).lower()
        if a in text and b in text:
            return True
    pa, pb = by_addr.get(a), by_addr.get(b)
    return pa is not None and pa is pb


if accepted:
    # After the owner accepted their own addresses (me = ..., kith rebuild):
    # everyone they correspond with is a relationship, those reached only
    # through an accepted address too, and no address of theirs is a person.
    for r in expect["relationships"]:
        p = by_addr.get(r["address"].lower())
        check(p is not None and p.get("relationship"), "recall",
              "after accepting the user's addresses, %s is a relationship%s" %
              (r["address"], " (%s)" % r["after_accepting"][:70] if r.get("after_accepting") else ""),
              "got: %r" % brief(p))
    for s in expect["self_aliases"]:
        check(s["address"].lower() not in by_addr, "self-alias",
              "after accepting, the user's own %s is no person" % s["address"])
    sys.exit(0)

for r in expect["relationships"]:
    if r.get("after_accepting"):
        continue    # checked after the owner accepts the address (--accepted)
    p = by_addr.get(r["address"].lower())
    check(p is not None and p.get("relationship"), "recall",
          "%s is a relationship (%s)" % (r["address"], r["evidence"][:60]), "got: %r" % brief(p))

for r in expect["never"]:
    p = by_addr.get(r["address"].lower())
    check(p is None or not p.get("relationship"), "never",
          "%s is no relationship: %s" % (r["address"], r["why"]), "got: %r" % brief(p))
    check(not in_due(r["address"], due), "never", "%s is not in due --all" % r["address"])
    if "mailing list" in r["why"]:
        check(p is None, "list", "%s is no person at all: a list's own address" % r["address"],
              "got: %r" % brief(p))

for m in expect["me"]:
    check(m.lower() not in by_addr, "self", "the user's own %s is not a person" % m)

for s in expect["self_aliases"]:
    check(not in_due(s["address"], due10), "self-alias",
          "%s (the user's own) is not in the first ten of due" % s["address"])
    mine = [x.lower() for x in expect["me"]]
    hit = any(s["address"].lower() in " ".join(g.get("people", [])).lower() and
              (any(m in " ".join(g.get("people", [])).lower() for m in mine) or
               any(w in (g.get("reason") or "").lower() for w in ("your", "you", "user", "own")))
              for g in merge)
    check(hit, "self-alias", "%s is suggested as the user's own address" % s["address"],
          "merge --suggest: %s" % json.dumps(merge)[:300], todo=s.get("todo", False))

for m in expect["merge"]:
    check(suggested(m["a"], m["b"]), "merge-suggest",
          "%s and %s are suggested as one person (%s)" % (m["a"], m["b"], m["shape"]),
          "merge --suggest has %d suggestions" % len(merge), todo=m.get("todo", False))

awaiting = replies.get("awaiting", [])
def mid(m):
    """A Message-ID without its angle brackets, as kith may print it."""
    return (m or "").strip().strip("<>")


mine = {mid(r["message_id"]) for r in expect["replies"] if r.get("message_id")}
bad = [a for a in awaiting if mid(a.get("message_id")) in mine]
check(not bad, "threads", "none of the user's %d replies (Re:) is awaiting an answer" % len(mine),
      "%d listed, e.g. %s" % (len(bad), [a.get("subject") for a in bad[:5]]))
cap = expect["awaiting_max"]["n"]
check(len(awaiting) <= cap, "threads",
      "awaiting holds at most %d: the messages that could open a conversation" % cap,
      "awaiting has %d" % len(awaiting))
cand = {mid(m) for m in expect["awaiting_max"].get("candidates", [])}
bad = [a for a in awaiting if mid(a.get("message_id")) not in cand]
check(not bad, "threads", "every awaiting message opens a conversation (no reply, forward, thread or blast)",
      "%d others, e.g. %s" % (len(bad), [a.get("subject") for a in bad[:5]]))
blasts = {mid(m) for m in expect.get("blasts", {}).get("message_ids", [])}
bad = [i for i in replies.get("owed", []) if mid(i.get("message_id")) in blasts]
check(not bad, "blast", "no owed reply comes from a message to more than 10 recipients",
      "%d do, e.g. %s" % (len(bad), [(i.get("email"), i.get("subject")) for i in bad[:4]]))
never = {r["address"].lower() for r in expect["never"]}
bad = [a.get("email") for a in awaiting + replies.get("owed", []) if (a.get("email") or "").lower() in never]
check(not bad, "never", "no list, role or blast sender is owed or awaited", "found: %s" % bad[:5])

for r in expect["not_top_due"]:
    check(not in_due(r["address"], due10), "due-alias",
          "%s is not in the first ten of due: %s" % (r["address"], r["why"]))

if expect.get("names_null"):
    given = {r["address"].lower() for r in expect.get("named_addresses", [])}
    named = [p for p in people if p.get("name") is not None and
             not given & {a.lower() for a in (p.get("addresses") or []) + [p.get("email") or ""]}]
    check(not named, "names", "a person no header ever named has a null name",
          "%d of %d have a name, e.g. %s" % (len(named), len(people),
                                            [(p.get("email"), p.get("name")) for p in named[:3]]))

for m in expect.get("merge_never", []):
    check(not suggested(m["a"], m["b"]), "merge-precision",
          "%s and %s are not suggested as one person: %s" % (m["a"], m["b"], m["why"]),
          "merge --suggest has %d suggestions" % len(merge))

for r in expect.get("as_written", []):
    shown = {a for p in people for a in (p.get("addresses") or []) + [p.get("email") or ""]}
    check(r["address"] in shown, "as-written", "%s is shown as written" % r["address"],
          "shown: %s" % sorted(a for a in shown if a.lower().split("@")[-1] ==
                               r["address"].lower().split("@")[-1])[:8])

UNITS = {"day": 1, "week": 7, "month": 30.4, "year": 365}
WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def durations(text):
    """Every observed "every N unit" in a reason, in days: the rhythm the user
    keeps ("you write every 6 days", "you wrote about every 3 days"), not what
    kith asks ("kith asks every 9 days", 1.5 times it) nor a tier's default
    ("friends are asked every 3 months")."""
    out = []
    for asks, num, unit in re.findall(r"(ask(?:s|ed) )?every (\d+|an?|one|two|three|four|five|six)?\s*(day|week|month|year)s?",
                                      text or ""):
        if asks:
            continue
        k = WORDS.get(num, None) if not num.isdigit() else int(num)
        out.append((k if k is not None else 1) * UNITS[unit])
    return out


def episode_median(contact_days):
    """The median gap between episodes of the listed contact days: a day less
    than 3 days after an episode's first day belongs to it (a question, its
    answer and a thank-you are one exchange, as man kith says), and the gaps
    run between the episodes' first days."""
    days = sorted({datetime.date.fromisoformat(c.split()[0]).toordinal() for c in contact_days})
    starts = []
    for x in days:
        if starts and x - starts[-1] < 3:
            continue
        starts.append(x)
    gaps = sorted(b - a for a, b in zip(starts, starts[1:]))
    return statistics.median(gaps) if gaps else None


for r in expect.get("rhythms", []):
    items = in_due(r["address"], due) or [p for p in people if r["address"].lower() in
                                          [a.lower() for a in (p.get("addresses") or []) + [p.get("email") or ""]]]
    reason = items[0].get("reason") if items else None
    med = episode_median(r["contact_days"])
    check(med == r["median_gap_days"], "rhythm",
          "%s: the listed contact days make episodes %g days apart (median), as written" %
          (r["address"], r["median_gap_days"]), "computed: %r" % med)
    got = durations(reason)
    check(any(med / 1.3 <= x <= med * 1.3 for x in got), "rhythm",
          "%s: the reason states the observed rhythm, episodes every ~%g days" % (r["address"], med),
          "reason: %r" % reason)

try:
    shows = open(os.path.join(d, "shows")).read().splitlines()
except OSError:
    shows = []
for line in shows:
    words, addr, rc, out = (line.split("\t") + ["", "", ""])[:4]
    check(rc == "0" and addr.lower() in out.lower(), "names",
          "show \"%s\" finds %s by the words of its local part" % (words, addr),
          "exit %s: %s" % (rc, out[:200]))

# For a reader to judge as the mailbox's owner would.
print("# %s: first ten of due (KITH_NOW=%s)" % (name, expect["now"]))
for i, p in enumerate(due10, 1):
    print("#   %2d %s | %s | %s" % (i, p.get("email"), p.get("status"), p.get("reason")))
print("# %s: awaiting %d, owed %d" % (name, len(awaiting), len(replies.get("owed", []))))
print("# %s: merge --suggest %d" % (name, len(merge)))
for s in merge:
    print("#   %s | %s" % (" + ".join(s.get("people", [])), s.get("reason")))
