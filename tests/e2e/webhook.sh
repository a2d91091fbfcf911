#!/bin/bash
# Delivery to a group robot, here a stand-in on loopback
# (tests/webhook_sink): DingTalk's markdown message, signed with the
# secret; failures retried with back-off until exactly one success;
# nothing sent again after a restart; a long digest in parts for WeCom,
# and a part already taken not sent again when a later one fails, nor
# after the daemon was killed on its way.
. "$(dirname "$0")/lib.sh"

# wait_for FILE: until it exists (10 s at most).
wait_for() {
	i=0
	while [ ! -f "$1" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
}
requests() {
	ls "$1"/*.status 2>/dev/null | wc -l | tr -d ' '
}

# DingTalk: fails twice, then takes it.
start_sink "$T/robot" 1,2
DING=("[deliver]"
    "webhook = http://127.0.0.1:$ROBOT_PORT/robot/send?access_token=abc"
    "webhook_format = dingtalk" "webhook_secret = SECtest" "retry_base = 1")
start_at "2026-11-25 07:00:00" "${DING[@]}"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl report --school S001 --title '[点我](http://evil.example/)' \
    --category fire --deadline 2026-11-26 >/dev/null
expect_exit "a daily digest" 0 ctl cycle run daily --period 2026-11-25
wait_for "$T/robot/3.status"
sleep 0.3
expect_eq "three tries" 3 "$(requests "$T/robot")"
expect_eq "the third is taken" 200 "$(cat "$T/robot/3.status")"
expect_match "a markdown message" '"msgtype":"markdown"' \
    "$(cat "$T/robot/3.body")"
expect_match "titled with the digest's heading, in Chinese" \
    '"title":"安全隐患日报 2026-11-25' "$(cat "$T/robot/3.body")"
expect_match "the school's name intact" '第一中学' "$(cat "$T/robot/3.body")"
expect_match "a title from a school is no link" \
    '\\\\\[点我\\\\\]\(http' "$(cat "$T/robot/3.body")"
expect_match "signed: timestamp and sign" \
    '^/robot/send\?access_token=abc&timestamp=[0-9]{13}&sign=[A-Za-z0-9%]+$' \
    "$(cat "$T/robot/3.uri")"
expect_exit "the delivery" 0 ctl --json digest daily
expect_match "done" '"channel": "webhook"' "$OUT"
expect_match "after three attempts" '"attempts": 3' "$OUT"
expect_eq "the robot's failure logged once, not at each try" 1 \
    "$(grep -c 'failed (attempt' "$T/hazardd.log")"

stop_daemon
start_at "2026-11-25 07:05:00" "${DING[@]}"
sleep 1
expect_eq "nothing sent again after a restart" 3 "$(requests "$T/robot")"
stop_daemon
kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null; SINK_PID=""

# WeCom: a digest of many schools, each with an overdue hazard, all of
# them shown (robot_rows), goes in parts of at most 4000 bytes; the
# second request fails, and the first part is not sent again.
start_sink "$T/wecom" 2
# 120 more schools, straight into the database while hazardd is down.
for i in $(seq 1 120); do
	echo "INSERT INTO schools (code, name, created_at)"
	echo "    VALUES ('W$i', '第${i}中心学校', 0);"
done | sqlite3 "$T/hazardd.db"
WECOM=("[deliver]"
    "webhook = http://127.0.0.1:$ROBOT_PORT/cgi-bin/webhook/send?key=k"
    "webhook_format = wecom" "retry_base = 1" "robot_rows = 500")
start_at "2026-11-25 07:10:00" "${WECOM[@]}"
{
	echo "school,category,title,reported_at,deadline"
	for i in $(seq 1 120); do
		echo "W$i,fire,宿舍楼灭火器过期,2026-11-01,2026-11-10"
	done
} >"$T/many.csv"
expect_exit "an overdue hazard in each school" 0 ctl import "$T/many.csv"
expect_exit "another daily digest" 0 ctl cycle run daily --period 2026-11-25
i=0
while ! ctl --json digest daily | grep -q '"state": "done"' &&
    [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect_exit "the robot's delivery" 0 ctl --json digest daily
expect_match "done" '"state": "done"' "$OUT"
ok=$(grep -l 200 "$T/wecom"/*.status | wc -l | tr -d ' ')
expect_eq "one failure, every other request a new part" \
    "$(( $(requests "$T/wecom") - 1 ))" "$ok"
[ "$ok" -ge 3 ] && pass "the digest went in $ok parts" ||
    fail "the digest went in 3 parts or more (it went in $ok)"
expect_match "every school's overdue hazard is listed" \
    '第120中心学校\*\* #[0-9]+ 宿舍楼灭火器过期' "$(cat "$T/wecom"/*.body)"
expect_match "rows are list items, not aligned columns" \
    '\\n- \*\*第[0-9]+中心学校\*\* ' "$(cat "$T/wecom"/*.body)"
first=$(ls "$T/wecom"/*.body | sort -n | head -1)
dups=$(for f in "$T/wecom"/*.body; do
	s=${f%.body}.status
	[ "$(cat "$s")" = 200 ] && md5sum <"$f"
done | sort | uniq -d | wc -l | tr -d ' ')
expect_eq "no part taken twice" 0 "$dups"
for f in "$T/wecom"/*.body; do
	n=$(wc -c <"$f")
	[ "$n" -le 4400 ] || fail "a WeCom message of $n bytes"
done
pass "every WeCom message within the limit"
expect_match "WeCom's markdown content" '"markdown":\{"content":' \
    "$(cat "$first")"

# The daemon killed while a digest is on its way, after the robot took
# its first part and while it holds the second: after a restart (past
# the attempt's lease) the robot gets the parts it lacks, none twice.
stop_daemon
kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null; SINK_PID=""
start_sink "$T/crash" "" 2
WECOM[1]="webhook = http://127.0.0.1:$ROBOT_PORT/cgi-bin/webhook/send?key=k"
start_at "2026-11-25 07:20:00" "${WECOM[@]}"
expect_exit "a third daily digest" 0 ctl cycle run daily --period 2026-11-25
wait_for "$T/crash/2.body"
expect_eq "the robot holds the second part" 000 "$(cat "$T/crash/2.status")"
kill -9 "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null; DAEMON_PID=""
start_at "2026-11-25 07:50:00" "${WECOM[@]}"
i=0
while ! ctl --json digest daily | grep -q '"state": "done"' &&
    [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect_exit "the delivery after the restart" 0 ctl --json digest daily
expect_match "is done" '"state": "done"' "$OUT"
# WeCom's messages have no title: a part is its content.
parts=$(for f in "$T/crash"/*.body; do md5sum <"$f"; done | sort -u |
    wc -l | tr -d ' ')
[ "$parts" -ge 3 ] && pass "the digest went in $parts parts" ||
    fail "the digest went in 3 parts or more (it went in $parts)"
expect_eq "the first request after the restart is the part held" \
    "$(md5sum <"$T/crash/2.body")" "$(md5sum <"$T/crash/3.body")"
taken=$(for f in "$T/crash"/*.body; do
	[ "$(cat "${f%.body}.status")" = 200 ] && md5sum <"$f"
done)
expect_eq "each part taken" "$parts" \
    "$(printf '%s\n' "$taken" | sort -u | wc -l | tr -d ' ')"
expect_eq "and only once" "$parts" \
    "$(printf '%s\n' "$taken" | wc -l | tr -d ' ')"

# The same, but the daemon comes back with another robot: the parts
# were taken by the first, and the new one gets them all.
stop_daemon
kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null; SINK_PID=""
start_sink "$T/first" "" 2
WECOM[1]="webhook = http://127.0.0.1:$ROBOT_PORT/cgi-bin/webhook/send?key=k"
start_at "2026-11-25 07:51:00" "${WECOM[@]}"
expect_exit "a fourth daily digest" 0 ctl cycle run daily --period 2026-11-25
wait_for "$T/first/2.body"
kill -9 "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null; DAEMON_PID=""
kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null; SINK_PID=""
# The attempt's lease cut short, as if its 20 minutes had passed.
sqlite3 "$T/hazardd.db" "UPDATE deliveries SET next_try = 0 WHERE state = 'pending'"
start_sink "$T/second" ""
WECOM[1]="webhook = http://127.0.0.1:$ROBOT_PORT/cgi-bin/webhook/send?key=k"
start_at "2026-11-25 07:52:00" "${WECOM[@]}"
i=0
while ! ctl --json digest daily | grep -q '"state": "done"' &&
    [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect_exit "the delivery to the other robot" 0 ctl --json digest daily
expect_match "is done" '"state": "done"' "$OUT"
expect_eq "the other robot gets the first part too" \
    "$(md5sum <"$T/first/1.body")" "$(md5sum <"$T/second/1.body")"
expect_eq "and every part" "$parts" "$(requests "$T/second")"

# A robot whose format cannot be told from its host: the log says so,
# naming the host, never the URL with its access token.
stop_daemon
start_at "2026-11-25 07:30:00" "[deliver]" \
    "webhook = http://127.0.0.1:9/robot/send?access_token=SEKRIT123"
expect_exit "a digest for a robot of no known format" 0 \
    ctl cycle run daily --period 2026-11-25
i=0
while ! grep -q 'webhook_format' "$T/hazardd.log" && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
expect_match "the log asks for webhook_format, naming the host" \
    'webhook_format to dingtalk or wecom for the robot at 127.0.0.1' \
    "$(cat "$T/hazardd.log")"
expect_eq "and not the access token" 0 \
    "$(grep -c SEKRIT123 "$T/hazardd.log")"

finish
