#!/bin/bash
# What a new user meets first, read as that user reads it: the group
# robot's digest in English counts in good English ("1 time", "1 other",
# "due today", never "1 times" or "0 days left"), and in Chinese says a
# deadline of today as 今日到期; a school's morning notice too.  A
# rectification the office sent back is not counted as rectified (整改),
# in the digests nor in the counts of the day.  A digest lists at most
# 100 new hazards, and says how many more and how to list them all.
. "$(dirname "$0")/lib.sh"

start_sink "$T/robots" ""
ROBOTS="http://127.0.0.1:$ROBOT_PORT"

# to ROBOT: the markdown the robot at /ROBOT took, its messages one after
# the other, each line of them a line.
to() {
	for f in $(ls "$T/robots/"*.uri 2>/dev/null | sort -V); do
		grep -q "^/$1?" "$f" || continue
		python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["markdown"]["text"])' "${f%.uri}.body"
	done
}
# robot LANG: the office's robot, its digests in LANG.
robot() {
	ROBOT=("[deliver]" "webhook = $ROBOTS/$1?access_token=o"
	    "webhook_format = dingtalk" "language = $1")
}

# Wednesday 2026-11-25, 07:00, before the daily: S001 has a hazard due
# today and has held one training; S002 has nothing to do.
robot en
start_at "2026-11-25 07:00:00" "${ROBOT[@]}"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
ctl school set S001 --webhook "$ROBOTS/s1?access_token=s" \
    --format dingtalk >/dev/null
TODAY=$(ctl report --school S001 --title 食堂留样不全 --category food \
    --deadline 2026-11-25)
LATE=$(ctl report --school S001 --title 东楼安全出口堵塞 --category fire \
    --deadline 2026-11-24 --allow-past)
ctl activity add --school S001 --type training --date 2026-11-24 \
    --count 1 >/dev/null
# One rectification the office sent back, one it did not.
BACK=$(ctl report --school S001 --title 围墙开裂 --category buildings \
    --deadline 2026-12-31)
ctl rectify "$BACK" --note 已修补 >/dev/null
ctl reject "$BACK" --note 裂缝仍在 >/dev/null
DONE=$(ctl report --school S001 --title 配电箱未上锁 --category electrical \
    --deadline 2026-12-31)
# The office forgets --school: told how to give it.
expect_exit "a report without its school" 1 ctl report --title 无主隐患 \
    --category fire
expect_match "names --school" 'give the school.s code with --school CODE' \
    "$ERR"
# A category in the user's own words, not one of the list: the near
# ones suggested, in Chinese by their Chinese names.
expect_exit "a category not on the list" 1 ctl report --school S001 \
    --title 楼梯扶手松动 --category 建筑
expect_match "  the one meant suggested" \
    'did you mean School buildings \(buildings\)\?$' "$ERR"
expect_exit "  in Chinese" 1 env LC_ALL=zh_CN.UTF-8 "$HAZARDCTL" report \
    --school S001 --title 楼梯扶手松动 --category 建筑
expect_match "  by its Chinese name" \
    '没有类别“建筑”.*是否指 校舍建筑 \(buildings\)？$' "$ERR"
expect_exit "  a word too common to tell" 1 ctl report --school S001 \
    --title 楼梯扶手松动 --category 安全
expect_eq "  suggests none" "" "$(printf '%s\n' "$ERR" | grep 'did you mean')"
# A hazard never escalated says so, not "escalation: 0".
expect_exit "show" 0 ctl show "$DONE"
expect_match "not escalated, in words" '^escalation: +not escalated$' "$OUT"
ctl rectify "$DONE" --note 已上锁 >/dev/null
expect_exit "the counts of the day" 0 curl -fsS \
    -H "Authorization: Bearer $HAZARD_TOKEN" "http://127.0.0.1:$PORT/v1/today"
expect_match "today: the rectification sent back is not counted" \
    '"hazard": ?\{"reported": ?4, ?"rectified": ?1,' "$OUT"
expect_exit "a daily digest, in English" 0 ctl cycle run daily \
    --period 2026-11-25
