#!/bin/bash
# An export page walks a bounded part of the hazards, as a list page
# does ([storage] list_scan): with list_scan = 4, an export whose filter
# matches nothing goes through the 30 hazards in pages of 4 walked
# (each on the worker, other requests' pages between them), and an
# export still has every row it selects, once, oldest first.  A
# school's own export of more than list_scan hazards is bounded the
# same way (issue 12); one of fewer walks them in its own index.
. "$(dirname "$0")/lib.sh"

start_daemon "[storage]" "list_scan = 4"
export HAZARD_TOKEN=$(office_token office)
AUTH="Authorization: Bearer $HAZARD_TOKEN"
ctl school add S001 第一中学 >/dev/null

# 30 hazards; every tenth is a fire.
report_rare 30
get() {
	curl -s --max-time 30 -H "$AUTH" "$SERVER/v1/$1"
}
ids() {
	grep -o '^[0-9][0-9]*' | tr '\n' ' '
}

OUT=$(get "export?category=none")
expect_eq "a filter that matches nothing: the heading alone" 1 \
    "$(printf '%s\n' "$OUT" | wc -l)"
expect_match "... read in pages of 4 walked" \
    'export: 0 rows in 8 pages' "$(cat "$T/hazardd.log")"

expect_eq "a rare filter: its 3 rows, oldest first" \
    "$(awk 'NR % 10 == 1' "$T/ids" | sort -n | tr '\n' ' ')" \
    "$(get "export?category=fire" | ids)"
expect_eq "every hazard once, oldest first" \
    "$(sort -n "$T/ids" | tr '\n' ' ')" "$(get export | ids)"
SCHOOL=$(ctl token create --school S001 --name "第一中学")
expect_eq "a school's export: its hazards" \
    "$(sort -n "$T/ids" | tr '\n' ' ')" \
    "$(curl -s --max-time 30 -H "Authorization: Bearer $SCHOOL" \
    "$SERVER/v1/export" | ids)"
OUT=$(get "export?category=none&format=json")
expect_eq "JSON that matches nothing: an empty list" 0 \
    "$(printf '%s' "$OUT" | jq '.hazards | length')"
expect_eq "JSON of a rare filter: its 3 hazards" 3 \
    "$(get "export?category=fire&format=json" | jq '.hazards | length')"

# pages N: waits for the log line of an export of no rows in N pages
# (written when its stream has ended) and counts them.
pages() {
	local n=0 i=0
	while [ $i -lt 50 ]; do
		n=$(grep -c "export: 0 rows in $1 pages" "$T/hazardd.log")
		[ "$n" -ge "$2" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	echo "$n"
}
school() {
	curl -s --max-time 30 -H "Authorization: Bearer $SCHOOL" \
	    "$SERVER/v1/$1"
}
N=$(pages 8 0)
expect_eq "a school's export that matches nothing: the heading alone" 1 \
    "$(school "export?category=none" | wc -l)"
expect_eq "... its 30 hazards read in pages of 4 walked, as the office's" \
    $((N + 1)) "$(pages 8 $((N + 1)))"
expect_eq "a school's rare filter: its 3 rows, oldest first" \
    "$(awk 'NR % 10 == 1' "$T/ids" | sort -n | tr '\n' ' ')" \
    "$(school "export?category=fire" | ids)"

# Another school's hazards among the ids: each walks only its own.
ctl school add S002 第二中学 >/dev/null
for i in 1 2; do
	ctl report --school S002 --title "二中 $i" --category food \
	    >>"$T/ids2" || fail "report S002 $i"
done
ctl report --school S001 --title "隐患 30" --category food >>"$T/ids" ||
    fail "report 30"
expect_eq "hazardctl export follows a school's pages: its hazards alone" \
    "$(sort -n "$T/ids" | tr '\n' ' ')" \
    "$(HAZARD_TOKEN=$SCHOOL ctl export | ids)"
OTHER=$(ctl token create --school S002 --name "第二中学")
expect_eq "a school of 2 hazards: its 2, walked in its index" \
    "$(sort -n "$T/ids2" | tr '\n' ' ')" \
    "$(HAZARD_TOKEN=$OTHER ctl export | ids)"
HAZARD_TOKEN=$OTHER ctl export --category none >/dev/null
expect_eq "... one page, not the 9 of a walk of the table" 0 \
    "$(pages 9 1)"
finish
