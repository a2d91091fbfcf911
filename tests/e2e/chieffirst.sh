#!/bin/bash
# What the chief reads first: the daily lists the day's new hazards by
# title, the major ones first, and the rectifications the office
# rejected with its note (escaped in the robot's markdown); the weekly
# adds the schools that reported nothing in the week (零报告) and those
# that did not acknowledge a warning within a day of its issue.
. "$(dirname "$0")/lib.sh"

# Monday 2026-11-23, 10:00: three schools; S001 reports two hazards.
start_at "2026-11-23 10:00:00"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
ctl school add S003 育才中学 >/dev/null
S1=$(ctl token create --school S001 --name 张老师)
S2=$(ctl token create --school S002 --name 李老师)
PLUG=$(ctl --token "$S1" report --title 插座老化 --category electrical \
    --deadline 2026-12-31)
WALL=$(ctl --token "$S1" report --title 教学楼外墙脱落 --category buildings \
    --grade major --deadline 2026-12-31)
ctl --token "$S1" rectify "$PLUG" --note 已更换 >/dev/null
expect_exit "the office rejects the rectification" 0 ctl reject "$PLUG" \
    --note '插座仍松动 ## 已销号 [详情](http://evil.example/)'
WARN=$(ctl warn --title 寒潮预警 --body 检查水管保温)
expect_exit "S001 acknowledges the warning at once" 0 \
    ctl --token "$S1" ack "$WARN"
stop_daemon

# Tuesday 12:00: S002 acknowledges, two hours past its day; S003 never.
start_at "2026-11-24 12:00:00"
expect_exit "S002 acknowledges late" 0 ctl --token "$S2" ack "$WARN"
expect_exit "the daily of 11-24 (from 11-23 08:00)" 0 ctl cycle run daily --period 2026-11-24
expect_exit "read it" 0 ctl digest daily --period 2026-11-24
new=$(printf '%s\n' "$OUT" | sed -n '/^本期新增隐患/,/^$/p')
expect_match "the new hazards, the major one first" \
    "教学楼外墙脱落 +校舍建筑 +重大.*插座老化 +用电安全 +一般" \
    "$(printf '%s' "$new" | tr '\n' ' ')"
rejected=$(printf '%s\n' "$OUT" | sed -n '/^本期退回的整改/,/^$/p')
expect_match "the rejection with the office's note, on its line" \
    "^第一中学 +S001 +$PLUG +插座老化 +2026-11-23 10:00 +插座仍松动 ## 已销号" \
    "$rejected"
expect_exit "its JSON" 0 ctl --json digest daily --period 2026-11-24
expect_match "the district's new" '"new": 2,' "$OUT"
expect_eq "as many listed" 2 "$(printf '%s\n' "$OUT" |
    sed -n '/^  "new_hazards": \[/,/^  \],/p' | grep -c '"grade": ')"
expect_match "and the note" '"note": "插座仍松动' "$OUT"
md=$(cat "$(ls -t "$T"/outbox/daily-2026-11-24-r*.md | head -1)")
expect_match "the robot's new hazards" \
    "#### 本期新增隐患（重大在前）（2）" "$md"
expect_match "the major one first, in bold" \
    "^- \*\*第一中学\*\* #$WALL 教学楼外墙脱落 · 校舍建筑 · \*\*重大\*\*$" "$md"
expect_match "the note escaped" \
    "区安全办意见：插座仍松动 \\\\#\\\\# 已销号 \\\\\[详情\\\\\]" "$md"
expect_eq "no link made of it" "" "$(printf '%s\n' "$md" | grep -F '[详情]')"
stop_daemon

# The weekly of W48, run on the next Monday.
start_at "2026-11-30 09:30:00"
expect_exit "the weekly" 0 ctl cycle run weekly --period 2026-W48
expect_exit "read it" 0 ctl digest weekly --period 2026-W48
silent=$(printf '%s\n' "$OUT" | sed -n '/^本周零报告学校/,/^$/p')
expect_match "S002 reported nothing" '^实验小学 +S002$' "$silent"
expect_match "nor did S003" '^育才中学 +S003$' "$silent"
expect_eq "S001 did" "" "$(printf '%s\n' "$silent" | grep S001)"
late=$(printf '%s\n' "$OUT" | sed -n '/^未在一日内确认预警/,/^$/p')
expect_match "S002 acknowledged late" \
    "^实验小学 +S002 +$WARN +寒潮预警 +2026-11-23 10:00 +2026-11-24 12:00$" \
    "$late"
expect_match "S003 not at all" \
    "^育才中学 +S003 +$WARN +寒潮预警 +2026-11-23 10:00 +未确认$" "$late"
expect_eq "S001 in time" "" "$(printf '%s\n' "$late" | grep S001)"
md=$(cat "$(ls -t "$T"/outbox/weekly-2026-W48-r*.md | head -1)")
expect_match "the robot's silent schools" '#### 本周零报告学校（2）' "$md"
expect_match "and the late ones" '#### 未在一日内确认预警（2）' "$md"
expect_match "S003 in bold" "育才中学\*\* #$WARN 寒潮预警 · .*\*\*至今未确认\*\*" "$md"
finish
