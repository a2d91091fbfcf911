#!/bin/bash
# The wall clock stepped while the daemon runs (NTP, date -s), with the
# daemon's clock set by libfaketime through a file that the test
# rewrites: a step back does not make a run early, on the wrong period,
# and a step forward does not leave the run an hour late.  The monotonic
# clock, on which libevent's timers count, is left alone, as a real
# step leaves it.
. "$(dirname "$0")/lib.sh"

RC="$T/faketime.rc"

# set_clock "YYYY-MM-DD HH:MM:SS": the daemon's wall clock now reads so
# (an offset from the real clock, re-read at every call).
set_clock() {
	printf '%+d\n' $(($(TZ=Asia/Shanghai date -d "$1" +%s) - $(date +%s))) \
	    >"$RC.new"
	mv "$RC.new" "$RC"
}

count_digests() {
	curl -s -H "Authorization: Bearer $HAZARD_TOKEN" "$SERVER/v1/digests" |
	    grep -o '"id":' | wc -l | tr -d ' '
}

lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
if [ -z "$lib" ]; then
	echo "libfaketime is missing: install the package faketime" >&2
	exit 1
fi

# A new database at 07:59:50 on 2026-12-03; the daily runs at 08:00.
set_clock "2026-12-03 07:59:50"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
export LD_PRELOAD="$lib" FAKETIME_TIMESTAMP_FILE="$RC" FAKETIME_NO_CACHE=1 \
    FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=Asia/Shanghai
start_daemon
unset LD_PRELOAD FAKETIME_TIMESTAMP_FILE FAKETIME_NO_CACHE \
    FAKETIME_DONT_FAKE_MONOTONIC TZ
export HAZARD_TOKEN=$(office_token office)

# The clock is stepped back an hour.  Ten seconds on, when a relative
# timer armed for 08:00 fires, the wall clock says 07:00:10: no daily
# is due (yesterday's is from before the database).
set_clock "2026-12-03 07:00:00"
sleep 13
expect_eq "a step back: nothing runs before its time" 0 "$(count_digests)"

# The clock is stepped forward to just before 08:00: the daily of
# 12-03 is made within the half minute of the next look at the clock,
# not an hour later.
set_clock "2026-12-03 07:59:58"
i=0
while [ "$(count_digests)" -lt 1 ] && [ $i -lt 40 ]; do
	sleep 1
	i=$((i + 1))
done
list=$(curl -s -H "Authorization: Bearer $HAZARD_TOKEN" "$SERVER/v1/digests")
expect_eq "a step forward: the daily runs within 30 s" 1 "$(count_digests)"
expect_match "the daily of 2026-12-03" '"kind":"daily","period":"2026-12-03"' "$list"
expect_match "made by the schedule" '"trigger":"schedule"' "$list"

finish
