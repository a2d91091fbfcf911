#!/bin/bash
# Excel in and out: the export's columns for an office (id, school's
# name, the rectification and the rejection), Chinese headers, the
# --excel preset (BOM, Chinese headers, local times, guards), each
# imported again exactly; an import with Chinese headers; a GB18030
# file converted with one line that says so; a workbook (--format xlsx)
# with a frozen header, an autofilter, dates and no formula.
. "$(dirname "$0")/lib.sh"

start_daemon "[schedule]" "timezone = Asia/Shanghai"
export HAZARD_TOKEN=$(office_token "安全科")
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null

# Closed after a rectification; open after a rejection; cancelled after
# a rectification; open.
A=$(ctl report --school S001 --category fire --title '=HYPERLINK("http://x","点我")' \
    --location 东楼)
ctl rectify "$A" --note 已清理 >/dev/null
ctl verify "$A" >/dev/null
B=$(ctl report --school S001 --category electrical --title 配电箱未上锁)
ctl rectify "$B" --note 第一次整改 >/dev/null
ctl reject "$B" --note 照片不清楚 >/dev/null
C=$(ctl report --school S002 --category food --title 留样不足)
ctl rectify "$C" --note 撤销前 >/dev/null
ctl cancel "$C" --reason 重复上报 >/dev/null
ctl report --school S002 --category fire --title "+灭火器过期" \
    --deadline 2030-01-31 >/dev/null

expect_exit "export" 0 ctl export
ctl export >"$T/plain.csv"
expect_match "the new columns, in English" \
    '^id,kind,school,school_name,category,.*,reported_at,rectified_at,rectify_note,reject_note,closed_at,key' \
    "$(head -1 "$T/plain.csv")"
expect_match "the rejected hazard: its id, school's name, notes" \
    "^$B,hazard,S001,第一中学,electrical,.*,open,[^,]+,[^,]+,第一次整改,照片不清楚,," \
    "$(cat "$T/plain.csv")"
expect_match "the closed one: its rectification" \
    "^$A,.*,closed,[^,]+,[^,]+,已清理,,[^,]+," "$(cat "$T/plain.csv")"
expect_exit "export --headers zh" 0 ctl export --headers zh
expect_match "Chinese headers" '^编号,类型,学校,学校名称,类别,等级,标题,' \
    "$(printf '%s\n' "$OUT" | head -1)"
expect_exit "export --format json" 0 ctl export --format json
expect_match "JSON: the rectification too" \
    '"rectified_at":"[^"]+","rectify_note":"第一次整改"' "$OUT"
expect_exit "--headers with JSON is refused" 2 \
    ctl export --format json --headers zh
expect_exit "--format xlsx without --output is refused" 2 \
    ctl export --format xlsx

# The preset for Excel.
expect_exit "export --excel" 0 ctl export --excel --output "$T/excel.csv"
expect_eq "it starts with the BOM" "efbbbf" \
    "$(head -c 3 "$T/excel.csv" | od -An -tx1 | tr -d ' \n')"
expect_match "Chinese headers" '^编号,类型,学校,学校名称,' \
    "$(tail -c +4 "$T/excel.csv" | head -1)"
expect_match "local times to the minute, which Excel reads as dates" \
    "^$B,隐患,S001,第一中学,.*,待整改,20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9],20[0-9-]+ [0-9:]+,第一次整改," \
    "$(cat "$T/excel.csv")"
expect_match "the times in the configured zone" \
    "$(TZ=Asia/Shanghai date +%Y-%m-%d)" "$(cat "$T/excel.csv")"
expect_match "a formula guarded" "^$A,隐患,S001,第一中学,消防安全,一般,\"'=HYPERLINK" \
    "$(cat "$T/excel.csv")"
expect_match "and a plus" ",'\+灭火器过期," "$(cat "$T/excel.csv")"
expect_match "the kind, category, grade and state in Chinese, as people write them" \
    "^$B,隐患,S001,第一中学,用电安全,一般,配电箱未上锁," "$(cat "$T/excel.csv")"
