#!/usr/bin/env bash
# The first hour with kith, as a new user meets it: given the demo mailbox
# synced by kithd from a real Dovecot, the answers are honest (a failed or
# old sync is never "every relationship is fresh", an unknown circle is an
# error, circle changes report what really changed), the words are plain,
# options work after the command, typos get a did-you-mean, and the way to
# one's own mail starts with `kith config init`.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

demo_sync <<'CONF'
[circle work]
members = *@work.example
CONF
k() { kith -c "$T/config" "$@"; }
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# --- 1. honest state -----------------------------------------------------------
run k due
is "$rc" 0 "right after a sync, due exits 0"
unlike "$err" 'warning' "and warns of nothing"
run env KITH_NOW=2025-06-04T12:00:00Z kith -c "$T/config" due
is "$rc" 3 "two days after the last sync, due exits 3"
like "$err" "account 'demo' was last synced 2 days ago.*kith status" "saying how old the mail is and where to look"
run env KITH_NOW=2025-06-04T12:00:00Z kith -c "$T/config" --json replies
is "$rc" 3 "replies --json on old mail exits 3"
ok "its stdout is still JSON" python3 -c 'import json,sys; json.loads(sys.argv[1])' "$out"
# A running kithd waiting on IDLE records nothing while nothing arrives:
# then quiet is not staleness.
kithd -c "$T/config" --no-notify 2>"$T/daemon.log" &
kpid=$!
at_exit "kill $kpid"
for _ in $(seq 100); do
	k status 2>/dev/null | grep -q '^daemon *running' && break
	sleep 0.1
done
run env KITH_NOW=2025-06-04T12:00:00Z kith -c "$T/config" due
is "$rc" 0 "while kithd runs, due two days later exits 0"
unlike "$err" 'warning' "and warns of nothing"
kill -TERM "$kpid"
wait "$kpid"

# A fresh home and a wrong password: nothing synced, the sync failed.
mkdir -p "$T/fresh"
sed -e "s|^database = .*|database = $T/fresh/kith.db|" -e 's|echo secret|echo wrong|' \
	-e '/^\[circle work\]/,$d' "$T/config" >"$T/fresh/config"
run kithd -c "$T/fresh/config" --once --no-notify
is "$rc" 1 "kithd --once with a wrong password exits 1"
run kith -c "$T/fresh/config" due
is "$rc" 3 "then due exits 3"
unlike "$out" 'fresh' "never saying every relationship is fresh"
like "$out" 'nobody is due in the mail read so far' "but that nothing is due in what was read"
like "$err" "the last sync of account 'demo' failed: .*refused.*see 'kith status'" \
	"naming the error and kith status"
run kith -c "$T/fresh/config" --json due
is "$rc" 3 "due --json exits 3 too"
is "$out" "[]" "with plain JSON on stdout"
like "$err" "failed" "and the warning on stderr"
run kith -c "$T/fresh/config" replies
is "$rc" 3 "replies exits 3"
like "$out" 'none awaited in the mail read so far' "and says the mail is incomplete"

# --- 2. an unknown circle --------------------------------------------------------
run k due --circle nope
is "$rc" 2 "due --circle nope is a usage error"
like "$err" "no circle 'nope' \\(known circles: .*work" "listing the known circles"
run k list --circle nope
is "$rc" 2 "so is list --circle nope"
run k due --circle work
is "$rc" 0 "a configured circle is known"

# --- 3. circle changes report what changed ----------------------------------------
run k circle rm work lena
is "$rc" 0 "circle rm of a configured member exits 0"
like "$out" "^removed 0 people from circle 'work'" "but removed nobody"
like "$out" "Lena Fischer stays in circle 'work': its members in .*config include '\\*@work\\.example'" \
	"and says the configuration holds her"
run k show lena
like "$out" 'circles +.*work' "show still lists work"
run k circle add friends maya
like "$out" "^added 1 person to circle 'friends'" "adding Maya counts her"
run k circle add friends maya
like "$out" "^added 0 people to circle 'friends'" "adding her again counts nobody"
like "$out" "Maya Chen was in circle 'friends' already" "and says why"
run k --json circle rm friends maya
is "$(jq_ 'd["changed"]' <<<"$out")" "[$(k --json show maya | jq_ 'd["id"]')]" "JSON lists who changed"
run k circle accept 1 climbers
like "$out" "^added [1-9][0-9]* people? to circle 'climbers'" "accepting a suggestion adds its people"
n1=$(k --json list --circle climbers --acquaintances | jq_ 'len(d)')
run k circle accept 1 climbers
like "$out" "^added 0 people to circle 'climbers'" "accepting it again adds nobody"
is "$(k --json list --circle climbers --acquaintances | jq_ 'len(d)')" "$n1" "and the count stays"

