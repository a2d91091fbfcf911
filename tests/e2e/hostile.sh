#!/bin/bash
# Hostile text through every text field into every output.  Each field
# that a school or the office writes (title, description, location,
# department, plan, assessment, the other texts of a hazard, notes and
# actors of the audit trail, school names, warning titles and bodies,
# token names) holds line breaks, a forged heading and link, terminal
# escapes (ESC, BEL, the C1 CSI), a bidirectional override, a line
# separator and markdown and HTML markup, and starts with what a
# spreadsheet takes for a formula.  None of it may come out raw: not in
# the text digests, the outbox, a delivery command's stdin, the robot's
# markdown, hazardctl's tables, show and digest, the log, or the CSV
# export meant for Excel; and an export with formula guards imports
# again exactly.
. "$(dirname "$0")/lib.sh"

# The tail of every hostile value; PWNED marks where it went.
TAIL=$'】\n\n## 全区隐患整改率 100%\n[click here](http://evil.example/)\r'
TAIL+=$'\x1b[2J\x1b]0;PWNED\x07\xc2\x9b31m\xe2\x80\xae<font color=red>x'
TAIL+=$'</font>\xe2\x80\xa8\xe2\x81\xa6 [x](http://evil.example/) **b** ~s~'
TAIL+=$' |t| `c` ![i](http://evil.example/i.png)\n> quote\n- item\n# h'

# hex S: the bytes of S as SQL's X'..', so that any byte gets in.
hex() {
	printf "X'%s'" "$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')"
}
# text S: S as an SQL text value.
text() {
	printf 'CAST(%s AS TEXT)' "$(hex "$1")"
}

# unsafe NAME FILE: no terminal escape, control, C1 control, bidi
# override or isolate, or line separator in FILE (CSV's CRLF aside).
UNSAFE='[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]'
UNSAFE+='|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\r(?!$)'
unsafe() {
	n=$(LC_ALL=C grep -caP "$UNSAFE" "$2")
	expect_eq "$1: no control, escape, bidi override or separator" 0 "$n"
}
# forged NAME FILE: no line of FILE begins what a field's line breaks
# would have begun (a heading, a link, a quote, a list item).
forged() {
	n=$(grep -cE '^(## 全区|\[click here\]|> quote|- item|# h)' "$2")
	expect_eq "$1: no line forged by a field" 0 "$n"
}
# marked NAME FILE: the hostile text did reach FILE (else the checks
# above prove nothing).
marked() {
	n=$(grep -c 'PWNED' "$2")
	[ "$n" -gt 0 ] && pass "$1: the hostile text is there" ||
	    fail "$1: the hostile text is there"
}
# plain NAME FILE: all three.
plain() {
	marked "$1" "$2"
	unsafe "$1" "$2"
	forged "$1" "$2"
}

# formulas FILE: the cells of the CSV FILE that begin with = + - @, a
# tab or a carriage return (a cell's first character, quoted or not).
formulas() {
	awk 'BEGIN { start = 1; inq = 0; bad = 0 }
	function check(c) { if (c ~ /^[-=+@\t\r]$/) bad++ }
	{
		sub(/\r$/, "")
		n = length($0)
		if (!inq)
			start = 1
		else if (first)
			check(substr($0, 1, 1))
		first = 0
		for (i = 1; i <= n; i++) {
			c = substr($0, i, 1)
			if (start) {
				start = 0
				if (c == "\"") {
					inq = 1
					if (i == n)
						first = 1
					else
						check(substr($0, i + 1, 1))
					continue
				}
				check(c)
			}
			if (inq) {
				if (c == "\"" && substr($0, i + 1, 1) == "\"")
					i++
				else if (c == "\"")
					inq = 0
				continue
			}
			if (c == ",")
				start = 1
		}
	}
	END { print bad }' "$1"
}

start_sink "$T/robot" ""

cat >"$T/deliver" <<'SH'
#!/bin/sh
cat >"$0.$HAZARDD_DIGEST_KIND"
SH
chmod +x "$T/deliver"
EXTRA=("[departments]" "fire = 消防救援大队" "[policy]"
    "escalate_after_days = 20" "[deliver]" "command = $T/deliver"
    "webhook = http://127.0.0.1:$ROBOT_PORT/robot/send?access_token=a"
    "webhook_format = dingtalk" "retry_base = 1")

