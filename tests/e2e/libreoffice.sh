#!/bin/bash
# A real spreadsheet: LibreOffice (headless) opens the workbook of
# `hazardctl export --format xlsx` and finds the cells as they should
# be (text never computed, times as dates in the configured zone); and
# the export for Excel, opened in LibreOffice and saved again as CSV in
# GB18030 (what Excel's "CSV" is on a Chinese Windows), imports again.
. "$(dirname "$0")/lib.sh"

if ! command -v soffice >/dev/null; then
	echo "# skipped: no soffice (Debian's libreoffice-calc-nogui)"
	exit 77
fi

# soffice wants a profile it may write, and a home.
LO="soffice --headless -env:UserInstallation=file://$T/lo-profile"
export HOME="$T"

start_daemon "[schedule]" "timezone = Asia/Shanghai"
export HAZARD_TOKEN=$(office_token "安全科")
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
A=$(ctl report --school S001 --category fire \
    --title '=HYPERLINK("http://x","点我")' --location "@SUM(A1)")
ctl rectify "$A" --note "-已清理" >/dev/null
ctl verify "$A" >/dev/null
B=$(ctl report --school S001 --category electrical --title 配电箱未上锁 \
    --description "第一行
第二行, 有逗号和\"引号\"")
ctl rectify "$B" --note 第一次整改 >/dev/null
ctl reject "$B" --note 照片不清楚 >/dev/null
C=$(ctl report --school S002 --category fire --title "+灭火器过期" \
    --deadline 2030-01-31)

# The workbook, as LibreOffice reads it.
if ! ctl export --format xlsx --excel --output "$T/h.xlsx" 2>"$T/err"; then
	if grep -q 'without libxlsxwriter' "$T/err"; then
		echo "# skipped: hazardctl was built without libxlsxwriter"
		stop_daemon
		exit 77
	fi
	fail "export --format xlsx" "$(cat "$T/err")"
fi
ctl export --excel --output "$T/excel.csv"
$LO --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' \
    --outdir "$T/lo" "$T/h.xlsx" >"$T/lo.out" 2>&1
expect_exit "LibreOffice opens the workbook" 0 test -s "$T/lo/h.csv"
cp "$T/lo/h.csv" "$T/cells.csv"
expect_match "the Chinese header" '^编号,类型,学校,学校名称,类别,等级,标题,' \
    "$(head -1 "$T/cells.csv")"
expect_match "a formula's text stays text, never computed" \
    "^$A,隐患,S001,第一中学,消防安全,一般,\"=HYPERLINK\(\"\"http://x\"\",\"\"点我\"\"\)\"," \
    "$(cat "$T/cells.csv")"
expect_match "an @ stays text" ',@SUM\(A1\),' "$(cat "$T/cells.csv")"
expect_match "a + stays text" ',\+灭火器过期,' "$(cat "$T/cells.csv")"
expect_match "a line break inside a cell" '"第一行$' "$(cat "$T/cells.csv")"
reported=$(awk -F, -v id="$C" '$1 == id' "$T/excel.csv" | cut -d, -f18)
expect_match "the --excel CSV's time" '^20[0-9-]+ [0-9:]+$' "$reported"
expect_match "a time is a date, in the configured zone, as --excel has it" \
    "^$C,.*,待整改,$reported,,,,," "$(cat "$T/cells.csv")"
expect_match "the trail's times too" \
    ',已销号,[0-9-]+ [0-9:]+,[0-9-]+ [0-9:]+,-已清理,,[0-9-]+ [0-9:]+,' \
    "$(cat "$T/cells.csv")"
expect_match "a deadline is a date" ',2030-01-31,' "$(cat "$T/cells.csv")"
expect_match "the id a number" "^$B," "$(cat "$T/cells.csv")"
expect_match "the rejection's note" ',第一次整改,照片不清楚,' \
    "$(cat "$T/cells.csv")"

# The export for Excel, opened and saved again as CSV in GB18030, its
# columns read as LibreOffice reads them unless told (times as dates).
$LO --infilter="CSV:44,34,76,1" \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,85' \
    --outdir "$T/gb" "$T/excel.csv" >"$T/lo.out" 2>&1
expect_exit "LibreOffice saves it in GB18030" 0 test -s "$T/gb/excel.csv"
expect_exit "not UTF-8" 1 iconv -f UTF-8 -t UTF-8 "$T/gb/excel.csv"
expect_match "but GB18030" '^编号,类型,学校,' \
    "$(iconv -f GB18030 -t UTF-8 "$T/gb/excel.csv" | head -1)"
before=$(ctl export --excel)
list=$(ctl list --all)
stop_daemon
rm -f "$T"/hazardd.db*
start_daemon "[schedule]" "timezone = Asia/Shanghai"
export HAZARD_TOKEN=$(office_token "安全科")
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
expect_exit "the file LibreOffice saved in GB18030 imports" 0 \
    ctl import "$T/gb/excel.csv"
expect_eq "every row" "imported 3, skipped 0" "$OUT"
expect_match "converted, in one line" 'not UTF-8; read as GB18030' "$ERR"
expect_eq "one line" 1 "$(printf '%s\n' "$ERR" | grep -c .)"
expect_eq "the same export" "$before" "$(ctl export --excel)"
expect_eq "the same list" "$list" "$(ctl list --all)"

# The workbook, saved again by LibreOffice as CSV, imports too: its
# values are the CSV's for Excel (Chinese words, category names).
stop_daemon
rm -f "$T"/hazardd.db*
start_daemon "[schedule]" "timezone = Asia/Shanghai"
export HAZARD_TOKEN=$(office_token "安全科")
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
expect_exit "the workbook, as CSV, imports" 0 ctl import "$T/cells.csv"
expect_eq "every row of the workbook" "imported 3, skipped 0" "$OUT"
expect_eq "the same export from the workbook" "$before" \
    "$(ctl export --excel)"
expect_eq "the same list from the workbook" "$list" "$(ctl list --all)"

finish
