#!/bin/bash
# Idempotent reports: the same key records one hazard, however often it
# is sent; the client's own key survives its retries.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null

expect_exit "first report with a key" 0 ctl report --school S001 \
    --title 灭火器过期 --category fire --key k-2026-001
FIRST=$OUT
expect_exit "the same report again" 0 ctl report --school S001 \
    --title 灭火器过期 --category fire --key k-2026-001
expect_eq "same key, same id" "$FIRST" "$OUT"
expect_exit "a third time, through --json" 0 ctl --json report \
    --school S001 --title 灭火器过期 --category fire --key k-2026-001
expect_match "the earlier hazard returned" "\"id\": $FIRST" "$OUT"
expect_exit "one hazard recorded" 0 ctl --json list
expect_eq "exactly one" 1 "$(printf '%s\n' "$OUT" | grep -c '"title"')"

expect_exit "the same key at another school is another report" 0 \
    ctl report --school S002 --title 灭火器过期 --category fire --key k-2026-001
if [ "$OUT" != "$FIRST" ]; then pass "keys are per school"
else fail "keys are per school"; fi

expect_exit "no key: the client makes one" 0 ctl report --school S001 \
    --title 插座破损 --category electrical
expect_exit "again without a key: a new hazard" 0 ctl report --school S001 \
    --title 插座破损 --category electrical
expect_exit "count" 0 ctl --json list --school S001
expect_eq "two reports of S001 plus the keyed one" 3 \
    "$(printf '%s\n' "$OUT" | grep -c '"title"')"

# Over HTTP: 201 the first time, 200 with the same id after.
body='{"school":"S001","title":"x","category":"fire"}'
post() {
	curl -s -o "$T/body" -w '%{http_code}' -X POST \
	    -H "Authorization: Bearer $HAZARD_TOKEN" \
	    -H 'Content-Type: application/json' -H 'Idempotency-Key: http-1' \
	    -d "$body" "$SERVER/v1/hazards"
}
expect_eq "201 the first time" 201 "$(post)"
id1=$(grep -o '"id":[0-9]*' "$T/body")
expect_eq "200 the second time" 200 "$(post)"
expect_eq "with the earlier hazard" "$id1" "$(grep -o '"id":[0-9]*' "$T/body")"

finish
