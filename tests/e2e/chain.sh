#!/bin/bash
# The audit trail proves itself (schema/023-audit-chain.sql): each event
# stores SHA-256 of the hash before it and of itself.  Writers that
# interleave (reports on the loop, an import on its thread, a monthly
# run's escalations) leave a chain that verifies; hazardd verify and
# hazardctl audit verify say so.  Someone with the file who edits one
# event with the sqlite3 shell (dropping the trigger first) is named by
# hazardd verify, which exits non-zero.  Someone who then makes the
# whole chain again (the migration run anew) passes hazardd verify, but
# not a head printed before the edit: hazardctl audit verify --head.
. "$(dirname "$0")/lib.sh"

start_daemon "[policy]" "escalate_after_days = 20"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null
SCHOOL=$(ctl token create --school S001 --name s1)

expect_exit "an empty trail verifies" 0 "$HAZARDD" -c "$CONF" verify
expect_match "with no event" "^chain: 0 events match$" "$OUT"

# Interleaved writers: an import of open hazards of 2024 on its thread,
# reports on the loop meanwhile, and a monthly run that escalates them.
awk 'BEGIN {
	printf "school,kind,category,title,description,state,reported_at,key\r\n"
	for (i = 1; i <= 3000; i++)
		printf "S00%d,hazard,fire,\"旧隐患 %d\",描述 %d,open,2024-%02d-%02dT08:00:00+08:00,old-%d\r\n",
		    i % 2 + 1, i, i, i % 12 + 1, i % 28 + 1, i
}' >"$T/old.csv"
ctl import "$T/old.csv" >"$T/import.out" 2>&1 &
import=$!
i=0
while [ $i -lt 40 ]; do
	ctl report --school S00$((i % 2 + 1)) --title "导入时的上报 $i" \
	    --category fire >/dev/null 2>&1
	if [ $i -eq 10 ]; then
		ctl cycle run monthly >"$T/monthly.out" 2>&1 &
		monthly=$!
	fi
	i=$((i + 1))
done
wait $import
expect_eq "the import succeeds" "imported 3000, skipped 0" \
    "$(cat "$T/import.out")"
wait "$monthly"
ctl cycle run monthly >/dev/null 2>&1
# A safety activity's event has no hazard: its activity is chained.
expect_exit "a drill recorded" 0 ctl activity add --school S001 \
    --type 应急演练 --subtype 消防疏散 --date 2026-11-02 --count 1
expect_eq "its event names its activity" 1 "$(sqlite3 "$T/hazardd.db" \
    "SELECT count(*) FROM events WHERE action = 'activity'
    AND activity_id IS NOT NULL AND hazard_id IS NULL AND hash IS NOT NULL")"
