#!/bin/bash
# A hazard waiting for the office's verification is not overdue against
# the school: the school met its deadline when it reported the
# rectification.  Not in /metrics' overdue, list --overdue, show, the
# daily's overdue (as it stood at the daily's end: one rectified after
# it was still overdue then), nor the monthly's escalations; rejected,
# it is overdue again.
. "$(dirname "$0")/lib.sh"

start_at "2026-12-02 09:30:00"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null

# Three hazards past their deadline of 11-20: one still open, one the
# school rectifies now (after the daily of 12-02 ended at 08:00), one
# imported as rectified.
cat >"$T/late.csv" <<'EOF'
key,school,kind,category,grade,title,deadline,state,reported_at,closed_at
W-1,S001,hazard,fire,general,安全出口堵塞,2026-11-20,open,2026-11-02,
W-2,S001,hazard,electrical,general,插座老化,2026-11-20,open,2026-11-03,
W-3,S001,hazard,equipment,general,燃气管道未固定,2026-11-20,rectified,2026-11-04,
EOF
expect_exit "import" 0 ctl import "$T/late.csv"
ctl list --all >"$T/list"
id_of() {
	awk -v t="$1" 'index($0, t) { print $1; exit }' "$T/list"
}
OPEN=$(id_of 安全出口堵塞)
NOW=$(id_of 插座老化)
IMPORTED=$(id_of 燃气管道未固定)
expect_exit "the school reports its rectification" 0 \
    ctl rectify "$NOW" --note 已更换插座

overdue_metric() {
	curl -fs "$SERVER/metrics" | awk \
	    'index($0, "hazardd_hazards_overdue{kind=\"hazard\"} ") == 1 { print $NF }'
}
expect_eq "/metrics: only the open one is overdue" 1 "$(overdue_metric)"
expect_exit "list --overdue" 0 ctl list --overdue
expect_match "lists the open one" '安全出口堵塞' "$OUT"
expect_eq "and not those waiting for verification" "" \
    "$(printf '%s\n' "$OUT" | grep -E '插座老化|燃气管道未固定')"
expect_exit "show the rectified one" 0 ctl --json show "$NOW"
expect_match "is not overdue" '"overdue": false' "$OUT"
expect_exit "show the imported rectified one" 0 ctl --json show "$IMPORTED"
expect_match "is not overdue either" '"overdue": false' "$OUT"
expect_exit "the stats" 0 ctl --json stats --by school
expect_match "count one overdue" '"overdue": 1' "$OUT"

# The daily of 12-02 tells the state at 08:00: 插座老化 was still open.
expect_exit "the daily of 12-02" 0 ctl cycle run daily --period 2026-12-02
expect_exit "read it" 0 ctl digest daily --period 2026-12-02
expect_match "two overdue at its end" '全部在册: 在办 3  逾期 2' "$OUT"
expect_match "the one rectified since among them" '插座老化' "$OUT"
expect_eq "not the one waiting since before" "" \
    "$(printf '%s\n' "$OUT" | sed -n '/^逾期未整改/,/^$/p' | grep 燃气管道未固定)"
# Imported as rectified, it waits since its record last changed (11-04).
backlog=$(printf '%s\n' "$OUT" | sed -n '/^待验收（安全办）/,/^$/p')
expect_match "which is the office's backlog" '燃气管道未固定 .*待验收 +28$' "$backlog"
expect_eq "the one rectified after the daily's end is not in it" "" \
    "$(printf '%s\n' "$backlog" | grep 插座老化)"

# The monthly escalates the school's overdue hazard, not the office's
# backlog.
expect_exit "the monthly" 0 ctl cycle run monthly --period 2026-11
expect_exit "the open one" 0 ctl --json show "$OPEN"
expect_match "is escalated" '"escalation": 1' "$OUT"
expect_exit "the rectified one" 0 ctl --json show "$NOW"
expect_match "is not" '"escalation": 0' "$OUT"
expect_exit "the imported rectified one" 0 ctl --json show "$IMPORTED"
expect_match "is not either" '"escalation": 0' "$OUT"
stop_daemon

# The next day the daily says one overdue; a rejection makes the
# rectified one overdue again.
start_at "2026-12-03 09:30:00"
expect_exit "the daily of 12-03" 0 ctl cycle run daily --period 2026-12-03
expect_exit "read it" 0 ctl digest daily --period 2026-12-03
expect_match "one overdue" '全部在册: 在办 3  逾期 1' "$OUT"
backlog=$(printf '%s\n' "$OUT" | sed -n '/^待验收（安全办）/,/^$/p')
expect_match "the office's backlog: rectified yesterday, waiting 1 day" \
    '插座老化 .*待验收 +1$' "$backlog"
expect_match "and the imported one" '燃气管道未固定' "$backlog"
expect_exit "its JSON" 0 ctl --json digest daily --period 2026-12-03
expect_match "says the days waiting" '"days_waiting": 1' "$OUT"
md=$(cat "$(ls -t "$T"/outbox/daily-2026-12-03-r*.md | head -1)")
expect_match "the robot's section of the backlog" \
    '#### 待验收（安全办）（2）' "$md"
expect_match "with the days waiting" '插座老化 · 用电安全 · \*\*待验收1天\*\*' "$md"
expect_exit "the office rejects the rectification" 0 \
    ctl reject "$NOW" --note 插座仍松动
expect_eq "/metrics: overdue again" 2 "$(overdue_metric)"
expect_exit "show" 0 ctl --json show "$NOW"
expect_match "overdue again" '"overdue": true' "$OUT"
finish
