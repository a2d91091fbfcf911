#!/bin/bash
# The activity ledger (issue 17, item 3): a school records its own
# safety activities and the office any school's, with hazardctl
# activity add; list pages and filters; stats by type and drill
# subtype, the district's and per school, with the early warnings
# issued through hazardd counted as warnings; each activity an event
# of the audit trail.  Bad input (a count of 0 or less, a date in the
# future, an unknown type, subtype or school) is refused with its code
# and stores nothing.  Under zh_CN.UTF-8 the types, the table and the
# refusals are Chinese.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token 区安全办)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 第二中学 >/dev/null
S=$(ctl token create --school S001 --name 第一中学安全员)
DB="$T/hazardd.db"

# stored: the activities and their events, as "N/M".
stored() {
	sqlite3 "$DB" "SELECT (SELECT COUNT(*) FROM activities) || '/' ||
	    (SELECT COUNT(*) FROM events WHERE action = 'activity')"
}

expect_exit "the office records a drill by its Chinese names" 0 \
    ctl activity add --school S001 --type 应急演练 --subtype 消防疏散 \
    --date 2026-11-02 --count 3 --note 全校疏散
expect_match "its id alone" '^[0-9]+$' "$OUT"
D1=$OUT
expect_exit "the school records its lessons, for itself" 0 \
    ctl --token "$S" activity add --type lesson --count 40 \
    --date 2026-11-10
expect_exit "an anti-terror drill of the second school" 0 \
    ctl activity add --school S002 --type drill --subtype antiterror \
    --date 2026-11-20
expect_exit "agreements signed" 0 \
    ctl activity add --school S002 --type agreement --count 12 \
    --date 2026-09-01
expect_exit "a warning sent by other channels, with --json" 0 \
    ctl --json activity add --school S001 --type 预警提示 \
    --note 电话通知暴雨
expect_match "--json: the activity with its codes" \
    '"type": "warning"' "$OUT"
# Today in the daemon's zone, which it dates it by.
TODAY=$(printf '%s\n' "$OUT" | sed -n 's/^ *"date": "\(.*\)",$/\1/p')
expect_eq "--json: dated today by default" "$(TZ=Asia/Shanghai date +%F)" \
    "$TODAY"
expect_eq "five stored, each with its event" "5/5" "$(stored)"

# The trail: the event names the activity and keeps its fields.
expect_eq "the drill's event" \
    "$D1|office|区安全办|{\"count\":3,\"date\":\"2026-11-02\",\"school\":\"S001\",\"subtype\":\"fire\",\"type\":\"drill\"}" \
    "$(sqlite3 "$DB" "SELECT activity_id, role, actor, changes FROM events
        WHERE activity_id = $D1")"
expect_eq "the trail refuses to change it" "1" \
    "$(sqlite3 "$DB" "UPDATE activities SET count = 300 WHERE id = $D1" \
    2>&1 | grep -c 'never changed')"

# Bad input: a code, a message, nothing stored.
bad() {
	name=$1 msg=$2
	shift 2
	expect_exit "$name: refused" 1 ctl "$@"
	expect_match "$name: says why" "$msg" "$ERR"
	expect_eq "$name: nothing stored" "5/5" "$(stored)"
}
bad "a count of 0" "count: expected a whole number from 1" activity add --school S001 \
    --type drill --subtype fire --count 0
bad "a negative count" "count: expected a whole number from 1" activity add \
    --school S001 --type lesson --count -2
bad "a date in the future" "2099-01-01 is after today" activity add \
    --school S001 --type lesson --date 2099-01-01
bad "an unknown type" "unknown 'party'; the types are agreement" activity add \
    --school S001 --type party
bad "an unknown subtype" "unknown 'tornado'; a drill's are fire" activity add \
    --school S001 --type drill --subtype tornado
bad "a subtype of a lesson" "a lesson has none" activity add \
    --school S001 --type lesson --subtype fire
bad "a drill without its subtype" "a drill needs its subtype" activity add \
    --school S001 --type drill
bad "an unknown school" "unknown school 'S999'" activity add \
    --school S999 --type lesson
bad "the office names no school" "school is required" activity add \
    --type lesson
bad "a school for another" "unknown school 'S002'" \
    --token "$S" activity add --school S002 --type lesson
expect_exit "a count that is no number: usage" 2 ctl activity add \
    --school S001 --type lesson --count many
# The codes on the wire, for clients other than hazardctl.
code() {
	curl -s -H "Authorization: Bearer $HAZARD_TOKEN" \
	    -H 'Content-Type: application/json' -d "$1" \
	    "$SERVER/v1/activities" | sed -E 's/.*"code":"([a-z_]+)".*/\1/'
}
expect_eq "count 0: bad_count" bad_count \
    "$(code '{"school":"S001","type":"lesson","count":0}')"
expect_eq "a future date: date_future" date_future \
    "$(code '{"school":"S001","type":"lesson","date":"2099-01-01"}')"
