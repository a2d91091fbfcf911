#!/bin/bash
# Every figure of a digest names its scope, and is the figure that
# hazardctl rate gives for that scope: hazards over two years imported,
# the daily, weekly and monthly made, each rate read from the text and
# compared; the school rows add up to the district's row of their
# table; lines about findings only where the scope has any.
. "$(dirname "$0")/lib.sh"

start_at "2026-12-02 09:30:00"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null

# Last year, this year before November, November (in week 48 and
# before), and findings of this year, none of them in November.
cat >"$T/two-years.csv" <<'EOF'
key,school,kind,category,grade,title,deadline,state,reported_at,closed_at
Y25-1,S001,hazard,fire,general,旧灭火器,2025-03-20,closed,2025-03-01,2025-03-15
Y25-2,S001,hazard,electrical,general,旧电线,2025-05-01,open,2025-04-01,
Y25-3,S002,hazard,buildings,general,旧围墙,2025-07-01,open,2025-06-01,
Y25-4,S002,hazard,fire,general,旧通道,2025-09-01,open,2025-08-01,
Y26-1,S001,hazard,fire,general,消防栓漏水,2026-04-01,closed,2026-03-01,2026-03-20
Y26-2,S002,hazard,traffic,general,减速带损坏,2026-06-01,open,2026-05-01,
Y26-3,S001,finding,food,general,食堂留样不全,2026-07-01,closed,2026-06-01,2026-06-20
Y26-4,S002,finding,food,general,晨检记录缺失,2026-08-01,open,2026-07-01,
N26-1,S001,hazard,fire,general,灭火器过期,2026-11-10,closed,2026-11-02,2026-11-08
N26-2,S001,hazard,electrical,general,插座老化,2026-11-25,open,2026-11-05,
N26-3,S002,hazard,equipment,major,燃气管道未固定,2026-12-20,open,2026-11-24,
N26-4,S002,hazard,fire,general,安全出口堵塞,2026-11-28,closed,2026-11-25,2026-11-27
EOF
expect_exit "import two years" 0 ctl import "$T/two-years.csv"
expect_eq "twelve imported" "imported 12, skipped 0" "$OUT"

expect_exit "the daily" 0 ctl cycle run daily --period 2026-12-02
expect_exit "the weekly" 0 ctl cycle run weekly --period 2026-W48
expect_exit "the monthly" 0 ctl cycle run monthly --period 2026-11

# rate ARGS...: what hazardctl rate says.
rate() {
	ctl rate "$@"
}
# figure LABEL TEXT: the figure after the label in the first line that
# matches (the "411/416 (98.8%)" of "本年累计: 隐患整改率 411/416 (98.8%)").
figure() {
	printf '%s\n' "$2" | grep -m1 -- "$1" |
	    sed -E "s/.*$1 ([0-9]+\/[0-9]+ \([^)]*\)).*/\1/"
}
# row_rate CODE TEXT: the hazard rate of a school's row of the school
# table.
row_rate() {
	printf '%s\n' "$2" | sed -n '/^各校情况/,$p' | grep -m1 " $1 " |
	    grep -oE '[0-9]+/[0-9]+ \([^)]*\)' | head -1
}
# total TEXT COLUMN: the sum of a column of the school rows, and the
# column of the district's row, as "sum district".
total() {
	printf '%s\n' "$1" | awk -v c="$2" '
		/^各校情况/ { on = 1; next }
		on && /^全区合计/ { d = $(c - 1); print s, d; exit }
		on && / S00[0-9] / { s += $c }'
}

all=$(rate)
year=$(rate --since 2026-01-01)
expect_eq "all on record differs from the year (the test means it)" \
    "4/10 (40%) 3/6 (50%)" "$all $year"

# The daily: its rates are of the hazards reported this year.
expect_exit "hazardctl digest daily" 0 ctl digest daily --period 2026-12-02
daily=$OUT
expect_match "the daily names the scope of its counts" \
    '^  本期: 新增 0  整改 0  销号 0$' "$daily"
expect_match "and of what is open" '^  全部在册: 在办 7  逾期 6' "$daily"
expect_eq "daily 本年累计 = hazardctl rate --since 2026-01-01" \
    "$year" "$(figure '本年累计: 隐患整改率' "$daily")"
expect_eq "daily 本年累计 finding = rate --kind finding --since 2026-01-01" \
    "$(rate --kind finding --since 2026-01-01)" \
    "$(figure '本年累计: 问题整改率' "$daily")"
