#!/bin/bash
# The budget of the answers queued for clients that do not take them
# ([server] max_output, 16 MiB by default; 1 MiB here).  An export is
# made a page at a time (256 KiB) as its client takes it; 24 clients
# that ask for an export and never read would hold a page each in the
# daemon once the kernel's buffers are full (7 MB, counted by
# hazardd_output_queued_bytes); past the budget no export makes its
# next page, so together they hold about the budget.  A client that
# reads meanwhile gets all of its export, and at once (fairbudget.sh);
# the idle ones are cut by the timeout (each once it has a piece it
# does not take).
. "$(dirname "$0")/lib.sh"

start_daemon "[server]" "timeout = 4" "max_output = 1048576"
export HAZARD_TOKEN=$(office_token office)
AUTH="Authorization: Bearer $HAZARD_TOKEN"
ctl school add S001 第一中学 >/dev/null

MEASURE=1
memory_measured || MEASURE=0

# 400 rows of 48 KB: 19 MB an export, more than the kernel's buffers of
# a connection hold.
expect_exit "19 MB of large rows imported" 0 import_large 400
curl -s --max-time 60 -H "$AUTH" "$SERVER/v1/export" >"$T/all.csv"
expect_eq "an export has every row" 400 "$(grep -c '^[0-9]*,hazard,' "$T/all.csv")"
sleep 0.5
base=$(rss)
metric() { server_metric "$1"; }
max0=$(metric hazardd_output_queued_max_bytes)

# 24 exports never read.
fds=""
unread 24 /v1/export
# A client that reads, at its pace, beside them.
curl -s --max-time 120 -w '%{time_total}' -o "$T/reader.csv" -H "$AUTH" \
    "$SERVER/v1/export" >"$T/reader.time" &
reader=$!
sleep 2
queued=$(metric hazardd_output_queued_bytes)
peak=$(metric hazardd_output_queued_max_bytes)
r=$(rss)
echo "# 24 idle exports: $queued bytes queued, at most $peak; RSS +$(((r - base) / 1024)) MB"
# The budget, and a piece being made on each of the two workers.
expect_exit "what they hold stays within the budget ($queued bytes)" 0 \
    test "$queued" -le $((1048576 + 2 * 327680))
if [ "$MEASURE" -eq 1 ]; then
	expect_exit "the memory grew by less than 8 MB" 0 \
	    test $(((r - base) / 1024)) -lt 8
fi
expect_exit "the daemon answers meanwhile" 0 ctl school list

# The timeout cuts the idle ones (they take nothing for 4 s); the
# reader goes on, and gets every row.
wait $reader
echo "# the reader took $(cat "$T/reader.time") s"
expect_eq "the reader got all of its export" 400 \
    "$(grep -c '^[0-9]*,hazard,' "$T/reader.csv")"
close_unread
expect_match "the idle ones were cut" 'export: the connection closed' \
    "$(cat "$T/hazardd.log")"
finish
