#!/usr/bin/env bash
# kithd sends no credential to a server it cannot verify: an unknown CA, a
# certificate for another name, STARTTLS stripped or refused, PREAUTH before
# STARTTLS are all refused before LOGIN, with an error naming host and reason.
# STARTTLS and (on loopback only) plain connections work when they should.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/test-kithd-lib.sh"

fill "$T/dc" test INBOX 3 in
dovecot_test_start "$T/dc"
logins() { grep -c "user=<test>" "$T/dc/dovecot.log" || true; }

# A CA that did not sign the server's certificate.
dovecot_cert "$T/otherca" DNS:localhost IP:127.0.0.1
write_config "$T/config" "ca_file = $T/otherca/cert.pem"
before=$(logins)
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 1 "unknown CA: --once exits 1"
like "$err" "certificate of 127.0.0.1 not trusted.*(signer|issuer)" "the error names the host and the reason"
is "$(logins)" "$before" "no login was attempted (server log)"
like "$(sql "SELECT last_error FROM accounts")" "not trusted" "the error is recorded for kith status"

# Without ca_file the self-signed certificate is not trusted either.
write_config "$T/config" "ca_file ="
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 1 "no ca_file: the system store does not trust a self-signed certificate"
is "$(logins)" "$before" "still no login attempted"

# A certificate for another name, trusted as a CA: the name check refuses it.
dovecot_cert "$T/dc2/ssl" DNS:mail.example.org
dovecot_start "$T/dc2" || bail "cannot start the second dovecot"
at_exit "dovecot_stop '$T/dc2'"
for host in 127.0.0.1 localhost; do
	write_config "$T/config" "host = $host"
	run "$KITHD" -c "$T/config" --once --no-notify
	is "$rc" 1 "wrong name ($host): --once exits 1"
	like "$err" "certificate of $host not trusted.*(hostname|IP|name)" "wrong name ($host): the reason is the name"
done
is "$(grep -c "user=<test>" "$T/dc2/dovecot.log" || true)" 0 "the server with the wrong name saw no login"
# Back to the first server (dovecot_start set the variables for the second).
read -r DOVECOT_IMAP_PORT DOVECOT_IMAPS_PORT <"$T/dc/ports"
DOVECOT_CA=$T/dc/ssl/cert.pem

# STARTTLS against the real server works and is verified.
write_config "$T/config" "tls = starttls" "port = $DOVECOT_IMAP_PORT"
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 0 "STARTTLS with a verified certificate syncs"
is "$(folder_count INBOX)" 3 "and reads INBOX"

# tls = none: refused for anything but loopback, accepted there.
write_config "$T/config" "tls = none" "port = $DOVECOT_IMAP_PORT"
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 0 "tls = none to a loopback host works"
write_config "$T/config" "tls = none" "port = $DOVECOT_IMAP_PORT" "host = imap.example.org"
run "$KITHD" -c "$T/config" --once --no-notify
is "$rc" 78 "tls = none to another host is a configuration error"

# "localhost." passes for loopback by name but goes to the resolver: what it
# resolves to decides.  A private mount namespace gives it a hosts file
# where it names a remote address.
printf '127.0.0.1 localhost\n192.0.2.7 localhost.\n' >"$T/hosts"
if unshare -m sh -c "mount --bind '$T/hosts' /etc/hosts && getent hosts localhost." 2>/dev/null |
	grep -q 192.0.2.7; then
	write_config "$T/config" "tls = none" "port = $DOVECOT_IMAP_PORT" "host = localhost."
	run timeout 30 unshare -m sh -c "mount --bind '$T/hosts' /etc/hosts && exec '$KITHD' -c '$T/config' --once --no-notify"
	is "$rc" 1 "tls = none to 'localhost.' resolving elsewhere: refused"
	like "$err" "'localhost\.' resolves to an address that is not loopback" "the error says why"
else
	pass "# SKIP no private mount namespace to give 'localhost.' another address"
	pass "# SKIP the same"
fi

# Scripted servers: STARTTLS stripped, refused, and PREAUTH before STARTTLS.
fake() {	# fake MODE: start tests/fake-imap.py, its port in $fake_port
	rm -f "$T/fake.port"
	python3 "$KITH_SRCDIR/tests/fake-imap.py" --mode "$1" --port-file "$T/fake.port" \
		--log "$T/fake-$1.log" "${@:2}" &
	local pid=$!
	at_exit "kill $pid"
	wait_until 5 test -s "$T/fake.port" || bail "fake-imap.py did not start"
	fake_port=$(cat "$T/fake.port")
}
for mode in starttls-stripped starttls-refused preauth; do
	fake "$mode"
	write_config "$T/config" "tls = starttls" "port = $fake_port"
		run timeout 20 "$KITHD" -c "$T/config" --once --no-notify
	is "$rc" 1 "$mode: --once exits 1"
	case $mode in
	preauth) like "$err" "PREAUTH.*refusing" "$mode: refused with a clear error" ;;
	*) like "$err" "STARTTLS failed.*not continuing without TLS" "$mode: refused with a clear error" ;;
	esac
	unlike "$(cat "$T/fake-$mode.log")" "LOGIN" "$mode: no LOGIN was sent"
done

done_testing
