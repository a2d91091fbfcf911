#!/bin/bash
# Early warnings: the office sends them to all schools or some, each
# school lists and acknowledges its own, the office sees who has, and
# the daily digest names the schools that have not.
. "$(dirname "$0")/lib.sh"

# 07:00: the daily digest of today is not made yet, and a run of it by
# hand tells the state as of now.
start_at "2026-11-25 07:00:00"
export HAZARD_TOKEN=$(office_token office)
for s in S001 S002 S003; do ctl school add $s "学校$s" >/dev/null; done
A=$(ctl token create --school S001 --name a)
B=$(ctl token create --school S002 --name b)
C=$(ctl token create --school S003 --name c)

expect_exit "a typhoon warning to every school" 0 ctl warn \
    --title 台风预警 --body "停课一天，检查门窗和排水"
ALL=$OUT
expect_match "prints its id" '^[0-9]+$' "$ALL"
expect_exit "an exam warning to two schools" 0 ctl warn --title 考试周 \
    --body 加强食堂管理 --school S001 --school S002
SOME=$OUT
expect_exit "an unknown school is refused" 1 ctl warn --title x --body y \
    --school S999
expect_exit "a school may not send warnings" 1 ctl --token "$A" warn \
    --title x --body y
expect_match "403" '403' "$ERR"

expect_exit "school C lists its warnings" 0 ctl --token "$C" --json warnings
expect_match "C has the typhoon warning" '台风预警' "$OUT"
if printf '%s' "$OUT" | grep -q '考试周'; then
	fail "C sees a warning that is not for it"
else
	pass "C does not see the exam warning"
fi
expect_exit "C cannot acknowledge what is not for it (404)" 1 \
    ctl --token "$C" ack "$SOME"
expect_exit "A acknowledges the typhoon warning" 0 ctl --token "$A" ack "$ALL"
expect_exit "acknowledging again is fine" 0 ctl --token "$A" ack "$ALL"
expect_exit "B acknowledges the exam warning" 0 ctl --token "$B" ack "$SOME"
expect_exit "the office may not acknowledge for a school" 1 ctl ack "$ALL"

expect_exit "the office sees who has acknowledged" 0 ctl --json warnings
acked=$(printf '%s\n' "$OUT" | grep -c '"acked_at": "')
expect_eq "two acknowledgements" 2 "$acked"
expect_exit "the table" 0 ctl warnings
expect_match "S003 has not acknowledged the typhoon warning" \
    "^ *$ALL .*台风预警 +停课一天，检查门窗和排水 +S003 +- *\$" "$OUT"
expect_exit "a school reads a warning whole" 0 \
    ctl --token "$C" warning show "$ALL"
expect_match "its title" "^Warning $ALL: 台风预警\$" "$OUT"
expect_match "its body" '^  停课一天，检查门窗和排水$' "$OUT"
expect_match "its own acknowledgement only" '^S003 +学校S003 +- +-$' "$OUT"
expect_exit "the office sees every school's" 0 ctl warning show "$ALL"
expect_match "with who acknowledged" '^S001 +学校S001 +[0-9-]+ [0-9:]+ +a$' "$OUT"
expect_exit "a warning that is not the school's" 1 \
    ctl --token "$C" warning show "$SOME"
expect_match "is no such warning" 'no such warning' "$ERR"

# The daily digest lists, per school, what is not acknowledged.
expect_exit "a daily digest" 0 ctl cycle run daily --period 2026-11-25
expect_exit "read it" 0 ctl digest daily
expect_match "the section" '未确认的预警通知' "$OUT"
expect_match "S002 has not acknowledged the typhoon" '学校S002 +S002 +'"$ALL"' +台风预警' "$OUT"
expect_match "S003 neither" '学校S003 +S003 +'"$ALL"' +台风预警' "$OUT"
if printf '%s' "$OUT" | grep -Eq '学校S001 +S001 +'"$ALL"' '; then
	fail "S001 acknowledged, yet listed"
else
	pass "S001 acknowledged and is not listed"
fi

finish
