#!/bin/bash
# hazardctl in the user's language (issue 15): under LANG=zh_CN.UTF-8
# the help of every command and the main error paths say no English
# sentence (ids, codes, URLs, options and the command line's own words
# aside), and under LANG=C they are English; states, grades and kinds
# are named as the digests name them, and taken in either language
# (--state 待整改, --grade 重大, --kind 问题).  The server's refusals
# carry a code that hazardctl says in the user's words.
. "$(dirname "$0")/lib.sh"

if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
	echo "# SKIP: the locale zh_CN.UTF-8 is missing (./dev.sh test makes it)"
	exit 77
fi
ZH=zh_CN.UTF-8

# english TEXT: the runs of two English words or more in TEXT, once
# what is no sentence is taken out: URLs, $VARIABLES, --options, words
# in capitals (ID, HTTP, CODE), hazardctl and the command's own words,
# and a command's name at the start of a line of the help.
english() {
	printf '%s\n' "$1" | sed -E \
	    -e 's#https?://[^ )）]*##g' \
	    -e 's#\$[A-Z_]+##g' \
	    -e 's#--[a-z][a-z-]*##g' \
	    -e 's#\b[A-Z][A-Z_0-9]+\b##g' \
	    -e 's#hazardctl( [a-z]+){0,2}##g' \
	    -e 's#^  [a-z]+( [a-z]+)?##' |
	    grep -oE '[A-Za-z]{2,}( [A-Za-z]{2,})+'
}

# chinese TEXT: whether TEXT has a Chinese character.
chinese() {
	printf '%s' "$1" | LC_ALL=C.UTF-8 grep -qP '\p{Han}'
}

# both NAME CODE ARGS...: hazardctl ARGS exits CODE in both languages,
# its output Chinese without an English sentence under zh_CN.UTF-8 and
# with one under C.
both() {
	name=$1 code=$2
	shift 2
	expect_exit "$name (zh_CN)" "$code" env LC_ALL=$ZH "$HAZARDCTL" "$@"
	zh="$OUT$ERR"
	left=$(english "$zh")
	if [ -z "$left" ] && chinese "$zh"; then
		pass "$name: Chinese"
	else
		fail "$name: Chinese" "English left: $left" "output: $zh"
	fi
	expect_exit "$name (C)" "$code" env LC_ALL=C "$HAZARDCTL" "$@"
	if [ -n "$(english "$OUT$ERR")" ]; then
		pass "$name: English"
	else
		fail "$name: English" "output: $OUT$ERR"
	fi
	ZH_OUT=$zh
}

# The help of the whole, of a group, and of every command.
both "hazardctl --help" 0 --help
both "hazardctl token --help" 0 token --help
for c in report list show assess rectify verify reject cancel rate stats \
    import export digest "cycle run" warn warnings "warning show" ack \
    "school add" "school list" "school set" "token create" "token list" \
    "token revoke" sync queue "activity add" "activity list" \
    "activity stats" "activity import" "activity export" "photo add" \
    "photo get" categories yearbook "school retire" "audit verify"; do
	# shellcheck disable=SC2086
	both "$c --help" 0 $c --help
	# A line of Chinese is not broken by a space: the wrapping of an
	# English msgid is no place to break a Chinese word (预警 提示).
	gap=$(printf '%s\n' "$ZH_OUT" | LC_ALL=C.UTF-8 grep -P '\p{Han} +\p{Han}')
	expect_eq "$c --help: no space between Chinese words" "" "$gap"
done

expect_exit "the whole help, in Chinese" 0 \
    env LC_ALL=$ZH "$HAZARDCTL" --help
expect_eq "hazardctl --help: no space between Chinese words" "" \
    "$(printf '%s\n' "$OUT" | LC_ALL=C.UTF-8 grep -P '\p{Han} +\p{Han}')"
expect_eq "each as （安全办）, none as （区安全办）" "" \
    "$(printf '%s\n' "$OUT" | grep -F '（区安全办）')"
expect_eq "token create prints the token, no ciphertext (密文)" "" \
    "$(printf '%s\n' "$OUT" | grep -F '密文')"

# Usage errors, before any request.
both "unknown command" 2 bogus
both "unknown option" 2 list --bogus
both "bad state" 2 list --state shut
expect_match "the states named as the digest names them" \
    '待整改、待验收、已销号或已撤销' "$ZH_OUT"
both "missing subcommand" 2 token
both "a required option missing" 2 report --title x
both "a bad date" 2 list --since 2026-13-01

# No server.
PORT=$(free_port)
both "no server" 3 --server "http://127.0.0.1:$PORT" list
expect_match "no server: says it cannot connect" '无法连接服务器' "$ZH_OUT"
both "a report kept in the queue" 4 --server "http://127.0.0.1:$PORT" \
    report --title 消防通道堵塞 --category fire
expect_match "queued: says so" '已存入队列' "$ZH_OUT"
both "sync with no server" 3 --server "http://127.0.0.1:$PORT" sync
PORT=""

start_daemon
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
S=$(ctl token create --school S001 --name 安全员)

# The server's refusals, said from their codes.
both "unknown school" 1 report --school NOPE --title 消防通道堵塞 \
    --category fire
expect_match "unknown school: names the code" '没有代码为 NOPE 的学校' \
    "$ZH_OUT"
