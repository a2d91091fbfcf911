#!/bin/bash
# Lists that answer the office's questions (issue 15): --search finds
# Chinese text in titles, descriptions, locations and the notes of
# rectifications and rejections, whatever the text holds (FTS5 syntax
# is never taken from it), with the other filters, a school's own-school
# rule and the cursors of a bounded walk; --overdue lists the longest
# overdue first with its days; --due-within and --sort; dates written
# 2026/12/1; a past deadline only for the office's historic hazards; a
# major hazard needs its deadline; the district's time limit fills one
# in; and a missing hazard is named by its id.
. "$(dirname "$0")/lib.sh"

# 2026-12-05 10:00 in Shanghai.
start_at "2026-12-05 10:00:00" "[storage]" "list_scan = 20"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 第二小学 >/dev/null
S1=$(ctl token create --school S001 --name 第一中学)
S2=$(ctl token create --school S002 --name 第二小学)

ids() {
	printf '%s' "$1" | grep -o '"id": *[0-9]*' | sed 's/.*: *//' |
	    tr '\n' ' '
}
get() {
	curl -s -G -H "Authorization: Bearer $HAZARD_TOKEN" "$@"
}

# --- search --------------------------------------------------------------

A=$(ctl report --school S001 --title 灭火器过期未更换 --category fire \
    --deadline 2026-12-31)
B=$(ctl report --school S001 --title 消防栓被遮挡 --category fire \
    --description 走廊的灭火器箱也已损坏 --deadline 2026-12-31)
C=$(ctl report --school S002 --title 楼梯栏杆松动 --category buildings \
    --location 教学楼三层 --deadline 2026-12-31)
D=$(ctl report --school S002 --title 'NEAR(门, 窗) "OR" * 标语' \
    --category facilities --deadline 2026-12-31)
E=$(ctl report --school S001 --title 食堂留样不规范 --category food \
    --deadline 2026-12-31)
ctl --token "$S2" rectify "$C" --note 已加装灭火器支架 >/dev/null
ctl reject "$C" --note 灭火器支架不牢 >/dev/null

expect_exit "list --search 灭火器" 0 ctl --json list --search 灭火器
expect_eq "the title, the description and the notes, newest first" \
    "$C $B $A " "$(ids "$OUT")"
expect_exit "list --search 教学楼三 (a location)" 0 \
    ctl --json list --search 教学楼三
expect_eq "the location found" "$C " "$(ids "$OUT")"
expect_exit "list --search 灭火 (two characters)" 0 \
    ctl --json list --search 灭火
expect_eq "shorter than a trigram: found all the same" "$C $B $A " \
    "$(ids "$OUT")"
expect_exit "list --search 灭火器 --school S001" 0 \
    ctl --json list --search 灭火器 --school S001
expect_eq "with a school" "$B $A " "$(ids "$OUT")"
expect_exit "list --search 灭火器 --state open --category fire" 0 \
    ctl --json list --search 灭火器 --state open --category fire
expect_eq "with the other filters" "$B $A " "$(ids "$OUT")"
expect_exit "a school's search" 0 ctl --token "$S2" --json list \
    --search 灭火器
expect_eq "a school finds only its own" "$C " "$(ids "$OUT")"
expect_exit "a school's search naming another school" 1 \
    ctl --token "$S2" list --search 灭火器 --school S001
expect_exit "list --search 灭火器 as a table" 0 ctl list --search 灭火器
expect_match "the table" "^ *$A +hazard +S001 +general +open +2026-12-31 +Fire safety +灭火器过期未更换" \
    "$OUT"

# User text is never FTS5 syntax: each is found as the text it is.
for s in '"' '*' 'OR' '"OR"' 'NEAR(' 'NEAR(门' '门, 窗' '" OR "' '*" OR 1'; do
	expect_exit "search '$s'" 0 ctl --json list --search "$s"
	case $s in
	'" OR "'|'*" OR 1') want="" ;;
	*) want="$D " ;;
	esac
	expect_eq "search '$s' finds the text, nothing else" "$want" \
	    "$(ids "$OUT")"
done
expect_exit "search '%' (a LIKE pattern's wildcard)" 0 \
    ctl --json list --search %
expect_eq "'%' finds nothing" "" "$(ids "$OUT")"
expect_exit "search '_'" 0 ctl --json list --search _
expect_eq "'_' finds nothing" "" "$(ids "$OUT")"
OUT=$(get --data-urlencode 'search=' "$SERVER/v1/hazards")
expect_match "an empty search is refused" '"field": *"search"' "$OUT"

# Six more matches: with list_scan = 20 a page of a search examines
# four at most (a fifth), and the cursors lead through all of them, once
# each.
MORE=""
for i in 1 2 3 4 5 6; do
	MORE="$(ctl report --school S001 --title "灭火器$i 号箱" \
	    --category fire --deadline 2026-12-31) $MORE"
