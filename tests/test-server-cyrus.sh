#!/usr/bin/env bash
# The integration tests every IMAP server must pass (tests/server-tests.sh),
# against Cyrus IMAP 3.6 (unpacked by scripts/setup).
KITH_SERVER=cyrus
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/server-tests.sh"