expect_match "the school table says its scopes" \
    '^（新增、整改、销号为本期；在办、逾期为全部在册；整改率为本年累计）$' "$daily"
expect_eq "daily S001 = rate --school S001 --since 2026-01-01" \
    "$(rate --school S001 --since 2026-01-01)" "$(row_rate S001 "$daily")"
expect_eq "daily S002 = rate --school S002 --since 2026-01-01" \
    "$(rate --school S002 --since 2026-01-01)" "$(row_rate S002 "$daily")"
expect_eq "the district's row of the table is the year's" \
    "$year" "$(printf '%s\n' "$daily" | grep '^全区合计' |
    grep -oE '[0-9]+/[0-9]+ \([^)]*\)' | head -1)"
expect_eq "the schools' open add up to the district's" "7 7" \
    "$(total "$daily" 6)"
expect_eq "the schools' overdue add up to the district's" "6 6" \
    "$(total "$daily" 7)"

# The monthly: the month's reports, and the year's as at its end.
expect_exit "hazardctl digest monthly" 0 ctl digest monthly --period 2026-11
monthly=$OUT
expect_eq "monthly 本期 = rate --since 2026-11-01 --until 2026-11-30" \
    "$(rate --since 2026-11-01 --until 2026-11-30)" \
    "$(figure '本期: 隐患整改率' "$monthly")"
expect_eq "monthly 本年累计 = rate --since 2026-01-01 --at 2026-11-30" \
    "$(rate --since 2026-01-01 --at 2026-11-30)" \
    "$(figure '本年累计: 隐患整改率' "$monthly")"
expect_eq "no finding reported in November: no line of the month's" "" \
    "$(printf '%s\n' "$monthly" | grep '本期: 问题整改率')"
expect_eq "but the year's findings are said" \
    "$(rate --kind finding --since 2026-01-01 --at 2026-11-30)" \
    "$(figure '本年累计: 问题整改率' "$monthly")"
expect_match "the monthly's school table is of the month" \
    '整改率为本期）$' "$monthly"
expect_eq "monthly S002 = rate --school S002 of November" \
    "$(rate --school S002 --since 2026-11-01 --until 2026-11-30)" \
    "$(row_rate S002 "$monthly")"
expect_eq "the schools' new add up to the district's" "4 4" \
    "$(total "$monthly" 3)"
expect_eq "no finding in the month: no column of them" "" \
    "$(printf '%s\n' "$monthly" | sed -n '/^各校情况/,$p' | grep 问题整改率)"

# The weekly: the week's reports; its school rows the year's.
expect_exit "hazardctl digest weekly" 0 ctl digest weekly --period 2026-W48
weekly=$OUT
expect_eq "weekly 本期 = rate --since 2026-11-23 --until 2026-11-29" \
    "$(rate --since 2026-11-23 --until 2026-11-29)" \
    "$(figure '本期: 隐患整改率' "$weekly")"
expect_eq "weekly 上周 = rate --since 2026-11-16 --until 2026-11-22" \
    "$(rate --since 2026-11-16 --until 2026-11-22)" \
    "$(figure '上周: 隐患整改率' "$weekly")"
# The week before as it stood at its end: 插座老化, due on 11-25, was
# due soon then, not overdue.
expect_match "the week before, on record at its end" \
    '^  上周末在册: 在办 6  逾期 5  即将到期 1$' "$weekly"
expect_eq "weekly S001 = rate --school S001 --since 2026-01-01 --at 2026-11-29" \
    "$(rate --school S001 --since 2026-01-01 --at 2026-11-29)" \
    "$(row_rate S001 "$weekly")"

# The JSON says the same scopes.
expect_exit "the monthly's JSON" 0 ctl --json digest monthly --period 2026-11
expect_match "the schools' scope" '"schools_scope": "period"' "$OUT"
expect_match "and their sum" '"schools_sum": "district"' "$OUT"

# The robot's markdown says the scope of its rows, and their sum.
md=$(cat "$T/outbox/daily-2026-12-02-r1.md")
expect_match "the markdown names the rows' scope" \
    '^新增、整改、销号为本期；在办、逾期为全部在册；整改率为本年累计。$' "$md"
expect_match "and the district's row" \
    "^- \*\*全区合计\*\* .* 在办 7 · 逾期 6 · 隐患整改率 50%（3/6） · 问题整改率 50%（1/2）$" "$md"
finish
