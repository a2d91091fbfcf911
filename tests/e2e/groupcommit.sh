#!/bin/bash
# Group commit (issue 6): reports and actions that arrive together are
# committed in one transaction with their audit events, and each is
# answered only after that commit.  Many at once all get their own
# hazard, once; a bad request among them fails alone; the same key sent
# at once records one hazard; a commit that fails stores nothing of its
# batch and answers each of its requests 503; a client that goes away
# before its answer harms nobody.  The metrics show fewer commits than
# requests.
. "$(dirname "$0")/lib.sh"

need_faultfs

# The database in a directory of its own, for the fault library.
mkdir -p "$T/db"
DB="$T/db/hazardd.db"
export FAULTFS_DIR="$T/db" FAULTFS_CTL="$T/fault"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
LD_PRELOAD="$FAULTFS" start_daemon "[storage]" "database = $DB"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
SCHOOL_TOKEN=$(ctl token create --school S001 --name "第一中学 王老师")

# A batch of requests, sent at once by one curl over 32 connections.
# batch_new; batch_add METHOD PATH TOKEN BODY [CONTENT-TYPE [KEY]]...;
# batch_run; then status N and id_of N tell of the Nth request.
batch_new() {
	NREQ=0
	rm -rf "$T/b"
	mkdir -p "$T/b"
	: >"$T/batch.cfg"
}

batch_add() {
	NREQ=$((NREQ + 1))
	printf '%s' "$4" >"$T/b/$NREQ.in"
	batch_cfg "$@"
}

# batch_report TOKEN SCHOOL TITLE KEY: a report (no subshell: cheap).
batch_report() {
	NREQ=$((NREQ + 1))
	printf '{"school":"%s","title":"%s","category":"fire"}' "$2" "$3" \
	    >"$T/b/$NREQ.in"
	batch_cfg POST /v1/hazards "$1" "" "" "$4"
}

# The curl configuration of request NREQ, its body in NREQ.in.
batch_cfg() {
	{
		[ "$NREQ" -gt 1 ] && echo next
		echo "url = \"$SERVER$2\""
		echo "request = \"$1\""
		echo "header = \"Authorization: Bearer $3\""
		echo "header = \"Content-Type: ${5:-application/json}\""
		[ -n "${6:-}" ] && echo "header = \"Idempotency-Key: $6\""
		echo "data-binary = \"@$T/b/$NREQ.in\""
		echo "output = \"$T/b/$NREQ.out\""
		echo "write-out = \"$NREQ %{http_code}\\n\""
	} >>"$T/batch.cfg"
}

# Sends them; b/codes has "N STATUS" and b/ids "N ID" (for each answer
# that holds a hazard) of every request.
batch_run() {
	curl -s --parallel --parallel-immediate --parallel-max 32 \
	    --max-time 10 -K "$T/batch.cfg" 2>"$T/curl.err" >"$T/b/codes"
	awk 'FNR == 1 && match($0, /^\{"id":[0-9]+,/) {
		n = FILENAME; sub(/.*\//, "", n); sub(/\.out$/, "", n)
		print n, substr($0, 7, RLENGTH - 7) }' "$T"/b/*.out \
	    >"$T/b/ids" 2>/dev/null
}

status() {
	awk -v n="$1" '$1 == n { print $2; f = 1 }
	    END { if (!f) print "none" }' "$T/b/codes"
}

id_of() {
	awk -v n="$1" '$1 == n { print $2 }' "$T/b/ids"
}

# How many different hazards the answers hold.
distinct_ids() {
	awk '{ print $2 }' "$T/b/ids" | sort -u | grep -c .
}

# How many of the batch got STATUS.
count_status() {
	awk -v s="$1" '$2 == s' "$T/b/codes" | wc -l | tr -d ' '
}

sql() {
	sqlite3 "$DB" "$1"
}

report() {	# report SCHOOL TITLE: a report's body
	printf '{"school":"%s","title":"%s","category":"fire"}' "$1" "$2"
}

# --- many at once ------------------------------------------------------
batches0=$(server_metric 'hazardd_commit_batches_total{result="committed"}')
batch_new
for i in $(seq 200); do
	batch_report "$HAZARD_TOKEN" "S00$((i % 2 + 1))" "并发上报 $i" "many-$i"
done
batch_run
expect_eq "200 reports at once: each 201" 200 "$(count_status 201)"
expect_eq "each its own id" 200 "$(distinct_ids)"
expect_eq "each stored once" "200 200" "$(sql "SELECT count(*) || ' ' ||
    count(DISTINCT idem_key) FROM hazards WHERE idem_key LIKE 'many-%'")"
awk '{ print $2, "many-" $1 }' "$T/b/ids" | sort >"$T/answered"
expect_eq "the answered ids are the stored ones" "" "$(sql "SELECT id || ' '
    || idem_key FROM hazards WHERE idem_key LIKE 'many-%'" | sort |
    diff - "$T/answered")"