# --- 4. people added by hand, imported, bounced -------------------------------------
run k add Jane Doe
is "$rc" 0 "add Jane Doe"
run k show jane
like "$out" 'relationship +yes: added by you \(no mail with them yet\)' "she is a relationship by the user's word"
unlike "$out" 'you wrote to them directly|you wrote never|they wrote never' "not by mail that never was"
run k add "Jane Doe"
is "$rc" 1 "adding the same name again is refused"
like "$err" "'Jane Doe' is known already \\(id [0-9]+\\).*--email" "saying how to add a namesake"
run k add "Jane Doe" --email jane.other@example.org
is "$rc" 0 "a namesake with an address is fine"
cat >"$T/two.vcf" <<'VCF'
BEGIN:VCARD
VERSION:3.0
FN:Olga Petrova
EMAIL;TYPE=work:olga@petrova-work.example
EMAIL;TYPE=home:olga@petrova-home.example
END:VCARD
VCF
run k import "$T/two.vcf"
is "$rc" 0 "import a card with two addresses"
run k show olga
like "$out" 'addresses +(olga@petrova-work\.example, olga@petrova-home|olga@petrova-home\.example, olga@petrova-work)\.example' "both addresses are kept"
bounced=$(k --json list --acquaintances | jq_ '" ".join(p["email"] for p in d if p["bounced"])')
ok "the demo has a bounced address" test -n "$bounced"
run k list --acquaintances
for b in $bounced; do
	like "$out" "$b .* bounced" "list shows $b as bounced, not ok"
done

# --- 5. 80 columns: WHY whole, every line fits ---------------------------------------
# check_due FILE COLS JSON: every line of FILE fits COLS, and each row's WHY
# (with its continuation lines) is the reason of --json, uncut.
check_due() {
	python3 - "$@" <<'PY'
import json, sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\n")
cols = int(sys.argv[2])
want = [p["reason"] if p["suggested"] else p["why_not"] for p in json.load(open(sys.argv[3]))]
width = lambda s: sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
lines = [l for l in lines if l.strip()]
at = lines[0].index("WHY")
rows = []
for l in lines[1:]:
    if l[:at].strip():
        rows.append(l[at:].strip())
    else:
        rows[-1] += " " + l.strip()
print("ok 1 - every line fits %d columns" % cols if max(map(width, lines)) <= cols
      else "not ok 1 - a line is wider than %d: %r" % (cols, max(lines, key=width)))
print("ok 2 - each WHY is whole at %d columns" % cols if rows == want
      else "not ok 2 - WHY cut: %r vs %r" % (rows, want))
PY
}
k due -n 8 --json >"$T/due.json"
for cols in 80 120; do
	COLUMNS=$cols k due -n 8 >"$T/due.$cols" 2>&1
	check_due "$T/due.$cols" "$cols" "$T/due.json" >"$T/checks"
	fold_tap "$T/checks"
done
like "$(head -1 "$T/due.80")" '^ *# +NAME +STATUS +WHY$' "at 80 columns due leaves EMAIL out for WHY"
like "$(head -1 "$T/due.120")" 'EMAIL' "at 120 it has room for EMAIL"
# The same on a real terminal: tmux windows of 80 and 120 columns.
for cols in 80 120; do
	sock=$T/tmux.$cols
	tmux -S "$sock" -f /dev/null new-session -d -x "$cols" -y 60 \
		"kith -c '$T/config' due -n 8; echo '-- show'; kith -c '$T/config' show maya -n 8; sleep 60"
	at_exit "tmux -S '$sock' kill-server"
	for _ in $(seq 50); do
		tmux -S "$sock" capture-pane -p | grep -q '^history' && break
		sleep 0.1
	done
	sleep 0.3
	tmux -S "$sock" capture-pane -p -J >"$T/pane.$cols"
	tmux -S "$sock" kill-server
	wide=$(python3 -c 'import sys; print(max(len(l.rstrip()) for l in open(sys.argv[1], encoding="utf-8")))' \
		"$T/pane.$cols")
	ok "tmux at $cols columns: no line wraps (longest $wide)" test "$wide" -le "$cols"
	sed -n '1,/^-- show/p' "$T/pane.$cols" | sed '$d' >"$T/pane-due.$cols"
	check_due "$T/pane-due.$cols" "$cols" "$T/due.json" >"$T/checks"
	fold_tap "$T/checks"
	like "$(cat "$T/pane.$cols")" 'history \(newest first\)' "tmux at $cols: show ran too"
