#!/usr/bin/env bash
# The same answer whatever order mail arrives in: given the demo mailbox,
# when its three folders are read in each of their six orders (in batches,
# as kithd commits them), message by message in shuffled orders (as IDLE
# brings mail), and by the real kithd from Dovecot in two folder orders,
# then `kith --json list`, `due` and `replies` are byte for byte the same
# (row ids aside, which record the order), and the same after `kith rebuild`.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

INGEST=$KITH_BUILDDIR/tests/kith-ingest
[ -x "$INGEST" ] || bail "no $INGEST: run make first"
export KITH_NOW=$DEMO_NOW
dc=$T/dc
mkdir -p "$dc/mail/test"
"$KITH_SRCDIR/scripts/gen-mailbox" --out "$dc/mail/test/Maildir" --size demo \
	--now "$DEMO_NOW" --manifest "$T/manifest.json" >/dev/null ||
	bail "cannot generate the demo mailbox"
me=$(python3 -c 'import json,sys; print(", ".join(json.load(open(sys.argv[1]))["me"]))' "$T/manifest.json")
M=$dc/mail/test/Maildir
I="$M=inbox" S="$M/.Sent=sent" A="$M/.Archive=archive"

# config NAME [KITH-LINES...]: a config for the database $T/NAME.db.
config() {
	local name=$1
	shift
	printf '[kith]\ndatabase = %s\nme = %s\n' "$T/$name.db" "$me" >"$T/$name.conf"
	printf '%s\n' "$@" >>"$T/$name.conf"
}

# snapshot NAME SUFFIX: what the user sees, without the row ids (also
# those of the "kith merge A B" a held-back person's why_not suggests).
snapshot() {
	local c
	for c in "list --acquaintances --sort name" "due --all" "replies"; do
		# shellcheck disable=SC2086
		kith -c "$T/$1.conf" --json $c | grep -v '^ *"id": ' |
			sed -E 's/kith merge [0-9]+ [0-9]+/kith merge ID ID/g' >"$T/$1$2.${c%% *}" || return 1
	done
}

# same NAME SUFFIX WHAT: the snapshot equals the reference's.
same() {
	local f bad=
	for f in list due replies; do
		cmp -s "$T/ref.$f" "$T/$1$2.$f" || bad="$bad $f"
	done
	if [ -z "$bad" ]; then
		pass "$3: list, due and replies are the same"
	else
		fail "$3: differs in$bad" "$(diff "$T/ref.${bad# }" "$T/$1$2.${bad# }" | head -6)"
	fi
}

# ingest NAME ARGS...: kith-ingest into a fresh database, then snapshot it.
ingest() {
	local name=$1
	shift
	config "$name"
	"$INGEST" -c "$T/$name.conf" "$T/$name.db" "$@" 2>"$T/$name.log" ||
		bail "kith-ingest failed: $(cat "$T/$name.log")"
	snapshot "$name" ""
}

ingest ref "$I" "$S" "$A"
classes=$(sqlite3 "$T/ref.db" "SELECT count(*) FROM messages WHERE class = 'reply-human'")
like "$classes" '^[1-9][0-9]+$' "the reference read finds the answers to the user's mail ($classes)"

n=0
for order in "I S A" "I A S" "S I A" "S A I" "A I S" "A S I"; do
	n=$((n + 1))
	args=() label=
	for x in $order; do
		case $x in
		I) args+=("$I") label="$label INBOX" ;;
		S) args+=("$S") label="$label Sent" ;;
		A) args+=("$A") label="$label Archive" ;;
		esac
	done
	ingest "o$n" "${args[@]}"
	same "o$n" "" "folders read as$label"
done
for seed in 1 2 3; do
	ingest "s$seed" -s "$seed" "$I" "$S" "$A"
	same "s$seed" "" "one message at a time, shuffled (seed $seed)"
done

run kith -c "$T/o6.conf" rebuild
is "$rc" 0 "kith rebuild" || diag "$err"
snapshot o6 .rebuilt
same o6 .rebuilt "after kith rebuild"

# The real daemon, from a real server, in the two folder orders.
dovecot_test_start "$dc"
for order in "Archive, Sent, INBOX" "INBOX, Sent, Archive"; do
	name=kithd-${order%%,*}
	config "$name" "" "[account demo]" "host = 127.0.0.1" "port = $DOVECOT_IMAPS_PORT" "tls = implicit" \
		"ca_file = $DOVECOT_CA" "user = test" "password_command = echo secret" "folders = $order" \
		"" "[notify]" "enabled = no"
	run kithd -c "$T/$name.conf" --once --no-notify
	is "$rc" 0 "kithd reads $order" || diag "$err"
	snapshot "$name" ""
	same "$name" "" "kithd reading $order"
done

done_testing
