#!/usr/bin/env bash
# The sample mailbox generator: deterministic, well-formed mail, the shapes
# and counts it promises, and a manifest that the mail itself bears out.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

gen=$KITH_SRCDIR/scripts/gen-mailbox
now=2025-03-01T12:00:00Z

# digest DIR: one hash over every file's path, mtime and bytes.
digest() {
	(cd "$1" && find . -type f -printf '%P %T@\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 cat) | sha256sum | cut -d' ' -f1
}

run "$gen" --out "$T/a" --now "$now" --seed 7 --manifest "$T/a.json"
is "$rc" 0 "the demo mailbox is generated"
like "$err" 'messages in' "it says what it wrote"
run env PYTHONHASHSEED=99 "$gen" --out "$T/b" --now "$now" --seed 7 --manifest "$T/b.json"
is "$(digest "$T/b")" "$(digest "$T/a")" "same arguments give byte-identical files, names and mtimes"
ok "same arguments give the same manifest" cmp -s "$T/a.json" "$T/b.json"
run "$gen" --out "$T/c" --now "$now" --seed 8
ok "another seed gives another mailbox" not test "$(digest "$T/c")" = "$(digest "$T/a")"

for d in "" .Sent .Archive; do
	ok "folder '${d:-INBOX}' has cur, new and tmp" test -d "$T/a/$d/cur" -a -d "$T/a/$d/new" -a -d "$T/a/$d/tmp"
done

# Everything else is checked against the mail itself, by a reader that
# knows nothing of how the generator works.
cat >"$T/check.py" <<'PY'
import email, email.policy, email.utils, glob, json, os, re, sys

root, manifest = sys.argv[1], json.load(open(sys.argv[2]))
now = email.utils.parsedate_to_datetime("Sat, 01 Mar 2025 12:00:00 +0000").timestamp()
fails = []
def check(cond, what):
    print(("ok" if cond else "FAIL") + " " + what)
    if not cond:
        fails.append(what)

def norm(a):
    a = a.strip().lower()
    local, _, dom = a.rpartition("@")
    dom = dom.encode("idna").decode() if not dom.isascii() else dom
    if dom in ("gmail.com", "googlemail.com"):
        local, dom = local.split("+")[0].replace(".", ""), "gmail.com"
    return local + "@" + dom

msgs = []
for folder, pat in (("inbox", "cur/*"), ("sent", ".Sent/cur/*"), ("archive", ".Archive/cur/*")):
    names = sorted(os.path.basename(f) for f in glob.glob(os.path.join(root, pat)))
    times = [os.stat(os.path.join(root, os.path.dirname(pat), n)).st_mtime for n in names]
    check(times == sorted(times), "%s: file names sort in arrival order" % folder)
    check(all(int(n.split(".")[0]) == t for n, t in zip(names, times)), "%s: mtime is the name's time" % folder)
    check(all(n.endswith(":2,S") for n in names), "%s: names end in :2,S" % folder)
    for n, t in zip(names, times):
        raw = open(os.path.join(root, os.path.dirname(pat), n), "rb").read()
        m = email.message_from_bytes(raw, policy=email.policy.default)
        msgs.append((folder, t, m, raw))

bad = [r for f, t, m, r in msgs if m.defects or not m["Message-ID"] or not m["From"] or not m["Date"]]
check(not bad, "every file parses as a message with From, Date, Message-ID (%d bad)" % len(bad))
counts = {f: sum(1 for x in msgs if x[0] == f) for f in ("inbox", "sent", "archive")}
check(counts == {k: manifest["counts"][k] for k in counts}, "folder counts match the manifest %s" % counts)
ids = {}
for f, t, m, r in msgs:
    ids.setdefault(m["Message-ID"], []).append((f, r))
check(2500 <= len(ids) <= 4000, "about 3,000 distinct messages (%d)" % len(ids))
check(min(t for _, t, _, _ in msgs) >= now - 731 * 86400 and max(t for _, t, _, _ in msgs) <= now,
      "two years of mail before --now")
same = [v for v in ids.values() if len(v) > 1]
def copies(v):
    """The copies of one Message-ID, apart from a list's rewritten copy (From the list, List-Id)."""
    out = set()
    for _, r in v:
        m = email.message_from_bytes(r, policy=email.policy.default)
        if not (m["List-Id"] and " via " in str(m["From"])):
            out.add(r)
    return out
check(all(len(copies(v) or {r for _, r in v}) == 1 for v in same),
      "a Message-ID seen twice is the same message, or a list's copy with its own From")
check(sum(1 for v in same if {"inbox", "archive"} <= {f for f, _ in v}) == manifest["counts"]["archive_copies"] > 10,
      "some messages are in both INBOX and Archive")
dangling = [m["In-Reply-To"] for _, _, m, _ in msgs if m["In-Reply-To"] and m["In-Reply-To"] not in ids]
check(not dangling, "every In-Reply-To names a message of the mailbox (%d dangling)" % len(dangling))

me = {norm(a) for a in manifest["me"]}
def addrs(m, *fields):
    out = []
    for f in fields:
        for v in m.get_all(f) or []:
            out += [norm(a) for _, a in email.utils.getaddresses([str(v)]) if "@" in a]
    return out
sent = [(t, m) for f, t, m, _ in msgs if f == "sent"]
recv = [(t, m) for f, t, m, _ in msgs if f != "sent"]
check({norm(a) for t, m in sent for a in addrs(m, "From")} == me, "Sent is written from exactly the 'me' addresses")
sent_rcpt = [(t, addrs(m, "To", "Cc")) for t, m in sent]
recv_from = [(t, addrs(m, "From"), bool(m["Auto-Submitted"])) for t, m in recv]
def direct(a):
    return [t for t, r in sent_rcpt if a in r and len(r) <= 10]
def wrote(a):
    return [t for t, f, auto in recv_from if a in f and not auto]

for r in manifest["relationships"]:
    a = norm(r["address"])
    d, w = direct(a), wrote(a)
    days = {int(t // 86400) for t in d}
    check(d and (w or len(days) > 1), "relationship %s: Ana wrote directly and they answered" % a)
for r in manifest["automated"]:
    a = norm(r["address"])
    check([1 for t, f, _ in recv_from if a in f], "automated %s sent mail" % a)
    if r.get("ana_posts"):
        check([1 for t, rc in sent_rcpt if a in rc], "automated %s: a list Ana posts to" % a)
    else:
        check(not [1 for t, rc in sent_rcpt if a in rc], "automated %s never got mail from Ana" % a)
for r in manifest["acquaintances"]:
    # Written to directly once, unanswered (a tie met at an event and lost), is still no relationship.
    a = norm(r["address"])
    d, w = direct(a), wrote(a)
    check(not (d and (w or len({int(t // 86400) for t in d}) > 1)),
          "acquaintance %s: never written to directly and answered, nor on two days" % a)
for r in manifest["owed"]:
    a, since = norm(r["address"]), email.utils.parsedate_to_datetime(
        [str(m["Date"]) for _, m in recv if m["Message-ID"] == r["message_id"]][0]).timestamp()
    mine = [m for _, m in recv if m["Message-ID"] == r["message_id"]][0]
    check(a in addrs(mine, "From") and me & set(addrs(mine, "To")), "owed %s: they wrote to Ana in To" % a)
    check(not [t for t, r in sent_rcpt if t >= since and a in r], "owed %s: Ana never answered" % a)
    check(now - since > 2 * 86400, "owed %s: older than 2 days" % a)
for r in manifest["awaiting"]:
    a = norm(r["address"])
    t0 = [t for t, m in sent if m["Message-ID"] == r["message_id"]][0]
    check(not [t for t in wrote(a) if t > t0], "awaiting %s: no human answer" % a)
    check(now - t0 > 7 * 86400, "awaiting %s: older than 7 days" % a)
def personal(a):
    """Their mail to at most 10 people: more is a blast, no contact."""
    return [t for t, m in recv if a in addrs(m, "From") and not m["Auto-Submitted"]
            and len(addrs(m, "To", "Cc")) <= 10]
for r in manifest["dormant"]:
    a = norm(r["address"])
    last = max(direct(a) + personal(a))
    check(now - last > 365 * 86400, "dormant %s: silent for more than a year" % a)
for r in manifest["dead"]:
    check([1 for _, m in recv if norm(str(m["X-Failed-Recipients"] or "x@x")) == norm(r["address"])
           and m.get_content_type() == "multipart/report"], "dead %s: a bounce names it" % r["address"])

def named(m, a):
    """The display names m's address fields give address a."""
    return [n for f in ("From", "To", "Cc") for v in m.get_all(f) or []
            for n, x in email.utils.getaddresses([str(v)]) if norm(x) == a and n]
for c in manifest["cases"]:
    rule = c["rule"]
    if rule == "threads":
        a = norm(c["address"])
        theirs = [m for _, _, m, _ in msgs if a in addrs(m, "From", "To", "Cc")]
        check(not [m for m in theirs if m["In-Reply-To"] or m["References"]] and
              [m for m in theirs if m["Thread-Index"]], "threads %s: no In-Reply-To, a Thread-Index on some" % a)
        check(all(str(m["Subject"]).startswith("RE: ") for m in theirs if m["Message-ID"] in c["not_awaiting"]),
              "threads %s: Ana's answers say RE:" % a)
    elif rule in ("job-change", "same-local-part", "initial-surname", "not-suggested"):
        for x in c["addresses"]:
            check(not [1 for _, _, m, _ in msgs if named(m, norm(x))], "%s %s: no display name anywhere" % (rule, x))
        if c.get("quiet"):
            q, other = norm(c["quiet"]), norm([x for x in c["addresses"] if x != c["quiet"]][0])
            tq = [t for t, m in sent + recv if q in addrs(m, "From", "To", "Cc")]
            to = [t for t, m in sent + recv if other in addrs(m, "From", "To", "Cc")]
            check(max(tq) < min(to) and max(to) > now - 30 * 86400, "job change %s: silent as %s starts" % (q, other))
    elif rule == "yours":
        a = norm(c["address"])
        check([1 for t, m in recv if "(E-mail)" in " ".join(named(m, a))] and not wrote(a),
              "yours %s: others write to it under Ana's name + (E-mail); it never writes" % a)
    elif rule == "role" and not c["relationship"]:
        a = norm(c["address"])
        check(len({int(t // 86400) for t in direct(a)}) > 1 and not wrote(a),
              "role %s: Ana wrote to it on several days, it never answered" % a)
    elif rule == "name":
        a = norm(c["address"])
        check(wrote(a) and not [1 for _, _, m, _ in msgs if named(m, a)], "name %s: no display name anywhere" % a)
    elif rule == "rhythm" and c["every_days"] < 30:
        days = sorted({int(t // 86400) for t in direct(norm(c["address"]))})
        gaps = sorted(b - x for x, b in zip(days, days[1:]))
        check(len(gaps) >= 5 and gaps[len(gaps) // 2] == c["every_days"],
              "rhythm %s: Ana wrote every %d days" % (c["address"], c["every_days"]))

def heads(pat):
    return [r for _, _, _, r in msgs if re.search(pat, r.split(b"\n\n")[0], re.M)]
check(heads(rb"^Subject: .*\x1b\[31m"), "a subject carries a terminal escape")
check(heads(rb'^From: ".*DROP TABLE.*"'), "a display name carries quotes and SQL")
check(heads(rb"^From: =\?UTF-8\?Q\?") and heads(rb"^From: =\?UTF-8\?B\?"), "RFC 2047 names (Q and B)")
check(heads(rb"^From: [^\n]*[\x80-\xff]"), "8-bit UTF-8 names")
check(heads(rb"^List-Unsubscribe-Post:") and heads(rb"^X-MC-User:") and heads(rb"^Feedback-ID:"),
      "Substack, Mailchimp and SES newsletters")
check(heads(rb"^From: .* via Bay Hikers") and heads(rb"^X-Original-Sender:"), "a Google Groups list")
check(heads(rb"^X-GitHub-Sender:") and heads(rb"\(Google Docs\)") and heads(rb"via LinkedIn"), "notifications")
check(heads(rb"^Auto-Submitted: auto-replied") and heads(rb"^X-Autoreply:"), "out-of-office replies")
check(heads(rb"^To: undisclosed-recipients:;"), "a Bcc blast")
check(heads(rb"method=REQUEST") and heads(rb"method=REPLY"), "calendar invitation and answer")
check(heads(rb"^Thread-Index:"), "Outlook replies threaded by Thread-Index")
check(heads(rb"^Date: .* 2036 "), "a Date from a broken clock")
check([1 for t, m in sent if len(addrs(m, "To", "Cc")) >= 40], "Ana's blast to 40 people")
check([1 for t, m in recv if len(addrs(m, "To", "Cc")) > 10], "big Cc threads")
b = norm(manifest["bridges"][0]["address"])
groups = [set(addrs(m, "From", "To", "Cc")) for _, m in recv if b in addrs(m, "From", "To", "Cc")]
check(any("kwame@mensah.example" in g for g in groups) and any("kenji.sato@work.example" in g for g in groups),
      "the bridge shares threads with two communities")
sys.exit(1 if fails else 0)
PY
run python3 "$T/check.py" "$T/a" "$T/a.json"
nfail=$(printf '%s\n' "$out" | grep -c '^FAIL' || true)
is "$rc/$nfail" "0/0" "the mail bears out the manifest and every promised shape"
[ "$nfail" -eq 0 ] || diag "$(printf '%s\n' "$out" | grep '^FAIL')"
like "$out" 'ok relationship maya@chen.example' "the checker did check relationships"

# Bench size: counts and proportions as designed, ~1 KB messages.
run "$gen" --out "$T/bench" --size bench --messages 3000 --people 150 --now "$now" --manifest "$T/bench.json"
is "$rc" 0 "a bench mailbox is generated"
inbox=$(find "$T/bench/cur" -type f | wc -l)
sentn=$(find "$T/bench/.Sent/cur" -type f | wc -l)
is "$((inbox + sentn))" 3000 "bench: exactly --messages messages"
ok "bench: about 80% INBOX, 20% Sent ($inbox/$sentn)" test "$inbox" -gt 2250 -a "$inbox" -lt 2550
size=$(du -b --apparent-size "$T/bench/cur" | cut -f1)
ok "bench: about 1 KB a message ($((size / inbox)) bytes)" test $((size / inbox)) -gt 800 -a $((size / inbox)) -lt 1400
senders=$(cat "$T/bench/cur/"* | grep -c '^From: .*@[a-z]*\.example>' || true)
ok "bench: most INBOX mail comes from people" test "$senders" -gt 1500

run "$gen" --out "$T/huge" --size huge --messages 2000 --now "$now" --manifest "$T/huge.json"
is "$rc" 0 "a huge-size corpus is generated"
inter=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["interactions"])' "$T/huge.json")
ok "huge: ~2.9 interactions a message ($inter for 2000)" test "$inter" -gt 5000 -a "$inter" -lt 7000

# Bad input gets a clear error naming what was wrong.
run "$gen" --out "$T/x" --now yesterday
is "$rc" 2 "a bad --now is refused"
like "$err" "bad --now 'yesterday'" "the error names the bad value"
run "$gen" --out "$T/a"
is "$rc" 2 "a non-empty --out is refused"
like "$err" "'$T/a' exists" "the error names the directory"
run "$gen" --out "$T/y" --messages 5
like "$rc: $err" '^2: .*--messages' "--messages is refused for the demo size"
run "$gen" --out "$T/z" --size bench --messages 0
like "$rc: $err" "^2: .*bad --messages '0'" "--messages 0 is refused"
done_testing