expect_eq "an unknown type: unknown_activity_type" unknown_activity_type \
    "$(code '{"school":"S001","type":"party"}')"
expect_eq "an unknown subtype: unknown_activity_subtype" \
    unknown_activity_subtype \
    "$(code '{"school":"S001","type":"drill","subtype":"x"}')"
expect_eq "an unknown school: unknown_school" unknown_school \
    "$(code '{"school":"S999","type":"lesson"}')"
expect_eq "a count that is a string: bad_count" bad_count \
    "$(code '{"school":"S001","type":"lesson","count":"3"}')"
expect_eq "still nothing stored" "5/5" "$(stored)"

# The list: newest first, filters, pages.
expect_exit "the office lists" 0 ctl activity list
expect_match "the drill, its names in English" \
    "^ *$D1 +2026-11-02 +S001 +Emergency drills +Fire evacuation +3 +全校疏散" \
    "$OUT"
expect_eq "newest first" "$TODAY 2026-11-20 2026-11-10 2026-11-02 2026-09-01" \
    "$(printf '%s\n' "$OUT" | awk 'NR > 1 { printf "%s%s", s, $2; s = " " }')"
expect_exit "the school lists" 0 ctl --token "$S" activity list
expect_eq "a school sees its own" "3" \
    "$(printf '%s\n' "$OUT" | grep -c ' S001 ')"
expect_eq "and no other's" "0" "$(printf '%s\n' "$OUT" | grep -c ' S002 ')"
expect_exit "drills only" 0 ctl activity list --type drill
expect_eq "two drills" "2" "$(printf '%s\n' "$OUT" | grep -c 'drills')"
expect_exit "anti-terror drills only" 0 ctl activity list --subtype 反恐防暴
expect_match "the second school's" "S002 +Emergency drills +Anti-terrorism" \
    "$OUT"
expect_exit "November only" 0 ctl activity list --from 2026-11-01 \
    --to 2026/11/30
expect_eq "three in November" "3" "$(($(printf '%s\n' "$OUT" | wc -l) - 1))"
expect_exit "a page of two" 0 ctl activity list --limit 2
expect_match "says there are more" "there are more" "$ERR"
expect_exit "every page, two at a time" 0 ctl --json activity list \
    --limit 2 --all
expect_eq "all five" "5" "$(printf '%s\n' "$OUT" | grep -c '"type"')"
expect_exit "an unknown type to list" 1 ctl activity list --type picnic
expect_match "refused by the server" "unknown 'picnic'" "$ERR"

# The sums, with the warnings issued through hazardd.
ctl warn --title 台风预警 --body 明日停课 >/dev/null
ctl warn --title 高温预警 --body 减少户外活动 --school S002 >/dev/null
expect_exit "the district's sums" 0 ctl activity stats
expect_match "agreements" "Responsibility agreements +12 +agreements" "$OUT"
expect_match "warnings: one recorded, two issued" "Early warnings +3 +times" \
    "$OUT"
expect_match "drills" "Emergency drills +4 +times" "$OUT"
expect_match "of them fire evacuation" "  Fire evacuation +3 +times" "$OUT"
expect_match "of them anti-terror" "  Anti-terrorism and violence +1 " "$OUT"
expect_match "lessons in class hours" "Safety lessons +40 +class hours" "$OUT"
expect_match "says which warnings hazardd issued" "2 issued through" "$OUT"
expect_exit "per school" 0 ctl activity stats --by school
expect_match "S001: its columns" \
    "^S001 +第一中学 +0 +2 +3 +40 +0 +0$" "$OUT"
expect_match "S002: a warning to it, one to all" \
    "^S002 +第二中学 +12 +2 +1 +0 +0 +0$" "$OUT"
expect_exit "over November" 0 ctl --json activity stats --from 2026-11-01 \
    --to 2026-11-30
expect_match "November's drills" '"drill": 4' "$OUT"
expect_match "no warning in November" '"warning": 0' "$OUT"
expect_exit "a school's own sums" 0 ctl --token "$S" activity stats --by school
expect_eq "one row besides the header" "2" "$(printf '%s\n' "$OUT" | wc -l)"

# The monthly digest of November: each school's activities, and the
# school that held no drill (S003, added now, had none).
ctl school add S003 第三小学 >/dev/null
expect_exit "the monthly of November runs" 0 ctl cycle run monthly \
    --period 2026-11
expect_exit "its text" 0 ctl digest monthly --period 2026-11
expect_match "the activities' section" "^(本期安全活动|Safety activities this period)$" \
    "$OUT"
expect_match "S001: its drill (3) and lessons (40)" \
    "^第一中学 +S001 +0 +0 +3 +40 +0 +0$" "$OUT"
expect_match "S002: its agreements are of September, its drill counted" \
    "^第二中学 +S002 +0 +0 +1 +0 +0 +0$" "$OUT"
