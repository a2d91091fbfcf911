#!/bin/bash
# The event loop under hostile load (issue 12): on 100,000 hazards,
# sixty concurrent requests of each route that needs no token (/metrics,
# /healthz, a 401, a 404) must not hold the loop: /healthz keeps
# answering, the watchdog's pings are never late, and
# hazardd_loop_lag_seconds says so too.  /metrics scanned the hazards
# (70 ms each at this size): sixty of them held the loop for seconds.
# Then the lag is measured (a daemon stopped for 300 ms is 300 ms late)
# and named in the log; and /metrics behind its own token and address.
. "$(dirname "$0")/lib.sh"

: "${TOP_BUILDDIR:?set TOP_BUILDDIR}"
SINK="$TOP_BUILDDIR/tests/notify_sink"
N=100000

start_daemon
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
stop_daemon
# The hazards, through the schema's triggers, as bench/gen makes them:
# a third still open, most of those overdue.
sqlite3 "$T/hazardd.db" "
    WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c
	WHERE x < $N)
    INSERT INTO hazards (kind, school_id, category, grade, title, state,
	deadline, reported_at, updated_at, closed_at)
    SELECT CASE WHEN x % 7 = 0 THEN 'finding' ELSE 'hazard' END, 1,
	CASE x % 3 WHEN 0 THEN 'fire' WHEN 1 THEN 'food' ELSE 'building' END,
	'general', 'h' || x, CASE WHEN x % 3 = 0 THEN 'open' ELSE 'closed' END,
	date(1600000000 + x * 900, 'unixepoch', '+30 days'),
	1600000000 + x * 900, 1600000000 + x * 900,
	CASE WHEN x % 3 = 0 THEN NULL ELSE 1600000000 + x * 900 + 86400 END
    FROM c;"
expect_eq "the set is there" "$N" \
    "$(sqlite3 "$T/hazardd.db" 'SELECT count(*) FROM hazards')"

