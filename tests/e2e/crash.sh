#!/bin/bash
# Crash safety: kill -9 in the middle of a load of reports, restart on
# the same database, and every report acknowledged (201) is there once,
# with its id, a retry of it answers 200 with that id, and a report sent
# but not answered is either there (a retry: 200) or not (201), never
# twice.  A few cycles here; bench/crash runs many.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/crashlib.sh"

CYCLES=${CRASH_CYCLES:-3}
start_daemon
crash_setup
for c in $(seq "$CYCLES"); do
	crash_cycle "$c"
	if [ "$CR_ACKED" -gt 0 ]; then
		pass "cycle $c: $CR_ACKED reports acknowledged before the kill"
	else fail "cycle $c: reports acknowledged before the kill" \
	    "none ($CR_WHY)"; fi
	expect_eq "cycle $c: none lost ($CR_ACKED acknowledged)" 0 "$CR_LOST"
	expect_eq "cycle $c: none twice" 0 "$CR_DUP"
	expect_eq "cycle $c: retries: 200 and the id for each acknowledged, 200 or 201 for the $CR_UNANSWERED unanswered ($CR_COMMITTED committed)" \
	    0 "$CR_BAD${CR_WHY:+ $CR_WHY}"
done
expect_exit "the database is sound" 0 "$HAZARDD" -c "$CONF" check
finish