expect_eq "each with its report in the audit trail" 200 "$(sql "SELECT
    count(*) FROM events e JOIN hazards h ON h.id = e.hazard_id
    WHERE h.idem_key LIKE 'many-%' AND e.action = 'report'
    AND e.to_state = 'open' AND e.actor = 'office'")"
expect_eq "the titles arrived intact" 200 "$(sql "SELECT count(*) FROM
    hazards WHERE idem_key LIKE 'many-%' AND title = '并发上报 ' ||
    substr(idem_key, 6)")"
batches=$(server_metric 'hazardd_commit_batches_total{result="committed"}')
requests=$(server_metric 'hazardd_commit_batch_requests_total{result="committed"}')
if [ $((batches - batches0)) -lt 200 ] && [ "$requests" -ge 200 ]; then
	pass "grouped: $((batches - batches0)) commits for 200 reports"
else
	fail "grouped: fewer commits than reports" \
	    "batches $batches0 -> $batches, requests $requests"
fi
expect_match "each counted once it was answered" \
    '^hazardd_http_requests_total\{route="POST /v1/hazards",status="201"\} 200$' \
    "$(curl -fs "$SERVER/metrics")"

# --- good and bad together ----------------------------------------------
OPEN=$(id_of 1)		# an open hazard of S002
RECT=$(id_of 2)		# one of S001, rectified in the batch
batch_new
for i in $(seq 30); do
	batch_report "$HAZARD_TOKEN" S001 "混合批次 $i" "mix-$i"
done
batch_add POST /v1/hazards "$HAZARD_TOKEN" '{"school":"S001","category":"fire"}'
BAD_TITLE=$NREQ
batch_add POST /v1/hazards "$HAZARD_TOKEN" "$(report S404 无此学校)"
BAD_SCHOOL=$NREQ
batch_add POST /v1/hazards "$HAZARD_TOKEN" '{"school":"S001",'
BAD_JSON=$NREQ
batch_add POST /v1/hazards "$HAZARD_TOKEN" "$(report S001 纯文本)" text/plain
BAD_TYPE=$NREQ
batch_add POST /v1/hazards "$SCHOOL_TOKEN" "$(report S002 别校)"
OTHER_SCHOOL=$NREQ
batch_add POST /v1/hazards hzd_0000 "$(report S001 无效令牌)"
BAD_TOKEN=$NREQ
batch_add POST /v1/hazards/999999/rectify "$HAZARD_TOKEN" '{"note":"x"}'
NO_HAZARD=$NREQ
batch_add POST "/v1/hazards/$OPEN/verify" "$HAZARD_TOKEN" '{}'
NOT_RECTIFIED=$NREQ
batch_add POST "/v1/hazards/$RECT/verify" "$SCHOOL_TOKEN" '{}'
SCHOOL_VERIFY=$NREQ
batch_add POST "/v1/hazards/$OPEN/reject" "$HAZARD_TOKEN" '{}'
NO_NOTE=$NREQ
batch_add POST "/v1/hazards/$RECT/rectify" "$SCHOOL_TOKEN" '{"note":"已整改"}'
GOOD_ACTION=$NREQ
# Writes outside the batch: each commits the batch open before it.
batch_add POST /v1/schools "$HAZARD_TOKEN" '{"code":"S003","name":"第三中学"}'
SCHOOL_ADD=$NREQ
batch_add POST /v1/warnings "$HAZARD_TOKEN" '{"title":"台风预警","body":"停课"}'
WARNING=$NREQ
csv=$(printf 'school,category,title,reported_at,key\n%s\n' \
    'S001,fire,导入,2025-01-01,imp-1')
batch_add POST /v1/import "$HAZARD_TOKEN" "$csv" text/csv
IMPORT=$NREQ
batch_run
expect_eq "the good reports of a mixed batch: 201" 30 \
    "$(awk '$1 <= 30 && $2 == 201' "$T/b/codes" | grep -c .)"
expect_eq "a report without a title: 422" 422 "$(status $BAD_TITLE)"
expect_eq "an unknown school: 422" 422 "$(status $BAD_SCHOOL)"
expect_eq "broken JSON: 400" 400 "$(status $BAD_JSON)"
expect_eq "not JSON: 415" 415 "$(status $BAD_TYPE)"
expect_eq "a school reporting for another: 422" 422 "$(status $OTHER_SCHOOL)"
expect_eq "a bad token: 401" 401 "$(status $BAD_TOKEN)"
expect_eq "an action on no hazard: 404" 404 "$(status $NO_HAZARD)"
expect_eq "verifying an open hazard: 409" 409 "$(status $NOT_RECTIFIED)"
expect_eq "a school verifying: 403" 403 "$(status $SCHOOL_VERIFY)"
expect_eq "a rejection without a note: 422" 422 "$(status $NO_NOTE)"
expect_eq "a good action among them: 200" 200 "$(status $GOOD_ACTION)"
expect_eq "a school added among them: 201" 201 "$(status $SCHOOL_ADD)"
expect_eq "a warning issued among them: 201" 201 "$(status $WARNING)"
expect_eq "an import among them: 200" 200 "$(status $IMPORT)"
expect_eq "all three stored" "1 1 1" "$(sql "SELECT (SELECT count(*) FROM
    schools WHERE code = 'S003') || ' ' || (SELECT count(*) FROM warnings)
    || ' ' || (SELECT count(*) FROM hazards WHERE idem_key = 'imp-1')")"
