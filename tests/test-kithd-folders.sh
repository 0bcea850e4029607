#!/usr/bin/env bash
# Folder discovery against scripted servers whose folders real servers
# have but the test servers do not: a server that announces SPECIAL-USE but
# refuses LIST ... RETURN (SPECIAL-USE) gets the plain LIST; folders found
# by their usual names (Sent Items, Archives, Gmail's without flags); a
# \sent flag in lower case; and kithd --check says what it reads and leaves
# out, and why.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"

DOVECOT_IMAPS_PORT= DOVECOT_CA=	# write_config's defaults, replaced below

# serve NAME CAPS LIST-LINES...: a scripted IMAP server on loopback (no
# TLS) named NAME, announcing CAPS, answering LIST with the lines given
# ('(\Sent) "/" "Sent Items"'); the greeting and the LOGIN answer carry
# CAPS; RETURN (SPECIAL-USE) is refused with BAD.
# Its port is in $T/NAME.port, the commands it got in $T/NAME.log.
serve() {
	local name=$1 caps=$2
	shift 2
	printf '%s\n' "$@" >"$T/$name.list"
	python3 - "$T/$name.port" "$T/$name.log" "$caps" "$T/$name.list" <<'PY' &
import socket, sys
port_file, log_file, caps, list_file = sys.argv[1:5]
lines = [l.rstrip("\n") for l in open(list_file) if l.strip()]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
srv.settimeout(30)
open(port_file, "w").write(str(srv.getsockname()[1]))
log = open(log_file, "a")
while True:
    try:
        c, _ = srv.accept()
    except socket.timeout:
        break
    f = c.makefile("rb")
    c.sendall(b"* OK [CAPABILITY IMAP4rev1 %s] scripted\r\n" % caps.encode())
    while True:
        line = f.readline()
        if not line:
            break
        log.write(line.decode(errors="replace"))
        log.flush()
        tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
        cmd = rest.split(" ")[0].upper()
        if cmd == "CAPABILITY":
            c.sendall(b"* CAPABILITY IMAP4rev1 %s\r\n%s OK done\r\n" % (caps.encode(), tag.encode()))
        elif cmd == "LOGIN":
            c.sendall(b"%s OK [CAPABILITY IMAP4rev1 %s] logged in\r\n" % (tag.encode(), caps.encode()))
        elif cmd == "LIST" and "RETURN" in rest.upper():
            c.sendall(b"%s BAD unknown LIST option\r\n" % tag.encode())
        elif cmd == "LIST":
            for l in lines:
                c.sendall(b"* LIST " + l.encode() + b"\r\n")
            c.sendall(b"%s OK done\r\n" % tag.encode())
        elif cmd == "LOGOUT":
            c.sendall(b"* BYE bye\r\n%s OK done\r\n" % tag.encode())
            break
        else:
            c.sendall(b"%s NO not here\r\n" % tag.encode())
    c.close()
PY
	at_exit "kill $! 2>/dev/null"
	wait_until 5 test -s "$T/$name.port" || bail "the scripted server did not start"
	write_config "$T/$name.conf" "port = $(cat "$T/$name.port")" "tls = none" "ca_file ="
}

# SPECIAL-USE announced, RETURN refused: the plain LIST, its flags used.
serve badreturn "SPECIAL-USE IDLE" '() "/" INBOX' '(\sent) "/" Outbox' '(\Archive) "/" Old' '() "/" Notes'
run "$KITHD" -c "$T/badreturn.conf" --check -v
is "$rc" 0 "RETURN (SPECIAL-USE) refused: --check still succeeds" || diag "$err"
like "$(cat "$T/badreturn.log")" 'LIST "" "\*" RETURN \(SPECIAL-USE\)' "RETURN (SPECIAL-USE) is asked for"
like "$(cat "$T/badreturn.log")" '^[^ ]+ LIST "" "?\*"?.$' "then the plain LIST"
like "$out" "'Outbox' \\(sent, by its special-use flag\\)" 'a \sent flag in lower case counts'
like "$out" "'Old' \\(archive, by its special-use flag\\)" 'the \Archive flag of the plain LIST counts'
like "$out" "leaving out 'Notes' \\(not INBOX, sent mail or an archive\\)" "Notes is left out, and why"
like "$err" "RETURN \\(SPECIAL-USE\\) refused" "the refusal is logged at -v"

# No SPECIAL-USE: the usual names, never asked with RETURN.
serve names "IDLE" '() "/" INBOX' '() "/" "Sent Items"' '() "/" Archives' '() "/" Sent-old' '() "/" Trash' \
	"() \"/\" \"Evil$(printf '\033')[2J$(printf '\302\233')1m\""
run "$KITHD" -c "$T/names.conf" --check
is "$rc" 0 "no SPECIAL-USE: --check succeeds" || diag "$err"
unlike "$(cat "$T/names.log")" 'RETURN' "RETURN is never sent to a server without SPECIAL-USE"
like "$out" "'Sent Items' \\(sent, by its name\\)" "Sent Items is found by its name"
like "$out" "'Archives' \\(archive, by its name\\)" "Archives is found by its name"
like "$out" "leaving out .*'Sent-old' \\(not INBOX" "an unknown name is left out"
like "$out" "'Evil\\[2J1m'" "a name is shown without its control characters"
has_esc() { printf '%s' "$1" | LC_ALL=C grep -q $'\x1b\\|\xc2\x9b'; }
ok "and never reaches the terminal or the log" not has_esc "$out$err"
is "$(grep -c 'CAPABILITY' "$T/names.log")" 0 "the greeting's and LOGIN's capabilities are used: no CAPABILITY asked"

# Gmail's folders without flags: All Mail and Sent Mail by name, INBOX
# not read again.
serve gmail "IDLE" '() "/" INBOX' '(\Noselect) "/" "[Gmail]"' '() "/" "[Gmail]/All Mail"' \
	'() "/" "[Gmail]/Sent Mail"' '() "/" "[Gmail]/Spam"'
run "$KITHD" -c "$T/gmail.conf" --check
is "$rc" 0 "Gmail's names: --check succeeds" || diag "$err"
like "$out" "reading '\\[Gmail\\]/Sent Mail' \\(sent, by its name\\), '\\[Gmail\\]/All Mail' \\(all, by its name\\)" \
	"Sent Mail and All Mail are read, Sent first"
like "$out" "leaving out .*'INBOX' \\(All Mail holds it\\)" "INBOX is not read again"
like "$out" "'\\[Gmail\\]' \\(cannot be selected\\)" "[Gmail] cannot be selected"

# A listed folder gets its role from its name.
write_config "$T/listed.conf" "port = $(cat "$T/names.port")" "tls = none" "ca_file =" \
	"folders = INBOX, Sent Items"
run "$KITHD" -c "$T/listed.conf" --check
like "$out" "'Sent Items' \\(sent, by its name\\)" "a listed Sent Items is read as sent"

done_testing