list=$(ctl list --all)
show_b=$(ctl show "$B" | head -1)

# Both export again exactly, each into a fresh database.
stop_daemon
mv "$T/hazardd.db" "$T/first.db"
rm -f "$T"/hazardd.db-*
start_daemon "[schedule]" "timezone = Asia/Shanghai"
export HAZARD_TOKEN=$(office_token "安全科")
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
expect_exit "the plain export imports" 0 ctl import "$T/plain.csv"
expect_eq "all four" "imported 4, skipped 0" "$OUT"
expect_eq "and exports again exactly" "$(cat "$T/plain.csv")" \
    "$(ctl export)"
expect_eq "the same list" "$list" "$(ctl list --all)"
expect_match "the rejection shown" '^rejected: .* 照片不清楚$' "$show_b"
expect_eq "as it was" "$show_b" "$(ctl show "$B" | head -1)"
expect_exit "the Excel export imports again: all skipped, by key" 0 \
    ctl import "$T/excel.csv"
expect_eq "all skipped" "imported 0, skipped 4" "$OUT"
stop_daemon
rm -f "$T"/hazardd.db*
start_daemon "[schedule]" "timezone = Asia/Shanghai"
export HAZARD_TOKEN=$(office_token "安全科")
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
expect_exit "the Excel export imports into a fresh database" 0 \
    ctl import "$T/excel.csv"
expect_eq "all four" "imported 4, skipped 0" "$OUT"
expect_eq "and exports for Excel again exactly" "$(cat "$T/excel.csv")" \
    "$(ctl export --excel)"
expect_eq "the same list" "$list" "$(ctl list --all)"

