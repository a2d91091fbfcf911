#!/bin/bash
# An export page walks a bounded part of the hazards, as a list page
# does ([storage] list_scan): with list_scan = 4, an export whose filter
# matches nothing goes through the 30 hazards in pages of 4 walked
# (each on the worker, other requests' pages between them), and an
# export still has every row it selects, once, oldest first.
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
expect_eq "a school's export: its hazards, walked in its own index" \
    "$(sort -n "$T/ids" | tr '\n' ' ')" \
    "$(curl -s --max-time 30 -H "Authorization: Bearer $SCHOOL" \
    "$SERVER/v1/export" | ids)"
OUT=$(get "export?category=none&format=json")
expect_eq "JSON that matches nothing: an empty list" 0 \
    "$(printf '%s' "$OUT" | jq '.hazards | length')"
expect_eq "JSON of a rare filter: its 3 hazards" 3 \
    "$(get "export?category=fire&format=json" | jq '.hazards | length')"
finish
