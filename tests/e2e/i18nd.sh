#!/bin/bash
# hazardd's own command line in the user's language (issue 15): under
# LC_ALL=zh_CN.UTF-8 its help, hazardd check, verify, backup and token
# create, its usage errors and a configuration's errors are Chinese, from the
# catalog hazardctl uses (po/, $HAZARDD_LOCALEDIR here); under LC_ALL=C
# the same in English, as before.  What hazardd logs stays English: the
# foreground server's lines under zh_CN.UTF-8 too (syslog gets the
# same English, log.c).
. "$(dirname "$0")/lib.sh"

if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
	echo "# SKIP: the locale zh_CN.UTF-8 is missing (./dev.sh test makes it)"
	exit 77
fi
ZH=zh_CN.UTF-8

# english TEXT: the runs of two English words or more in TEXT, once
# what is no sentence is taken out: the usage lines, paths, --options,
# words in capitals (FILE, DEST, ID:HEX) and the names of commands.
english() {
	printf '%s\n' "$1" | sed -E \
	    -e '/^ *(用法：)? *hazardd \[/d' \
	    -e 's#/[^ ）)，：]*##g' \
	    -e 's#--[a-z][a-z-]*##g' \
	    -e 's#\b[A-Z][A-Za-z_0-9:]+\b##g' \
	    -e 's#hazardd(\([0-9]\))?##g' \
	    -e 's#(token create|backup|check|verify|syslog|systemd|root)##g' |
	    grep -oE '[A-Za-z]{2,}( [A-Za-z]{2,})+'
}

# chinese NAME TEXT: TEXT is Chinese, without an English sentence.
chinese() {
	left=$(english "$2")
	if [ -z "$left" ] && printf '%s' "$2" | LC_ALL=C.UTF-8 grep -qP '\p{Han}'
	then
		pass "$1: Chinese"
	else
		fail "$1: Chinese" "English left: $left" "output: $2"
	fi
}

# Help, before any configuration.
expect_exit "hazardd --help (zh_CN)" 0 env LC_ALL=$ZH "$HAZARDD" --help
chinese "hazardd --help" "$OUT"
expect_match "the usage's words" '^用法： hazardd \[-dfhV\]' "$OUT"
expect_match "the options said" '^  -c, --config FILE   配置文件' "$OUT"
expect_match "the commands said" '^verify：逐条核对审计记录的哈希链' "$OUT"
expect_exit "hazardd --help (C)" 0 env LC_ALL=C "$HAZARDD" --help
expect_match "the help in English" '^  -h, --help          print this help' \
    "$OUT"
expect_match "the commands in English" '^check runs SQLite' "$OUT"

# A configuration with errors, and one without.
PORT=$(free_port)
write_config "[bogus]" "x = 1" "[schedule]" "timezone = Mars/Olympus"
BAD=$CONF
mv "$BAD" "$T/bad.conf"
BAD=$T/bad.conf
expect_exit "a bad configuration (zh_CN)" 1 env LC_ALL=$ZH "$HAZARDD" \
    -c "$BAD" --check-config
chinese "a bad configuration" "$ERR"
expect_match "an unknown key said" '^hazardd: .*bad\.conf:[0-9]+: \[bogus\] x: 没有这个配置项$' \
    "$ERR"
expect_match "a bad value said" \
    'timezone = Mars/Olympus: 不是系统中的时区（例如 Asia/Shanghai）$' "$ERR"
expect_match "its verdict in Chinese" '^hazardd: .*bad\.conf: 配置有错误$' \
    "$ERR"
expect_exit "a bad configuration (C)" 1 env LC_ALL=C "$HAZARDD" \
    -c "$BAD" --check-config
expect_match "the unknown key in English" '\[bogus\] x: unknown key$' "$ERR"
expect_match "the bad value in English" \
    'timezone = Mars/Olympus: not a time zone of the system' "$ERR"
expect_match "its verdict in English" \
    'bad\.conf: the configuration has errors$' "$ERR"
write_config
expect_exit "a good configuration (zh_CN)" 0 env LC_ALL=$ZH "$HAZARDD" \
    -c "$CONF" --check-config
expect_match "said in Chinese" ': 配置无误$' "$ERR"

# Usage errors.
expect_exit "a missing configuration (zh_CN)" 1 env LC_ALL=$ZH "$HAZARDD" \
    -c "$T/none.conf" --check-config