expect_match "the schools with no drill in the month: S003" "^第三小学 +S003$" \
    "$(printf '%s\n' "$OUT" | sed -n '/^本月未开展应急演练的学校$/,$p')"
expect_eq "and none other" "" \
    "$(printf '%s\n' "$OUT" | sed -n '/^本月未开展应急演练的学校$/,$p' |
    grep -E 'S00[12]$')"

# In Chinese.
if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
	zh() { env LC_ALL=zh_CN.UTF-8 "$HAZARDCTL" "$@"; }
	expect_exit "zh_CN: the list" 0 zh activity list --type drill
	expect_match "zh_CN: types and subtypes in Chinese" \
	    "S001 +应急演练 +消防疏散 +3" "$OUT"
	expect_exit "zh_CN: the sums" 0 zh activity stats
	expect_match "zh_CN: 开展安全教育 40 课时" "安全教育 +40 +课时" "$OUT"
	expect_match "zh_CN: 签订安全责任书 12 份" "安全责任书 +12 +份" "$OUT"
	expect_match "zh_CN: the drills' subtypes" "  反恐防暴 +1 +次" "$OUT"
	expect_exit "zh_CN: a count of 0" 1 zh activity add --school S001 \
	    --type lesson --count 0
	expect_match "zh_CN: said in Chinese" "次数.*整数" "$ERR"
	expect_exit "zh_CN: a date in the future" 1 zh activity add \
	    --school S001 --type lesson --date 2099-01-01
	expect_match "zh_CN: the future, in Chinese" "2099-01-01.*尚未到来" "$ERR"
	expect_exit "zh_CN: an unknown type" 1 zh activity add --school S001 \
	    --type 联欢
	expect_match "zh_CN: no such type" "没有活动类型 联欢" "$ERR"
	expect_exit "zh_CN: an unknown school" 1 zh activity add --school S999 \
	    --type 安全教育
	expect_match "zh_CN: no such school" "S999" "$ERR"
	expect_eq "zh_CN: still nothing stored" "5/5" "$(stored)"
else
	echo "# the locale zh_CN.UTF-8 is missing: its checks left out"
fi

# CSV: a bad file imports nothing and names each problem.
printf 'school,type,subtype,date,count,note\nS001,drill,,2026-10-01,0,x\nS999,party,,2099-01-01,-1,\nS002,lesson,,2026-10-02,2,\n' \
    >"$T/bad.csv"
expect_exit "a bad file: refused" 1 ctl activity import "$T/bad.csv"
expect_match "row 2: a drill without its subtype" \
    "row 2, subtype: a drill needs its subtype" "$ERR"
expect_match "row 2: a count of 0" "row 2, count: expected a whole number" \
    "$ERR"
expect_match "row 3: an unknown type" "row 3, type: unknown type" "$ERR"
expect_match "row 3: a date in the future" \
    "row 3, date: 2099-01-01 is after today" "$ERR"
expect_match "row 3: an unknown school" "row 3, school: unknown school 'S999'" \
    "$ERR"
expect_match "nothing imported" "2 rows are invalid \\(6 problems\\); nothing" \
    "$ERR"
expect_eq "a bad file stores nothing" "5/5" "$(stored)"

# CSV: export for Excel (a BOM, Chinese headers and names), import into
# an empty database, export again: the same activities.
expect_exit "export for Excel" 0 ctl activity export --excel \
    --output "$T/a.csv"
expect_eq "a BOM first" "efbbbf" "$(head -c 3 "$T/a.csv" | od -An -tx1 | tr -d ' ')"
expect_match "Chinese headers" "^.?编号,学校,学校名称,活动类型,子类,日期,次数,说明,记录人,记录时间,导入键" \
    "$(head -1 "$T/a.csv")"
expect_match "Chinese names" ",S001,第一中学,应急演练,消防疏散,2026-11-02,3,全校疏散," \
    "$(cat "$T/a.csv")"
expect_exit "export in English" 0 ctl activity export --output "$T/en.csv"
stop_daemon
rm -f "$DB" "$DB-wal" "$DB-shm"
start_daemon
export HAZARD_TOKEN=$(office_token 区安全办)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 第二中学 >/dev/null
expect_exit "the export imports into an empty database" 0 \
    ctl activity import "$T/a.csv"
expect_eq "all five imported" "imported 5, skipped 0" "$OUT"
expect_eq "each with its event" "5/5" "$(stored)"
expect_exit "imported again" 0 ctl activity import "$T/a.csv"
expect_eq "all skipped the second time" "imported 0, skipped 5" "$OUT"
expect_exit "export again" 0 ctl activity export --output "$T/again.csv"
# The same but for the columns an import makes anew: id, recorded_by,
# recorded_at, key.
same() { cut -d, -f2-8 "$1" | sort; }
expect_eq "the round trip keeps every activity" "$(same "$T/en.csv")" \
    "$(same "$T/again.csv")"
expect_eq "five rows and the header" "6" "$(wc -l <"$T/again.csv")"

finish