expect_eq "the good reports stored, each once" "30 30" "$(sql "SELECT
    count(*) || ' ' || count(DISTINCT idem_key) FROM hazards
    WHERE idem_key LIKE 'mix-%'")"
expect_eq "with their audit events" 30 "$(sql "SELECT count(*) FROM events e
    JOIN hazards h ON h.id = e.hazard_id WHERE h.idem_key LIKE 'mix-%'")"
expect_eq "the bad reports stored nothing" 0 "$(sql "SELECT count(*) FROM
    hazards WHERE title IN ('纯文本', '别校', '无效令牌', '无此学校')")"
expect_eq "the good action stored, with its event" "rectified 2" \
    "$(sql "SELECT state || ' ' || (SELECT count(*) FROM events
    WHERE hazard_id = $RECT) FROM hazards WHERE id = $RECT")"
expect_eq "the refused actions changed nothing" "open 1" \
    "$(sql "SELECT state || ' ' || (SELECT count(*) FROM events
    WHERE hazard_id = $OPEN) FROM hazards WHERE id = $OPEN")"

# --- the same key at once -----------------------------------------------
batch_new
for i in $(seq 24); do
	batch_report "$SCHOOL_TOKEN" S001 重复提交 same-key-1
done
batch_run
expect_eq "the same key at once: one 201" 1 "$(count_status 201)"
expect_eq "the others 200" 23 "$(count_status 200)"
expect_eq "all with the same id" "1 24" \
    "$(distinct_ids) $(grep -c . "$T/b/ids")"
expect_eq "one hazard, one report event" "1 1" "$(sql "SELECT count(*) ||
    ' ' || (SELECT count(*) FROM events e JOIN hazards h ON
    h.id = e.hazard_id WHERE h.idem_key = 'same-key-1') FROM hazards
    WHERE idem_key = 'same-key-1'")"
expect_eq "the id answered is the one stored" "$(id_of 1)" \
    "$(sql "SELECT id FROM hazards WHERE idem_key = 'same-key-1'")"

# --- a commit that fails -----------------------------------------------
before=$(sql "SELECT count(*) FROM hazards") events=$(sql "SELECT count(*)
    FROM events")
failed0=$(server_metric 'hazardd_commit_batches_total{result="failed"}')
echo enospc >"$T/fault"
batch_new
for i in $(seq 20); do
	batch_report "$HAZARD_TOKEN" S001 磁盘已满 "full-$i"
done
batch_add POST "/v1/hazards/$OPEN/cancel" "$HAZARD_TOKEN" '{"reason":"重复"}'
batch_run
rm -f "$T/fault"
expect_eq "a failed commit: each of its requests 503" 21 \
    "$(count_status 503)"
expect_match "with the JSON error" '"code":"unavailable"' \
    "$(cat "$T/b/1.out")"
expect_eq "nothing of it stored" "$before $events" \
    "$(sql "SELECT count(*) FROM hazards") $(sql "SELECT count(*)
    FROM events")"
failed=$(server_metric 'hazardd_commit_batches_total{result="failed"}')
if [ "$failed" -gt "$failed0" ]; then pass "the failed batch is counted"
else fail "the failed batch is counted" "failed: $failed0 -> $failed"; fi
batch_run
expect_eq "the same batch again once the disk has room: 201s" 20 \
    "$(count_status 201)"
expect_eq "and the action 200" 200 "$(status 21)"
expect_eq "stored now" 20 "$(sql "SELECT count(*) FROM hazards
    WHERE idem_key LIKE 'full-%'")"

# --- clients that go away before their answer ----------------------------
body=$(report S001 无人等待)
gone=""
for i in $(seq 8); do
	(
		exec 3<>"/dev/tcp/127.0.0.1/$PORT"
		printf '%s\r\n' 'POST /v1/hazards HTTP/1.1' 'Host: x' \
		    "Authorization: Bearer $HAZARD_TOKEN" \
		    'Content-Type: application/json' \
		    "Idempotency-Key: gone-$i" \
		    "Content-Length: $(printf '%s' "$body" | wc -c)" '' >&3
		printf '%s' "$body" >&3
		exec 3>&-
	) &
	gone="$gone $!"
done
batch_new
for i in $(seq 16); do
	batch_report "$HAZARD_TOKEN" S002 有人等待 "stay-$i"
done
batch_run
# shellcheck disable=SC2086 # the pids are words
wait $gone
expect_eq "those who stay get their 201" 16 "$(count_status 201)"
expect_eq "those gone were stored all the same (they were read in full)" 8 \
    "$(sql "SELECT count(*) FROM hazards WHERE idem_key LIKE 'gone-%'")"
expect_exit "the daemon lives on" 0 curl -fs "$SERVER/healthz"

finish
