#!/usr/bin/env bash
# The systemd user unit that `make install` puts in place is one systemd
# accepts without a warning, runs kithd the systemd way, and is sandboxed.
. "${KITH_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

command -v systemd-analyze >/dev/null || { echo "1..0 # SKIP systemd-analyze is not installed"; exit 0; }

built=$KITH_BUILDDIR/systemd/kithd.service
[ -f "$built" ] || bail "no $built: run make first"
unit=$(cat "$built")

unlike "$unit" '@[a-z]+@' "every @variable@ is substituted"
like "$unit" '^ExecStart=/[^ ]*/kithd$' "ExecStart runs kithd from bindir"
for want in '^Type=notify$' '^WatchdogSec=' '^Restart=on-failure$' \
	'^RestartPreventExitStatus=78$' '^ExecReload=/bin/kill -HUP \$MAINPID$' \
	'^NoNewPrivileges=yes$' '^ProtectSystem=strict$' '^PrivateTmp=yes$' \
	'^LockPersonality=yes$' '^MemoryDenyWriteExecute=yes$' \
	'^RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6$' \
	'^SystemCallFilter=@system-service$' '^MemoryHigh=128M$' '^MemoryMax=256M$' \
	'^ReadWritePaths=%h/.local/share/kith %t/kith$' '^WantedBy=default.target$'; do
	like "$unit" "$want" "the unit has $want"
done

# systemd-analyze checks that ExecStart exists: point it at the built kithd,
# or at a stand-in binary when the daemon is not built.
mkdir -p "$T/units"
exe=$KITH_BUILDDIR/daemon/kithd
[ -x "$exe" ] || exe=/bin/true
sed "s|^ExecStart=.*|ExecStart=$exe|" "$built" >"$T/units/kithd.service"

verify() { run systemd-analyze verify --user --man=no "$1"; }

verify "$T/units/kithd.service"
is "$rc" 0 "systemd-analyze verify --user passes"
is "$err" "" "and has nothing to say about the unit"

# The check above can fail: a misspelt key is reported.
sed 's/^ProtectSystem=/ProtectSistem=/' "$T/units/kithd.service" >"$T/units/typo.service"
verify "$T/units/typo.service"
like "$err" "Unknown key 'ProtectSistem'" "a misspelt key would be reported"

# systemd's own score of the sandbox: 0 is best, 10 worst; 3 is "OK".
run systemd-analyze security --user --offline=yes --threshold=30 "$T/units/kithd.service"
is "$rc" 0 "the sandbox's exposure is below 3.0"
diag "$(printf '%s\n' "$out" | grep 'Overall exposure')"

done_testing
