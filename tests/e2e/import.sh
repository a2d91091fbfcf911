#!/bin/bash
# Import and export: a district's spreadsheet in (CSV with a BOM, Chinese
# text, quoted commas, quotes and line breaks), all or nothing with every
# bad row named, idempotent by key, office only; an export imported into
# a fresh database gives the same rates, list and statistics; 100,000
# rows in one go.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token "安全科 张科长")
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
SCHOOL=$(ctl token create --school S001 --name "第一中学 王老师")

dump() {
	sqlite3 "$T/hazardd.db" .dump
}

# The district's file: a BOM, CRLF between rows (a bare LF inside a
# quoted field), columns in its own order, a blank row, a row without a
# key, every state, both forms of a date.
{
	printf '\xef\xbb\xbf'
	printf '%s\r\n' 'key,school,kind,category,grade,title,description,location,deadline,state,reported_at,closed_at,plan,assessment'
	printf '%s\n' 'D-001,S001,hazard,fire,general,"东楼安全出口堵塞, 杂物堆放","一楼东侧'
	printf '%s\r\n' \
	    '""安全出口""被桌椅堵住",东楼一层,2025-03-10,open,2025-03-01,,,' \
	    'D-002,S001,hazard,buildings,major,围墙开裂,,操场北侧,2025-04-30,closed,2025-03-02T09:30:00+08:00,2025-04-20,一事一策：加固围墙,较大风险' \
	    'D-003,S002,finding,food,general,食堂留样不足,,食堂,,rectified,2025-03-03,,,' \
	    ',,,,,,,,,,,,,' \
	    'D-004,S002,hazard,fire,general,重复上报,,,,cancelled,2025-03-04,,,' \
	    ',S002,hazard,electrical,general,配电箱未上锁,,,2030-01-01,open,2025-03-05T08:00:00Z,,,'
} >"$T/good.csv"

expect_exit "import a good file" 0 ctl import "$T/good.csv"
expect_eq "five rows imported, the blank one left out" \
    "imported 5, skipped 0" "$OUT"
expect_exit "list" 0 ctl list --all
expect_match "a Chinese title with a comma" '东楼安全出口堵塞, 杂物堆放' "$OUT"
expect_eq "five hazards" 5 "$(printf '%s\n' "$OUT" | grep -c '^ *[0-9]')"
ID=$(printf '%s\n' "$OUT" | awk '/东楼安全出口堵塞/ { print $1 }')
expect_exit "show the first row" 0 ctl --json show "$ID"
expect_match "a line break and quotes inside a quoted field" \
    '"description": "一楼东侧\\n\\"安全出口\\"被桌椅堵住"' "$OUT"
expect_match "a date means the start of that day" \
    '"reported_at": "2025-03-01T00:00:00\+08:00"' "$OUT"
expect_match "its trail: one report, imported" \
    '"action": "report".*"note": "imported"' "$(printf '%s' "$OUT" | tr -d '\n')"
MAJOR=$(ctl --json list --state closed | sed -n 's/.*"id": \([0-9]*\).*/\1/p')
expect_exit "show the closed major hazard" 0 ctl --json show "$MAJOR"
actions=$(printf '%s\n' "$OUT" | grep -o '"action": "[a-z]*"' |
    sed 's/.*: "//; s/"//' | tr '\n' ' ')
expect_eq "a closed row's trail brings it to closed" \
    "report rectify verify " "$actions"
expect_match "closed when the file says" \
    '"closed_at": "2025-04-20T00:00:00\+08:00"' "$OUT"
expect_match "by the office" '"role": "office"' "$OUT"
expect_exit "rate of hazards" 0 ctl rate
expect_eq "1 closed of 3, the cancelled one left out" "1/3 (33.3%)" "$OUT"
expect_exit "rate of findings" 0 ctl rate --kind finding
expect_eq "the rectified finding is not closed" "0/1 (0%)" "$OUT"