settle 1
msg=$(to en)
expect_match "en: the hazard due today says so" \
    "#$TODAY 食堂留样不全 · Food safety · \*\*due today\*\*" "$msg"
expect_eq "en: no '0 days left'" 0 "$(printf '%s\n' "$msg" | grep -c '0 days left')"
expect_match "en: one overdue day is a day" \
    "#$LATE 东楼安全出口堵塞 · Fire safety · \*\*1 day overdue\*\*" "$msg"
expect_match "en: the rectification sent back is not counted" \
    '^\*\*Today: 4 new, 1 rectified, 0 closed;' "$msg"
expect_match "en: nor in its school's row" \
    '^- \*\*第一中学\*\* new 4 · rectified 1 · closed 0 ' "$msg"
expect_match "en: one quiet school is '1 other'" \
    '^- 1 other: nothing new, nothing open$' "$msg"
expect_exit "a monthly digest, in English" 0 ctl cycle run monthly \
    --period 2026-11
settle 2
msg=$(to en)
expect_match "en: one training is '1 time'" \
    '^- \*\*第一中学\*\* Safety trainings 1 time$' "$msg"
expect_eq "en: never '1 times'" 0 "$(printf '%s\n' "$msg" | grep -c ' 1 times')"
stop_daemon

# The same in Chinese, at 09:00: the daily of 08:00 and S001's morning
# notice.
robot zh
start_at "2026-11-25 09:00:00" "${ROBOT[@]}"
settle 4
msg=$(to zh)
expect_match "zh: the hazard due today says 今日到期" \
    "#$TODAY 食堂留样不全 · 食品安全 · \*\*今日到期\*\*" "$msg"
expect_eq "zh: no 剩0天" 0 "$(printf '%s\n' "$msg" | grep -c '剩0天')"
expect_match "zh: 整改 counts only the rectification not sent back" \
    '^\*\*今日新增 4 处、整改 1 处、销号 0 处；' "$msg"
expect_exit "the daily as hazardctl prints it" 0 ctl digest daily
expect_match "its text too: the school's row" \
    '第一中学 +S001 +4 +1 +0 ' "$OUT"
msg=$(to s1)
expect_match "the school's notice: due today says 今日到期" \
    "- 食堂留样不全 #$TODAY · 期限 2026-11-25 · 今日到期" "$msg"
expect_eq "the school's notice: no 剩0天" 0 \
    "$(printf '%s\n' "$msg" | grep -c '剩0天')"

# A week of a large district: more new hazards than a digest lists.
# The first DIGEST_NEW_MAX (100) are listed, the rest counted, with the
# command that lists them all.
for i in $(seq 1 101); do
	echo "S002,fire,灭火器过期 $i,2026-11-25 08:30,2026-12-31,open"
done | sed '1i school,category,title,reported_at,deadline,state' >"$T/many.csv"
expect_exit "101 more hazards, imported" 0 ctl import "$T/many.csv"
expect_exit "the week so far" 0 ctl cycle run weekly
expect_exit "its JSON" 0 ctl --json digest weekly
expect_eq "lists 100 new hazards, and counts the other 5" "100 5" \
    "$(printf '%s' "$OUT" | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(len(d["new_hazards"]), d["new_hazards_more"])')"
expect_exit "its text" 0 ctl digest weekly
expect_match "says how many more, and how to list them all" \
    '^  另有 5 处未列出，全部：hazardctl list --since 2026-11-23 --until 2026-11-25$' \
    "$OUT"
settle 6
msg=$(to zh | sed -n '/安全隐患周报/,$p')
expect_match "the robot's heading counts them all" \
    '^#### 本期新增隐患（重大在前）（105）$' "$msg"
expect_match "and says where the rest are" \
    '^- 另有 95 条，全部：hazardctl list --since 2026-11-23 --until 2026-11-25$' \
    "$msg"
expect_exit "that command" 0 ctl --json list --since 2026-11-23 \
    --until 2026-11-25 --limit 500
expect_eq "lists the 105" 105 "$(printf '%s' "$OUT" | python3 -c 'import json, sys
print(len(json.load(sys.stdin)["hazards"]))')"

finish