# Chinese headers, and a file Excel saved on a Chinese Windows.
{
	printf '%s\r\n' '学校,类别,标题,位置,上报时间,状态,导入键' \
	    'S001,fire,东楼安全出口堵塞,东楼一层,2025-03-01 08:30,open,gb-1' \
	    'S002,food,食堂留样不足,食堂,2025/3/2,open,gb-2'
} >"$T/zh.csv"
# (2025/3/2: what Excel writes again in a Chinese locale.)
iconv -f UTF-8 -t GB18030 "$T/zh.csv" >"$T/gb.csv"
expect_exit "the file really is not UTF-8" 1 iconv -f UTF-8 -t UTF-8 "$T/gb.csv"
BEFORE=$(ctl export)
status=$(curl -s -o "$T/body" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $HAZARD_TOKEN" -H 'Content-Type: text/csv' \
    --data-binary @"$T/gb.csv" "$SERVER/v1/import")
expect_eq "GB18030 sent as it is: 422" 422 "$status"
expect_match "one problem, not one a row" '"problems": *1,' "$(cat "$T/body")"
expect_match "which says what it is" 'not UTF-8 text.*GB18030' \
    "$(cat "$T/body")"
expect_eq "nothing imported" "$BEFORE" "$(ctl export)"
expect_exit "hazardctl converts it: a GB18030 file with Chinese headers imports" 0 \
    ctl import "$T/gb.csv"
expect_eq "both rows" "imported 2, skipped 0" "$OUT"
expect_match "and says so in one line" \
    'gb.csv: not UTF-8; read as GB18030' "$ERR"
expect_eq "one line on stderr" 1 "$(printf '%s\n' "$ERR" | grep -c .)"
expect_exit "show the row with Excel's date" 0 ctl --json export --format json
expect_match "2025/3/2 is the start of that day" \
    '"reported_at":"2025-03-02T00:00:00\+08:00"' "$OUT"
expect_exit "the title, in UTF-8" 0 ctl list --all
expect_match "东楼安全出口堵塞" '东楼安全出口堵塞' "$OUT"
expect_exit "the UTF-8 file again: skipped, by its keys" 0 \
    ctl import "$T/zh.csv"
expect_eq "skipped" "imported 0, skipped 2" "$OUT"
expect_eq "and nothing said of its code" "" "$ERR"
printf 'school,category,title,reported_at\nS001,fire,\xff\xff\xff,2025-01-01\n' \
    >"$T/junk.csv"
expect_exit "neither UTF-8 nor GB18030" 1 ctl import "$T/junk.csv"
expect_match "says so" 'neither UTF-8 nor GB18030' "$ERR"

# The export names a major hazard's columns as hazardctl show does, and
# a file exported before (研判, 资金) imports as it did.
D=$(ctl report --school S002 --category fire --title 消防通道堵塞)
ctl assess "$D" --grade major --plan 清理通道 --assessment 人员密集 \
    --funds 5000元 --contingency 专人值守 >/dev/null
zhshow=$(LC_ALL=zh_CN.UTF-8 "$HAZARDCTL" show "$D")
zhhead=$(ctl export --headers zh | head -1)
for name in 整改方案 风险研判 整改资金 应急措施; do
	expect_match "show says $name" "^ *$name[:：]" "$zhshow"
	expect_match "  and so does the export's header" ",$name," "$zhhead"
done
printf '%s\r\n' '学校,类别,标题,上报时间,等级,整改方案,研判,资金,应急措施,导入键' \
    'S001,fire,锅炉房无人值守,2025-03-05 09:00,重大,停用锅炉,高温高压,8000元,停炉,old-1' \
    >"$T/old.csv"
expect_exit "an export's old names (研判, 资金) import" 0 ctl import "$T/old.csv"
expect_eq "the row" "imported 1, skipped 0" "$OUT"
expect_match "into their columns" \
    '"assessment":"高温高压","funds":"8000元"' \
    "$(ctl --json export --format json | tr -d ' ')"

# A workbook.
if ! ctl export --format xlsx --output "$T/probe.xlsx" 2>"$T/err" &&
    grep -q 'without libxlsxwriter' "$T/err"; then
	echo "# skipped the workbook: hazardctl was built without libxlsxwriter"
	finish
	exit
fi
expect_exit "export --format xlsx --excel" 0 \
    ctl export --format xlsx --excel --output "$T/h.xlsx"
expect_eq "a zip" "PK" "$(head -c 2 "$T/h.xlsx")"
if command -v unzip >/dev/null; then
	unzip -p "$T/h.xlsx" xl/worksheets/sheet1.xml >"$T/sheet.xml"
	expect_match "the header row frozen" '<pane ySplit="1"' \
	    "$(cat "$T/sheet.xml")"
	expect_match "an autofilter over every row" \
	    '<autoFilter ref="A1:W9"' "$(cat "$T/sheet.xml")"
	expect_match "column widths" '<col min="7" max="7" width="30' \
	    "$(cat "$T/sheet.xml")"
	expect_eq "no formula" 0 "$(grep -c '<f>' "$T/sheet.xml")"
	expect_match "the title a string" \
	    't="inlineStr"><is><t>=HYPERLINK\("http' \
	    "$(cat "$T/sheet.xml")"
	expect_match "the Chinese header" '<t>编号</t>' "$(cat "$T/sheet.xml")"
	# The values in Chinese, as the CSV for Excel has them.
	expect_match "a category by its Chinese name" '<t>消防安全</t>' \
	    "$(cat "$T/sheet.xml")"
	expect_match "a kind, grade and state in Chinese" \
	    '<t>隐患</t>.*<t>一般</t>.*<t>待整改</t>' "$(cat "$T/sheet.xml")"
	expect_eq "no code of the wire in a cell" 0 "$(grep -cE \
	    '<t>(fire|food|hazard|finding|general|major|open|rectified|closed|cancelled)</t>' \
	    "$T/sheet.xml")"
	expect_match "a date a number, formatted" '<c r="R2" s="[0-9]+"><v>4[0-9]+\.[0-9]+</v>' \
	    "$(cat "$T/sheet.xml")"
else
	echo "# skipped the look inside the workbook: no unzip"
fi

finish