done

# Every other command's text fits 80 columns too.
for a in "list" "list --acquaintances" "replies" "status" "circles" "circles --suggest" "goals" \
	"merge --suggest" "seeds" "events" "related maya" "show lena" "brief maya" "due --all" "search climbing"; do
	COLUMNS=80 k $a >"$T/w80" 2>/dev/null
	wide=$(python3 -c 'import sys, unicodedata
w = lambda l: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
print(max([w(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")] or [0]))' "$T/w80")
	ok "kith $a fits 80 columns (widest line $wide)" test "$wide" -le 80
done

# --- 6. plain words; rules and scores with --verbose -------------------------------------
run k show maya
unlike "$out" '\((from-is-me|reply-to-user|default)\)|strength +[0-9]' "show names no rules and no raw score"
like "$out" 'you wrote|they wrote' "history says who wrote"
like "$out" 'tie +inner circle' "the tie in words"
run k show maya --verbose
like "$out" 'strength +[0-9]+\.[0-9]+' "--verbose keeps the score"
like "$out" '(from-is-me)' "and the rule names"
run k log olga --kind event
like "$out" '^logged an event with Olga Petrova' "logged an event"
run k show olga
unlike "$out" 'manual manual' "a logged item is not 'manual manual'"
like "$out" '[0-9-]+  imported' "the import is one plain line"
like "$out" 'event \(logged\)' "the event is a logged one"
# Every template, with counts of one: no "1 people", "a event", doubled words.
{
	k circle add solo maya; k circle rm solo maya; k log olga --kind call; k snooze olga 2w
	k unsnooze olga; k note olga met at the fair; k status; k circles; k goals; k due --all
	k replies; k list; k show olga; k import "$T/two.vcf"; k merge --suggest
} >"$T/all.out" 2>&1
all=$(cat "$T/all.out")
unlike "$all" '(^|[^0-9])1 (people|messages|accounts|persons|days|weeks|entries)\b' "no plural after 1"
unlike "$all" '\ba (event|account|address|[aeiou][a-z]+ (with|to))\b' "no 'a' before a vowel"
unlike "$all" '\b([a-z]+) \1\b' "no doubled words"

# --- 8. snooze in words (DEMO_NOW is Monday 2025-06-02, TZ=UTC) ----------------------
for w in "tomorrow:2025-06-03" "next week:2025-06-09" "friday:2025-06-06" "next friday:2025-06-06" \
	"mon:2025-06-09"; do
	run k snooze maya ${w%%:*}
	is "$rc" 0 "snooze maya ${w%%:*}"
	like "$out" "until ${w#*:}\$" "until ${w#*:}"
	is "$(k --json show maya | jq_ 'd["snoozed_until"]')" "${w#*:}T00:00:00Z" "from the start of that day"
done
run k snooze maya someday
is "$rc" 2 "a word kith does not know is a usage error"
like "$err" 'tomorrow, next week, a weekday' "naming what it takes"
k unsnooze maya >/dev/null

# --- 9. pictures: a sparkline of two years in show, the communities for Graphviz ---------
run k show maya
like "$out" 'sent +[▁▂▃▄▅▆▇█·]{24}  a month each, Jul 2023 to Jun 2025' "show draws two years of sent mail"
like "$out" 'received +[▁▂▃▄▅▆▇█·]{24}  up to [0-9]+ messages a month' "and of received mail"
k --json show maya -n 100000 >"$T/maya.json"
k show maya >"$T/maya.txt"
python3 - "$T/maya.json" "$T/maya.txt" <<'PY' >"$T/checks" || fail "the sparkline check ran" "$(cat "$T/checks")"
import json, re, sys
from datetime import datetime
d = json.load(open(sys.argv[1]))
sent, recv = [0] * 24, [0] * 24
for h in d["history"]:
    at = datetime.strptime(h["at"], "%Y-%m-%dT%H:%M:%SZ")
    m = (2025 - at.year) * 12 + (6 - at.month)
    if 0 <= m < 24:
        if h["direction"].startswith("sent"):
            sent[23 - m] += 1
        elif h["direction"] in ("received", "cc"):
            recv[23 - m] += 1
out = open(sys.argv[2], encoding="utf-8").read()
line = lambda k: re.search(r"^%s +(\S{24})" % k, out, re.M).group(1)
top = max(sent + recv)
for k, want in (("sent", sent), ("received", recv)):
    got = line(k)
    ok = all((ch == "\u00b7") == (n == 0) for ch, n in zip(got, want))
    print(("ok" if ok else "not ok") + " 1 - %s: a bar in each month with mail, a dot in each without" % k)
    full = [i for i, n in enumerate(want) if n == top]
    print(("ok" if all(got[i] == "\u2588" for i in full) else "not ok") +
          " 2 - %s: the busiest month is a full bar" % k)
print(("ok" if "up to %d messages a month" % top in out else "not ok") + " 3 - the scale is named")
PY
fold_tap "$T/checks"
run k circles --suggest --format dot
is "$rc" 0 "circles --suggest --format dot"
like "$out" '^graph kith \{' "writes a Graphviz graph"
like "$out" 'subgraph cluster_1 \{' "with a cluster per community"
like "$out" 'p[0-9]+ -- p[0-9]+' "and edges between people who share threads"
printf '%s\n' "$out" >"$T/circles.dot"
ok "dot draws it" dot -Tsvg -o "$T/circles.svg" "$T/circles.dot"
like "$(cat "$T/circles.svg")" 'Maya Chen' "with the people's names"
run k circles --suggest --format svg
is "$rc" 2 "an unknown format is a usage error"

# --- 10. global options after the command ----------------------------------------------
run k due --json
is "$rc" 0 "due --json works"
ok "and is JSON" python3 -c 'import json,sys; json.loads(sys.argv[1])' "$out"
run kith due -n 2 --config "$T/config" --no-color
is "$rc" 0 "--config after the command"

# --- 11. did you mean -------------------------------------------------------------
run k dued
is "$rc" 2 "an unknown command exits 2"
like "$err" "no command 'dued'; did you mean 'due'\\?" "suggesting due"
run k due --limt 3
is "$rc" 2 "an unknown option exits 2"
like "$err" "unknown option '--limt'; did you mean '--limit'\\?" "suggesting --limit"
run k show mya
is "$rc" 1 "show mya finds no one"
is "$(printf '%s\n' "$err" | sed -n 2p | sed 's/^ *[0-9]* *//')" "Maya Chen <maya@chen.example>" \
	"and suggests Maya Chen first"
run k show peeter
like "$(printf '%s\n' "$err" | sed -n 2,3p)" 'Pieter de Vries' \
	"show peeter suggests Pieter de Vries among the first two (Peter is as near)"
unlike "$err" 'Ben Carter' "not Ben Carter"

# --- 12. completion quotes names, in bash, zsh and fish (typed into tmux) ----------------
# complete_in NAME SHELL SETUP: start SHELL in tmux, run SETUP, type
# "kith show Pi", TAB, and then Enter; $pane is the screen.
complete_in() {
	local sock=$T/tmux.$1 i
	tmux -S "$sock" -f /dev/null new-session -d -x 150 -y 40 "$2"
	at_exit "tmux -S '$sock' kill-server"
	sleep 0.5
	tmux -S "$sock" send-keys "$3" Enter
	# A loaded machine (or a sanitizer build) is slow: wait (up to a minute) for the prompt
	# after the setup, and for the completion, rather than a fixed time.
	for i in $(seq 600); do
		[ "$(tmux -S "$sock" capture-pane -p | grep -cE '^\$|> |>$')" -ge 2 ] && break
		sleep 0.1
	done
	tmux -S "$sock" send-keys "kith show Pi" Tab
	for i in $(seq 600); do
		tmux -S "$sock" capture-pane -p | grep -q 'kith show Pieter' && break
		sleep 0.1
	done
	# What the shell was doing when no completion came: for the log.
	tmux -S "$sock" capture-pane -p | grep -q 'kith show Pieter' ||
		ps -eo pid,ppid,etime,stat,wchan:20,args | grep -E "[z]sh|[b]ash --norc|[f]ish|[k]ith " >"$T/ps.$1"
	tmux -S "$sock" send-keys Enter
	for i in $(seq 600); do
		tmux -S "$sock" capture-pane -p | grep -q '^addresses' && break
		sleep 0.1
	done
	pane=$(tmux -S "$sock" capture-pane -p)
	tmux -S "$sock" kill-server
}
export KITH_CONFIG=$T/config
mkdir -p "$T/shellhome"
complete_in bash "env HOME=$T/shellhome PS1='$ ' bash --norc --noprofile -i" \
	". /usr/share/bash-completion/bash_completion; . '$KITH_SRCDIR/completion/kith.bash'"
like "$pane" 'kith show Pieter\\ de\\ Vries' "bash completes Pi to the quoted name"
like "$pane" 'name +Pieter de Vries' "which then runs as one argument"
complete_in zsh "env HOME=$T/shellhome PS1='$ ' zsh -f -i" \
	"fpath=('$KITH_SRCDIR/completion' \$fpath); autoload -U compinit; compinit -u"
# Once, on a loaded sanitizer build, zsh answered neither the TAB nor the
# Enter after it for two minutes: say what it was doing, and try once more
# (a broken completion fails both times).
if ! printf '%s' "$pane" | grep -q 'kith show Pieter'; then
	diag "zsh: no completion; the processes then:"
	while IFS= read -r line; do diag "  $line"; done <"$T/ps.zsh"
	complete_in zsh2 "env HOME=$T/shellhome PS1='$ ' zsh -f -i" \
		"fpath=('$KITH_SRCDIR/completion' \$fpath); autoload -U compinit; compinit -u"
fi
like "$pane" 'kith show Pieter\\ de\\ Vries' "zsh completes Pi to the quoted name"
like "$pane" 'name +Pieter de Vries' "which then runs as one argument"
complete_in fish "env HOME=$T/shellhome fish --no-config" "source '$KITH_SRCDIR/completion/kith.fish'"
like "$pane" 'kith show Pieter\\ de\\ Vries' "fish completes Pi to the quoted name"
like "$pane" 'name +Pieter de Vries' "which then runs as one argument"
unset KITH_CONFIG

# --- 15. connection errors carry the fix ------------------------------------------------
# conn_config FILE KEY=VALUE...: the demo account with some keys changed.
conn_config() {
	local f=$1 kv
	shift
	cp "$T/config" "$f"
	for kv in "$@"; do
		sed -i "s|^${kv%%=*} = .*|${kv%%=*} = ${kv#*=}|" "$f"
	done
	sed -i "s|^database = .*|database = $T/conn.db|" "$f"
}
conn_config "$T/c-plain" port="$DOVECOT_IMAP_PORT"
run kithd -c "$T/c-plain" --check
is "$rc" 1 "implicit TLS on the plain IMAP port fails"
like "$out$err" "speaks plain text first, not TLS: try tls = starttls with port 143" "and says to use STARTTLS"
conn_config "$T/c-ca" ca_file=/dev/null
sed -i '/^ca_file/d' "$T/c-ca"
run kithd -c "$T/c-ca" --check
is "$rc" 1 "an untrusted certificate fails"
like "$out$err" "not trusted.*set ca_file = /path/to/ca\\.pem in \\[account demo\\]" "and points to ca_file"
conn_config "$T/c-pw" password_command="echo wrong"
run kithd -c "$T/c-pw" --check
is "$rc" 1 "a refused login fails"
like "$out$err" "refused.*check user and what password_command prints.*app password" \
	"and speaks of password_command and app passwords"
conn_config "$T/c-dns" host=no-such-host.invalid
run kithd -c "$T/c-dns" --check
is "$rc" 1 "an unknown host fails"
like "$out$err" "cannot find host 'no-such-host\\.invalid'" "and says the name was not found"
unlike "$out$err" "refused" "not that the connection was refused"
conn_config "$T/c-refused" port="$(free_port)"
run kithd -c "$T/c-refused" --check
is "$rc" 1 "a closed port fails"
like "$out$err" "connection refused or unreachable: check port in \\[account demo\\]" "and says to check the port"
unlike "$out$err" "cannot find host" "not that the host is unknown"

# --- 13. from the demo to one's own mail -----------------------------------------
export HOME=$T/newhome XDG_CONFIG_HOME=$T/newhome/.config XDG_DATA_HOME=$T/newhome/.local/share
mkdir -p "$HOME"
run kith config check
is "$rc" 78 "no configuration: config check exits 78"
like "$err" "no configuration file at '$XDG_CONFIG_HOME/kith/config'.*kith config init" "pointing to config init"
unlike "$out" 'config OK' "and does not say OK"
run kith due
is "$rc" 1 "kith due with nothing at all exits 1"
like "$err" "no configuration: write one with 'kith config init'" "pointing to config init first"
run kithd --once --no-notify
is "$rc" 78 "kithd without a configuration exits 78"
like "$err" "no configuration file at '$XDG_CONFIG_HOME/kith/config'.*kith config init" "kithd points to it too"
for p in gmail fastmail icloud outlook yahoo generic; do
	run kith -c "$T/init-$p" config init --provider $p --address ana@example.org
	is "$rc" 0 "config init --provider $p"
	run kith -c "$T/init-$p" config check
	is "$rc" 0 "its file checks OK"
done
like "$(cat "$T/init-gmail")" 'host = imap\.gmail\.com' "gmail: the host"
like "$(cat "$T/init-gmail")" 'All Mail' "gmail: All Mail"
like "$(cat "$T/init-outlook")" 'auth = xoauth2' "outlook: OAuth 2"
like "$(cat "$T/init-generic")" 'tls = starttls and port = 143' "generic: the STARTTLS variant"
like "$(cat "$T/init-gmail")" 'password_command = ' "a password_command example"
run kith config init --address ana@gmail.com
is "$rc" 0 "config init writes the default path"
like "$out" "wrote '$XDG_CONFIG_HOME/kith/config' for gmail" "guessing the provider from the address"
is "$(stat -c %a "$XDG_CONFIG_HOME/kith/config")" 600 "mode 0600"
echo "; mine" >>"$XDG_CONFIG_HOME/kith/config"
run kith config init
is "$rc" 1 "it never overwrites"
like "$(tail -1 "$XDG_CONFIG_HOME/kith/config")" '; mine' "the file is untouched"
run kith -c "$T/fresh/config" config check --connect
is "$rc" 1 "config check --connect with a wrong password fails"
unlike "$out" 'config OK' "and never says config OK"

# --- 14. the recipes are in the manual and the README -----------------------------------
# The page's source with roff's escaped hyphens plain (man itself may be absent on CI).
conf5=$(sed -e 's/\\-/-/g' "$KITH_SRCDIR/man/kith.conf.5")
readme=$(cat "$KITH_SRCDIR/README.md")
for w in "imap.gmail.com" "All Mail" "imap.fastmail.com" "imap.mail.me.com" "outlook.office365.com" \
	"auth = xoauth2" "ca_file" "pass show" "secret-tool" "gpg" "systemctl --user edit kithd" "ReadWritePaths"; do
	ok "kith.conf(5) has the recipe words '$w'" grep -qF -- "$w" <<<"$conf5"
	ok "the README has '$w'" grep -qF -- "$w" <<<"$readme"
done

# --- 16. the demo installs only what it needs ------------------------------------------
demo_pkgs=$("$KITH_SRCDIR/scripts/setup" --list)
check_pkgs=$("$KITH_SRCDIR/scripts/setup" --for check --list)
bench_pkgs=$("$KITH_SRCDIR/scripts/setup" --for bench --list)
for p in clang libclang-rt-14-dev valgrind xvfb dunst imagemagick isync maildir-utils hyperfine; do
	unlike "$demo_pkgs" "^$p\$" "the demo does not install $p"
done
for p in build-essential libetpan-dev dovecot-imapd openssl python3; do
	like "$demo_pkgs" "^$p\$" "the demo installs $p"
done
for p in clang libclang-rt-14-dev valgrind xvfb dunst imagemagick tmux zsh fish graphviz dovecot-imapd; do
	like "$check_pkgs" "^$p\$" "scripts/check's setup installs $p"
done
for p in isync maildir-utils hyperfine; do
	like "$bench_pkgs" "^$p\$" "the benchmarks' setup installs $p"
done
like "$(cat "$KITH_SRCDIR/scripts/check")" 'scripts/setup --for check' "scripts/check asks for the test tools"
# Each tool the tests start comes from a package scripts/check installs.
for t in tmux zsh fish dot valgrind Xvfb dunst sqlite3; do
	path=$(command -v "$t") || { fail "$t is installed"; continue; }
	pkg=$( (dpkg -S "$path" 2>/dev/null || dpkg -S "/bin/$t" 2>/dev/null) | head -n 1 | cut -d: -f1)
	like "$check_pkgs" "^$pkg\$" "$t (package $pkg) is in scripts/check's setup"
done
run "$KITH_SRCDIR/scripts/setup" --for nope --list
is "$rc" 2 "setup --for with an unknown set is a usage error"

done_testing