# A file with three bad rows changes nothing, and names all three.
BEFORE=$(dump)
cat >"$T/bad.csv" <<'EOF'
school,category,title,reported_at,deadline,state
S001,fire,好的一行,2025-05-01,2025-05-31,open
S001,fire,日期不对,2025-05-01,2025-02-30,open
S002,food,也是好的,2025-05-02,,open
S404,fire,没有这个学校,2025-05-02,,open
S002,fire,状态不对,2025-05-03,,done
EOF
expect_exit "a file with bad rows is refused" 1 ctl import "$T/bad.csv"
expect_match "row 3: the deadline" 'row 3, deadline: not a calendar date' "$ERR"
expect_match "row 5: the school" "row 5, school: unknown school 'S404'" "$ERR"
expect_match "row 6: the state" 'row 6, state: expected open' "$ERR"
expect_match "three rows, nothing imported" \
    '3 rows are invalid \(3 problems\); nothing was imported \(HTTP 422' "$ERR"
expect_eq "the good rows of a bad file are not imported either" \
    "$BEFORE" "$(dump)"

# Each problem has a stable code, with its row, column and value, for a
# client to say in its user's language.
status=$(curl -s -o "$T/bad.json" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $HAZARD_TOKEN" -H 'Content-Type: text/csv' \
    --data-binary @"$T/bad.csv" "$SERVER/v1/import")
expect_eq "a bad file is 422" 422 "$status"
rows=$(tr -d ' \n' <"$T/bad.json")
expect_match "row 3: invalid_date, its column and value" \
    '\{"row":3,"field":"deadline","code":"invalid_date","value":"2025-02-30",' \
    "$rows"
expect_match "row 5: unknown_school and the code" \
    '\{"row":5,"field":"school","code":"unknown_school","value":"S404",' \
    "$rows"
expect_match "row 6: invalid_field and the word" \
    '\{"row":6,"field":"state","code":"invalid_field","value":"done",' "$rows"

printf 'school,category,title,reported_at,colour\nS001,fire,x,2025-01-01,red\n' \
    >"$T/header.csv"
expect_exit "an unknown column is refused" 1 ctl import "$T/header.csv"
expect_match "the column is named" "row 1: column 5: unknown name 'colour'" \
    "$ERR"
printf 'school,category,title,reported_at\nS001,fire,"x"y,2025-01-01\n' \
    >"$T/syntax.csv"
expect_exit "a stray quote is refused" 1 ctl import "$T/syntax.csv"
expect_match "where it is" 'row 2: text after the closing quote' "$ERR"
expect_eq "still nothing changed" "$BEFORE" "$(dump)"

# Importing the same file again skips every row.
expect_exit "import the good file again" 0 ctl import "$T/good.csv"
expect_eq "every row skipped" "imported 0, skipped 5" "$OUT"
expect_exit "--json" 0 ctl --json import "$T/good.csv"
expect_match "counts in JSON" '"imported": 0,' "$OUT"
expect_eq "nothing changed" "$BEFORE" "$(dump)"

# Office only; CSV only.
expect_exit "a school token may not import" 1 \
    ctl --token "$SCHOOL" import "$T/good.csv"
expect_match "403" 'HTTP 403' "$ERR"
status=$(curl -s -o "$T/body" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $HAZARD_TOKEN" -H 'Content-Type: text/plain' \
    --data-binary @"$T/good.csv" "$SERVER/v1/import")
expect_eq "not text/csv: 415" 415 "$status"
expect_eq "a refused import changes nothing" "$BEFORE" "$(dump)"

# Hazards reported and handled through the API go out and in too.
H=$(ctl report --school S001 --title 栏杆松动 --category buildings \
    --deadline 2025-01-31 --allow-past --location "教学楼 \"A\" 座")
ctl assess "$H" --grade major --plan "更换栏杆" --assessment "一般风险" \
    --responsible 李校长 >/dev/null
ctl rectify "$H" --note 已更换 >/dev/null
ctl verify "$H" >/dev/null
ctl report --school S002 --title 灭火器过期 --category fire >/dev/null

expect_exit "export with a BOM" 0 ctl export --bom
ctl export --bom >"$T/export.csv"
expect_eq "it starts with the BOM" "efbbbf" \
    "$(head -c 3 "$T/export.csv" | od -An -tx1 | tr -d ' \n')"
expect_match "the columns of an import" \
    '^id,kind,school,school_name,category,grade,title,description,location,responsible,department,deadline,plan,assessment,funds,contingency,state,reported_at,rectified_at,rectify_note,reject_note,closed_at,key.?$' \
    "$(tail -c +4 "$T/export.csv" | head -1)"
expect_exit "export as JSON" 0 ctl export --format json
expect_match "JSON export carries the keys" '"key":"D-002"' "$OUT"
expect_exit "export by school and state" 0 \
    ctl export --school S002 --state rectified
expect_eq "the header and one row" 2 "$(printf '%s\n' "$OUT" | wc -l)"
expect_match "that row, with its id and school's name" \
    '^[0-9]+,finding,S002,实验小学,food,general,食堂留样不足,' \
    "$(printf '%s\n' "$OUT" | tail -1)"
expect_exit "a school token exports its own" 0 \
    ctl --token "$SCHOOL" export --format json
expect_eq "its own school's three" 3 \
    "$(printf '%s\n' "$OUT" | grep -c '"school":"S001"')"
expect_eq "no other's" 0 "$(printf '%s\n' "$OUT" | grep -c '"school":"S002"')"

rate_h=$(ctl rate)
rate_f=$(ctl rate --kind finding)
list=$(ctl list --all)
stats=$(ctl --json stats --by school)
ctl export >"$T/export-plain.csv"

# Into a fresh database: the same rates, list and statistics.
stop_daemon
mkdir "$T/first"
mv "$T"/hazardd.db* "$T/first/"
# A timeout shorter than the large import below takes: its answer must
# not be lost all the same.
start_daemon "[server]" "timeout = 1"
export HAZARD_TOKEN=$(office_token "安全科")
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
expect_exit "import the export into a fresh database" 0 \
    ctl import "$T/export.csv"
expect_eq "every hazard imported" "imported 7, skipped 0" "$OUT"
expect_eq "the same rate of hazards" "$rate_h" "$(ctl rate)"
expect_eq "the same rate of findings" "$rate_f" "$(ctl rate --kind finding)"
expect_eq "the same list" "$list" "$(ctl list --all)"
expect_eq "the same statistics" "$stats" "$(ctl --json stats --by school)"
expect_eq "the same export" "$(cat "$T/export-plain.csv")" "$(ctl export)"
expect_exit "and again: all skipped, by their keys" 0 \
    ctl import "$T/export.csv"
expect_eq "all skipped" "imported 0, skipped 7" "$OUT"

# 100,000 rows, streamed in one request.
awk 'BEGIN {
	printf "school,kind,category,title,description,state,reported_at,closed_at,key\r\n"
	split("open rectified closed cancelled", states, " ")
	for (i = 1; i <= 100000; i++) {
		s = states[i % 4 + 1]
		printf "S00%d,%s,%s,\"隐患 %d, 第%d号\",\"描述 \"\"%d\"\"\n第二行\",%s,2024-%02d-%02dT08:00:00+08:00,%s,big-%d\r\n",
		    i % 2 + 1, i % 3 ? "hazard" : "finding",
		    i % 5 ? "fire" : "food", i, i, i, s, i % 12 + 1, i % 28 + 1,
		    s == "closed" ? "2024-12-31" : "", i
	}
}' >"$T/big.csv"
start=$(date +%s.%N)
expect_exit "import 100,000 rows" 0 ctl import "$T/big.csv"
end=$(date +%s.%N)
echo "# 100,000 rows imported in $(awk -v a="$start" -v b="$end" \
    'BEGIN { printf "%.2f", b - a }') seconds"
expect_eq "all of them" "imported 100000, skipped 0" "$OUT"
expect_exit "count them" 0 ctl --json stats --by school
total=$(printf '%s\n' "$OUT" | grep -o '"identified": [0-9]*' |
    awk '{ n += $2 } END { print n }')
expect_eq "100,000 more hazards, but the cancelled" $((7 - 1 + 75000)) \
    "$total"

# A large export streams: a reader that goes away early leaves the
# daemon well (and stop_daemon checks that it exits clean).
ctl export | head -c 100000 >/dev/null
expect_exit "the daemon still answers" 0 ctl rate
expect_exit "a whole large export" 0 ctl export --format json
expect_eq "every hazard in it" 100007 \
    "$(printf '%s\n' "$OUT" | grep -c '^{"id":')"
# An HTTP/1.0 client that asks to keep the connection cannot read
# chunks: the export comes whole, ended by the close, not announced as
# empty by a Content-Length of 0.
curl -s --http1.0 -H 'Connection: keep-alive' -D "$T/h10.head" \
    -o "$T/h10.json" -H "Authorization: Bearer $HAZARD_TOKEN" \
    "$SERVER/v1/export?format=json"
expect_eq "HTTP/1.0: every hazard in it" 100007 "$(grep -c '^{"id":' "$T/h10.json")"
expect_eq "HTTP/1.0: no length announced" "" \
    "$(grep -i '^content-length' "$T/h10.head")"

# A key made from a row ("-2" for the second of two equal rows) may be
# the key another row of the file gives, as when exported rows are put
# back beside the rows they came from: the later row is refused (422),
# not the whole import failed at the database (503).  The made key is
# learned from a database of its own.
MAIN_TOKEN=$HAZARD_TOKEN
twins='S001,hazard,fire,双胞胎,open,2025-05-05T08:00:00+08:00,'
printf 'school,kind,category,title,state,reported_at,key\n%s\n%s\n' \
    "$twins" "$twins" >"$T/twins.csv"
stop_daemon
start_daemon "[storage]" "database = $T/keys.db"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
expect_exit "two equal rows are two hazards" 0 ctl import "$T/twins.csv"
made=$(ctl export | grep -o 'csv-[0-9a-f]*-2' | head -1)
expect_match "the second keyed -2" '^csv-[0-9a-f]{40}-2$' "$made"
stop_daemon
rm -f "$T/keys.db" "$T/keys.db-wal" "$T/keys.db-shm"
start_daemon "[storage]" "database = $T/keys.db"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
{
	cat "$T/twins.csv"
	printf 'S001,hazard,food,另一条,open,2025-05-06T08:00:00+08:00,%s\n' \
	    "$made"
} >"$T/mixed.csv"
expect_exit "a made key that another row gives" 1 ctl import "$T/mixed.csv"
expect_match "is the later row's problem" \
    'row 4, key: the key of row 3 again' "$ERR"
expect_match "422" 'nothing was imported \(HTTP 422' "$ERR"
expect_exit "nothing stored" 0 ctl rate
expect_eq "no hazard" "0/0" "$(printf '%s' "$OUT" | cut -d' ' -f1)"
stop_daemon
export HAZARD_TOKEN=$MAIN_TOKEN

# Larger than [server] max_import: 413, in JSON, nothing changed.
stop_daemon
start_daemon "[server]" "max_import = 65536"
head -c 200000 "$T/big.csv" >"$T/mid.csv"
BEFORE=$(dump)
expect_exit "a file over max_import is refused" 1 ctl import "$T/mid.csv"
expect_match "413, naming max_import" 'max_import.*HTTP 413 too_large' "$ERR"
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $HAZARD_TOKEN" -H 'Content-Type: text/csv' \
    --data-binary @"$T/big.csv" "$SERVER/v1/import")
expect_eq "far over it: 413 all the same" 413 "$status"
expect_eq "nothing changed" "$BEFORE" "$(dump)"

finish
