#!/usr/bin/env bash
# kithd killed with SIGKILL 3 times during the first sync of 6,000 messages,
# restarted each time, ends with the store of an uninterrupted sync: the
# short form, for `make check`, of `make check-long` (tests/long-kill.sh,
# which says what is compared).
KITH_LONG_MESSAGES=6000 KITH_LONG_KILLS=3 exec bash "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/long-kill.sh"
