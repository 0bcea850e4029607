#!/usr/bin/env bash
# One mailbox, one answer, whatever the server: the demo mailbox served by
# Dovecot, Cyrus IMAP and Courier-IMAP (each listing its folders in its own
# order, under its own names) gives the same `kith --json list`, `due` and
# `replies` once kithd has synced it.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"
KITH_SERVER=dovecot
. "$KITH_SRCDIR/tests/server-lib.sh"

servers="dovecot cyrus courier"
for KITH_SERVER in $servers; do
	srv_available || bail "$KITH_SERVER cannot run here: run scripts/setup (as root)"
done

"$KITH_SRCDIR/scripts/gen-mailbox" --out "$T/demo/Maildir" --size demo --now "$DEMO_NOW" \
	--manifest "$T/manifest.json" >/dev/null 2>&1 || bail "cannot generate the demo mailbox"
me=$(python3 -c 'import json,sys; print(", ".join(json.load(open(sys.argv[1]))["me"]))' "$T/manifest.json")
export KITH_NOW=$DEMO_NOW

for KITH_SERVER in $servers; do
	srv_start "$T/$KITH_SERVER" "$T/demo/Maildir"
	cat >"$T/$KITH_SERVER.conf" <<CONF
[kith]
database = $T/$KITH_SERVER.db
me = $me

[account demo]
host = 127.0.0.1
port = $SRV_IMAPS_PORT
tls = implicit
ca_file = $SRV_CA
user = test
password_command = echo secret

[notify]
enabled = no
CONF
	run kithd -c "$T/$KITH_SERVER.conf" --once --no-notify
	is "$rc" 0 "$KITH_SERVER: kithd syncs the demo mailbox" || diag "$(tail -5 <<<"$err")"
	is "$(sqlite3 -batch -noheader "$T/$KITH_SERVER.db" "SELECT count(*) FROM locations")" \
		"$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; print(c["inbox"]+c["sent"]+c["archive"])' "$T/manifest.json")" \
		"$KITH_SERVER: every message of INBOX, Sent and Archive is read"
	diag "$KITH_SERVER: $(grep -o 'reading .*' <<<"$err" | head -1)"
	for cmd in "list --acquaintances --sort name" "due --all" replies; do
		kith -c "$T/$KITH_SERVER.conf" --json $cmd >"$T/$KITH_SERVER.${cmd%% *}.json" 2>"$T/err" ||
			diag "kith $cmd failed on $KITH_SERVER: $(cat "$T/err")"
	done
done

# Compare with Dovecot's.  Row ids ("id") number people in the order they
# were first met, which is the order of the folders: they are not part of
# the answer.  On a difference, say whose entries differ, and in what.
for KITH_SERVER in cyrus courier; do
	for what in list due replies; do
		if python3 - "$T/dovecot.$what.json" "$T/$KITH_SERVER.$what.json" >"$T/diff" <<'PY'; then
import json, sys

def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k != "id"}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x

def entries(x):
    if isinstance(x, dict):
        return [(k, e) for k, v in x.items() for e in (v if isinstance(v, list) else [v])]
    return [("", e) for e in x]

a, b = (strip(json.load(open(p))) for p in sys.argv[1:3])
if a == b:
    sys.exit(0)
ea, eb = entries(a), entries(b)
only_a = [e for e in ea if e not in eb]
only_b = [e for e in eb if e not in ea]
print("%d entries differ (%d here)" % (len(only_a), len(only_b)))
for (ka, x), (kb, y) in zip(only_a[:5], only_b[:5]):
    if isinstance(x, dict) and isinstance(y, dict):
        print("%s %s: %s" % (ka, x.get("email"), {k: (x.get(k), y.get(k)) for k in sorted(set(x) | set(y))
                                                  if x.get(k) != y.get(k)}))
    else:
        print("%s %r / %r" % (ka, x, y))
if len(only_a) == len(only_b) and not only_a:
    print("the same entries in another order")
sys.exit(1)
PY
			pass "kith $what: $KITH_SERVER answers as Dovecot does"
		else
			mapfile -t lines <"$T/diff"
			fail "kith $what: $KITH_SERVER answers as Dovecot does" "${lines[@]}"
		fi
	done
done

done_testing