# (what follows is the C library's, translated or not)
expect_match "a missing configuration said" 'none\.conf: 无法打开: ' "$ERR"

expect_exit "an unknown command (zh_CN)" 2 env LC_ALL=$ZH "$HAZARDD" \
    -c "$CONF" bogus
chinese "an unknown command" "$ERR"
expect_exit "token create without a name (zh_CN)" 2 env LC_ALL=$ZH \
    "$HAZARDD" -c "$CONF" token create --office
chinese "token create without a name" "$ERR"
expect_exit "verify with a bad head (zh_CN)" 2 env LC_ALL=$ZH \
    "$HAZARDD" -c "$CONF" verify --head nonsense
chinese "verify with a bad head" "$ERR"

# Root, without --allow-root, is told so in its language, even without
# -f (where the server's log would not reach the terminal).
if [ "$(id -u)" -eq 0 ]; then
	expect_exit "root is refused (zh_CN)" 1 env LC_ALL=$ZH timeout 10 \
	    "$HAZARDD" -c "$CONF"
	expect_match "and told why in Chinese" \
	    '^hazardd: 拒绝以 root 身份运行.*--allow-root' "$ERR"
else
	echo "# skipped the root refusal: not running as root"
fi

# The server under zh_CN.UTF-8 logs in English all the same.
export LC_ALL=$ZH
start_daemon
unset LC_ALL
expect_match "the foreground log stays English" \
    '^hazardd: hazardd .* started: database ' "$(cat "$T/hazardd.log")"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
SCHOOL=$(ctl token create --school S001 --name s1)
HAZARD_TOKEN=$SCHOOL ctl report --title 灭火器过期 --location 教学楼 \
    --category fire >/dev/null

# hazardd check and verify on a good database.
expect_exit "hazardd check (zh_CN)" 0 env LC_ALL=$ZH "$HAZARDD" -c "$CONF" check
chinese "hazardd check" "$OUT"
expect_match "the integrity said" '^完整性：正常$' "$OUT"
expect_match "the verdict said" '^正常$' "$(printf '%s\n' "$OUT" | tail -1)"
expect_exit "hazardd check (C)" 0 env LC_ALL=C "$HAZARDD" -c "$CONF" check
expect_match "the integrity in English" '^integrity: ok$' "$OUT"
expect_match "the verdict in English" '^ok$' "$(printf '%s\n' "$OUT" | tail -1)"
expect_exit "hazardd verify (zh_CN)" 0 env LC_ALL=$ZH "$HAZARDD" -c "$CONF" \
    verify
chinese "hazardd verify" "$OUT"
expect_match "the chain said" '^哈希链：[1-9][0-9]* 条事件相符，直到事件' "$OUT"
expect_exit "hazardd verify (C)" 0 env LC_ALL=C "$HAZARDD" -c "$CONF" verify
expect_match "the chain in English" '^chain: [1-9][0-9]* events match, up to' \
    "$OUT"

# token create's and backup's words on stderr, the token alone on stdout.
expect_exit "token create (zh_CN)" 0 env LC_ALL=$ZH "$HAZARDD" -c "$CONF" \
    token create --school S001 --name s2
expect_match "the token alone on stdout" '^[A-Za-z0-9_-]{20,}$' "$OUT"
expect_match "its note in Chinese" '^hazardd: 已从命令行创建令牌 [0-9]+（学校 S001）$' \
    "$ERR"
expect_exit "token create for no school (zh_CN)" 1 env LC_ALL=$ZH \
    "$HAZARDD" -c "$CONF" token create --school S999 --name s3
chinese "token create for no school" "$ERR"
expect_exit "a backup (zh_CN)" 0 env LC_ALL=$ZH "$HAZARDD" -c "$CONF" \
    backup "$T/copy.db"
chinese "a backup" "$ERR"
expect_exit "a backup onto a file (zh_CN)" 1 env LC_ALL=$ZH "$HAZARDD" \
    -c "$CONF" backup "$T/copy.db"
chinese "a backup onto a file" "$ERR"
expect_exit "a backup onto a file (C)" 1 env LC_ALL=C "$HAZARDD" \
    -c "$CONF" backup "$T/copy.db"
expect_match "said in English" 'already exists; a backup never overwrites' \
    "$ERR"

finish
