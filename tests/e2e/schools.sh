#!/bin/bash
# What the office says of a school: hazardctl school set changes its
# name and department (and its robot, as before); school retire takes a
# school that closed out of the digests and the notices and refuses its
# reports, its records kept; --undo brings it back.  And a school's
# token asking about another school hears what it would of a school
# that does not exist.
. "$(dirname "$0")/lib.sh"

# Wednesday 2026-12-02, 10:00.
start_at "2026-12-02 10:00:00"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 第二小学 >/dev/null
A=$(ctl token create --school S001 --name 安全员甲)
B=$(ctl token create --school S002 --name 安全员乙)

# school set: the name and the department.
expect_exit "school set --name --department" 0 ctl school set S002 \
    --name 第二小学（已并入一中） --department 区教委基教科
expect_match "prints the school" \
    '^S002 +第二小学（已并入一中） +区教委基教科 +- +-$' "$OUT"
expect_exit "school list" 0 ctl --json school list
expect_match "has the department" '"department": "区教委基教科"' "$OUT"
expect_exit "a department of \"\" removes it" 0 ctl --json school set S002 \
    --department ""
expect_match "null again" '"department": null' "$OUT"
expect_exit "school set with nothing to set" 2 ctl school set S002
expect_match "says what to give" 'give --name, --department' "$ERR"
expect_exit "school set of an unknown school" 1 ctl school set S404 \
    --name x
expect_match "404" '404' "$ERR"
expect_exit "a school may not set schools (403)" 1 ctl --token "$A" \
    school set S001 --name x
expect_match "403" '403' "$ERR"

# Each school has an overdue hazard; S002 a robot (on a closed loopback
# port: its notices are made, their delivery is not what this tests).
ID1=$(ctl report --school S001 --title 东楼安全出口堵塞 --category fire \
    --deadline 2026-12-20)
ID2=$(ctl report --school S002 --title 操场围栏倒塌 --category buildings \
    --deadline 2026-12-20)
port=$(free_port)
ctl school set S001 --webhook "http://127.0.0.1:$port/s1" \
    --format dingtalk >/dev/null
ctl school set S002 --webhook "http://127.0.0.1:$port/s2" \
    --format dingtalk >/dev/null
# S002 closes.
expect_exit "school retire" 0 ctl school retire S002
expect_match "prints it retired today" '^S002 .* 2026-12-02$' "$OUT"
expect_exit "retired again" 0 ctl school retire S002
expect_match "keeps the first date" '^S002 .* 2026-12-02$' "$OUT"
stop_daemon

# Saturday 2026-12-26 09:00: both overdue.
start_at "2026-12-26 09:00:00"
expect_exit "its reports are refused" 1 ctl --token "$B" report \
    --title 新隐患 --category fire
expect_match "409, saying it is retired" '409.*|retired' "$ERR"
expect_match "the school is retired" 'the school is retired' "$ERR"
expect_exit "the office's for it too" 1 ctl report --school S002 \
    --title 新隐患 --category fire
expect_match "likewise" 'the school is retired' "$ERR"
# Its own token reads its records still, and changes none.
expect_exit "its token reads its own hazard" 0 ctl --token "$B" show "$ID2"
expect_match "the hazard" '操场围栏倒塌' "$OUT"
expect_exit "and lists them" 0 ctl --token "$B" list
expect_match "listed" '操场围栏倒塌' "$OUT"
expect_exit "but rectifies no more" 1 ctl --token "$B" rectify "$ID2" \
    --note 已修好
expect_match "409, the school retired" '409 school_retired' "$ERR"
expect_match "saying it reads and changes nothing" \
    'it reads its records and changes none' "$ERR"
expect_exit "the rectification not recorded" 0 ctl --json show "$ID2"
expect_match "the hazard still open" '"state": "open"' "$OUT"
expect_exit "nor records an activity" 1 ctl --token "$B" activity add \
    --type drill --subtype fire --date 2026-12-20
expect_match "refused likewise" '409 school_retired' "$ERR"
expect_eq "nor adds a photo: 409 before its bytes are read" 409 \
    "$(curl -s -o /dev/null -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $B" -H 'Content-Type: image/png' \
    --data-binary @/dev/null "$SERVER/v1/hazards/$ID2/photos")"
