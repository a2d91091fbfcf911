#!/bin/bash
# A start that migrates the database keeps systemd waiting, not killing:
# before each migration (and every 5 s while one runs: 018-search takes
# some 80 s on a million hazards, near Type=notify's TimeoutStartSec of
# 90 s) hazardd sends EXTEND_TIMEOUT_USEC through sd_notify, with a
# watchdog ping, and logs how far it is; READY=1 comes after the last.
. "$(dirname "$0")/lib.sh"

: "${TOP_BUILDDIR:?set TOP_BUILDDIR}"
SINK="$TOP_BUILDDIR/tests/notify_sink"
MIGRATIONS=$(ls "$TOP_SRCDIR"/schema/[0-9]*.sql | wc -l)

"$SINK" "$T/notify" 20 >"$T/notified" &
sink=$!
i=0
while [ ! -S "$T/notify" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
# A new database: every migration runs.
export NOTIFY_SOCKET="$T/notify"
start_daemon
unset NOTIFY_SOCKET
stop_daemon
sleep 0.2
kill "$sink" 2>/dev/null
wait "$sink" 2>/dev/null

expect_eq "EXTEND_TIMEOUT_USEC once for each of the $MIGRATIONS migrations" \
    "$MIGRATIONS" \
    "$(grep -c '^EXTEND_TIMEOUT_USEC=30000000 WATCHDOG=1$' "$T/notified")"
expect_eq "READY=1 after the last of them, then STOPPING=1" \
    "EXTEND_TIMEOUT_USEC READY=1 STOPPING=1 " \
    "$(grep -v '^WATCHDOG=1$' "$T/notified" | sed 's/=[0-9]* WATCHDOG=1$//' |
    uniq | tr '\n' ' ')"
expect_match "each migration is logged with its time" \
    'applied migration 018-search in [0-9]+ s' "$(cat "$T/hazardd.log")"

# A database already migrated: no more time is asked for.
"$SINK" "$T/notify2" 20 >"$T/notified" &
sink=$!
i=0
while [ ! -S "$T/notify2" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
export NOTIFY_SOCKET="$T/notify2"
start_daemon
unset NOTIFY_SOCKET
stop_daemon
sleep 0.2
kill "$sink" 2>/dev/null
wait "$sink" 2>/dev/null
expect_eq "up to date: READY=1 at once" "READY=1 STOPPING=1 " \
    "$(grep -v '^WATCHDOG=1$' "$T/notified" | tr '\n' ' ')"
finish
