#!/usr/bin/env bash
# The throwaway Dovecot the integration tests rely on starts, serves the test
# user over IMAPS, and stops with every process it started.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

dovecot_test_start "$T/dc"
pass "dovecot starts"
reply=$(printf 'a LOGIN test secret\r\nb LIST "" "*"\r\nc LOGOUT\r\n' |
	timeout 10 openssl s_client -quiet -connect "127.0.0.1:$DOVECOT_IMAPS_PORT" \
		-CAfile "$DOVECOT_CA" -verify_return_error 2>/dev/null)
like "$reply" 'a OK' "the test user logs in over verified TLS"
like "$reply" '\\Sent\) "/" Sent' "Sent carries the \\Sent special-use flag"
pid=$(cat "$T/dc/run/master.pid")
dovecot_stop "$T/dc"
for i in $(seq 1 100); do alive "$pid" || break; sleep 0.05; done
ok "dovecot stops" not alive "$pid"
done_testing
