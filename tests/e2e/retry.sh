#!/bin/bash
# hazardctl tries again when hazardd refuses for now (503 with
# Retry-After), as it does under load (the worker's queue full, a
# thread holding the write lock): a read a few times, waiting as the
# server asks; a write only when its idempotency key makes that safe.
# Before, list, stats and export gave up at the first 503.  The refusal
# is made certain here: the worker's threads cannot open their
# connection while tests/faultfs.c refuses to open the database (the
# loop's own connection, opened before, works on), so every list page
# and statistic is answered 503 until the fault is cleared.
. "$(dirname "$0")/lib.sh"

need_faultfs
# ASan wants to come first; faultfs is preloaded before it.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
# start_faulty: a daemon whose workers have no connection yet.
start_faulty() {
	LD_PRELOAD=$FAULTFS FAULTFS_DIR=$T FAULTFS_NAME=hazardd.db \
	    FAULTFS_CTL=$T/fault start_daemon
}
start_faulty
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl report --school S001 --title 东楼安全出口堵塞 --category fire >/dev/null

# No list page or statistic has been read yet: the workers have no
# connection, and cannot make one.
echo eacces >"$T/fault"
AUTH="Authorization: Bearer $HAZARD_TOKEN"
curl -s -D "$T/head" -o /dev/null -H "$AUTH" "$SERVER/v1/hazards"
expect_match "a list page is refused for now" '^HTTP/1.1 503' \
    "$(head -1 "$T/head")"
expect_match "with Retry-After" '^Retry-After: 1' "$(cat "$T/head")"

# refused ROUTE: the 503s the daemon answered on ROUTE so far.
refused() {
	n=$(server_metric "hazardd_http_requests_total{route=\"$1\",status=\"503\"}")
	echo "${n:-0}"
}

# The fault is cleared 2.5 s after the commands began: they succeed.
list0=$(refused "GET /v1/hazards") stats0=$(refused "GET /v1/stats")
export0=$(refused "GET /v1/export")
start=$(date +%s.%N)
ctl list >"$T/list.out" 2>"$T/list.err" &
list=$!
ctl stats --by school >"$T/stats.out" 2>"$T/stats.err" &
stats=$!
ctl export >"$T/export.out" 2>"$T/export.err" &
export=$!
sleep 2.5
rm -f "$T/fault"
wait $list
expect_eq "list succeeds once the refusals end" "0" "$?"
wait $stats
expect_eq "so does stats" "0" "$?"
wait $export
expect_eq "and export" "0" "$?"
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
expect_match "list shows the hazard" 东楼安全出口堵塞 "$(cat "$T/list.out")"
expect_match "stats counts it" '第一中学' "$(cat "$T/stats.out")"
expect_match "export has it" 东楼安全出口堵塞 "$(cat "$T/export.out")"
expect_eq "and said nothing of the tries" "" \
    "$(cat "$T/list.err" "$T/stats.err" "$T/export.err")"
expect_exit "they waited for it (${took} s)" 0 \
    awk -v t="$took" 'BEGIN { exit !(t >= 2.5) }'
n=$(($(refused "GET /v1/hazards") - list0))
expect_exit "list was refused, and tried again ($n refusals)" 0 \
    test "$n" -ge 2
n=$(($(refused "GET /v1/stats") - stats0))
expect_exit "so was stats ($n refusals)" 0 test "$n" -ge 2
n=$(($(refused "GET /v1/export") - export0))
expect_exit "and export, whose pages the workers read ($n refusals)" 0 \
    test "$n" -ge 2

# While the refusals last, a read gives up after five tries, having
# waited 1 + 1 + 2 + 4 s (Retry-After: 1, or the backoff if longer).
stop_daemon
start_faulty
echo eacces >"$T/fault"
list0=$(refused "GET /v1/hazards")
start=$(date +%s.%N)
expect_exit "a list refused five times fails" 1 ctl list
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
expect_match "saying why" 'HTTP 503' "$ERR"
expect_match "and that it tried five times" \
    'gave up after 5 tries in 8 s' "$ERR"
expect_eq "on one line" 1 "$(printf '%s\n' "$ERR" | wc -l)"
expect_eq "five refusals, no more" 5 $(($(refused "GET /v1/hazards") - list0))
expect_exit "within the bound (${took} s)" 0 \
    awk -v t="$took" 'BEGIN { exit !(t >= 7.5 && t < 20) }'
rm -f "$T/fault"
stop_daemon

# Writes: another process holds the database's write lock.  A report
# carries its idempotency key and is sent again until the lock is let
# go, and recorded once; an acknowledgement given again keeps the first,
# and is sent again too; an action has no key and is not sent again.
start_daemon
WARN=$(ctl warn --school S001 --title 寒潮预警 --body 检查水管保温)
S1=$(ctl token create --school S001 --name 张老师)
mkfifo "$T/hold"
sqlite3 "$T/hazardd.db" <"$T/hold" >/dev/null 2>&1 &
holder=$!
exec 5>"$T/hold"
echo "BEGIN IMMEDIATE; UPDATE schools SET name = name;" >&5
sleep 0.3
expect_exit "an assessment while the lock is held: refused at once" 1 \
    ctl assess 1 --grade major
expect_match "with 503" 'HTTP 503' "$ERR"
expect_eq "and not tried again" "" "$(printf "%s\n" "$ERR" | grep "gave up")"
before=$(sqlite3 "$T/hazardd.db" 'SELECT count(*) FROM hazards')
ctl report --school S001 --title 操场护栏松动 --category buildings \
    --key retry-1 >"$T/report.out" 2>"$T/report.err" &
report=$!
ctl --token "$S1" ack "$WARN" >"$T/ack.out" 2>"$T/ack.err" &
ack=$!
sleep 1.2
echo "COMMIT;" >&5
exec 5>&-
wait $holder
wait $report
expect_eq "the report succeeds once the lock is let go" 0 "$?"
wait $ack
expect_eq "the acknowledgement too" 0 "$?"
expect_eq "acknowledged once, when the lock was let go" 1 \
    "$(sqlite3 "$T/hazardd.db" 'SELECT count(*) FROM warning_targets
    WHERE acked_at IS NOT NULL')"
expect_eq "recorded once" $((before + 1)) \
    "$(sqlite3 "$T/hazardd.db" 'SELECT count(*) FROM hazards')"
expect_eq "the same report again: the same hazard" "$(cat "$T/report.out")" \
    "$(ctl report --school S001 --title 操场护栏松动 --category buildings \
    --key retry-1)"

finish
