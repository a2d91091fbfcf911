#!/bin/bash
# Under systemd: the generated unit is complete (Type=notify, its user,
# state and configuration directories, a reload that checks the file
# first and signals with the shell's kill), systemd-analyze finds no
# unknown setting in it and rates its exposure 2.0 or less, the sysusers
# file makes the user; and hazardd speaks sd_notify: READY=1 once it
# listens, WATCHDOG=1 at half of WATCHDOG_USEC, RELOADING=1 and READY=1
# around a reload, STOPPING=1.
. "$(dirname "$0")/lib.sh"

: "${TOP_BUILDDIR:?set TOP_BUILDDIR}"
UNIT="$TOP_BUILDDIR/systemd/hazardd.service"
SYSUSERS="$TOP_SRCDIR/systemd/hazardd.sysusers"
SINK="$TOP_BUILDDIR/tests/notify_sink"

# The unit as make wrote it.
expect_eq "the unit is made" yes "$([ -s "$UNIT" ] && echo yes)"
unit=$(cat "$UNIT")
expect_eq "every @dir@ is filled in" "" "$(grep -n '@[a-z_]*@' "$UNIT")"
for line in 'Type=notify' 'NotifyAccess=main' 'User=hazardd' \
    'StateDirectory=hazardd' 'ConfigurationDirectory=hazardd' \
    'WatchdogSec=[0-9]+' \
    'ExecStart=/[^ ]*/hazardd -c /[^ ]*/hazardd/hazardd.conf$'; do
	expect_match "the unit has $line" "^$line" "$unit"
done
# The reload: the file checked first (a bad one fails the reload), then
# the signal by /bin/sh's built-in kill (/bin/kill is procps's, which a
# minimal system lacks).
start=$(sed -n 's/^ExecStart=\([^ ]*\) \(-c [^ ]*\)$/\1 \2/p' "$UNIT")
expect_eq "ExecReload checks the file ExecStart reads, then signals" \
    "$start --check-config|/bin/sh -c 'kill -HUP \$MAINPID'" \
    "$(sed -n 's/^ExecReload=//p' "$UNIT" | paste -sd '|')"
expect_eq "the unit does not pass --allow-root" "" \
    "$(grep -- '--allow-root' "$UNIT")"

if command -v systemd-analyze >/dev/null; then
	# verify wants the binary where ExecStart and ExecReload say: a copy
	# that names ours.
	mkdir -p "$T/unit"
	sed "s|^\(Exec[A-Za-z]*=\)/[^ ]*/hazardd |\1$HAZARDD |" "$UNIT" \
	    >"$T/unit/hazardd.service"
	expect_exit "systemd-analyze verify" 0 systemd-analyze verify \
	    --man=no "$T/unit/hazardd.service"
	expect_eq "no unknown or bad setting" "" "$OUT$ERR"

	expect_exit "systemd-analyze security" 0 systemd-analyze security \
	    --offline=yes "$T/unit/hazardd.service"
	exposure=$(printf '%s\n' "$OUT" |
	    sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
	expect_match "an exposure is given" '^[0-9]+\.[0-9]$' "$exposure"
	expect_eq "exposure $exposure is 2.0 or less" yes \
	    "$(awk -v e="$exposure" \
	    'BEGIN { print (e != "" && e <= 2.0) ? "yes" : "no" }')"
	# README gives the figure, which nspawn.sh checks on the running unit.
	expect_eq "exposure $exposure is README's" "$exposure" \
	    "$(awk '/^## Run under systemd/ { on = 1; next } /^## / { on = 0 }
	    on' "$TOP_SRCDIR/README.md" | tr '\n' ' ' |
	    sed -n 's/.*rates its exposure \([0-9.]*\) on the running.*/\1/p')"
else
	echo "# skipped systemd-analyze verify and security: systemd-analyze" \
	    "is missing (Debian package systemd)"
fi

if command -v systemd-sysusers >/dev/null; then
	mkdir -p "$T/root/etc"
	expect_exit "systemd-sysusers takes the file" 0 systemd-sysusers \
	    --root="$T/root" "$SYSUSERS"
	expect_match "it makes the user hazardd, at home in /var/lib/hazardd" \
	    '^hazardd:x:[0-9]+:[0-9]+:[^:]*:/var/lib/hazardd:' \
	    "$(cat "$T/root/etc/passwd")"
	expect_match "and its group" '^hazardd:x:[0-9]+:' \
	    "$(cat "$T/root/etc/group")"
else
	echo "# skipped systemd-sysusers: it is missing (Debian package systemd)"
fi

# sd_notify, to a socket of ours, with a watchdog of 200 ms.
"$SINK" "$T/notify" 20 >"$T/notified" &
sink=$!
i=0
while [ ! -S "$T/notify" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
export NOTIFY_SOCKET="$T/notify" WATCHDOG_USEC=200000
start_daemon
unset NOTIFY_SOCKET WATCHDOG_USEC
sleep 0.6
kill -HUP "$DAEMON_PID"
sleep 0.3
stop_daemon
sleep 0.2
kill "$sink" 2>/dev/null
wait "$sink" 2>/dev/null
# A new database: each migration asks for more time first
# (startnotify.sh).
notes=$(grep -v -e '^WATCHDOG=1$' -e '^EXTEND_TIMEOUT_USEC=' "$T/notified" |
    tr '\n' ' ')
expect_eq "READY, RELOADING and READY, STOPPING, in order" \
    "READY=1 RELOADING=1 READY=1 STOPPING=1 " "$notes"
pings=$(grep -c '^WATCHDOG=1$' "$T/notified")
expect_match "WATCHDOG=1 every 100 ms or so ($pings in about a second)" \
    '^([4-9]|[1-2][0-9])$' "$pings"
expect_match "the watchdog is logged" 'watchdog: a ping every 100 ms' \
    "$(cat "$T/hazardd.log")"

finish
