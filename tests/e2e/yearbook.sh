#!/bin/bash
# The figures as they stood (issue 17): a year of records imported from
# the district's own figures for 2022 gives the safety paragraph of its
# self-assessment; a cancellation made years later leaves the rate as of
# the year's end where it was while today's rate moves; an as_of in the
# future or before the first event is refused with the range, in the
# user's language.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token "安全科")
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null

# 2022: 416 hazard points, 411 closed and 5 open; 177 problems found,
# all closed.  Two schools, reports through the year, closed a week on.
awk 'BEGIN {
	print "key,school,kind,category,title,state,reported_at,closed_at"
	for (i = 1; i <= 593; i++) {
		kind = i <= 416 ? "hazard" : "finding"
		state = i > 411 && i <= 416 ? "open" : "closed"
		m = i % 12 + 1; d = i % 20 + 1
		printf "Y%03d,S00%d,%s,fire,隐患%d,%s,2022-%02d-%02d,%s\n", \
		    i, i % 2 + 1, kind, i, state, m, d, \
		    state == "closed" ? sprintf("2022-%02d-%02d", m, d + 7) : ""
	}
}' >"$T/2022.csv"
expect_exit "import 2022" 0 ctl import "$T/2022.csv"
expect_eq "593 rows" "imported 593, skipped 0" "$OUT"

expect_exit "yearbook 2022" 0 ctl yearbook 2022
expect_eq "the district's paragraph" \
    "全区共梳理排查安全隐患点416条，已完成整改411条，整改率98.8%；发现问题177个，全部整改到位。" \
    "$OUT"

# The activities of 2022 (and one of 2023), as the district counts them:
# 283 agreements, 203 warnings, 5046 drills of which 1012 anti-terror,
# 20150 class hours of safety lessons.
{
	echo "school,type,subtype,date,count,note"
	echo "S001,agreement,,2022-03-01,150,"
	echo "S002,agreement,,2022-03-02,133,"
	echo "S001,warning,,2022-05-01,103,短信"
	echo "S002,warning,,2022-06-01,100,"
	echo "S001,drill,fire,2022-04-01,2000,"
	echo "S002,drill,earthquake,2022-05-12,2034,"
	echo "S001,drill,antiterror,2022-09-01,600,"
	echo "S002,drill,antiterror,2022-12-31,412,"
	echo "S001,lesson,,2022-09-01,10000,"
	echo "S002,lesson,,2022-09-02,10150,"
	echo "S001,drill,antiterror,2023-01-01,7,"
} >"$T/activities.csv"
expect_exit "import 2022's activities" 0 ctl activity import "$T/activities.csv"
# An early warning issued through hazardd now counts in this year, not 2022.
expect_exit "a warning issued now" 0 ctl warn --title 寒潮 --body 注意防寒
expect_exit "yearbook 2022 with its activities" 0 ctl yearbook 2022
expect_eq "the district's whole paragraph" \
    "全区共梳理排查安全隐患点416条，已完成整改411条，整改率98.8%；发现问题177个，全部整改到位；签订安全责任书280余份，发出预警提示200余次，开展应急演练5000余次（其中反恐防暴演练1000余次），开展安全教育20000余课时。" \
    "$OUT"
for n in 416 411 98.8% 177 280余 200余 5000余 1000余 20000余; do
	case "$OUT" in *"$n"*) pass "the paragraph says $n" ;;
	*) fail "the paragraph says $n" ;; esac
done
expect_exit "yearbook 2022 --format json" 0 ctl yearbook 2022 --format json
expect_match "the exact counts of the activities" \
    '"agreements": 283, "warnings": 203, "drills": 5046, "drills_antiterror": 1012, "lessons": 20150' \
    "$(printf '%s' "$OUT" | tr -d '\n' | tr -s ' ')"
expect_exit "a school's activities" 0 ctl yearbook 2022 --school S001
expect_match "the school's drills" '开展应急演练2600次（其中反恐防暴演练600次）' "$OUT"
expect_exit "yearbook 2023" 0 ctl yearbook 2023
expect_eq "only its drill" "全区开展应急演练7次（其中反恐防暴演练7次）。" "$OUT"
expect_exit "yearbook of this year" 0 ctl yearbook "$(date +%Y)"
expect_match "the warning issued now" '发出预警提示1次' "$OUT"

expect_exit "yearbook 2022 --format json" 0 ctl yearbook 2022 --format json
expect_match "its exact counts" '"identified": 416' "$OUT"
expect_match "as of the year's end" '"as_of": "2022-12-31T23:59:59\+08:00"' \
    "$OUT"
expect_exit "yearbook 2022 --format md" 0 ctl yearbook 2022 --format md
expect_match "under a heading" '^## ' "$OUT"
expect_exit "a school's yearbook" 0 ctl yearbook 2022 --school S002
expect_match "speaks of the school" '^本校共梳理排查安全隐患点208条' "$OUT"
expect_exit "a year with no data" 0 ctl yearbook 2019
expect_eq "says there is none" "2019年全区没有安全隐患排查与安全工作的记录。" \
    "$OUT"
expect_exit "not a year" 2 ctl yearbook 22

expect_exit "rate as of 2022-12-31" 0 ctl rate --as-of 2022-12-31
expect_eq "411/416" "411/416 (98.8%)" "$OUT"
OPEN=$(ctl --json list --state open | sed -n 's/.*"id": \([0-9]*\).*/\1/p' |
    head -1)
