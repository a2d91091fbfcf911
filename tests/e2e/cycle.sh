#!/bin/bash
# The cycle on its own clock, with the daemon's clock set by libfaketime:
# nothing made up before the database existed, downtime over several
# periods then catch-up of the latest of each kind, exactly once across
# restarts, the scheduled run at its minute, a daily digest naming an
# overdue hazard with its days overdue, the monthly escalation to the
# mapped department, and revisions by hand.
. "$(dirname "$0")/lib.sh"

EXTRA=("[categories]" "fire = 消防安全 | Fire safety | 消防救援大队"
    "food = 食品安全 | Food safety | 市场监督管理局"
    "buildings = 校舍建筑 | School buildings"
    "[policy]" "escalate_after_days = 20")

digests() {
	curl -s -H "Authorization: Bearer $HAZARD_TOKEN" "$SERVER/v1/digests"
}
count_digests() {
	digests | grep -o '"id":' | wc -l | tr -d ' '
}
# wait_digests N: digests are built on a thread after the start or the
# timer; waits (up to 30 s) until there are N, then counts them.
wait_digests() {
	i=0
	while [ "$(count_digests)" -lt "$1" ] && [ $i -lt 150 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	count_digests
}

# A new database on Monday 2026-11-02 10:00: the runs of that morning
# and the periods before it are not made up.
start_at "2026-11-02 10:00:00" "${EXTRA[@]}"
export HAZARD_TOKEN=$(office_token office)
expect_eq "no period made up from before the database" 0 "$(count_digests)"
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
FIRE=$(ctl report --school S001 --title 东楼安全出口堵塞 --category fire \
    --deadline 2026-11-05)
FOOD=$(ctl report --school S002 --title 食堂留样不全 --category food)
OTHER=$(ctl report --school S002 --title 围墙开裂 --category buildings \
    --grade major --deadline 2030-01-01)
DONE=$(ctl report --school S001 --title 灭火器过期 --category fire \
    --deadline 2026-11-04)
ctl rectify "$DONE" --note 已更换 >/dev/null
ctl verify "$DONE" >/dev/null
stop_daemon

# Down for a month; back on Wednesday 2026-12-02 09:30.  The latest
# daily (12-02), weekly (W48) and monthly (11) are made, and no other.
start_at "2026-12-02 09:30:00" "${EXTRA[@]}"
expect_eq "three digests after the downtime" 3 "$(wait_digests 3)"
list=$(digests)
expect_match "the daily of 2026-12-02" '"kind":"daily","period":"2026-12-02"' "$list"
expect_match "the weekly of 2026-W48" '"kind":"weekly","period":"2026-W48"' "$list"
expect_match "the monthly of 2026-11" '"kind":"monthly","period":"2026-11"' "$list"
expect_match "made as catch-up" '"trigger":"catchup"' "$list"

expect_exit "hazardctl digest daily" 0 ctl digest daily
expect_match "the daily digest is in Chinese" '安全隐患日报 2026-12-02' "$OUT"
expect_match "it names the overdue hazard" '东楼安全出口堵塞' "$OUT"
# 2026-12-02 - 2026-11-05 = 27 days overdue.
expect_match "with its days overdue" '东楼安全出口堵塞 +消防安全 +2026-11-05 +待整改 +27' "$OUT"
expect_match "the major hazard lacks its plan" '围墙开裂 +无 +无' "$OUT"
# The columns line up on a terminal: Chinese takes two columns a
# character, in the daemon's text as in hazardctl's tables.
head=$(printf '%s\n' "$OUT" | grep -m1 '^学校 .*代码')
row=$(printf '%s\n' "$OUT" | grep -m1 '^第一中学 .*S001')
expect_eq "the school table's code column lines up" \
    "$(printf '%s' "${head%%代码*}" | LC_ALL=C.UTF-8 wc -L)" \
    "$(printf '%s' "${row%%S001*}" | LC_ALL=C.UTF-8 wc -L)"
expect_exit "digest --json" 0 ctl --json digest daily
expect_match "JSON: days_overdue" '"days_overdue": 27' "$OUT"
expect_match "JSON: the rate of the year" '"text": "1/4 \(25%\)"' "$OUT"

# The monthly dispatch escalated the overdue hazard and those open more
# than 20 days, each to its department; not the closed one.
expect_exit "monthly digest" 0 ctl digest monthly --period 2026-11
expect_match "three escalated" '本月升级督办 3' "$OUT"
expect_match "dispatched to the fire brigade" '【消防救援大队】' "$OUT"
expect_match "dispatched to market supervision" '【市场监督管理局】' "$OUT"
expect_exit "the escalated hazard" 0 ctl --json show "$FIRE"
expect_match "escalation level 1" '"escalation": 1' "$OUT"
expect_match "its department set" '"department": "消防救援大队"' "$OUT"
expect_match "an escalate event in the trail" '"action": "escalate"' "$OUT"
expect_exit "the closed hazard" 0 ctl --json show "$DONE"
expect_match "is not escalated" '"escalation": 0' "$OUT"
expect_exit "the major hazard open 29 days" 0 ctl --json show "$OTHER"
expect_match "is escalated too" '"escalation": 1' "$OUT"
expect_match "to the education commission (no mapping)" \
    '"department": "教育局"' "$OUT"

# Each digest is in the outbox, as text, JSON and the robot's markdown.
expect_eq "nine files in the outbox" 9 "$(ls "$T/outbox" | wc -l | tr -d ' ')"
expect_match "the daily's markdown, for a phone" \
    '^- \*\*第一中学\*\* #[0-9]+ 东楼安全出口堵塞 · 消防安全 · \*\*逾期27天\*\*$' \
    "$(cat "$T/outbox/daily-2026-12-02-r1.md")"
expect_match "the monthly text" 'monthly-2026-11-r1.txt' "$(ls "$T/outbox")"
stamp=$(stat -c %Y "$T/outbox/daily-2026-12-02-r1.txt")

# A restart makes nothing twice.
stop_daemon
start_at "2026-12-02 09:45:00" "${EXTRA[@]}"
expect_eq "still three digests after a restart" 3 "$(count_digests)"
expect_eq "the outbox file untouched" "$stamp" \
    "$(stat -c %Y "$T/outbox/daily-2026-12-02-r1.txt")"

# A run by hand is a new revision, and escalates nothing twice.
expect_exit "cycle run monthly by hand" 0 ctl cycle run monthly \
    --period 2026-11
expect_match "revision 2" 'monthly 2026-11 revision 2' "$OUT"
expect_exit "the hazard after the re-run" 0 ctl --json show "$FIRE"
expect_match "still escalation level 1" '"escalation": 1' "$OUT"
expect_eq "four digests" 4 "$(count_digests)"
expect_exit "a bad period is refused" 1 ctl cycle run weekly --period 2026-W60
expect_exit "a period not begun is refused" 1 ctl cycle run daily \
    --period 2030-01-01
expect_exit "an unknown cycle is a usage error" 2 ctl cycle run hourly
stop_daemon

# The scheduled run at its minute: 08:00 on 2026-12-03.  A run by hand
# of that day before its time covers only part of it: the schedule
# still makes it, as the next revision.
start_at "2026-12-03 07:59:55" "${EXTRA[@]}"
expect_eq "nothing new before 08:00" 4 "$(count_digests)"
expect_exit "the day's daily by hand before its time" 0 ctl cycle run daily \
    --period 2026-12-03
expect_match "revision 1" 'daily 2026-12-03 revision 1' "$OUT"
sleep 5
expect_eq "the daily of 2026-12-03 made at 08:00 all the same" 6 \
    "$(wait_digests 6)"
expect_match "made by the schedule, as revision 2" \
    '"kind":"daily","period":"2026-12-03","revision":2,"trigger":"schedule"' \
    "$(digests)"

# English, on request.
stop_daemon
EXTRA+=("[deliver]" "language = en")
start_at "2026-12-03 09:00:00" "${EXTRA[@]}"
expect_exit "an English digest by hand" 0 ctl cycle run daily \
    --period 2026-12-03
expect_exit "read it" 0 ctl digest daily
expect_match "English headings" 'Daily hazard track 2026-12-03' "$OUT"
expect_match "English labels" 'Overdue' "$OUT"

# A reload that moves the daily's time earlier, past now, makes that
# day's run at once (as a start would), not a day late.
c0=$(count_digests)
stop_daemon
start_at "2026-12-04 08:30:00" "${EXTRA[@]}" "[schedule]" "daily = 09:00"
# At 09:00, the daily of 2026-12-03 reaches past what its revisions
# cover (until 08:00): the start makes it again, for its new window.
c1=$(wait_digests $((c0 + 1)))
expect_eq "the start's catch-up" $((c0 + 1)) "$c1"
expect_match "not yet the daily of 2026-12-04 (09:00)" '^$' \
    "$(digests | grep -o '"period":"2026-12-04"')"
sed -i 's/^daily = 09:00/daily = 08:00/' "$CONF"
kill -HUP "$DAEMON_PID"
expect_eq "the daily of 2026-12-04 made on the reload" $((c1 + 1)) \
    "$(wait_digests $((c1 + 1)))"
expect_match "as a catch-up" \
    '"kind":"daily","period":"2026-12-04","revision":1,"trigger":"catchup"' \
    "$(digests)"

# After days down, a daily covers the time since the previous daily run,
# not the day before alone: a hazard reported after the daily of
# 2026-12-05 is new in the daily made on the return, on 2026-12-08.
# wait_daily DAY: until the daily of DAY is made (30 s at most).
wait_daily() {
	i=0
	while ! digests | grep -q "\"kind\":\"daily\",\"period\":\"$1\"" &&
	    [ $i -lt 150 ]; do
		sleep 0.2
		i=$((i + 1))
	done
}
stop_daemon
start_at "2026-12-05 10:00:00" "${EXTRA[@]}"
wait_daily 2026-12-05
ctl report --school S001 --title 停机前的隐患 --category fire >/dev/null
stop_daemon
start_at "2026-12-08 09:00:00" "${EXTRA[@]}"
wait_daily 2026-12-08
expect_exit "the daily made on the return" 0 ctl --json digest daily \
    --period 2026-12-08
expect_match "since the daily of 2026-12-05" \
    '"since": "2026-12-05T08:00:00\+08:00"' "$OUT"
expect_match "the hazard of 2026-12-05 new in it" '"new": 1,' \
    "$(printf '%s\n' "$OUT" | grep -A2 '"district"')"

finish