done
OUT=$(get --data-urlencode search=灭火器 -d limit=50 "$SERVER/v1/hazards")
expect_eq "a page of the search stops after four" 4 \
    "$(ids "$OUT" | wc -w)"
expect_match "... with a cursor" '"next": *"[0-9]+\.[0-9]+"' "$OUT"
expect_exit "hazardctl follows the search's cursors" 0 \
    ctl --json list --search 灭火器
expect_eq "every match once, newest first" "${MORE}$C $B $A " \
    "$(ids "$OUT")"
expect_exit "the school's search walks its own pages" 0 \
    ctl --token "$S1" --json list --search 灭火 --limit 3
expect_eq "three of its own, newest first" \
    "$(echo $MORE | cut -d' ' -f1-3) " "$(ids "$OUT")"

# --- dates, deadlines ----------------------------------------------------

DUE9=""
for d in 2026/12/20 2026-12-20 2026-12-9 2026/12/09 2026/12/9; do
	expect_exit "report --deadline $d" 0 ctl report --school S001 \
	    --title "日期 $d" --category fire --deadline "$d"
	want=2026-12-20
	case $d in *-9|*/09|*/9) want=2026-12-09 DUE9="$DUE9$OUT " ;; esac
	expect_exit "show it" 0 ctl --json show "$OUT"
	expect_match "$d is kept as $want" "\"deadline\": \"$want\"" "$OUT"
done
expect_exit "report --deadline 2026/13/1" 2 ctl report --school S001 \
    --title x --category fire --deadline 2026/13/1
expect_match "not a date" "not a calendar date" "$ERR"
R=$(curl -s -H "Authorization: Bearer $HAZARD_TOKEN" -H 'Content-Type: application/json' \
    -d '{"school":"S001","title":"接口日期","category":"fire","deadline":"2026/12/9"}' \
    "$SERVER/v1/hazards")
expect_match "the API takes 2026/12/9 too, as 2026-12-09" \
    '"deadline": *"2026-12-09"' "$R"
DUE9="$DUE9$(printf '%s' "$R" | grep -o '"id": *[0-9]*' | sed 's/.*: *//') "
R=$(curl -s -H "Authorization: Bearer $HAZARD_TOKEN" -H 'Content-Type: application/json' \
    -d '{"deadline":"2026/12/31"}' "$SERVER/v1/hazards/$A/assess")
expect_match "and in an assessment" '"deadline": *"2026-12-31"' "$R"
R=$(get -d since=2026/12/5 -d until=2026/12/5 -d limit=1 "$SERVER/v1/hazards")
expect_eq "and in a list's query" 1 "$(ids "$R" | wc -w)"
expect_exit "list --since 2026/12/1 --until 2026-12-5" 0 \
    ctl --json list --since 2026/12/1 --until 2026-12-5 --limit 1
expect_eq "the dates taken" 1 "$(ids "$OUT" | wc -w)"

expect_exit "a past deadline is refused" 1 ctl report --school S001 \
    --title 过去 --category fire --deadline 2026/12/4
expect_match "... saying why" "2026-12-04 is before today \(2026-12-05\)" \
    "$ERR"
expect_exit "today is not past" 0 ctl report --school S001 \
    --title 今天 --category fire --deadline 2026-12-05
TODAY=$OUT
expect_exit "a school may not record a past deadline" 1 \
    ctl --token "$S1" report --title 过去 --category fire \
    --deadline 2026-11-01 --allow-past
expect_match "... only the office" "HTTP 403" "$ERR"
expect_exit "the office records a historic hazard" 0 ctl report \
    --school S001 --title 历史隐患 --category fire --deadline 2026-11-01 \
    --allow-past
OLD=$OUT
expect_exit "a major hazard without a deadline is refused" 1 ctl report \
    --school S001 --title 围墙开裂 --category buildings --grade major
expect_match "... saying why" "major hazard needs its own deadline" "$ERR"
expect_exit "without the district's time limit: no deadline" 0 \
    ctl report --school S001 --title 无期限 --category fire
NONE=$OUT
expect_exit "show it" 0 ctl --json show "$NONE"
expect_match "no deadline" '"deadline": null' "$OUT"

# --- a missing id ----------------------------------------------------------

expect_exit "show 99999" 1 ctl show 99999
expect_match "the error names the id first" '^hazardctl: hazard 99999: no such hazard' "$ERR"
expect_exit "rectify 99999" 1 ctl rectify 99999 --note x
expect_match "... for an action too" 'hazard 99999: no such hazard' "$ERR"
expect_exit "a school's show of another's hazard" 1 ctl --token "$S2" \
    show "$A"
expect_match "... the same words" "hazard $A: no such hazard" "$ERR"

# --- overdue, due within, sort ------------------------------------------

O1=$(ctl report --school S002 --title 逾期一 --category fire \
    --deadline 2026-12-01 --allow-past)
