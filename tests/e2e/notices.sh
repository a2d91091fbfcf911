#!/bin/bash
# Notices to schools' own robots (stand-ins on loopback): a rejection
# when the office rejects, a warning with its whole body when issued,
# and each morning what the school must do, each exactly once; a
# school with nothing to do is told nothing, one without a robot is
# never told; a robot's URL is the office's alone and never logged.
. "$(dirname "$0")/lib.sh"

start_sink "$T/robots" ""
ROBOTS_PORT=$ROBOT_PORT
ROBOTS="http://127.0.0.1:$ROBOTS_PORT"

# to ROBOT: the bodies the robot at /ROBOT took, one a line.
to() {
	for f in $(ls "$T/robots/"*.uri 2>/dev/null | sort -V); do
		grep -q "^/$1?" "$f" && cat "${f%.uri}.body" && echo
	done
}
# count ROBOT: how many messages it took.
count() {
	to "$1" | grep -c msgtype
}

OFFICE=("[deliver]" "webhook = $ROBOTS/office?access_token=o"
    "webhook_format = dingtalk" "retry_base = 1")

# Monday 2026-11-23, 10:00: three schools, two with a robot.
start_at "2026-11-23 10:00:00" "${OFFICE[@]}"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
ctl school add S003 育才中学 >/dev/null
expect_exit "the office gives S001 a robot" 0 \
    ctl school set S001 --webhook "$ROBOTS/s1?access_token=SCHOOLSEKRIT" \
    --format dingtalk --secret SECs1
expect_match "it says so" 'S001: notices go to its robot' "$OUT"
expect_exit "and S002" 0 ctl school set S002 \
    --webhook "$ROBOTS/s2?access_token=s2" --format wecom
expect_exit "a robot's URL must be https" 1 \
    ctl school set S003 --webhook "http://oapi.dingtalk.com/robot/send?access_token=x"
expect_match "and says why" 'expected https' "$ERR"
expect_exit "a host that is no robot's, without a format" 1 \
    ctl school set S003 --webhook "https://robot.example.cn/send"
expect_match "names the format it needs" 'dingtalk or wecom' "$ERR"
expect_exit "an unknown school" 1 \
    ctl school set S999 --webhook "https://oapi.dingtalk.com/robot/send?access_token=x"
expect_exit "the office lists the schools" 0 ctl --json school list
expect_match "with S001's robot" '"url": "http://127.0.0.1:[0-9]+/s1\?access_token=SCHOOLSEKRIT"' "$OUT"
expect_match "whose secret is never shown" '"secret": true' "$OUT"
expect_eq "nor in the log" 0 "$(grep -c SECs1 "$T/hazardd.log")"
S1=$(ctl token create --school S001 --name 张老师)
expect_exit "a school may not read the robots" 1 \
    ctl --token "$S1" school list

# S001: one hazard overdue, one due in two days, one rejected.
OVER=$(ctl report --school S001 --title 东楼安全出口堵塞 --category fire \
    --deadline 2026-11-20 --allow-past)
SOON=$(ctl report --school S001 --title 食堂留样不全 --category food \
    --deadline 2026-11-26)
REJ=$(ctl report --school S001 --title '围墙开裂 [点我](http://evil.example/)' \
    --category buildings --deadline 2026-12-31)
ctl --token "$S1" rectify "$REJ" --note 已修补 >/dev/null
expect_exit "the office rejects a rectification" 0 \
    ctl reject "$REJ" --note '裂缝仍在，需加固'
settle 1
expect_eq "S001's robot is told at once" 1 "$(count s1)"
msg=$(to s1)
expect_match "that its rectification was rejected" '"title":"整改被退回：#'"$REJ"' ' "$msg"
expect_match "with the office's note" '裂缝仍在，需加固' "$msg"
expect_match "and the command that goes on" "hazardctl rectify $REJ" "$msg"
expect_match "its title escaped: no link" '\\\\\[点我\\\\\]\(http' "$msg"
expect_match "signed with its secret" '&timestamp=[0-9]+&sign=' \
    "$(cat "$T/robots/1.uri")"

expect_exit "a warning to S001" 0 ctl warn --school S001 --title 寒潮预警 \
    --body $'明日起气温骤降。\n请检查供暖设施。'
settle 2
expect_eq "S001's robot gets it" 2 "$(count s1)"
msg=$(to s1 | tail -1)
expect_match "with its whole body, line by line" \
    '明日起气温骤降。\\n\\n请检查供暖设施。' "$msg"
expect_match "and how to acknowledge it" 'hazardctl ack [0-9]+' "$msg"
expect_eq "S002 is not told of S001's warning" 0 "$(count s2)"
expect_eq "no robot's URL in the log" 0 \
    "$(grep -c 'SCHOOLSEKRIT\|access_token' "$T/hazardd.log")"
stop_daemon

# Wednesday 2026-11-25, 09:00: the daily of 08:00 is made on start.
start_at "2026-11-25 09:00:00" "${OFFICE[@]}"
settle 4
expect_eq "the office's robot gets the daily" 1 "$(count office)"
expect_eq "S001's robot its morning notice" 3 "$(count s1)"
msg=$(to s1 | tail -1)
expect_match "titled with what there is to do" '"title":"今日待办 4 项"' "$msg"
expect_match "the overdue hazard, with its days" \
    "- 东楼安全出口堵塞 #$OVER · 期限 2026-11-20 · \*\*逾期5天\*\*" "$msg"
expect_match "the one due soon" "- 食堂留样不全 #$SOON · 期限 2026-11-26 · 剩1天" "$msg"
expect_match "the rejection, with the note" \
    "- 围墙开裂 .* #$REJ · 区安全办意见：裂缝仍在，需加固" "$msg"
expect_match "the warning not acknowledged" '#### 未确认的预警通知\\n\\n- 寒潮预警 #[0-9]+' "$msg"
expect_eq "no line of it begins with a number sign" 0 \
    "$(printf '%s' "$msg" | grep -c '\\n- #')"
expect_eq "S002, with nothing to do, is told nothing" 0 "$(count s2)"
expect_exit "the deliveries are done" 0 ctl --json digest daily
stop_daemon

# A restart: nothing is sent twice.
start_at "2026-11-25 09:10:00" "${OFFICE[@]}"
sleep 1
expect_eq "no notice sent again" 3 "$(count s1)"
expect_eq "no digest sent again" 1 "$(count office)"

# The robot taken away: the school is told nothing more.
expect_exit "the office takes S001's robot away" 0 \
    ctl school set S001 --no-webhook
expect_match "it says so" 'S001: no robot' "$OUT"
ctl reject "$REJ" --note again >/dev/null 2>&1
ctl warn --school S001 --title 大风 --body 注意 >/dev/null
sleep 1
expect_eq "no notice to a school without a robot" 3 "$(count s1)"

finish
