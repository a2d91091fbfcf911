#!/bin/bash
# The office's pages in a real browser (Debian's chromium, driven by
# tests/e2e/browser.py): after the district's 416/411 replay the
# dashboard shows 411/416 (98.8%) and 177/177 (100%), the counts of the
# day, the overdue hazards, the schools worst first and the trend; the
# list with its filters; a hazard's page with its audit trail, sent back
# with a note, then the school's "after" photo shown from a blob: URL and
# the hazard verified; a token made with its link; a warning issued and
# who acknowledged it.  No error in the browser's console.  Screenshots
# of the dashboard go to tests/e2e/shots/ of the build directory.
. "$(dirname "$0")/lib.sh"

# shellcheck source=tests/e2e/browserlib.sh
. "$(dirname "$0")/browserlib.sh"

PHOTO="$TOP_SRCDIR/tests/e2e/photos/gps.jpg"
# The browser's window: a desk's, but where a phone's is asked for.
BROWSE_SIZE=1280x900
PHONE=360x740
start_daemon
export HAZARD_TOKEN=$(office_token office)
# shellcheck source=tests/e2e/districtlib.sh
. "$(dirname "$0")/districtlib.sh"
district_replay
LAST=$(tail -1 <<<"$hazards")
# One of the four still open is overdue: its deadline was yesterday.
LATE=$(sed -n 412p <<<"$hazards")
ctl assess "$LATE" --deadline "$(TZ=Asia/Shanghai date -d yesterday +%F)" \
    >/dev/null
S4=$(ctl token create --school S004 --name 赵老师)

expect_exit "the office's link" 0 ctl token create --office --name 科长 --link
LINK=$OUT

# --- the dashboard ---------------------------------------------------------
expect_browse "the dashboard shows the district's figures" \
    "open $LINK" "wait #rates" \
    "text #rate-hazard 隐患 411/416 (98.8%)" \
    "text #rate-finding 问题 177/177 (100%)" \
    "wait #trend>svg" "wait #worst>li" "wait #overdue>li" \
    "eval return [document.querySelector('#rate-hazard').textContent, document.querySelector('#rate-finding').textContent, document.querySelector('#today-reported .n').textContent, document.querySelector('#today-overdue .n').textContent, document.querySelector('#worst li a .name').textContent, document.querySelectorAll('#trend svg rect.month').length + ' ' + document.querySelectorAll('#trend svg circle').length, document.querySelector('#overdue li').dataset.id]" \
    "shot dashboard" "noerrors"
expect_eq "as the district writes them, the counts, the worst, the trend" \
    "= [\"隐患 411/416 (98.8%)\", \"问题 177/177 (100%)\", \"593\", \"1\", \"学校S004\", \"12 1\", \"$LATE\"]" \
    "$(grep '^= ' <<<"$OUT")"
BROWSE_SIZE=$PHONE expect_browse "the dashboard at 360 px" \
    "open $SERVER/" "wait #trend>svg" "text #rate-hazard 411/416 (98.8%)" \
    "eval return document.documentElement.scrollWidth <= innerWidth" \
    "shot dashboard-phone" "noerrors"
expect_eq "nothing wider than the phone" "= true" \
    "$(grep '^= ' <<<"$OUT")"
UI_LANG=en-US expect_browse "in English by the browser's language" \
    "open $SERVER/" "wait #rates" "text #rate-hazard hazard" \
    "text #nav Overview" "noerrors"

# --- the list ----------------------------------------------------------------
expect_browse "the list: the filters, then the next page" \
    "open $SERVER/#/list?school=S004&state=open" "wait #list>li" \
    "eval return Array.from(document.querySelectorAll('#list>li')).map((e) => e.dataset.id).join(' ')" \
    "open $SERVER/#/list" "wait #list>li" "choose #f-kind finding" \
    "click #f-apply" "wait #more" \
    "eval return [location.hash, document.querySelectorAll('#list>li').length]" \
    "click #more" \
    "eval return new Promise((ok) => setTimeout(() => ok(document.querySelectorAll('#list>li').length), 1500))" \
    "noerrors"
