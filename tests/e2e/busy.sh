#!/bin/bash
# The loop keeps answering while a digest is being built: the build runs
# on a thread of its own.  To hold it in the middle, the temporary file
# it writes into the outbox is a FIFO, which blocks its writer until the
# test reads it; meanwhile the daemon must answer reads and writes, and
# the run must not have been answered.
. "$(dirname "$0")/lib.sh"

# Before 08:00, so that the run tells the day so far.
start_at "2026-11-25 07:00:00"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl report --school S001 --title 东楼安全出口堵塞 --category fire >/dev/null

mkdir -p "$T/outbox"
fifo="$T/outbox/.daily-2026-11-25-r1.json.tmp"
mkfifo "$fifo"
ctl cycle run daily --period 2026-11-25 >"$T/run.out" 2>&1 &
run=$!

# The build reaches the FIFO and waits there; the loop is free.
expect_exit "a report while the digest is built" 0 ctl report \
    --school S001 --title 操场护栏松动 --category buildings
expect_exit "a list while the digest is built" 0 ctl list
expect_eq "the run is not answered yet" running \
    "$(kill -0 $run 2>/dev/null && echo running || echo answered)"

# Let the build go on.
cat "$fifo" >"$T/staged.json"
wait $run
expect_eq "the run is answered once the digest is made" 0 $?
expect_match "the run names the digest" "daily 2026-11-25 revision 1" \
    "$(cat "$T/run.out")"
expect_match "the staged JSON was the digest" '"kind":"daily"' \
    "$(head -c 200 "$T/staged.json")"
expect_exit "the digest is served" 0 ctl digest daily --period 2026-11-25
expect_match "the digest has the school's row" "第一中学 +S001 +[12] " "$OUT"
expect_match "the log tells the time in the loop" \
    "daily digest 2026-11-25 revision 1 made .* ms in the loop" \
    "$(cat "$T/hazardd.log")"
expect_eq "both reports are stored" 2 \
    "$(sqlite3 "$T/hazardd.db" 'SELECT count(*) FROM hazards')"
finish
