#!/bin/bash
# A run of a cycle's period is answered when it is done, and on a large
# database (a monthly run escalating thousands of hazards) that takes
# longer than the half minute hazardctl gives any other request: the
# run goes on in hazardd, but hazardctl said "no answer" and exit 3.
# `cycle run` waits ten minutes.  A stand-in server answers after 2 s,
# and hazardctl's clock runs twenty times fast (libfaketime): 40 s.
. "$(dirname "$0")/lib.sh"

lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
[ -n "$lib" ] || { echo "libfaketime is missing"; exit 1; }
P=$(free_port)
start_standin "$P" --delay 2 \
    '/cycles/={"kind": "monthly", "period": "2026-10", "revision": 1, "id": 7}' \
    '={"id": 1}'

# (ASan, in the sanitizer build, wants to come first: as start_at.)
fast() {
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
	LD_PRELOAD=$lib FAKETIME="+0 x20" HAZARD_SERVER="http://127.0.0.1:$P" \
	    HAZARD_TOKEN=stand-in "$@"
}
OUT=$(fast "$HAZARDCTL" cycle run monthly --period 2026-10 2>&1)
expect_eq "a run answered after 40 s is taken" 0 $?
expect_match "and said" '^monthly 2026-10 revision 1 \(digest 7\)$' "$OUT"
# The clock is fast indeed: a warning, given half a minute, is not.
OUT=$(fast "$HAZARDCTL" warn --title 台风预警 --body 停课 2>&1)
expect_eq "any other request gives up after 30 s" 3 $?
expect_match "saying so" 'timed out after [23][0-9]{4} milliseconds' "$OUT"

finish
