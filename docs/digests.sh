#!/bin/bash
# Makes the samples of docs/DIGESTS.md from a real run of the daemon
# built in build/: a district of four schools from October to 30
# November 2026, driven through faketime (tests/e2e/lib.sh) by hazardctl.
#
#	docs/digests.sh [OUTDIR]
#
# HAZARDD and HAZARDCTL name other binaries (a build elsewhere).
# OUTDIR (by default /tmp/hazardd-digests) receives the outbox (each digest's
# .txt, .json and the robot's .md), the three digests as `hazardctl
# digest` prints them and rate.txt, the `hazardctl rate` answers that
# the page's "Where the numbers come from" quotes.  With PHONE_VIEW set
# to a program taking FILE.md OUT.png, it also renders the three robot
# messages as a phone shows them, as OUTDIR/daily-robot.png, ... (the
# pictures in docs/img).
top=$(cd "$(dirname "$0")/.." && pwd)
OUTD=$(mkdir -p "${1:-/tmp/hazardd-digests}" && cd "${1:-/tmp/hazardd-digests}" && pwd)
export HAZARDD=${HAZARDD:-$top/build/hazardd}
export HAZARDCTL=${HAZARDCTL:-$top/build/hazardctl} TOP_SRCDIR=$top
# shellcheck source=/dev/null
. "$top/tests/e2e/lib.sh"
rm -f "$OUTD"/*

# 16 October: S002 reports a broken lock; it rectifies it on the 22nd,
# and the office never verifies it.
start_at "2026-10-16 10:00:00"
HAZARD_TOKEN=$(office_token 区安全办)
export HAZARD_TOKEN
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
ctl school add S003 城南职业学校 >/dev/null
ctl school add S004 第二中学 >/dev/null
S1=$(ctl token create --school S001 --name 张老师)
S2=$(ctl token create --school S002 --name 李老师)
S3=$(ctl token create --school S003 --name 王老师)
LOCK=$(ctl --token "$S2" report --title 配电室门锁损坏 --category electrical \
    --deadline 2026-10-23)
stop_daemon >/dev/null
start_at "2026-10-22 15:00:00"
ctl --token "$S2" rectify "$LOCK" --note 已更换门锁 >/dev/null
stop_daemon >/dev/null

# Thursday 26 November, 10:00: the office imports what the schools
# recorded on paper, and sends an early warning; S001 acknowledges it.
# The monthly of October that the daemon catches up on at its start is
# made first, as it was on 1 November: else it may escalate the import.
start_at "2026-11-26 10:00:00"
i=0
while [ ! -e "$T/outbox/monthly-2026-10-r1.json" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
cat > "$T/h.csv" <<'CSV'
school,kind,category,grade,title,reported_at,deadline,state,closed_at,plan,assessment
S001,hazard,fire,general,东楼安全出口堵塞,2026-11-02,2026-11-09,closed,2026-11-08,,
S001,hazard,electrical,general,实验室插座老化,2026-11-10,2026-11-20,open,,,
S002,hazard,fire,general,宿舍楼灭火器过期,2026-11-18,2026-11-25,open,,,
S002,hazard,buildings,major,教学楼外墙瓷砖脱落,2026-11-12,2026-12-31,open,,搭设防护棚，限期更换,高空坠物风险，较大
S002,hazard,fire,general,消防栓箱门损坏,2026-11-03,2026-11-10,closed,2026-11-09,,
S003,hazard,traffic,general,校门口减速带损坏,2026-11-26,2026-12-01,open,,,
S003,hazard,electrical,general,配电箱未上锁,2026-11-05,2026-11-12,closed,2026-11-11,,
S004,hazard,fire,general,图书馆消防通道堆放杂物,2026-10-20,2026-10-31,open,,,
S004,finding,food,general,食堂从业人员健康证过期,2026-11-20,2026-12-06,open,,,
CSV
ctl import "$T/h.csv" >/dev/null || echo IMPORT FAILED
# The safety activities the schools recorded on paper this autumn, and
# an earthquake drill S002 records itself.
cat > "$T/a.csv" <<'CSV'
school,type,subtype,date,count,note
S003,安全责任书,,2026-11-02,12,与各班主任签订
S001,应急演练,消防疏散,2026-11-05,1,全校疏散
S002,安全教育,,2026-11-10,40,
S001,应急演练,反恐防暴,2026-11-24,1,
S004,安全检查,,2026-11-25,1,食堂专项检查
CSV
ctl activity import "$T/a.csv" >/dev/null || echo ACTIVITY IMPORT FAILED
ctl --token "$S2" activity add --type 应急演练 --subtype 防震 --count 1 \
    >/dev/null || echo ACTIVITY FAILED
WARN=$(ctl warn --title 寒潮大风预警 --body $'明日起气温骤降，阵风八级。\n请检查户外设施，加固临时搭建物。')
ctl --token "$S1" ack "$WARN" >/dev/null
stop_daemon >/dev/null

# Friday 14:00: S002 acknowledges, four hours past its day.
start_at "2026-11-27 14:00:00"
ctl --token "$S2" ack "$WARN" >/dev/null
stop_daemon >/dev/null

# Sunday 29 November, afternoon: two new hazards, one major; S002
# reports the extinguishers replaced; the office rejects it at 17:00.
start_at "2026-11-29 15:00:00"
ctl --token "$S1" report --title 食堂留样不全 --category food \
    --deadline 2026-12-05 >/dev/null
ctl --token "$S3" report --title 后厨燃气管道未固定 --category equipment \
    --grade major --deadline 2026-12-15 >/dev/null
EXT=$(ctl list --school S002 --json | python3 -c '
import json, sys
print([h["id"] for h in json.load(sys.stdin)["hazards"] if h["title"] == "宿舍楼灭火器过期"][0])')
ctl --token "$S2" rectify "$EXT" --note 已更换灭火器 >/dev/null || echo RECTIFY FAILED
stop_daemon >/dev/null
start_at "2026-11-29 17:00:00"
ctl reject "$EXT" --note '仍有两具灭火器压力不足，请全部更换后再报' >/dev/null || echo REJECT FAILED
stop_daemon >/dev/null

# Monday 30 November, 07:40: the office runs the three by hand, before
# the scheduled daily of 08:00.
start_at "2026-11-30 07:40:00"
ctl cycle run daily --period 2026-11-30 >/dev/null
ctl cycle run weekly --period 2026-W48 >/dev/null
ctl cycle run monthly --period 2026-11 >/dev/null
for kp in daily:2026-11-30 weekly:2026-W48 monthly:2026-11; do
	ctl digest ${kp%%:*} --period ${kp#*:} >"$OUTD/${kp%%:*}.txt"
done
ctl --json digest daily --period 2026-11-30 > "$OUTD"/daily.json
cp "$T"/outbox/* "$OUTD"/
for args in "" "--since 2026-01-01" "--school S001 --since 2026-01-01" \
    "--since 2026-11-01 --until 2026-11-30" \
    "--since 2026-11-23 --until 2026-11-29" "--kind finding" \
    "--school S004 --kind finding --since 2026-01-01"; do
	# shellcheck disable=SC2086 # the options are words
	echo "hazardctl rate $args => $(ctl rate $args)" >> "$OUTD"/rate.txt
done
finish >/dev/null || exit 1
if [ -n "${PHONE_VIEW:-}" ]; then
	for kp in daily-2026-11-30 weekly-2026-W48 monthly-2026-11; do
		"$PHONE_VIEW" "$OUTD/$kp-r1.md" "$OUTD/${kp%%-*}-robot.png"
	done
fi
