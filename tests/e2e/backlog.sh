#!/bin/bash
# The office's own backlog goes to the office: a hazard rectified and
# waiting for the office's verification longer than escalate_after_days
# is not escalated against the school, which met its deadline when it
# reported the rectification, but the monthly dispatch lists it apart,
# as the office's backlog past the limit, with the days it has waited.
. "$(dirname "$0")/lib.sh"

# 2026-10-05: three hazards past no deadline yet; the school rectifies one.
start_at "2026-10-05 10:00:00"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
S1=$(ctl token create --school S001 --name 张老师)
LONG=$(ctl --token "$S1" report --title 配电箱未上锁 --category electrical \
    --deadline 2026-10-20)
OPEN=$(ctl --token "$S1" report --title 安全出口堵塞 --category fire \
    --deadline 2026-10-20)
SHORT=$(ctl --token "$S1" report --title 灭火器过期 --category fire \
    --deadline 2026-11-30)
expect_exit "the school rectifies one in October" 0 \
    ctl --token "$S1" rectify "$LONG" --note 已加锁
stop_daemon

# 2026-11-20: another rectified, 11 days before the month's end.
start_at "2026-11-20 10:00:00"
# The catch-up runs (October's monthly among them) hold the writer a
# moment: until they are made (10 s at most).
i=0
while ! grep -q 'monthly digest 2026-10 ' "$T/hazardd.log" && [ $i -lt 200 ]; do
	sleep 0.05; i=$((i + 1))
done
sleep 0.5
expect_exit "and one in November" 0 \
    ctl --token "$S1" rectify "$SHORT" --note 已更换
stop_daemon

# The monthly of November, made on 12-01 after its window's end (08:00).
start_at "2026-12-01 09:30:00"
expect_exit "the monthly" 0 ctl cycle run monthly --period 2026-11
expect_exit "the one waiting since October" 0 ctl --json show "$LONG"
expect_match "is not escalated against the school" '"escalation": 0' "$OUT"
expect_exit "the school's overdue one" 0 ctl --json show "$OPEN"
expect_match "is (October's dispatch too)" '"escalation": 2' "$OUT"
expect_exit "read it" 0 ctl digest monthly --period 2026-11
backlog=$(printf '%s\n' "$OUT" | sed -n '/^本办待验收超期/,/^$/p')
expect_match "the office's backlog past 30 days, a section of its own" \
    '^本办待验收超期（超过30天）$' "$backlog"
expect_match "lists the one waiting since 10-05, 57 days" \
    "^第一中学 +S001 +$LONG +配电箱未上锁 .*待验收 +57$" "$backlog"
expect_eq "not the one waiting 11 days" "" \
    "$(printf '%s\n' "$backlog" | grep 灭火器过期)"
expect_eq "nor the school's own overdue one" "" \
    "$(printf '%s\n' "$backlog" | grep 安全出口堵塞)"
dispatch=$(printf '%s\n' "$OUT" | sed -n '/^调度清单/,/^本办待验收超期/p')
expect_match "which the dispatch holds" '安全出口堵塞' "$dispatch"
expect_eq "and not the office's backlog" "" \
    "$(printf '%s\n' "$dispatch" | grep 配电箱未上锁)"
expect_exit "its JSON" 0 ctl --json digest monthly --period 2026-11
expect_match "the limit" '"escalate_after_days": 30' "$OUT"
expect_match "and the backlog" '"office_backlog": \[' "$OUT"
md=$(cat "$(ls -t "$T"/outbox/monthly-2026-11-r*.md | head -1)")
expect_match "the robot's section" '#### 本办待验收超期（超过30天）（1）' "$md"
expect_match "with the days waiting" \
    "配电箱未上锁 · 用电安全 · \*\*待验收57天\*\*" "$md"
finish
