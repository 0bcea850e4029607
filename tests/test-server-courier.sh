#!/usr/bin/env bash
# The integration tests every IMAP server must pass (tests/server-tests.sh),
# against Courier-IMAP 5.0 (unpacked by scripts/setup; root).
KITH_SERVER=courier
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/server-tests.sh"