expect_match "S004's open one, from the filters of the address" \
    "^= \"$LATE\"\$" \
    "$(grep '^= ' <<<"$OUT" | sed -n 1p)"
expect_eq "a filter chosen is in the address; a page of 50" \
    '= ["#/list?kind=finding", 50]' "$(grep '^= ' <<<"$OUT" | sed -n 2p)"
expect_eq "more: the next page after it" "= 100" \
    "$(grep '^= ' <<<"$OUT" | sed -n 3p)"

# --- a hazard's page: reject, then verify with the school's photo -------------
# (Its fields named as hazardctl show and the export name them.)
expect_browse "a hazard's page: its trail; sent back with a note" \
    "open $SERVER/#/hazard/$LAST" "wait #events>li" \
    "text #fields 风险研判" "text #fields 整改资金" "text #fields 应急措施" \
    "text #events 上报" "text #events 整改" "text #badges 待验收" \
    "click #act-reject" "type #reject-note 照片未提供，灭火器仍未更换" \
    "click #reject-submit" "text #badges 待整改" \
    "text #events 照片未提供" "text #fields 照片未提供" "noerrors"
got=$(ctl --json show "$LAST" |
    jq -r '.hazard.state + " " + .hazard.rejected.note')
expect_eq "the server has it: open, with the note" \
    "open 照片未提供，灭火器仍未更换" "$got"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $S4" -H 'Content-Type: image/jpeg' \
    --data-binary @"$PHOTO" "$SERVER/v1/hazards/$LAST/photos?stage=after")
expect_eq "the school sends its after photo" 201 "$code"
expect_exit "and rectifies" 0 ctl --token "$S4" rectify "$LAST" \
    --note 已更换灭火器
expect_browse "the office sees the school's photo and verifies" \
    "open $SERVER/#/hazard/$LAST" "wait #photos>figure>img[src^=blob]" \
    "eval const i = document.querySelector('#photos img'); return new Promise((ok) => { const f = () => i.complete && i.naturalWidth ? ok([i.dataset.stage, i.naturalWidth > 0]) : setTimeout(f, 100); f(); })" \
    "shot hazard" "click #act-verify" "click #verify-submit" \
    "text #badges 已销号" "text #events 验收" "noerrors"
expect_eq "the photo is the school's after photo, drawn" '= ["after", true]' \
    "$(grep '^= ' <<<"$OUT")"
expect_exit "verified" 0 ctl rate --kind hazard
expect_eq "412 of 416 now" "412/416 (99%)" "$OUT"

# --- schools, tokens, warnings ------------------------------------------------
expect_browse "a token made on the page, with its link to copy" \
    "open $SERVER/#/schools" "wait #token-new" "type #token-school S002" \
    "type #token-name 钱老师" "click #token-create" "wait #token-link" \
    "eval return document.querySelector('#token-link').value" "noerrors"
MADE=$(sed -n 's/^= "\(.*\)"$/\1/p' <<<"$OUT")
expect_match "the link signs in: the page's address and the token" \
    "^$SERVER/#token=hzd_[0-9a-f]{64}\$" "$MADE"
got=$(curl -s -H "Authorization: Bearer ${MADE#*#token=}" "$SERVER/v1/whoami" |
    jq -r '.school + " " + .name')
expect_eq "the token is S002's" "S002 钱老师" "$got"

expect_browse "a warning issued on the page" \
    "open $SERVER/#/warnings" "wait #warning-new" "type #w-title 台风预警" \
    "type #w-body 明日停课，检查门窗。" "type #w-schools S001,S004" \
    "click #w-send" "text #warnings 台风预警" "text #warnings 已确认 0 / 2" \
    "noerrors"
W=$(ctl --json warnings | jq -r '.warnings[0].id')
ctl --token "$S4" ack "$W" >/dev/null
expect_browse "who has acknowledged" \
    "open $SERVER/#/warnings" "text #warnings 已确认 1 / 2" \
    "eval return document.querySelector('#warnings .acks').textContent" \
    "shot warnings" "noerrors"
expect_match "S004 acknowledged, S001 not yet" \
    "S001 学校S001 · 未确认.*S004 学校S004 · .* 确认 \(赵老师\)" "$OUT"

finish
