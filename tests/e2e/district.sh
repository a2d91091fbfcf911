#!/bin/bash
# The district's own figures, replayed through the real client: 416
# hazard points of which 411 closed, 177 findings all closed.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token office)
# shellcheck source=tests/e2e/districtlib.sh
. "$(dirname "$0")/districtlib.sh"
district_replay

expect_exit "hazard rate" 0 ctl rate --kind hazard
expect_eq "the district's hazard figure" "411/416 (98.8%)" "$OUT"
expect_exit "finding rate" 0 ctl rate --kind finding
expect_eq "the district's finding figure" "177/177 (100%)" "$OUT"
expect_exit "rate JSON" 0 ctl --json rate --kind hazard
expect_match "the integers and the rounded value" \
    '"rectified": 411.*"identified": 416.*"rate": 98.8|"rate": 98.8.*' \
    "$(printf '%s' "$OUT" | tr -d '\n')"
expect_exit "rate of one school" 0 ctl rate --kind hazard --school S001
expect_eq "S001: 104 reported, 103 of them closed" "103/104 (99%)" "$OUT"
expect_exit "rate of one category" 0 ctl rate --kind finding --category fire
expect_eq "findings by category" "177/177 (100%)" "$OUT"
today=$(TZ=Asia/Shanghai date +%F)
expect_exit "rate over today's reports" 0 ctl rate --since "$today" \
    --until "$today"
expect_eq "all reported today" "411/416 (98.8%)" "$OUT"
expect_exit "rate over another year" 0 ctl rate --since 2020-01-01 \
    --until 2020-12-31
expect_eq "nothing then" "0/0 (n/a)" "$OUT"

# The office's dashboard: this month's row of the trend is the rate now,
# and last month had nothing; the counts of the day; the schools worst
# first (S004 holds two of the five left, the others one each).
expect_exit "the trend by month" 0 ctl stats --by month --months 2
expect_match "this month as it stands" \
    "^$(TZ=Asia/Shanghai date +%Y-%m) +5 +411/416 \(98\.8%\) +177/177 \(100%\)$" \
    "$(printf '%s\n' "$OUT" | tail -1)"
expect_match "last month: nothing yet" " +0 +0/0 \(n/a\) +0/0 \(n/a\)$" \
    "$(printf '%s\n' "$OUT" | sed -n 2p)"
today=$(curl -fs -H "Authorization: Bearer $HAZARD_TOKEN" "$SERVER/v1/today" |
    jq -c '[.hazard.reported, .hazard.rectified, .hazard.closed,
	.hazard.open, .hazard.awaiting, .finding.reported, .finding.closed]')
expect_eq "the counts of the day" "[416,412,411,5,1,177,177]" "$today"
worst=$(curl -fs -H "Authorization: Bearer $HAZARD_TOKEN" \
    "$SERVER/v1/stats?by=school&sort=rate&limit=2" |
    jq -r '[.groups[] | .key + " " + .hazard.text] | join(", ")')
expect_eq "the schools worst first" \
    "S004 102/104 (98.1%), S001 103/104 (99%)" "$worst"
school=$(ctl token create --school S002 --name 二中)
expect_eq "the counts of the day are the office's" 403 \
    "$(curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $school" "$SERVER/v1/today")"
expect_match "a school's trend is its own" '"103/104 \(99%\)"' \
    "$(curl -fs -H "Authorization: Bearer $school" \
    "$SERVER/v1/stats?by=month&months=1" | jq -c '.groups[0].hazard.text')"
expect_eq "by=month takes no since" 422 "$(curl -s -o /dev/null \
    -w '%{http_code}' -H "Authorization: Bearer $HAZARD_TOKEN" \
    "$SERVER/v1/stats?by=month&since=2026-01-01")"

# Cancelling one open hazard takes it out: 411/415.
expect_exit "cancel one" 0 ctl cancel "$(printf '%s\n' $hazards | tail -2 |
    head -1)" --reason 重复
expect_exit "rate after the cancel" 0 ctl rate
expect_eq "cancelled ones are not identified" "411/415 (99%)" "$OUT"

finish