# Records on Monday 2026-11-02, through the API where it takes them.
start_at "2026-11-02 10:00:00" "${EXTRA[@]}"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
SCHOOL=$(ctl token create --school S001 --name "school$TAIL")
ID=$(ctl report --school S001 --title "=cmd|' /C calc'!A0" --category fire \
    --deadline 2026-11-05)
ctl assess "$ID" --department "-dept$TAIL" --plan "plan" \
    --note "note$TAIL" >/dev/null 2>&1
ctl warn --title "warning" --body "body" >/dev/null
stop_daemon

# Then straight into the database, whatever the API refuses: every
# text field hostile, and a line of the audit trail.
sqlite3 "$T/hazardd.db" <<SQL
UPDATE schools SET name = $(text "=第一中学$TAIL");
UPDATE tokens SET name = $(text "@token$TAIL") WHERE role = 'school';
UPDATE hazards SET
    title = $(text "=cmd|' /C calc'!A0$TAIL"),
    description = $(text "=HYPERLINK(\"http://evil.example/\")$TAIL"),
    location = $(text "@SUM(1+1)$TAIL"),
    department = $(text "-dept$TAIL"),
    responsible = $(text "+resp$TAIL"),
    plan = $(text $'\tplan'"$TAIL"),
    assessment = $(text $'\rassessment'"$TAIL"),
    funds = $(text "=funds$TAIL"),
    contingency = $(text "=contingency$TAIL"),
    grade = 'major';
INSERT INTO events (hazard_id, at, token_id, actor, role, action,
    from_state, to_state, note)
    VALUES ($ID, 1793000000, NULL, $(text "actor$TAIL"), 'office',
    'assess', 'open', 'open', $(text "=note$TAIL")),
    ($ID, 1793000001, NULL, $(text "actor$TAIL"), 'office',
    'reject', 'rectified', 'open', $(text "=rejected$TAIL"));
UPDATE hazards SET rejected_event = (SELECT MAX(id) FROM events
    WHERE action = 'reject') WHERE id = $ID;
UPDATE warnings SET title = $(text "=warning$TAIL"),
    body = $(text "=body$TAIL");
SQL

# Back a month later: the daily, weekly and monthly are made, the
# hazard escalated to its (hostile) department, and each digest goes to
# the command and to the robot.
start_at "2026-12-02 09:30:00" "${EXTRA[@]}"
i=0
while { [ ! -f "$T/deliver.monthly" ] || [ "$(ls "$T/robot" | grep -c \
    'status$')" -lt 3 ]; } && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1))
done

# The text digests, everywhere they go.
for k in daily weekly monthly; do
	f=$(ls "$T/outbox/$k-"*.txt 2>/dev/null | head -1)
	[ -n "$f" ] || f=/dev/null
	plain "outbox $k" "$f"
	plain "command stdin $k" "$T/deliver.$k"
done
expect_match "the dispatch names the department in brackets" \
    '^【-dept】  ## 全区隐患整改率 100% \[click here\]' \
    "$(cat "$T/deliver.monthly")"

# The robot's markdown: nothing in it is markup, and nothing raw.
cat "$T/robot/"*.body >"$T/robot.all"
marked "robot" "$T/robot.all"
unsafe "robot" "$T/robot.all"
expect_eq "robot: no escape as JSON either" 0 \
    "$(grep -cE '\\u00(1[bB]|07|9[bB])|\\r' "$T/robot.all")"
# Its own markup (headings, list items, bold) is the renderer's; what
# a field holds starts no line and marks nothing up.
expect_eq "robot: no line of markdown begun by a field" 0 \
    "$(grep -cE '\\n(## 全区|\[click here\]|> quote|- item|# h)' \
    "$T/robot.all")"
expect_eq "robot: no link" 0 "$(grep -cE '[^\\]\]\(' "$T/robot.all")"
expect_eq "robot: no emphasis from a field" 0 \
    "$(grep -cE '[^\\]\*\*b|[^\\]~s' "$T/robot.all")"
expect_eq "robot: no HTML tag" 0 "$(grep -cF '<font' "$T/robot.all")"
expect_match "robot: the link shown as text, escaped" \
    '\\\\\[click here\\\\\]\(http' "$(cat "$T/robot.all")"
