#!/bin/bash
# The budget of answers queued ([server] max_output, 1 MiB here) is held
# by clients that do not read, not by one that does: 24 exports never
# read fill it and wait, held until their time-out (30 s here), while a
# client that reads its own export beside them gets it at once, its
# pieces the size of what its socket takes (stream.c: nothing left in
# the kernel's queue, SIOCOUTQ); before, it waited for the budget until
# the idle ones were cut.
. "$(dirname "$0")/lib.sh"

start_daemon "[server]" "timeout = 30" "max_output = 1048576"
export HAZARD_TOKEN=$(office_token office)
AUTH="Authorization: Bearer $HAZARD_TOKEN"
ctl school add S001 第一中学 >/dev/null

# 400 rows of 48 KB: 19 MB an export, more than the kernel's buffers of
# a connection hold.
expect_exit "19 MB of large rows imported" 0 import_large 400

# 24 exports never read.
fds=""
unread 24 /v1/export
sleep 3
queued=$(server_metric hazardd_output_queued_bytes)
echo "# 24 idle exports: $queued bytes queued"
expect_exit "they hold the budget ($queued bytes)" 0 \
    test "$queued" -ge $((1048576 - 327680))
expect_exit "and no more" 0 test "$queued" -le $((1048576 + 2 * 327680))

# A client that reads, beside them, well within their time-out.
start=$(date +%s)
curl -s --max-time 60 -o "$T/reader.csv" -H "$AUTH" "$SERVER/v1/export"
took=$(($(date +%s) - start))
echo "# the reader took $took s"
expect_eq "the reader got all of its export" 400 \
    "$(grep -c '^[0-9]*,hazard,' "$T/reader.csv")"
expect_exit "at once, not after the idle ones' time-out ($took s)" 0 \
    test "$took" -lt 15
queued=$(server_metric hazardd_output_queued_bytes)
expect_exit "the idle ones still hold no more than the budget" 0 \
    test "$queued" -le $((1048576 + 2 * 327680))
expect_eq "none of them was cut" "" \
    "$(grep 'export: the connection closed' "$T/hazardd.log")"
close_unread
finish