O2=$(ctl report --school S002 --title 逾期二 --category fire \
    --deadline 2026-10-15 --allow-past)
O3=$(ctl report --school S002 --title 逾期三 --category fire \
    --deadline 2026-11-20 --allow-past)
W=$(ctl report --school S002 --title 待验收 --category fire \
    --deadline 2026-09-01 --allow-past)
ctl rectify "$W" --note 已整改 >/dev/null
expect_exit "list --overdue --school S002" 0 ctl list --overdue \
    --school S002
expect_eq "the longest overdue first" "$O2 $O3 $O1 " \
    "$(printf '%s\n' "$OUT" | awk 'NR > 1 { printf "%s ", $1 }')"
expect_match "a column of days" "^ *ID +KIND +SCHOOL +GRADE +STATE +DEADLINE +DAYS +CATEGORY" \
    "$OUT"
expect_match "51 days since 2026-10-15" "^ *$O2 +hazard +S002 +general +open! +2026-10-15 +51 +Fire safety" \
    "$OUT"
expect_match "4 days since 2026-12-01" "^ *$O1 .* 2026-12-01 +4 +Fire safety" "$OUT"
expect_exit "list --overdue --json" 0 ctl --json list --overdue --school S002
expect_match "days_overdue in the JSON" '"days_overdue": 51' "$OUT"
expect_exit "list --overdue --sort reported" 0 ctl --json list --overdue \
    --school S002 --sort reported
expect_eq "--sort reported: newest first" "$O3 $O2 $O1 " "$(ids "$OUT")"
expect_exit "list --overdue, every school" 0 ctl --json list --overdue
expect_eq "the historic one of S001 among them" \
    "$O2 $OLD $O3 $O1 " "$(ids "$OUT")"

expect_exit "list --due-within 7" 0 ctl --json list --due-within 7 \
    --sort deadline
expect_eq "open, due from today to 12-12, the earliest first" \
    "$TODAY $DUE9" "$(ids "$OUT")"
expect_exit "--due-within 0" 0 ctl --json list --due-within 0
expect_eq "due today" "$TODAY " "$(ids "$OUT")"
expect_exit "--due-within x" 2 ctl list --due-within x

# Sorted by deadline, pages of at most 20 examined, those without a
# deadline last: every hazard once.
ALL=$(ctl --json list --all | grep -o '"id": *[0-9]*' | wc -l)
expect_exit "list --sort deadline --all" 0 ctl --json list --sort deadline \
    --all
expect_eq "every hazard once" "$ALL" \
    "$(ids "$OUT" | wc -w)"
expect_eq "... none twice" "$ALL" \
    "$(ids "$OUT" | tr ' ' '\n' | grep . | sort -u | wc -l)"
expect_eq "the earliest deadline first" "$W" "$(ids "$OUT" | cut -d' ' -f1)"
expect_eq "the one without a deadline last" "$NONE" \
    "$(ids "$OUT" | awk '{ print $NF }')"
OUT=$(get -d sort=deadline -d limit=50 "$SERVER/v1/hazards")
expect_match "a cursor of the order of deadlines" \
    '"next": *"d2026-[0-9]{2}-[0-9]{2}\.[0-9]+"' "$OUT"
OUT=$(get -d sort=deadline -d cursor=1.2 "$SERVER/v1/hazards")
expect_match "a cursor of the other order is refused" '"field": *"cursor"' \
    "$OUT"
OUT=$(get -d sort=size "$SERVER/v1/hazards")
expect_match "an unknown sort is refused" '"field": *"sort"' "$OUT"
expect_exit "list --search 灭火器 --until 2026-12-04" 0 ctl --json list \
    --search 灭火器 --until 2026-12-04
expect_eq "reported today: none before" "" "$(ids "$OUT")"
expect_exit "list --search 灭火器 --since 2026/12/5" 0 ctl --json list \
    --search 灭火器 --since 2026/12/5
expect_eq "... all of them since" 9 "$(ids "$OUT" | wc -w)"
expect_exit "list --sort deadline --until 2026-12-04" 0 ctl --json list \
    --sort deadline --until 2026-12-04
expect_eq "the dates in the order of deadlines" "" "$(ids "$OUT")"
expect_exit "list --sort deadline --search 灭火器" 0 ctl --json list \
    --sort deadline --search 灭火器 --school S001
expect_eq "a search in the order of deadlines" 8 "$(ids "$OUT" | wc -w)"

stop_daemon

# The district's time limit: a report without a deadline gets one.
start_at "2026-12-05 10:00:00" "[policy]" "default_deadline_days = 30"
expect_exit "report with the district's time limit" 0 ctl report \
    --school S001 --title 无期限 --category fire
expect_exit "show it" 0 ctl --json show "$OUT"
expect_match "thirty days on" '"deadline": "2027-01-04"' "$OUT"
expect_exit "a major one still needs its own" 1 ctl report \
    --school S001 --title 围墙开裂 --category buildings --grade major

finish