expect_match "unknown school: the code of the wire" 'unknown_school' \
    "$ZH_OUT"
both "school set of no school" 1 school set NOPE --name 第九中学
expect_match "no such school: names the code" '没有代码为 NOPE 的学校' \
    "$ZH_OUT"
both "until before since" 1 list --since 2026-12-01 --until 2026-11-01
expect_match "until before since: said so" '截止日期早于起始日期' "$ZH_OUT"
# An import's bad rows, each said from its code.
printf '%s\n' 'school,category,title,reported_at,deadline,state' \
    'S001,fire,日期不对,2025-05-01,2026-13-01,open' \
    'S404,fire,没有这个学校,2025-05-02,,open' \
    'S001,fire,状态不对,2025-05-03,,done' \
    'S001,fire,未来上报,2099-05-03,,open' >"$T/bad.csv"
both "an import's bad rows" 1 import "$T/bad.csv"
expect_match "a bad date, its row, column and value" \
    '第 2 行：整改期限“2026-13-01”不是有效日期' "$ZH_OUT"
expect_match "an unknown school" '第 3 行：没有代码为 S404 的学校' "$ZH_OUT"
expect_match "a bad state" '第 4 行：状态“done”无效' "$ZH_OUT"
expect_match "a report in the future" \
    '第 5 行：上报时间“2099-05-03”晚于现在' "$ZH_OUT"
both "no such hazard" 1 show 999
expect_match "no such hazard: names the id" '没有编号为 999 的隐患' "$ZH_OUT"
both "a bad token" 1 --token nope list
expect_match "a bad token: the hint" '请检查 --token' "$ZH_OUT"

id=$(ctl --token "$S" report --title 东楼安全出口堵塞 --category fire)
ctl --token "$S" rectify "$id" --note 已清理 >/dev/null
both "illegal transition" 1 --token "$S" rectify "$id" --note 又清理
expect_match "illegal transition: the state and the action" \
    "隐患 $id 当前为“待验收”，现在不能整改" "$ZH_OUT"
both "office only" 1 --token "$S" verify "$id"
expect_match "office only: said so" '只有区安全办' "$ZH_OUT"

major=$(ctl report --school S001 --grade 重大 --title 教学楼外墙脱落 \
    --category buildings --deadline 2099-12-31)
expect_eq "--grade 重大 reports a major hazard" major \
    "$(ctl --json show "$major" | grep -o '"grade": "[a-z]*"' | cut -d'"' -f4)"
ctl rectify "$major" --note 已加固 >/dev/null
both "a major hazard without its plan" 1 verify "$major"
expect_match "plan required: names what is missing" '重大隐患须有' "$ZH_OUT"

# Input in Chinese means the wire's words, in either locale.
expect_exit "--state 待验收 (C)" 0 env LC_ALL=C "$HAZARDCTL" list \
    --state 待验收
expect_match "--state 待验收 lists the rectified ones" "^ *$id " "$OUT"
expect_exit "--kind 问题 (zh_CN)" 0 env LC_ALL=$ZH "$HAZARDCTL" report \
    --school S001 --kind 问题 --title 检查发现灭火器过期 --category fire
finding=$OUT
expect_exit "--kind 问题 --state 待整改" 0 env LC_ALL=$ZH "$HAZARDCTL" list \
    --kind 问题 --state 待整改
expect_match "the finding listed, its kind and state in Chinese" \
    "^ *$finding +问题 +S001 +一般 +待整改 " "$OUT"
expect_match "its category by its Chinese name" \
    "^ *$finding +问题 .* 消防安全 +检查发现灭火器过期" "$OUT"
expect_match "the table's headers in Chinese" '编号 +类型 +学校 +等级 +状态' \
    "$OUT"
expect_exit "list in English" 0 env LC_ALL=C "$HAZARDCTL" list --kind finding
expect_match "the finding listed in English" \
    "^ *$finding +finding +S001 +general +open " "$OUT"
expect_match "its category by its English name" \
    "^ *$finding +finding .* Fire safety +检查发现灭火器过期" "$OUT"
expect_exit "show in Chinese" 0 env LC_ALL=$ZH "$HAZARDCTL" show "$id"
expect_match "show: the state named" '状态: +待验收' "$OUT"
expect_match "show: the time of the report as people write it" \
    '上报时间: +20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]$' "$OUT"
expect_match "show: the trail's actions named" '整改' "$OUT"
# An assessment's changes in the trail, each field and value named as
# show names them above, not the wire's words.
ctl assess "$finding" --grade major --category food --plan 一事一策 \
    >/dev/null
expect_exit "show an assessed finding in Chinese" 0 env LC_ALL=$ZH \
    "$HAZARDCTL" show "$finding"
expect_match "show: an assessment's changes in Chinese" \
    ' 研判 .*等级：一般 -> 重大；整改方案：- -> 一事一策；类别：消防安全 -> 食品安全$' \
    "$OUT"
expect_eq "show: no wire word left in the trail" "" \
    "$(printf '%s\n' "$OUT" | grep -oE 'grade|general|major|category|plan:')"
expect_exit "show it in English" 0 env LC_ALL=C "$HAZARDCTL" show "$finding"
expect_match "show: an assessment's changes in English" \
    ' assess .*grade: general -> major; plan: - -> 一事一策; category: Fire safety -> Food safety$' \
    "$OUT"

finish
