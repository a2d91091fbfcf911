#!/bin/bash
# A rejected rectification reaches the school in its own list and show:
# the school reports and rectifies, the office rejects with a note; the
# school's list shows the hazard "rejected" with the note, its show the
# note, who and when, and --json passes the rejection through; once the
# school rectifies again, none of it shows.  A database from before
# finds its rejections again when it is migrated.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token 区安全办)
ctl school add S001 第一中学 >/dev/null
S=$(ctl token create --school S001 --name school)

expect_exit "the school reports" 0 ctl --token "$S" report \
    --title 宿舍楼灭火器过期 --category fire
ID=$OUT
expect_exit "the school rectifies" 0 ctl --token "$S" rectify "$ID" \
    --note 已更换
expect_exit "the office rejects" 0 ctl reject "$ID" --note 灭火器仍未更换
expect_match "the office's answer shows it rejected" \
    "^ *$ID +hazard +S001 +general +rejected " "$OUT"

expect_exit "the school lists" 0 ctl --token "$S" list
expect_match "its list says rejected" \
    "^ *$ID +hazard +S001 +general +rejected " "$OUT"
expect_match "with the note, who and when" \
    "^#$ID rejected [0-9-]+ [0-9:]+ by 区安全办: 灭火器仍未更换\$" "$OUT"
expect_exit "the school shows it" 0 ctl --token "$S" show "$ID"
expect_match "show: the rejection first" \
    "^rejected: +[0-9-]+ [0-9:]+ by 区安全办: 灭火器仍未更换\$" \
    "$(printf '%s\n' "$OUT" | head -1)"
expect_match "show: the state is open" '^state: +open$' "$OUT"
expect_exit "--json show" 0 ctl --token "$S" --json show "$ID"
expect_match "--json: the rejection" '"rejected": \{
 +"at": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[^"]+",
 +"by": "区安全办",
 +"note": "灭火器仍未更换"' "$OUT"
expect_exit "--json list" 0 ctl --token "$S" --json list
expect_match "--json list: the note" '"note": "灭火器仍未更换"' "$OUT"

# An assessment after the rejection leaves it rejected.
expect_exit "the office assesses" 0 ctl assess "$ID" --deadline 2026-12-31
expect_match "still rejected after an assessment" \
    "^ *$ID +hazard +S001 +general +rejected " "$OUT"

# Another hazard, never rejected, is not.
ctl --token "$S" report --title 楼梯扶手松动 --category buildings >"$T/id2"
ID2=$(cat "$T/id2")
expect_exit "the school lists both" 0 ctl --token "$S" --json list
expect_match "a hazard never rejected: null" '"rejected": null' "$OUT"
expect_match "beside the rejected one" '"note": "灭火器仍未更换"' "$OUT"

# A database from before the rejection was kept with the hazard
# (schema/017-rejected.sql): its migration finds it in the audit trail.
# What the later migrations added is taken away too, as a database of
# version 16 lacks it (018 makes its own objects again by itself).
stop_daemon
sqlite3 "$T/hazardd.db" "ALTER TABLE hazards DROP COLUMN rejected_event;
    ALTER TABLE schools DROP COLUMN department;
    ALTER TABLE schools DROP COLUMN retired_at;
    DROP TABLE activities;
    PRAGMA user_version = 16;"
start_daemon
expect_match "the migration applied" 'applied migration 017-rejected' \
    "$(cat "$T/hazardd.log")"
expect_exit "the school lists after the upgrade" 0 ctl --token "$S" list
expect_match "still rejected after the upgrade" \
    "^ *$ID +hazard +S001 +general +rejected " "$OUT"
expect_match "with its note" "^#$ID rejected .* by 区安全办: 灭火器仍未更换\$" \
    "$OUT"
expect_match "the other not" "^ *$ID2 +hazard +S001 +general +open " "$OUT"

# Rectified again: no longer rejected.
expect_exit "the school rectifies again" 0 ctl --token "$S" rectify "$ID" \
    --note 已购置新灭火器
expect_exit "the school lists again" 0 ctl --token "$S" list
expect_match "listed as rectified" \
    "^ *$ID +hazard +S001 +general +rectified " "$OUT"
if printf '%s\n' "$OUT" | grep -q 'rejected'; then
	fail "no rejection shown after the rectification" "$OUT"
else
	pass "no rejection shown after the rectification"
fi
expect_exit "show again" 0 ctl --token "$S" show "$ID"
if printf '%s\n' "$OUT" | grep -q '^rejected:'; then
	fail "show: no rejection after the rectification" "$OUT"
else
	pass "show: no rejection after the rectification"
fi
expect_exit "--json show again" 0 ctl --token "$S" --json show "$ID"
expect_match "--json: null after the rectification" '"rejected": null' \
    "$OUT"

# Rejected again, then verified: closed, not rejected.
ctl reject "$ID" --note 还不行 >/dev/null
expect_exit "rejected once more" 0 ctl --token "$S" --json show "$ID"
expect_match "the latest rejection's note" '"note": "还不行"' "$OUT"
expect_exit "the JSON export" 0 ctl --token "$S" export --format json
expect_match "the JSON export carries it" '"note":"还不行"' "$OUT"
expect_match "and null for the other" '"rejected":null' "$OUT"
ctl --token "$S" rectify "$ID" --note 好了 >/dev/null
ctl verify "$ID" >/dev/null
expect_exit "verified" 0 ctl --token "$S" --json show "$ID"
expect_match "closed" '"state": "closed"' "$OUT"
expect_match "closed: null" '"rejected": null' "$OUT"

finish
