#!/usr/bin/env bash
# The integration tests every IMAP server must pass (tests/server-tests.sh),
# against Dovecot 2.3.
KITH_SERVER=dovecot
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/server-tests.sh"