expect_exit "cancel a 2022 hazard now" 0 ctl cancel "$OPEN" --reason 重复
expect_exit "today's rate" 0 ctl rate
expect_eq "today's rate moves" "411/415 (99%)" "$OUT"
expect_exit "rate as of 2022-12-31 again" 0 ctl rate --as-of 2022-12-31
expect_eq "the year's end does not" "411/416 (98.8%)" "$OUT"
expect_exit "the cancelled hazard as of 2022-12-31" 0 ctl --json list \
    --as-of 2022-12-31 --all
expect_eq "593 hazards then" 593 "$(printf '%s\n' "$OUT" | grep -c '"kind"')"
expect_eq "none cancelled then" 0 \
    "$(printf '%s\n' "$OUT" | grep -c '"state": "cancelled"')"
expect_eq "5 open then" 5 "$(printf '%s\n' "$OUT" | grep -c '"state": "open"')"
expect_exit "and now" 0 ctl --json list --all
expect_eq "cancelled now" 1 \
    "$(printf '%s\n' "$OUT" | grep -c '"state": "cancelled"')"
expect_exit "as_of with a state" 1 ctl list --as-of 2022-12-31 --state open
expect_exit "as of 2022/12/31, as people write it" 0 ctl rate --as-of 2022/12/31
expect_eq "the same" "411/416 (98.8%)" "$OUT"
expect_exit "as of a full time" 0 ctl rate --as-of 2022-06-30T12:00:00+08:00
expect_match "half a year" '^[0-9]+/[0-9]+ ' "$OUT"
expect_exit "stats by school as of 2022-12-31" 0 ctl --json stats --by school \
    --as-of 2022-12-31
sums=$(printf '%s\n' "$OUT" | tr -d ' \n' | grep -o '"hazard":{[^}]*}' |
    sed 's/.*"rectified":\([0-9]*\),"identified":\([0-9]*\).*/\1 \2/' |
    awk '{ r += $1; i += $2 } END { print r "/" i }')
expect_eq "the schools add up to 411/416" "411/416" "$sums"
expect_match "5 open then" '"open":5,' "$(printf '%s' "$OUT" | tr -d ' \n' |
    sed 's/"open":\([0-9]*\)/\n"open":\1/g' | awk -F'[:,]' \
    '/^"open"/ { n += $2 } END { printf "\"open\":%d,", n }')"
expect_exit "stats by school now" 0 ctl --json stats --by school
expect_match "4 open now" '"open":4,' "$(printf '%s' "$OUT" | tr -d ' \n' |
    sed 's/"open":\([0-9]*\)/\n"open":\1/g' | awk -F'[:,]' \
    '/^"open"/ { n += $2 } END { printf "\"open\":%d,", n }')"
expect_exit "stats by category as of 2022-12-31" 0 ctl stats --by category \
    --as-of 2022-12-31
expect_match "fire: 411/416 and 177/177" \
    '^fire .* 5 +[0-9]+ +411/416 \(98.8%\) +177/177 \(100%\)' "$OUT"
expect_exit "yearbook 2022 after the cancellation" 0 ctl yearbook 2022
expect_match "still 416 and 411" '安全隐患点416条，已完成整改411条，整改率98.8%' \
    "$OUT"

# Out of the records' range: 422 as_of_range with from and to.
AUTH="Authorization: Bearer $HAZARD_TOKEN"
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "$AUTH" \
    "$SERVER/v1/rate?as_of=2099-01-01")
expect_eq "as_of in the future: 422" 422 "$code"
expect_match "with its code and range" \
    '"code": ?"as_of_range".*"from": ?"2022-0' "$(tr -d '\n' <"$T/body")"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" \
    "$SERVER/v1/yearbook/22")
expect_eq "a year of two digits: 422" 422 "$code"
SCHOOL=$(ctl token create --school S002 --name 实验小学)
expect_exit "a school's own yearbook" 0 ctl --token "$SCHOOL" yearbook 2022
expect_match "speaks of itself" '^本校共梳理排查安全隐患点208条' "$OUT"
expect_exit "before the first event" 1 ctl rate --as-of 2021-12-31
expect_match "names the range" \
    "2021-12-31 is not between the first event \\(2022-01-01" "$ERR"
if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
	expect_exit "before the first event (zh_CN)" 1 \
	    env LC_ALL=zh_CN.UTF-8 "$HAZARDCTL" rate --as-of 2021-12-31
	expect_match "in Chinese" "2021-12-31 不在记录的范围内" "$ERR"
	expect_exit "yearbook 2022 (zh_CN)" 0 \
	    env LC_ALL=zh_CN.UTF-8 "$HAZARDCTL" yearbook 2022
	expect_match "the same paragraph" '^全区共梳理排查安全隐患点416条' "$OUT"
	expect_exit "rate as of 2022-12-31 (zh_CN)" 0 \
	    env LC_ALL=zh_CN.UTF-8 "$HAZARDCTL" rate --as-of 2022-12-31
	expect_eq "411/416 (zh_CN)" "411/416 (98.8%)" "$OUT"
else
	echo "# SKIP zh_CN: the locale zh_CN.UTF-8 is missing"
fi

finish
