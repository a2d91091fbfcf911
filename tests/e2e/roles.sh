#!/bin/bash
# Roles and isolation: a school sees and changes only its own hazards
# (another's are 404), may not do the office's work (403); revoked and
# unknown tokens are refused at once.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
A=$(ctl token create --school S001 --name a)
B=$(ctl token create --school S002 --name b)

expect_exit "school A reports" 0 ctl --token "$A" report --title 电线裸露 \
    --category electrical
HA=$OUT
expect_exit "school B reports" 0 ctl --token "$B" report --title 食堂过期食材 \
    --category food
HB=$OUT

expect_exit "A reads its own hazard" 0 ctl --token "$A" show "$HA"
expect_exit "A cannot read B's hazard (404)" 1 ctl --token "$A" show "$HB"
expect_match "404, not 403" '404' "$ERR"
expect_exit "A cannot rectify B's hazard (404)" 1 ctl --token "$A" rectify \
    "$HB" --note x
expect_match "404 for another school's action" '404' "$ERR"
expect_exit "A lists" 0 ctl --token "$A" --json list
expect_match "A sees its own" '电线裸露' "$OUT"
if printf '%s' "$OUT" | grep -q '食堂过期食材'; then
	fail "A's list leaks B's hazard"
else
	pass "A's list holds only A's hazards"
fi
expect_exit "A's rate counts only A" 0 ctl --token "$A" --json rate
expect_match "A's rate: one identified" '"identified": 1' "$OUT"

expect_exit "A cannot report for B" 1 ctl --token "$A" report --school S002 \
    --title x --category fire
expect_exit "A may name its own school" 0 ctl --token "$A" report \
    --school S001 --title 楼梯扶手松动 --category buildings

for action in "assess $HA --grade major" "reject $HA --note x" \
    "cancel $HA --reason x"; do
	expect_exit "a school may not: $action (403)" 1 \
	    ctl --token "$A" $action
	expect_match "403 for $action" '403' "$ERR"
done
expect_exit "a school may not add schools (403)" 1 ctl --token "$A" school \
    add S003 x
expect_exit "a school may not list tokens (403)" 1 ctl --token "$A" token list
expect_exit "a school may not make tokens (403)" 1 ctl --token "$A" token \
    create --office --name evil

expect_exit "office without --school cannot report" 1 ctl report --title x \
    --category fire
expect_match "school is required" 'school' "$ERR"
expect_exit "unknown school refused" 1 ctl report --school S999 --title x \
    --category fire

# Revocation takes effect at once.
expect_exit "token list" 0 ctl --json token list
BID=$(printf '%s\n' "$OUT" | grep -B3 '"name": "b"' | grep -o '"id": [0-9]*' |
    grep -o '[0-9]*' | head -1)
expect_match "B's token id found" '^[0-9]+$' "$BID"
# B has just been used, so the daemon remembers it (tokcache.c): the
# revocation must reach that too.
expect_exit "B's token works before" 0 ctl --token "$B" list
expect_exit "revoke B's token" 0 ctl token revoke "$BID"
expect_exit "revoked token refused (401)" 1 ctl --token "$B" list
expect_match "401 said" '401' "$ERR"
expect_exit "unknown token refused (401)" 1 ctl --token hzd_nonsense list
expect_exit "no token refused" 1 env -u HAZARD_TOKEN "$HAZARDCTL" list
expect_exit "the list shows the revocation" 0 ctl --json token list
expect_match "revoked_at set" '"revoked_at": "[0-9]{4}' "$OUT"

# An export already streaming stops when its token is revoked: a slow
# reader does not go on receiving the pages that follow.  20,000 rows
# of 2 KB (some 40 MB) are far more than the sockets' buffers hold.
C=$(ctl token create --office --name c)
awk 'BEGIN {
	d = sprintf("%2000s", ""); gsub(/ /, "x", d)
	printf "school,kind,category,title,description,state,reported_at\n"
	for (i = 1; i <= 20000; i++)
		printf "S001,hazard,fire,导出 %d,%s,open,2025-03-%02dT08:00:00+08:00\n",
		    i, d, i % 28 + 1
}' >"$T/many.csv"
expect_exit "20,000 hazards to export" 0 ctl import "$T/many.csv"
curl -s --limit-rate 2m --max-time 60 -o "$T/slow.csv" \
    -H "Authorization: Bearer $C" \
    "$SERVER/v1/export?format=csv" &
SLOW=$!
sleep 1
CID=$(ctl --json token list | grep -B3 '"name": "c"' |
    grep -o '"id": [0-9]*' | grep -o '[0-9]*' | head -1)
expect_exit "revoke the exporter's token" 0 ctl token revoke "$CID"
wait "$SLOW"
expect_exit "the export is cut short (curl $?)" 0 test $? -ne 0
rows=$(grep -c '导出' "$T/slow.csv")
expect_exit "before its end ($rows of 20000 rows)" 0 test "$rows" -lt 20000
expect_match "logged" 'export: stopped after [0-9]+ rows: its token was revoked' \
    "$(cat "$T/hazardd.log")"

finish