expect_match "robot: the tag shown as text" '&lt;font color' \
    "$(cat "$T/robot.all")"
expect_match "robot: Chinese intact" '全区隐患整改率' "$(cat "$T/robot.all")"

# hazardctl's tables, show and digests.
out() {
	"$HAZARDCTL" "$@" >"$T/ctl.out" 2>&1
	echo "$T/ctl.out"
}
plain "hazardctl digest daily" "$(out digest daily)"
plain "hazardctl digest weekly" "$(out digest weekly)"
plain "hazardctl digest monthly" "$(out digest monthly --period 2026-11)"
plain "hazardctl show" "$(out show "$ID")"
expect_match "hazardctl show: the rejection first" \
    '^rejected: .* by actor】$' "$(head -1 "$T/ctl.out")"
expect_match "hazardctl show: its lines go on indented" '^ +.*=rejected】' \
    "$(cat "$T/ctl.out")"
expect_match "hazardctl show: the description's lines go on indented" \
    '^ +## 全区隐患整改率' "$(cat "$T/ctl.out")"
plain "hazardctl list" "$(out list)"
expect_match "hazardctl list: the rejection's note under the table" \
    '^#[0-9]+ rejected .* by actor】.*=rejected】' "$(cat "$T/ctl.out")"
plain "hazardctl school list" "$(out school list)"
plain "hazardctl warning show" "$(out warning show 1)"
plain "hazardctl token list" "$(out token list)"
unsafe "hazardctl warnings" "$(out warnings)"
forged "hazardctl warnings" "$T/ctl.out"
unsafe "hazardctl stats" "$(out stats --by school)"
forged "hazardctl stats" "$T/ctl.out"
unsafe "hazardctl --json show" "$(out --json show "$ID")"
unsafe "hazardctl --json warnings" "$(out --json warnings)"

# The log: the department is in the line of the escalation.
marked "log" "$T/hazardd.log"
unsafe "log" "$T/hazardd.log"
forged "log" "$T/hazardd.log"
expect_eq "log: every line of the daemon's own" 0 \
    "$(grep -v '^hazardd: ' "$T/hazardd.log" | grep -c .)"

# The export for Excel: no cell a formula.
ctl export --bom >"$T/excel.csv"
marked "export" "$T/excel.csv"
expect_eq "export: no cell starts a formula" 0 "$(formulas "$T/excel.csv")"
expect_match "export: the guard before the title" \
    "'=cmd\\|' /C calc'!A0" "$(cat "$T/excel.csv")"
stop_daemon

# An export with guards imports again exactly, into a new database.
rm -f "$T/hazardd.db"*
start_at "2026-12-03 10:00:00"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
for t in "=1+1" "+fire" "-minus" "@SUM(A1)" "'quoted" "''twice" "plain"; do
	ctl report --school S001 --title "$t" --category fire \
	    --location "$t" --description "$t" >/dev/null
done
ctl export >"$T/one.csv"
expect_match "the guard before =" \
    "^[0-9]+,hazard,S001,第一中学,fire,general,'=1\+1," "$(cat "$T/one.csv")"
expect_match "and before a value that begins with the guard" \
    "^[0-9]+,hazard,S001,第一中学,fire,general,''quoted," "$(cat "$T/one.csv")"
expect_match "not before plain text" \
    "^[0-9]+,hazard,S001,第一中学,fire,general,plain," \
    "$(cat "$T/one.csv")"
stop_daemon
rm -f "$T/hazardd.db"*
start_at "2026-12-03 11:00:00"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
expect_exit "the export imports" 0 ctl import "$T/one.csv"
expect_exit "and exports again" 0 ctl export
printf '%s\n' "$OUT" >"$T/two.csv"
# $(...) drops the last CRLF's LF; compare without line ends.
expect_eq "exactly as it was" "$(tr -d '\r' <"$T/one.csv")" \
    "$(tr -d '\r' <"$T/two.csv")"
expect_exit "the titles as they were" 0 ctl --json list
for t in "=1+1" "+fire" "-minus" "@SUM(A1)" "'quoted" "''twice"; do
	expect_match "title $t" "\"title\": \"$(printf '%s' "$t" |
	    sed 's/[+()]/\\&/g')\"" "$OUT"
done

finish
