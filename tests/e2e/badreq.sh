#!/bin/bash
# Bad requests get SPEC's JSON error with the right status and change
# nothing: the database dump is the same before and after.
. "$(dirname "$0")/lib.sh"

start_daemon
TOKEN=$(office_token office)
export HAZARD_TOKEN=$TOKEN
ctl school add S001 第一中学 >/dev/null
SCHOOL=$(ctl token create --school S001 --name s)
ID=$(ctl report --school S001 --title 电线裸露 --category electric)
OTHER_SCHOOL_ID=$ID
ctl school add S002 实验小学 >/dev/null
S2=$(ctl token create --school S002 --name s2)

dump() {
	sqlite3 "$T/hazardd.db" '.dump' | grep -v '^INSERT INTO tokens'
}
BEFORE=$(dump)

# req NAME STATUS METHOD PATH [CURL-ARGS...]: one request, its status
# and a JSON error body with the right code.
req() {
	name=$1 want=$2 method=$3 path=$4
	shift 4
	got=$(curl -s -o "$T/body" -w '%{http_code}' -X "$method" "$@" \
	    "$SERVER$path")
	if [ "$got" = "$want" ] && grep -q '^{"error":{"code":"' "$T/body"
	then pass "$name ($want)"
	else fail "$name" "expected $want and a JSON error, got $got:" \
	    "$(head -c 300 "$T/body")"; fi
}
AUTH="Authorization: Bearer $TOKEN"
JSON='Content-Type: application/json'
P=/v1/hazards

req "no token" 401 GET $P
req "malformed header" 401 GET $P -H 'Authorization: Basic abc'
req "unknown token" 401 GET $P -H 'Authorization: Bearer hzd_00'
req "truncated JSON" 400 POST $P -H "$AUTH" -H "$JSON" -d '{"title":'
req "JSON array, not object" 400 POST $P -H "$AUTH" -H "$JSON" -d '[1]'
req "duplicate keys" 400 POST $P -H "$AUTH" -H "$JSON" \
    -d '{"school":"S001","title":"a","title":"b","category":"x"}'
req "invalid UTF-8" 400 POST $P -H "$AUTH" -H "$JSON" \
    --data-binary $'{"school":"S001","title":"\xc0\xaf","category":"x"}'
req "NUL escape" 400 POST $P -H "$AUTH" -H "$JSON" \
    -d '{"school":"S001","title":"a\u0000b","category":"x"}'
req "not JSON content type" 415 POST $P -H "$AUTH" \
    -H 'Content-Type: text/plain' -d '{"title":"a"}'
req "missing title" 422 POST $P -H "$AUTH" -H "$JSON" \
    -d '{"school":"S001","category":"fire"}'
req "missing category" 422 POST $P -H "$AUTH" -H "$JSON" \
    -d '{"school":"S001","title":"a"}'
req "empty title" 422 POST $P -H "$AUTH" -H "$JSON" \
    -d '{"school":"S001","title":"  ","category":"fire"}'
req "wrong type" 422 POST $P -H "$AUTH" -H "$JSON" \
    -d '{"school":"S001","title":5,"category":"fire"}'
req "unknown field" 422 POST $P -H "$AUTH" -H "$JSON" \
    -d '{"school":"S001","title":"a","category":"fire","colour":"red"}'
req "bad kind" 422 POST $P -H "$AUTH" -H "$JSON" \
    -d '{"school":"S001","title":"a","category":"fire","kind":"risk"}'
req "bad grade" 422 POST $P -H "$AUTH" -H "$JSON" \
    -d '{"school":"S001","title":"a","category":"fire","grade":"huge"}'
req "2026-02-29 is no date" 422 POST $P -H "$AUTH" -H "$JSON" \
    -d '{"school":"S001","title":"a","category":"fire","deadline":"2026-02-29"}'
req "2026-13-01 is no date" 422 POST $P -H "$AUTH" -H "$JSON" \
    -d '{"school":"S001","title":"a","category":"fire","deadline":"2026-13-01"}'
title201=$(printf '隐%.0s' $(seq 201))
req "title of 201 characters" 422 POST $P -H "$AUTH" -H "$JSON" \
    -d "{\"school\":\"S001\",\"title\":\"$title201\",\"category\":\"fire\"}"
req "unknown school" 422 POST $P -H "$AUTH" -H "$JSON" \
    -d '{"school":"S404","title":"a","category":"fire"}'
req "school token for another school" 422 POST $P \
    -H "Authorization: Bearer $SCHOOL" -H "$JSON" \
    -d '{"school":"S002","title":"a","category":"fire"}'
