#!/usr/bin/env bash
# `kith config check --connect` and `kithd --check`: given a real Dovecot,
# a good account logs in and names the folders kithd would read; a wrong
# password and an unknown CA each fail with the reason, and nothing is
# written to the database.  (Host-name mismatches: test-kithd-tls.sh.)
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

dovecot_test_start "$T/dc"
dovecot_cert "$T/other" DNS:localhost IP:127.0.0.1

config() {	# config FILE PASSWORD CA HOST
	cat >"$1" <<CONF
[kith]
database = $T/kith.db

[account mail]
host = $4
port = $DOVECOT_IMAPS_PORT
tls = implicit
ca_file = $3
user = test
password_command = echo $2
CONF
}

config "$T/good" secret "$DOVECOT_CA" 127.0.0.1
run kithd -c "$T/good" --check
is "$rc" 0 "kithd --check: a good account logs in"
like "$out" '^mail: login OK on 127\.0\.0\.1:[0-9]+ \(certificate verified\), reading ' "and names the folders it would read"
for f in "'INBOX' \\(inbox\\)" "'Archive' \\(archive, by its special-use flag\\)" "'Sent' \\(sent, by its special-use flag\\)"; do
	like "$(head -1 <<<"$out")" "$f" "with their roles: $f"
done
unlike "$(head -1 <<<"$out")" 'Junk|Trash|Drafts' "never junk, trash or drafts"
like "$out" "mail: leaving out .*'Junk' \\(\\\\Junk\\)" "and says which folders it leaves out, and why"
like "$out" "mail: leaving out .*'Trash' \\(\\\\Trash\\)" "(Trash too)"
run kith -c "$T/good" config check --connect
is "$rc" 0 "kith config check --connect: OK"
like "$out" 'config OK' "the file is checked first"
like "$out" 'mail: login OK' "then the login is reported"
ok "no database is created by a check" not test -e "$T/kith.db"

config "$T/badpw" wrong "$DOVECOT_CA" 127.0.0.1
run kith -c "$T/badpw" config check --connect
is "$rc" 1 "a wrong password fails"
like "$out$err" 'mail: FAILED: .*(auth|login|password|credentials)' "and says the login was refused"

config "$T/badca" secret "$T/other/cert.pem" 127.0.0.1
run kith -c "$T/badca" config check --connect
is "$rc" 1 "an unknown CA fails"
like "$out" 'mail: FAILED: certificate of 127\.0\.0\.1 not trusted' "and says the certificate is not trusted"

printf '[kith]\ndefault_cadence = often\n' >"$T/broken"
run kith -c "$T/broken" config check --connect
is "$rc" 78 "a broken file stops before any login"

done_testing