n=$(sqlite3 "$T/hazardd.db" "SELECT count(*) FROM events
    WHERE action = 'escalate'")
expect_eq "the monthly runs escalated the old hazards" yes \
    "$([ "$n" -ge 3000 ] && echo yes || echo "no, $n")"
n=$(sqlite3 "$T/hazardd.db" "SELECT count(*) FROM events")
expect_exit "the interleaved writers leave a chain that verifies" 0 \
    "$HAZARDD" -c "$CONF" verify
expect_match "every event of it" "^chain: $n events match, up to event $n: " \
    "$OUT"
expect_exit "hazardctl audit verify agrees" 0 ctl audit verify
expect_match "with the same count" "^audit trail: $n events match; the last: event $n, " "$OUT"

# A daily digest prints the head: an event's id and 16 hex digits, the
# same in its text, its robot markdown and its JSON.
expect_exit "a daily digest by hand" 0 ctl cycle run daily
expect_exit "its text" 0 ctl digest daily
HEAD=$(printf '%s\n' "$OUT" | sed -n 's/^审计链头（hazardctl audit verify --head 核验）: \([0-9]*:[0-9a-f]*\)$/\1/p')
HEX=${HEAD#*:}
expect_eq "the text's head is the last event's" \
    "$n:$(sqlite3 "$T/hazardd.db" "SELECT lower(substr(hex(hash), 1, 16))
    FROM events WHERE id = $n")" "$HEAD"
expect_exit "its JSON" 0 ctl --json digest daily
expect_match "has it" "\"audit_head\": \{\"event\": ${HEAD%%:*}, \"hash\": \"$HEX\"\}" \
    "$(printf '%s\n' "$OUT" | tr -d '\n' | sed 's/  */ /g; s/{ /{/g; s/ }/}/g')"
expect_match "and its robot markdown" "^审计链头：\`$HEAD\`\$" \
    "$(cat "$T"/outbox/daily-*.md)"
expect_exit "the chain passes through a head" 0 ctl audit verify --head "$HEAD"
expect_match "said so" "^head $HEAD: the chain passes through it$" "$OUT"
expect_exit "a head of a wrong hash does not verify" 1 \
    ctl audit verify --head "${HEAD%%:*}:0000$(echo "$HEX" | cut -c5-)"
expect_exit "a head past the end does not verify" 1 \
    ctl audit verify --head "$((n + 1)):$HEX"
expect_exit "a malformed head is refused" 1 ctl audit verify --head 20:xyz
expect_match "as such" "bad_head" "$ERR"
expect_exit "a school may not walk the chain" 1 \
    ctl --token "$SCHOOL" audit verify
expect_exit "hazardd verify checks a head too" 0 \
    "$HAZARDD" -c "$CONF" verify --head "$HEAD"
expect_exit "hazardd verify takes only ID:HEX" 2 \
    "$HAZARDD" -c "$CONF" verify --head 20

# Someone with the file edits event 7 with the sqlite3 shell, beside
# the running daemon: the trigger forbids it until it is dropped.
AT7=$(sqlite3 "$T/hazardd.db" "SELECT at FROM events WHERE id = 7")
TRIGGER="SELECT sql FROM sqlite_schema
    WHERE name = 'events_append_only_update'"
BEFORE=$(sqlite3 "$T/hazardd.db" "$TRIGGER")
sqlite3 "$T/hazardd.db" "UPDATE events SET note = '已整改' WHERE id = 7" \
    2>"$T/trigger.err"
expect_match "the trigger refuses the edit" "the audit trail is append-only" \
    "$(cat "$T/trigger.err")"
sqlite3 "$T/hazardd.db" "DROP TRIGGER events_append_only_update;
    UPDATE events SET note = '已整改' WHERE id = 7;
    $BEFORE;"
expect_exit "hazardd verify fails after the edit" 1 "$HAZARDD" -c "$CONF" verify
expect_match "naming event 7" "^first mismatch: event 7 of " "$OUT"
expect_match "with its time" \
    "^first mismatch: event 7 of $(TZ=Asia/Shanghai date -d "@$AT7" +%FT%T)[+]0800, report of hazard 7 by office: its hash is not the chain's$" \
    "$OUT"
expect_match "up to the event before it" "^chain: 6 events match, up to event 6: " "$OUT"
expect_match "FAILED" "^FAILED$" "$OUT"
expect_exit "hazardctl audit verify fails too" 1 ctl audit verify
expect_match "naming event 7" "the chain breaks at event 7 " "$OUT"
expect_exit "the head printed before does not verify" 1 \
    ctl audit verify --head "$HEAD"
if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
	expect_exit "said in Chinese" 1 env LANG=zh_CN.UTF-8 \
	    LC_MESSAGES=zh_CN.UTF-8 "$HAZARDCTL" audit verify
	expect_match "naming event 7" "^哈希链断于第 7 条记录（" "$OUT"
	expect_exit "a malformed head, in Chinese" 1 env LANG=zh_CN.UTF-8 \
	    LC_MESSAGES=zh_CN.UTF-8 "$HAZARDCTL" audit verify --head 7:xyz
	expect_match "its code said" "“7:xyz”不是审计链的链头" "$ERR"
fi

# The attacker makes the whole chain again after the edit (here: the
# migration run anew, the hash computed by hazardd itself).  The chain
# is whole again; only the head kept outside tells.
stop_daemon
sqlite3 "$T/hazardd.db" "ALTER TABLE events DROP COLUMN hash;
    PRAGMA user_version = 22;"
start_daemon "[policy]" "escalate_after_days = 20"
expect_match "the migration chained them again" \
    "events chained" "$(cat "$T/hazardd.log")"
expect_eq "the migration leaves the trigger as it was" "$BEFORE" \
    "$(sqlite3 "$T/hazardd.db" "$TRIGGER")"
expect_exit "a chain rewritten whole verifies" 0 "$HAZARDD" -c "$CONF" verify
expect_exit "but not through the head printed before the edit" 1 \
    ctl audit verify --head "$HEAD"
expect_match "said so" "^head $HEAD: NOT in the chain" "$OUT"
expect_exit "the edit stands" 0 sqlite3 "$T/hazardd.db" \
    "SELECT 1 FROM events WHERE id = 7 AND note = '已整改'"

# The events written after the migration follow its chain.
ctl report --school S001 --title 迁移后的上报 --category fire >/dev/null
expect_exit "a report after the migration follows the chain" 0 \
    "$HAZARDD" -c "$CONF" verify
finish