req "key header and field differ" 422 POST $P -H "$AUTH" -H "$JSON" \
    -H 'Idempotency-Key: a' \
    -d '{"school":"S001","title":"a","category":"fire","key":"b"}'
big=$(head -c 70000 /dev/zero | tr '\0' 'a')
req "body over max_body" 413 POST $P -H "$AUTH" -H "$JSON" \
    -d "{\"school\":\"S001\",\"title\":\"a\",\"category\":\"$big\"}"
req "unknown hazard" 404 GET $P/999999 -H "$AUTH"
req "huge id" 404 GET $P/99999999999999999999999 -H "$AUTH"
req "negative id" 404 GET $P/-1 -H "$AUTH"
req "id with junk" 404 GET "$P/1abc" -H "$AUTH"
req "path trick" 404 GET "/v1/hazards/../tokens" -H "$AUTH" --path-as-is
req "unknown path" 404 GET /v2/hazards -H "$AUTH"
req "wrong method" 405 DELETE "$P/$ID" -H "$AUTH"
req "unknown action" 404 POST "$P/$ID/approve" -H "$AUTH" -H "$JSON" -d '{}'
req "another school's hazard is 404" 404 GET "$P/$OTHER_SCHOOL_ID" \
    -H "Authorization: Bearer $S2"
req "illegal transition" 409 POST "$P/$ID/verify" -H "$AUTH" -H "$JSON" \
    -d '{}'
req "rectify without note" 422 POST "$P/$ID/rectify" -H "$AUTH" -H "$JSON" \
    -d '{}'
req "cancel without reason" 422 POST "$P/$ID/cancel" -H "$AUTH" -H "$JSON" \
    -d '{}'
req "assess with nothing" 422 POST "$P/$ID/assess" -H "$AUTH" -H "$JSON" \
    -d '{"note":"x"}'
req "assess with a bad deadline" 422 POST "$P/$ID/assess" -H "$AUTH" \
    -H "$JSON" -d '{"deadline":"2026-04-31"}'
req "school may not verify" 403 POST "$P/$ID/verify" \
    -H "Authorization: Bearer $SCHOOL" -H "$JSON" -d '{}'
req "bad list filter" 422 GET "$P?state=lost" -H "$AUTH"
req "bad list limit" 422 GET "$P?limit=0" -H "$AUTH"
req "bad cursor" 422 GET "$P?cursor=abc" -H "$AUTH"
req "unknown parameter" 422 GET "$P?colour=red" -H "$AUTH"
req "bad since" 422 GET "/v1/rate?since=2026-02-30" -H "$AUTH"
req "until before since" 422 GET "/v1/rate?since=2026-03-01&until=2026-02-01" \
    -H "$AUTH"
req "stats without by" 422 GET /v1/stats -H "$AUTH"
req "duplicate school" 409 POST /v1/schools -H "$AUTH" -H "$JSON" \
    -d '{"code":"S001","name":"again"}'
req "bad school code" 422 POST /v1/schools -H "$AUTH" -H "$JSON" \
    -d '{"code":"S 1","name":"x"}'
req "school token for schools" 403 GET /v1/schools \
    -H "Authorization: Bearer $SCHOOL"
req "office token with a school" 422 POST /v1/tokens -H "$AUTH" -H "$JSON" \
    -d '{"role":"office","school":"S001","name":"x"}'
req "revoke unknown token" 404 DELETE /v1/tokens/4242 -H "$AUTH"

AFTER=$(dump)
expect_eq "nothing changed in the database" "$BEFORE" "$AFTER"
expect_exit "still serving" 0 curl -fs "$SERVER/healthz"

# The list paginates with a cursor, newest first.
for i in 1 2 3 4 5; do
	ctl report --school S001 --title "p$i" --category fire >/dev/null
done
first=$(curl -s -H "$AUTH" "$SERVER$P?limit=2")
next=$(printf '%s' "$first" | grep -o '"next":"[^"]*"' | cut -d'"' -f4)
expect_match "first page has a cursor" '^[0-9]+\.[0-9]+$' "$next"
expect_match "newest first" '"title":"p5".*"title":"p4"' "$first"
second=$(curl -s -H "$AUTH" "$SERVER$P?limit=2&cursor=$next")
expect_match "the second page goes on" '"title":"p3".*"title":"p2"' "$second"
last=$(curl -s -H "$AUTH" "$SERVER$P?limit=50")
expect_match "the last page ends with null" '"next":null' "$last"

finish
