#!/bin/bash
# /metrics: a scrape that a careful parser accepts line by line (HELP and
# TYPE before the samples of a family, names, labels, numbers, counters
# named _total, histogram buckets cumulative up to +Inf = _count), and
# the figures operators alert on: overdue hazards, the latest run of each
# cycle, delivery attempts and failures, imports.
. "$(dirname "$0")/lib.sh"

# The checker: every problem on stdout, exit 1 if there is one.
cat >"$T/scrape.awk" <<'AWK'
function bad(msg) { printf "line %d: %s: %s\n", NR, msg, $0; failed = 1 }
function isnum(v) {
	return v ~ /^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$/ ||
	    v ~ /^[-+]?Inf$/ || v == "NaN"
}
function num(v) { return v ~ /Inf$/ ? (v ~ /^-/ ? -1e308 : 1e308) : v + 0 }
BEGIN { NAME = "^[a-zA-Z_:][a-zA-Z0-9_:]*$" }
/^# HELP / {
	if ($3 !~ NAME) bad("HELP of a bad name")
	if ($3 in help) bad("HELP twice")
	if ($3 in seen) bad("HELP after its samples")
	if (NF < 4) bad("HELP without text")
	help[$3] = 1
	next
}
/^# TYPE / {
	if (NF != 4 || $4 !~ /^(counter|gauge|histogram|summary|untyped)$/)
		bad("TYPE malformed")
	if ($3 in type) bad("TYPE twice")
	if ($3 in seen) bad("TYPE after its samples")
	if (!($3 in help)) bad("TYPE before its HELP")
	type[$3] = $4
	next
}
/^#/ { next }
/^$/ { bad("empty line"); next }
{
	rest = $0
	if (!match(rest, /^[a-zA-Z_:][a-zA-Z0-9_:]*/)) { bad("no name"); next }
	name = substr(rest, 1, RLENGTH)
	rest = substr(rest, RLENGTH + 1)
	labels = ""; le = ""; names = " "
	if (substr(rest, 1, 1) == "{") {
		rest = substr(rest, 2)
		while (substr(rest, 1, 1) != "}") {
			if (!match(rest, /^[a-zA-Z_][a-zA-Z0-9_]*="/)) {
				bad("bad label"); next
			}
			lname = substr(rest, 1, RLENGTH - 2)
			rest = substr(rest, RLENGTH + 1)
			if (index(names, " " lname " ")) { bad("label twice"); next }
			names = names lname " "
			val = ""
			for (;;) {
				c = substr(rest, 1, 1)
				if (c == "") { bad("label value not closed"); next }
				if (c == "\\") {
					d = substr(rest, 2, 1)
					if (d != "\\" && d != "\"" && d != "n") {
						bad("bad escape"); next
					}
					val = val c d; rest = substr(rest, 3); continue
				}
				rest = substr(rest, 2)
				if (c == "\"") break
				val = val c
			}
			if (lname == "le") le = val
			else labels = labels lname "=" val ","
			if (substr(rest, 1, 1) == ",") rest = substr(rest, 2)
			else if (substr(rest, 1, 1) != "}") { bad("no , or }"); next }
		}
		rest = substr(rest, 2)
	}
	if (substr(rest, 1, 1) != " ") { bad("no space before the value"); next }
	n = split(substr(rest, 2), part, " ")
	if (n < 1 || n > 2 || !isnum(part[1])) { bad("not a number"); next }
	if (n == 2 && part[2] !~ /^-?[0-9]+$/) { bad("bad timestamp"); next }
	fam = name
	if (!(fam in type) && match(name, /_(bucket|sum|count)$/)) {
		base = substr(name, 1, RSTART - 1)
		if (type[base] == "histogram" || type[base] == "summary")
			fam = base
	}
	if (!(fam in type)) { bad("no TYPE before the sample"); next }
	if (fam != cur && (fam in seen)) bad("the family is not together")
	seen[fam] = 1; cur = fam
	series = name "{" labels "le=" le "}"
	if (series in dup) bad("the same series twice")
	dup[series] = 1
	v = part[1]
	if (type[fam] == "counter") {
		if (name !~ /_total$/) bad("a counter not named _total")
		if (num(v) < 0) bad("a negative counter")
	}
	if (type[fam] != "histogram") next
	key = fam "{" labels "}"
	if (name == fam "_bucket") {
		if (le == "" || !isnum(le)) { bad("a bucket without le"); next }
		if ((key in lastle) && num(le) <= lastle[key]) bad("le not rising")
		if ((key in lastv) && num(v) < lastv[key]) bad("not cumulative")
		lastle[key] = num(le); lastv[key] = num(v); inf[key] = le
	} else if (name == fam "_count") {
		if (inf[key] != "+Inf") bad("the buckets do not end with +Inf")
		else if (num(v) != lastv[key]) bad("+Inf is not _count")
		counted[key] = 1
	} else if (name == fam "_sum") {
		summed[key] = 1
	} else
		bad("not a sample of a histogram")
}
END {
	for (key in lastv) {
		if (!(key in counted)) { print key ": no _count"; failed = 1 }
		if (!(key in summed)) { print key ": no _sum"; failed = 1 }
	}
	if (NR == 0) { print "empty"; failed = 1 }
	exit failed
}
AWK

# scrape NAME: fetches /metrics into $T/metrics and checks every line.
scrape() {
	curl -fs -o "$T/metrics" "http://127.0.0.1:$PORT/metrics"
	expect_exit "$1: the scrape is valid" 0 awk -f "$T/scrape.awk" \
	    "$T/metrics"
}

# metric LINE-START: the value of the sample that starts so.
metric() {
	awk -v s="$1" 'index($0, s " ") == 1 { print $NF }' "$T/metrics"
}

# The checker itself finds what it is there to find.
printf '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 2\n' \
    >"$T/good.prom"
expect_exit "the checker passes a good scrape" 0 awk -f "$T/scrape.awk" \
    "$T/good.prom"
printf 'a_total 1\n' >"$T/bad.prom"
expect_exit "the checker: a sample without TYPE" 1 awk -f "$T/scrape.awk" \
    "$T/bad.prom"
printf '# HELP h H.\n# TYPE h histogram\nh_bucket{le="1"} 3\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n' \
    >"$T/bad.prom"
expect_exit "the checker: buckets not cumulative" 1 awk -f "$T/scrape.awk" \
    "$T/bad.prom"
printf '# HELP g G.\n# TYPE g gauge\ng{a="x} 1\n' >"$T/bad.prom"
expect_exit "the checker: a label not closed" 1 awk -f "$T/scrape.awk" \
    "$T/bad.prom"

# A delivery command that fails, and is not tried again for an hour.
printf '#!/bin/sh\nexit 3\n' >"$T/fail"
chmod +x "$T/fail"
start_daemon "[deliver]" "command = $T/fail" "retry_base = 3600"
scrape "a fresh daemon"
expect_eq "no overdue hazards" 0 "$(metric 'hazardd_hazards_overdue{kind="hazard"}')"
expect_eq "the daily cycle never ran" 0 \
    "$(metric 'hazardd_cycle_last_run_timestamp_seconds{kind="daily"}')"
expect_eq "no delivery attempts" 0 "$(metric hazardd_delivery_attempts_total)"
expect_eq "no imports" 0 "$(metric 'hazardd_imports_total{result="done"}')"

export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl report --school S001 --title 逾期 --category fire --deadline 2020-01-01 \
    --allow-past >/dev/null
ctl report --school S001 --title 逾期检查 --category fire --kind finding \
    --deadline 2020-01-01 --allow-past >/dev/null
ctl report --school S001 --title 未逾期 --category fire --deadline 2099-01-01 \
    >/dev/null
ID=$(ctl report --school S001 --title 已关闭 --category fire \
    --deadline 2020-01-01 --allow-past)
ctl rectify "$ID" --note 好了 >/dev/null
ctl verify "$ID" >/dev/null
before=$(date +%s)
expect_exit "a daily digest" 0 ctl cycle run daily \
    --period "$(TZ=Asia/Shanghai date +%F)"
printf 'school,category,title,reported_at,key\nS001,fire,甲,2025-01-01,a\nS001,fire,乙,2025-01-02,b\n' \
    >"$T/in.csv"
ctl import "$T/in.csv" >/dev/null
ctl import "$T/in.csv" >/dev/null
printf 'school,category,title,reported_at\nS404,fire,x,2025-01-01\n' \
    >"$T/bad.csv"
ctl import "$T/bad.csv" 2>/dev/null
# The delivery is tried at once, in the background: wait for it.
i=0
while [ $i -lt 100 ]; do
	curl -fs -o "$T/metrics" "http://127.0.0.1:$PORT/metrics"
	[ "$(metric hazardd_deliveries_failing)" = 1 ] && break
	sleep 0.1
	i=$((i + 1))
done

scrape "after some work"
expect_eq "overdue hazards: not the closed one" 1 \
    "$(metric 'hazardd_hazards_overdue{kind="hazard"}')"
expect_eq "overdue findings" 1 \
    "$(metric 'hazardd_hazards_overdue{kind="finding"}')"
ran=$(metric 'hazardd_cycle_last_run_timestamp_seconds{kind="daily"}')
if [ "$ran" -ge "$before" ] && [ "$ran" -le "$(date +%s)" ]; then
	pass "the daily cycle's last run is a Unix time of now"
else
	fail "the daily cycle's last run is a Unix time of now" "got: $ran"
fi
expect_eq "the weekly one never ran" 0 \
    "$(metric 'hazardd_cycle_last_run_timestamp_seconds{kind="weekly"}')"
expect_eq "one delivery attempt" 1 "$(metric hazardd_delivery_attempts_total)"
expect_eq "one failing delivery" 1 "$(metric hazardd_deliveries_failing)"
expect_eq "two imports done" 2 "$(metric 'hazardd_imports_total{result="done"}')"
expect_eq "one refused" 1 "$(metric 'hazardd_imports_total{result="invalid"}')"
expect_eq "two rows imported" 2 \
    "$(metric 'hazardd_import_rows_total{result="imported"}')"
expect_eq "two skipped" 2 \
    "$(metric 'hazardd_import_rows_total{result="skipped"}')"
expect_match "requests counted by route" \
    '^hazardd_http_requests_total\{route="POST /v1/import",status="200"\} 2$' \
    "$(cat "$T/metrics")"
expect_match "the latency histogram ends with +Inf" \
    '^hazardd_http_request_duration_seconds_bucket\{le="\+Inf"\} [0-9]+$' \
    "$(cat "$T/metrics")"

finish