expect_exit "its records stay: the office shows them" 0 ctl show "$ID2"
expect_match "its hazard" '操场围栏倒塌' "$OUT"
expect_exit "and lists them" 0 ctl --json list --school S002
expect_match "its hazard listed" '操场围栏倒塌' "$OUT"
expect_exit "a warning to every school" 0 ctl warn --title 寒潮预警 \
    --body 检查水管
expect_exit "the warnings" 0 ctl --json warnings
expect_match "went to S001" '"code": "S001"' "$OUT"
if printf '%s' "$OUT" | grep -q '"code": "S002"'; then
	fail "a warning to every school went to the retired one"
else
	pass "and not to the retired S002"
fi

expect_exit "the daily digest" 0 ctl cycle run daily --period 2026-12-25
expect_exit "read it" 0 ctl digest daily --period 2026-12-25
expect_match "lists S001's overdue hazard" '东楼安全出口堵塞' "$OUT"
expect_match "by its category's Chinese name" \
    '东楼安全出口堵塞 +消防安全 +2026-12-20' "$OUT"
expect_match "has S001's row" '第一中学' "$OUT"
if printf '%s' "$OUT" | grep -qE '第二小学|操场围栏倒塌|S002'; then
	fail "the retired school is in the digest" "$OUT"
else
	pass "the retired school has no row and no hazard in the digest"
fi
expect_match "nor in the district's figures" '全部在册: 在办 1  逾期 1 ' \
    "$OUT"
expect_exit "the office's statistics still count it" 0 ctl stats --by school
expect_match "S002's row" '^S002 .* 1 +1 ' "$OUT"
db() { sqlite3 "$T/hazardd.db" "$1"; }
expect_eq "a morning notice for S001" 1 "$(db "SELECT COUNT(*) FROM
    notices n JOIN schools s ON s.id = n.school_id
    WHERE s.code = 'S001' AND n.kind = 'morning'")"
expect_eq "none for the retired S002" 0 "$(db "SELECT COUNT(*) FROM
    notices n JOIN schools s ON s.id = n.school_id WHERE s.code = 'S002'")"
expect_exit "the English digest" 0 ctl --json digest daily \
    --period 2026-12-25
expect_match "carries the names of the categories" '"zh": "消防安全"' \
    "$OUT"

# Brought back, it reports, and the next digest has it again.
expect_exit "school retire --undo" 0 ctl school retire --undo S002
expect_match "no longer retired" '^S002 .* -$' "$OUT"
expect_exit "it reports again" 0 ctl --token "$B" report --title 新隐患 \
    --category fire
expect_exit "a new revision" 0 ctl cycle run daily --period 2026-12-25
expect_exit "read it" 0 ctl digest daily --period 2026-12-25
expect_match "S002 is back in it" '操场围栏倒塌' "$OUT"

# Another school, for a school's token, is one that does not exist.
same() {
	# same NAME CMD-FOR-S002... : the error for S002 and for S999.
	name=$1
	shift
	"$@" 2>"$T/e2" >/dev/null
	r2=$?
	# shellcheck disable=SC2001
	eval "$(printf '%s\n' "$*" | sed 's/S002/S999/g') 2>\"$T/e9\" >/dev/null"
	r9=$?
	expect_eq "$name: the same exit" "$r9" "$r2"
	expect_eq "$name: the same words" "$(sed 's/S999/S002/g' "$T/e9")" \
	    "$(cat "$T/e2")"
}
same "report for another school" ctl --token "$A" report --school S002 \
    --title x --category fire
same "list of another school" ctl --token "$A" list --school S002
same "rate of another school" ctl --token "$A" rate --school S002
same "export of another school" ctl --token "$A" export --school S002
expect_match "and the words are those of an unknown school" \
    "unknown school 'S002'" "$(cat "$T/e2")"
expect_exit "another school's hazard" 1 ctl --token "$A" show "$ID2"
other=$ERR
expect_exit "a hazard that does not exist" 1 ctl --token "$A" show 99999
expect_eq "the same words" "$(printf '%s' "$ERR" | sed 's/99999/ID/g')" \
    "$(printf '%s' "$other" | sed "s/$ID2/ID/g")"

finish
