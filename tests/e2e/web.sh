#!/bin/bash
# The web interface and the school's phone page, in a real browser
# (Debian's chromium, driven by tests/e2e/browser.py): the files served
# from the binary with their headers, the link that signs in and leaves
# the address bar, the token never in the server's log, a report made
# on a phone 360 px wide and seen in the school's list, another school's
# hazard out of reach, data shown as text and the CSP that blocks an
# inline script, a revoked token sent back to the sign-in page.
# Screenshots go to tests/e2e/shots/ of the build directory.
. "$(dirname "$0")/lib.sh"

# shellcheck source=tests/e2e/browserlib.sh
. "$(dirname "$0")/browserlib.sh"

PHOTO="$TOP_SRCDIR/tests/e2e/photos/gps.jpg"
start_daemon "[log]" "debug = yes"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null

# --- the link -----------------------------------------------------------
expect_exit "token create --school --link" 0 ctl token create --school S001 \
    --name 王老师 --link
LINK=$OUT
expect_match "the link is the server's, the token in its fragment" \
    "^http://127\.0\.0\.1:$PORT/#token=hzd_[0-9a-f]{64}\$" "$LINK"
SECRET=${LINK#*#token=}
expect_exit "token create --office --link (server URL with a slash)" 0 \
    ctl --server "$SERVER/" token create --office --name 科长 --link
expect_match "an office link, one slash before the fragment" \
    "^http://127\.0\.0\.1:$PORT/#token=hzd_[0-9a-f]{64}\$" "$OUT"
OFFICE_SECRET=${OUT#*#token=}
B=$(ctl token create --school S002 --name 李老师)

# --- the files and their headers ---------------------------------------
curl -s -D "$T/head" -o "$T/index" "$SERVER/"
head=$(tr -d '\r' <"$T/head")
expect_match "GET / is 200" '^HTTP/1.1 200' "$head"
expect_match "GET / is HTML" '^Content-Type: text/html; charset=utf-8$' \
    "$head"
expect_match "a strict CSP" "^Content-Security-Policy: default-src 'self'; \
img-src 'self' blob:; script-src 'self'; style-src 'self';" "$head"
if grep -i '^Content-Security-Policy:.*unsafe' "$T/head" >/dev/null; then
	fail "the CSP allows nothing unsafe"
else
	pass "the CSP allows nothing unsafe"
fi
expect_match "nosniff" '^X-Content-Type-Options: nosniff$' "$head"
expect_match "no referrer" '^Referrer-Policy: no-referrer$' "$head"
expect_match "no framing" '^X-Frame-Options: DENY$' "$head"
expect_match "a version to revalidate" '^ETag: "[0-9]+-[0-9]+"$' "$head"
expect_match "revalidated, not kept blindly" '^Cache-Control: no-cache$' \
    "$head"
if grep -iq 'set-cookie' "$T/head"; then fail "no cookie"; else
	pass "no cookie"; fi
etag=$(sed -n 's/^ETag: //p' <<<"$head")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" \
    "$SERVER/")
expect_eq "the same version again is 304" 304 "$code"

# Every file of web/ is served as it is in the source, none inline
# script or style, and all of them together within 200 KB.
total=0
bad=""
for f in "$TOP_SRCDIR"/web/*; do
	name=$(basename "$f")
	[ "$name" = embed.sh ] && continue
	total=$((total + $(wc -c <"$f")))
	url="$SERVER/ui/$name"
	[ "$name" = index.html ] && url="$SERVER/"
	if ! curl -fs -o "$T/got" "$url" || ! cmp -s "$f" "$T/got"; then
		bad="$bad $name"
	fi
done
expect_eq "each file of web/ served as it is" "" "$bad"
if [ "$total" -le 204800 ]; then pass "the interface is $total bytes"
else fail "the interface is $total bytes, over 200 KB"; fi
if grep -Eq '<script>|<script [^>]*>[^<]|<style|[[:space:]]style=|[[:space:]]on[a-z]+=' \
    "$TOP_SRCDIR"/web/*.html; then
	fail "no inline script or style in the HTML"
else
	pass "no inline script or style in the HTML"
fi
if grep -n 'innerHTML\|outerHTML\|insertAdjacentHTML\|document\.write' \
    "$TOP_SRCDIR"/web/*.js; then
	fail "no page writes HTML"
else
	pass "no page writes HTML"
fi
curl -s -D "$T/head" -o /dev/null "$SERVER/ui/app.js"
expect_match "a module is JavaScript" \
    '^Content-Type: text/javascript; charset=utf-8' "$(tr -d '\r' <"$T/head")"
expect_match "a module has the headers too" '^X-Content-Type-Options: nosniff' \
    "$(tr -d '\r' <"$T/head")"
code=$(curl -s -o /dev/null -w '%{http_code}' "$SERVER/ui/nothing.js")
expect_eq "no such file: 404" 404 "$code"
code=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' \
    "$SERVER/ui/../hazardd.db")
expect_eq "no way out of the files" 404 "$code"

# --- whoami ---------------------------------------------------------------
got=$(curl -s -H "Authorization: Bearer $SECRET" "$SERVER/v1/whoami")
expect_eq "whoami, a school" \
    '{"role":"school","school":"S001","school_name":"第一中学","name":"王老师"}' \
    "$got"
got=$(curl -s -H "Authorization: Bearer $OFFICE_SECRET" "$SERVER/v1/whoami")
expect_eq "whoami, the office" '{"role":"office","name":"科长"}' "$got"
code=$(curl -s -o /dev/null -w '%{http_code}' "$SERVER/v1/whoami")
expect_eq "whoami without a token: 401" 401 "$code"

# --- signing in -------------------------------------------------------------
expect_browse "the school opens its link at 360 px" \
    "open $LINK" "wait #main" "text #who 第一中学" \
    "eval return [location.href, innerWidth, localStorage.getItem('hazardd.token') === '$SECRET']" \
    "shot school-signed-in"
expect_match "the token left the address bar at once" \
    "^= \[\"$SERVER/\", 360, true\]\$" "$OUT"
expect_browse "back in the history, no token either" \
    "open $SERVER/" "wait #main" \
    "eval return history.length + ' ' + location.href"
expect_match "the page keeps the token: signed in without the link" \
    "^= \"[0-9]+ $SERVER/\"\$" "$OUT"

mkdir -p "$T/office"
PROFILE="$T/office" expect_browse "the office opens its link: the office's page" \
    "open $SERVER/#token=$OFFICE_SECRET" "wait #main" "text #who 科长" \
    "eval return location.hash" "noerrors"
expect_match "its token left the address bar too" '^= ""$' "$OUT"

# --- the school's page -------------------------------------------------------
# A report made on the phone, with the camera's photo, and seen in the
# school's list with its days left.
DEADLINE=$(date -d '+10 days' +%F)
expect_browse "the phone's own controls in the page's language" \
    "open $SERVER/#/report" "wait #report" \
    "eval return [document.documentElement.lang, Intl.DateTimeFormat().resolvedOptions().locale, new Date(2026, 11, 15).toLocaleDateString()]"
expect_match "a date as a Chinese phone writes it (its date picker's)" \
    '^= \["zh-CN", "zh-CN", "2026/12/15"\]$' "$OUT"
expect_browse "the school reports a hazard with a photo" \
    "open $SERVER/#/report" "wait #report" "choose #category fire" \
    "type #title 东楼安全出口堵塞" "type #location 东楼一层" \
    "eval document.querySelector('#deadline').value = '$DEADLINE'" \
    "file #photos $PHOTO" "wait #photos-preview>img" "shot school-report" \
    "click #submit" "wait #hazard" "text #hazard-title 东楼安全出口堵塞" \
    "text #msg 已上报" "wait #hazard-photos>figure>img[src^=blob]" \
    "shot school-hazard" "noerrors"
HA=$(ctl --json list | python3 -c 'import json, sys
print([h["id"] for h in json.load(sys.stdin)["hazards"]
    if h["title"] == "东楼安全出口堵塞"][0])')
got=$(ctl --json show "$HA" | python3 -c 'import json, sys
h = json.load(sys.stdin)["hazard"]
print(h["school"], h["category"], h["location"], h["deadline"],
    [p["stage"] for p in h.get("photos", [])])')
expect_eq "stored as the page said, its photo before" \
    "S001 fire 东楼一层 $DEADLINE ['before']" "$got"
expect_browse "the school's list: its hazard, its state, days left" \
    "open $SERVER/" "wait #list" "text #list 东楼安全出口堵塞" \
    "text #list 待整改" "text #list 剩 10 天" "shot school-list" "noerrors"

# A photo the server refuses (not an image): the report stands, and
# the page says the photo was not sent.
echo 'not a photo' >"$T/note.jpg"
expect_browse "a photo refused: the page says so" \
    "open $SERVER/#/report" "wait #report" "type #title 操场围栏破损" \
    "file #photos $T/note.jpg" "click #submit" "wait #hazard" \
    "text #msg 有照片未能上传" "text #hazard-title 操场围栏破损"

# Another school's hazard, asked by its number: the API's 404.
HB=$(ctl --token "$B" report --title 食堂过期食材 --category food)
expect_browse "another school's hazard cannot be reached" \
    "open $SERVER/#/hazard/$HB" "wait #msg" "text #msg 没有这个隐患" \
    "eval return document.body.textContent.includes('食堂过期食材')"
expect_match "nothing of it shown" '^= false$' "$OUT"

# A title that is markup is shown as its text, and runs nothing.
XSS='<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
ctl --token "$SECRET" report --title "$XSS" --category fire >/dev/null
expect_browse "a title of markup is text" \
    "open $SERVER/" "wait #list" "text #list <script>window.pwned=2" \
    "sleep 0.5" \
    "eval return [window.pwned === undefined, document.querySelectorAll('#list img, #list script').length]" \
    "noerrors"
expect_match "no element made of it, nothing run" '^= \[true, 0\]$' "$OUT"
# Were markup ever written as HTML, the CSP would not run it: an inline
# script and an inline handler put into the page do not run.
expect_browse "the CSP blocks an inline script" \
    "open $SERVER/" "wait #list" \
    "eval const s = document.createElement('script'); s.textContent = 'window.inl = 1'; document.head.appendChild(s); const d = document.createElement('div'); d.innerHTML = '<img src=\"ui/none\" onerror=\"window.inl2 = 1\">'; document.body.appendChild(d); return new Promise((r) => setTimeout(() => r([window.inl === undefined, window.inl2 === undefined]), 500))" \
    "console"
expect_match "neither ran" '^= \[true, true\]$' "$OUT"
expect_match "the browser says the CSP refused it" \
    'Content Security Policy' "$OUT"

# The rectification, its "after" photo first.
expect_browse "the school rectifies with an after photo" \
    "open $SERVER/#/hazard/$HA" "wait #rectify-form" \
    "type #note 已清理通道，张贴禁止堆放标识" "file #after $PHOTO" \
    "click #rectify" "text #msg 整改已提交" "text #hazard 待验收" \
    "gone #rectify-form" "shot school-rectified" "noerrors"
got=$(ctl --json show "$HA" | python3 -c 'import json, sys
h = json.load(sys.stdin)["hazard"]
print(h["state"], sorted(p["stage"] for p in h.get("photos", [])))')
expect_eq "rectified, with its photo after" \
    "rectified ['after', 'before']" "$got"

# A warning read and acknowledged.
W=$(ctl warn --title 台风预警 --body "明日停课，请检查门窗和广告牌。" \
    --school S001)
expect_browse "the school reads the warning and acknowledges it" \
    "open $SERVER/#/warnings" "wait #warnings" \
    "text #warnings 明日停课，请检查门窗和广告牌。" "shot school-warning" \
    "click .ack" "text #warnings 已确认" "noerrors"
expect_match "the office sees it acknowledged" '王老师' \
    "$(ctl warning show "$W")"

# English for a browser that asks for it, one day said as one.
ctl report --school S001 --category fire --title 明日到期的隐患 \
    --deadline "$(date -d '+1 day' +%F)" >/dev/null
UI_LANG=en-US expect_browse "English for an English browser" \
    "open $SERVER/" "wait #list" "text #tab-report Report" \
    "text #list rectified" "text #list 1 day left" "shot school-list-en"

# --- the token in no URL the server saw ---------------------------------
if grep -q 'GET / 200' "$T/hazardd.log"; then
	pass "the log has the page's requests"
else
	fail "the log has the page's requests" "$(tail -5 "$T/hazardd.log")"
fi
for s in "$SECRET" "$OFFICE_SECRET" "${SECRET#hzd_}"; do
	if grep -qF "$s" "$T/hazardd.log"; then
		fail "a token is in the log"
	else
		pass "the token is nowhere in the log"
	fi
done

# --- a revoked token: the sign-in page again ------------------------------
id=$(ctl --json token list | python3 -c 'import json, sys
print([t["id"] for t in json.load(sys.stdin)["tokens"] if t["name"] == "王老师"][0])')
ctl token revoke "$id" >/dev/null
expect_browse "a revoked token: the sign-in page, the token forgotten" \
    "open $SERVER/" "wait #signin" "text #signin 区安全办" \
    "eval return localStorage.getItem('hazardd.token')" \
    "shot school-signin"
expect_match "the revoked token is forgotten" '^= null$' "$OUT"
expect_browse "sign out: the token forgotten" \
    "open $SERVER/" "wait #signin" "type #token $B" "click #signin button" \
    "wait #main" "text #who 实验小学" "click #signout" "wait #signin" \
    "eval return localStorage.getItem('hazardd.token')"
expect_match "signed out, no token kept" '^= null$' "$OUT"

finish