# A watchdog of two seconds: a ping every second, stamped as it comes.
"$SINK" "$T/notify" 120 stamp >"$T/notified" &
sink=$!
i=0
while [ ! -S "$T/notify" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
export NOTIFY_SOCKET="$T/notify" WATCHDOG_USEC=2000000
start_daemon
unset NOTIFY_SOCKET WATCHDOG_USEC
overdue=$(server_metric 'hazardd_hazards_overdue{kind="hazard"}')
expect_eq "overdue hazards, as a scan counts them" \
    "$(sqlite3 "$T/hazardd.db" "SELECT count(*) FROM hazards WHERE
    kind = 'hazard' AND state IN ('open', 'rectified') AND
    deadline < '$(TZ=Asia/Shanghai date +%F)'")" "$overdue"

# hostile COUNT PATH...: COUNT requests of each path, sixty at a time
# of each, from one curl in the background (its pid in $LOAD): one
# process, so that the load takes less of the CPU from the daemon.
hostile() {
	local count=$1 path i
	shift
	for i in $(seq "$count"); do
		for path in "$@"; do
			printf 'url = "%s%s"\noutput = "/dev/null"\n' \
			    "$SERVER" "$path"
		done
	done >"$T/load.cfg"
	curl -s --no-progress-meter -Z --parallel-immediate \
	    --parallel-max $((60 * $#)) --max-time 20 -K "$T/load.cfg" \
	    2>/dev/null &
	LOAD=$!
}

# /healthz one at a time, 100 a second for 2 s, while the load runs (it
# is stopped after them, and would end in 20 s anyway).
hostile 12000 /metrics /healthz /v1/hazards /v1/nothing
sleep 0.5
for i in $(seq 200); do
	printf 'url = "%s/healthz"\noutput = "/dev/null"\n' "$SERVER"
done >"$T/probe.cfg"
curl -s --max-time 60 --rate 100/s -w '%{time_total}\n' -K "$T/probe.cfg" \
    >"$T/probes"
running=no
kill -0 "$LOAD" 2>/dev/null && running=yes
kill "$LOAD" 2>/dev/null
wait "$LOAD" 2>/dev/null
expect_eq "the load lasted as long as the probes" yes "$running"
probes=$(wc -l <"$T/probes")
# pct P: the P-th percentile of the probes, in whole ms.
pct() {
	sort -g "$T/probes" | awk -v p="$1" '{ v[NR] = $1 } END {
	    i = int(NR * p / 100 + 0.5); if (i < 1) i = 1
	    printf "%.0f", v[i] * 1000 }'
}
p50=$(pct 50) p90=$(pct 90) p99=$(pct 99)
echo "# /healthz under load: $probes probes, p50 $p50 ms, p90 $p90 ms," \
    "p99 $p99 ms"
expect_eq "/healthz was probed 200 times" 200 "$probes"
# The load never stops: each answer brings the next request, so that
# /healthz waits its turn behind up to 240 others whatever they cost.
# The target, 50 ms at the 99th percentile, is bench/run's on a million
# hazards; here, on a machine shared with other work where the daemon
# and the load's curl wait for the CPU, all but 2 answer within a
# second (p50 about 40 ms on two busy cores).  Before the fix, sixty /metrics
# held the loop for seconds (p99 15 s, the watchdog 17 s late).
expect_exit "/healthz: 99 % within a second (p99: $p99 ms)" 0 \
    test "$p99" -le 1000
served=$(server_metric 'hazardd_http_requests_total{route="GET /metrics",status="200"}')
expect_exit "the load was served (/metrics: $served)" 0 test "$served" -ge 120

# The watchdog: no gap between two pings of two seconds or more.
gap=$(awk '$2 == "WATCHDOG=1" { if (last && $1 - last > max) max = $1 - last
    last = $1 } END { print max + 0 }' "$T/notified")
pings=$(grep -c 'WATCHDOG=1' "$T/notified")
echo "# watchdog: $pings pings, the longest gap $gap ms"
expect_exit "the watchdog pinged ($pings times)" 0 test "$pings" -ge 3
expect_exit "the watchdog is never late (longest gap $gap ms)" 0 \
    test "$gap" -lt 2000
lag=$(server_metric hazardd_loop_lag_max_seconds)
expect_exit "the loop was held less than a second ($lag s)" 0 \
    awk -v l="$lag" 'BEGIN { exit !(l != "" && l < 1) }'
kill "$sink" 2>/dev/null
wait "$sink" 2>/dev/null

# The lag is measured: stopped for 300 ms, the loop's timer (due every
# 50 ms) comes 250 ms late or more, once more than before.
late() {
	curl -fs "$SERVER/metrics" | awk '
	    /^hazardd_loop_lag_seconds_bucket\{le="0.25"\}/ { a = $2 }
	    /^hazardd_loop_lag_seconds_count / { n = $2 }
	    END { print n - a }'
}
before=$(late)
kill -STOP "$DAEMON_PID"
sleep 0.3
kill -CONT "$DAEMON_PID"
sleep 0.2
after=$(late)
expect_exit "a loop held 300 ms is counted over 250 ms late" 0 \
    test "$after" -gt "$before"
curl -fs -o "$T/metrics" "$SERVER/metrics"
expect_match "the lag is a histogram" \
    '^hazardd_loop_lag_seconds_bucket\{le="0.5"\} [1-9]' "$(cat "$T/metrics")"
expect_match "and said in the log" \
    'loop: a timer fired [0-9]+ ms late' "$(cat "$T/hazardd.log")"
stop_daemon

# What held the loop is named: a request, by its path without the
# query, and a job.  The commits are made slow (tests/faultfs.c).
need_faultfs
# ASan wants to come first; faultfs is preloaded before it.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
LD_PRELOAD=$FAULTFS FAULTFS_DIR=$T FAULTFS_NAME=hazardd.db-wal \
    FAULTFS_CTL=$T/slow start_daemon
echo slow >"$T/slow"
ctl school add S002 第二中学 >/dev/null
expect_match "a slow request is logged by method and path" \
    'loop: POST /v1/schools held the loop for [0-9]+ ms' \
    "$(cat "$T/hazardd.log")"
ctl report --school S001 --title 慢 --category fire >/dev/null
expect_match "a slow commit of grouped writes is named" \
    'loop: the commit of grouped writes held the loop for [0-9]+ ms' \
    "$(cat "$T/hazardd.log")"
rm -f "$T/slow"
stop_daemon

# /metrics behind its own token: any other (an API token too) gets 401,
# and the token is never logged.
MT=prometheus-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
start_daemon "[server]" "metrics_token = $MT" "[log]" "debug = yes"
code() { curl -s -o /dev/null -w '%{http_code}' "$@" "$SERVER/metrics"; }
expect_eq "/metrics without the token: 401" 401 "$(code)"
expect_eq "with an API token: 401" 401 \
    "$(code -H "Authorization: Bearer $HAZARD_TOKEN")"
expect_eq "with a wrong one of the same length: 401" 401 \
    "$(code -H "Authorization: Bearer ${MT%?}x")"
expect_eq "with the token: 200" 200 "$(code -H "Authorization: Bearer $MT")"
expect_eq "/healthz needs none" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' "$SERVER/healthz")"
expect_eq "the token is not in the log" "" "$(grep -F "$MT" "$T/hazardd.log")"
stop_daemon

# /metrics on its own address: there, /metrics and /healthz alone; on
# the API's address, no /metrics.
MPORT=$(free_port)
start_daemon "[server]" "metrics_listen = 127.0.0.1:$MPORT"
at() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1$2"; }
expect_eq "metrics_listen serves /metrics" 200 "$(at "$MPORT" /metrics)"
expect_eq "and /healthz" 200 "$(at "$MPORT" /healthz)"
expect_eq "and nothing else (404)" 404 "$(at "$MPORT" /v1/hazards)"
expect_eq "listen has no /metrics then (404)" 404 "$(at "$PORT" /metrics)"
expect_eq "but its /healthz" 200 "$(at "$PORT" /healthz)"
expect_match "the address is logged" \
    "serving /metrics and /healthz on 127.0.0.1:$MPORT" \
    "$(cat "$T/hazardd.log")"

finish
