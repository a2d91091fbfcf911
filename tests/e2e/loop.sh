#!/bin/bash
# The closed loop of one hazard, end to end: a school reports, the office
# assesses, the school rectifies, the office rejects, verifies; the major
# hazard rule; cancel; the audit trail; the rate.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token "安全科 张科长")
expect_match "bootstrap prints a token alone" '^hzd_[0-9a-f]{64}$' "$HAZARD_TOKEN"

expect_exit "office adds a school" 0 ctl school add S001 第一中学
expect_exit "school list" 0 ctl school list
expect_match "school list shows the Chinese name" 'S001 +第一中学' "$OUT"

expect_exit "office makes a school token" 0 \
    ctl token create --school S001 --name "第一中学 王老师"
SCHOOL=$OUT
expect_match "school token printed alone" '^hzd_[0-9a-f]{64}$' "$SCHOOL"

# A school reports.
expect_exit "school reports a hazard" 0 ctl --token "$SCHOOL" report \
    --title "东楼安全出口堵塞" --category fire --location "东楼一层" \
    --deadline 2030-12-01
ID=$OUT
expect_match "report prints the id alone" '^[0-9]+$' "$ID"

expect_exit "show" 0 ctl show "$ID"
expect_match "show has the title" '东楼安全出口堵塞' "$OUT"
expect_match "show has the state" 'open' "$OUT"

expect_exit "show --json" 0 ctl --json show "$ID"
expect_match "show --json has hazard and events" '"events"' "$OUT"
expect_match "show --json has the school" '"school": "S001"' "$OUT"

# The school may not verify its own rectification.
expect_exit "school rectifies" 0 ctl --token "$SCHOOL" rectify "$ID" \
    --note "杂物已清理"
expect_exit "school may not verify (403)" 1 ctl --token "$SCHOOL" verify "$ID"
expect_match "403 said" '403' "$ERR"

# Reject sends it back to open; rectify again; verify closes.
expect_exit "office rejects" 0 ctl reject "$ID" --note "标识未张贴"
expect_exit "state is open again" 0 ctl --json show "$ID"
expect_match "rejected hazard is open" '"state": "open"' "$OUT"
expect_exit "verify of an open hazard is refused (409)" 1 ctl verify "$ID"
expect_match "409 said" '409' "$ERR"
expect_exit "school rectifies again" 0 ctl --token "$SCHOOL" rectify "$ID" \
    --note "标识已张贴"
expect_exit "office verifies" 0 ctl verify "$ID" --note "现场验收合格"
expect_exit "closed hazard" 0 ctl --json show "$ID"
expect_match "state closed" '"state": "closed"' "$OUT"
expect_match "closed_at set" '"closed_at": "[0-9]{4}-' "$OUT"
expect_exit "closed is final: rectify refused" 1 ctl rectify "$ID" --note x
expect_exit "closed is final: cancel refused" 1 ctl cancel "$ID" --reason x

# The audit trail: report, rectify, reject, rectify, verify.
expect_exit "events" 0 ctl --json show "$ID"
actions=$(printf '%s\n' "$OUT" | grep -o '"action": "[a-z]*"' |
    sed 's/.*: "//; s/"//' | tr '\n' ' ')
expect_eq "audit trail in order" "report rectify reject rectify verify " \
    "$actions"
expect_match "audit trail names the school's actor" '第一中学 王老师' "$OUT"

# A major hazard needs its plan and risk assessment before it closes.
expect_exit "report a major hazard" 0 ctl report --school S001 \
    --title "围墙开裂" --category buildings --grade major \
    --deadline 2030-06-30
MAJOR=$OUT
expect_exit "rectify the major hazard" 0 ctl rectify "$MAJOR" --note 已加固
expect_exit "verify without plan refused" 1 ctl verify "$MAJOR"
expect_match "the plan is named as missing" 'plan' "$ERR"
expect_exit "assess with a plan" 0 ctl assess "$MAJOR" --plan "一事一策：加固围墙"
expect_exit "verify without assessment refused" 1 ctl verify "$MAJOR"
expect_match "the assessment is named as missing" 'assessment' "$ERR"
expect_exit "assess with the assessment and the five implementations" 0 \
    ctl assess "$MAJOR" --assessment "较大风险" --responsible 李校长 \
    --funds "5万元" --contingency "设置围挡" --deadline 2030-01-31 \
    --department 住建局
expect_exit "verify the major hazard" 0 ctl verify "$MAJOR"
expect_exit "major hazard closed" 0 ctl --json show "$MAJOR"
expect_match "major closed" '"state": "closed"' "$OUT"
expect_match "assessment recorded as a change" '"assessment": \[' "$OUT"

# Cancel, with a reason; a cancelled hazard leaves the rate.
expect_exit "report a duplicate" 0 ctl report --school S001 --title 重复 \
    --category fire
DUP=$OUT
expect_exit "cancel needs a reason" 2 ctl cancel "$DUP"
expect_exit "cancel the duplicate" 0 ctl cancel "$DUP" --reason "重复上报"
expect_exit "one open hazard" 0 ctl report --school S001 --title 栏杆松动 \
    --category buildings

expect_exit "rate" 0 ctl rate
expect_eq "rate: 2 of 3 closed, the cancelled one left out" "2/3 (66.7%)" "$OUT"
expect_exit "rate --json" 0 ctl --json rate
expect_match "rate JSON carries the integers" '"rectified": 2' "$OUT"
expect_match "rate JSON carries the rounded value" '"rate": 66.7' "$OUT"
expect_exit "rate of findings" 0 ctl rate --kind finding
expect_eq "no findings: n/a" "0/0 (n/a)" "$OUT"

expect_exit "list" 0 ctl list
expect_match "list shows Chinese titles" '栏杆松动' "$OUT"
expect_exit "list --state closed" 0 ctl --json list --state closed
expect_eq "two closed" 2 "$(printf '%s\n' "$OUT" | grep -c '"state": "closed"')"

expect_exit "stats by school" 0 ctl stats --by school
expect_match "stats row" 'S001' "$OUT"

finish
