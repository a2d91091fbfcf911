#!/bin/bash
# A list page walks a bounded part of the index: with list_scan = 4, a
# filter that matches nothing answers at once with no rows and a cursor,
# a page of a rare filter holds fewer rows than its limit, and hazardctl
# follows the cursors until it has what was asked, or the end.
. "$(dirname "$0")/lib.sh"

start_daemon "[storage]" "list_scan = 4"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
SCHOOL=$(ctl token create --school S001 --name "第一中学")

# 30 hazards, most within the same second: the cursor's id decides.
# Every tenth is a fire, the first of them the oldest.
report_rare 30
FIRES=$(awk 'NR % 10 == 1' "$T/ids" | sort -rn | tr '\n' ' ')
ALL=$(sort -rn "$T/ids" | tr '\n' ' ')

get() {
	curl -s -H "Authorization: Bearer $HAZARD_TOKEN" "$SERVER/v1/$1"
}
count() {
	printf '%s' "$1" | grep -o '"id": *[0-9]*' | wc -l
}
next_of() {
	printf '%s' "$1" | grep -o '"next": *"[0-9.]*"' | sed 's/.*"\([0-9.]*\)"$/\1/'
}

OUT=$(get "hazards?category=none")
expect_eq "a filter that matches nothing: no rows on the page" 0 \
    "$(count "$OUT")"
expect_match "... and a cursor, not the end: the walk stopped" \
    '"next": *"[0-9]+\.[0-9]+"' "$OUT"
OUT=$(get "hazards?category=fire&limit=50")
if [ "$(count "$OUT")" -lt 3 ] && [ -n "$(next_of "$OUT")" ]; then
	pass "a rare filter: fewer rows than the limit, and a cursor"
else
	fail "a rare filter: fewer rows than the limit, and a cursor" "$OUT"
fi

# Following the cursors by hand: every hazard once, newest first.
cursor="" seen="" pages=0
while [ $pages -lt 50 ]; do
	OUT=$(get "hazards?limit=50${cursor:+&cursor=$cursor}")
	seen="$seen$(printf '%s' "$OUT" | grep -o '"id": *[0-9]*' |
	    sed 's/.*: *//' | tr '\n' ' ')"
	cursor=$(next_of "$OUT")
	pages=$((pages + 1))
	[ -n "$cursor" ] || break
done
expect_eq "the pages hold every hazard once, newest first" "$ALL" "$seen"
expect_eq "... in pages of at most 4 examined" 8 "$pages"

expect_exit "hazardctl list of the rare filter" 0 \
    ctl --json list --category fire
expect_eq "hazardctl follows the cursors to all three fires" "$FIRES" \
    "$(printf '%s' "$OUT" | grep -o '"id": *[0-9]*' | sed 's/.*: *//' |
    tr '\n' ' ')"
expect_match "... to the end" '"next": null' "$OUT"
expect_exit "hazardctl list of a filter that matches nothing" 0 \
    ctl --json list --category none
expect_eq "no hazards" 0 "$(count "$OUT")"
expect_match "... and the end" '"next": null' "$OUT"

expect_exit "hazardctl list --limit 2 of the fires" 0 \
    ctl list --category fire --limit 2
expect_eq "two rows under the heading" 3 "$(printf '%s\n' "$OUT" | wc -l)"
expect_match "there are more" 'there are more' "$ERR"
expect_exit "hazardctl list --limit 7" 0 ctl --json list --limit 7
expect_eq "seven hazards, across short pages" 7 "$(count "$OUT")"
expect_exit "hazardctl list --all" 0 ctl --json list --all
expect_eq "--all: every hazard once" "$ALL" \
    "$(printf '%s' "$OUT" | grep -o '"id": *[0-9]*' | sed 's/.*: *//' |
    tr '\n' ' ')"
expect_exit "a school's list of its fires" 0 \
    ctl --token "$SCHOOL" --json list --category fire
expect_eq "the school's token sees the three fires" 3 "$(count "$OUT")"

finish
