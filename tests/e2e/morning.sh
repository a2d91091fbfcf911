#!/bin/bash
# A school's morning notice lists each hazard once: one whose
# rectification the office rejected and that is overdue (or due soon)
# is one item, in its section of the deadline, with the office's note,
# and counted once in the title.
. "$(dirname "$0")/lib.sh"

start_sink "$T/robots" ""
ROBOTS="http://127.0.0.1:$ROBOT_PORT"

# Monday 2026-11-23: two rectifications rejected, one past its deadline,
# one due in three days; a third hazard rejected with no deadline near.
start_at "2026-11-23 10:00:00"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
expect_exit "S001 has a robot" 0 ctl school set S001 \
    --webhook "$ROBOTS/s1?access_token=s1" --format dingtalk
S1=$(ctl token create --school S001 --name 张老师)
# A deadline already past is the office's to record (--allow-past).
LATE=$(ctl report --school S001 --title 安全出口堵塞 --category fire \
    --deadline 2026-11-20 --allow-past)
SOON=$(ctl --token "$S1" report --title 食堂留样不全 --category food \
    --deadline 2026-11-26)
FAR=$(ctl --token "$S1" report --title 围墙开裂 --category buildings \
    --deadline 2026-12-31)
for id in "$LATE" "$SOON" "$FAR"; do
	ctl --token "$S1" rectify "$id" --note 已整改 >/dev/null
	ctl reject "$id" --note "退回$id" >/dev/null ||
	    fail "the office rejects $id"
done
settle 3
stop_daemon

# Wednesday 09:00: the daily is made on start, and the morning notice.
start_at "2026-11-25 09:00:00"
settle 4
msg=$(cat "$(ls "$T/robots/"*.body | sort -V | tail -1)")
expect_match "the morning notice" '今日待办' "$msg"
expect_match "three things to do, not five" '"title":"今日待办 3 项"' "$msg"
expect_eq "the overdue rejected one listed once" 1 \
    "$(printf '%s' "$msg" | grep -o "#$LATE · " | wc -l)"
expect_eq "the rejected one due soon listed once" 1 \
    "$(printf '%s' "$msg" | grep -o "#$SOON · " | wc -l)"
expect_match "overdue, with the office's note" \
    "- 安全出口堵塞 #$LATE · 期限 2026-11-20 · \*\*逾期5天\*\* · 区安全办意见：退回$LATE" "$msg"
expect_match "due soon, with the note" \
    "- 食堂留样不全 #$SOON · 期限 2026-11-26 · 剩1天 · 区安全办意见：退回$SOON" "$msg"
expect_match "the third among the rejected" \
    "#### 整改被退回\\\\n\\\\n- 围墙开裂 #$FAR · 区安全办意见：退回$FAR" "$msg"
finish
