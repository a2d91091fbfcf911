#!/bin/bash
# One vocabulary of categories: a report (or an import row) names its
# category by its code or either name and the code is stored; an
# unknown one is refused with the list of the valid codes; GET
# /v1/categories and hazardctl categories show them; a row from before
# the vocabulary keeps working and hazardd check names its category.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null

expect_exit "an unknown category is refused" 1 ctl report --school S001 \
    --title 灭火器过期 --category 消防
expect_match "422" '422' "$ERR"
expect_match "naming it and listing the codes" \
    "unknown '消防'; the categories are fire, buildings, electrical, food," \
    "$ERR"
expect_match "to the last" 'disaster' "$ERR"

expect_exit "a Chinese name is accepted" 0 ctl report --school S001 \
    --title 灭火器过期 --category 消防安全
ID=$OUT
expect_exit "show it" 0 ctl --json show "$ID"
expect_match "stored as its code" '"category": "fire"' "$OUT"
expect_exit "an English name, in any case" 0 ctl --json report \
    --school S001 --title 食堂留样不全 --category "FOOD SAFETY"
expect_match "stored as food" '"category": "food"' "$OUT"

# An assessment's category is checked as a report's.
expect_exit "an assessment to an unknown category" 1 ctl assess "$ID" \
    --category 火灾
expect_match "422 with the codes" 'the categories are fire' "$ERR"
expect_exit "an assessment by name" 0 ctl --json assess "$ID" \
    --category 用电安全
expect_match "stores the code" '"category": "electrical"' "$OUT"

# A filter by name finds the rows of its code.
expect_exit "list by a name" 0 ctl --json list --category 用电安全
expect_match "finds the electrical one" "\"id\": $ID" "$OUT"

# The vocabulary: any token reads it.
SCHOOL=$(ctl token create --school S001 --name 安全员)
code=$(curl -s -o "$T/cats.json" -w '%{http_code}' \
    -H "Authorization: Bearer $SCHOOL" "$SERVER/v1/categories")
expect_eq "GET /v1/categories with a school token" 200 "$code"
expect_match "its first entry" \
    '\{"code": ?"fire", ?"zh": ?"消防安全", ?"en": ?"Fire safety", ?"department": ?"消防救援大队"\}' \
    "$(cat "$T/cats.json")"
expect_exit "hazardctl categories" 0 ctl --token "$SCHOOL" categories
expect_match "a table: code, names, department" \
    '^fire +消防安全 +Fire safety +消防救援大队$' "$OUT"
expect_match "its header" '^CODE +CHINESE +ENGLISH +DEPARTMENT' "$OUT"
expect_match "防溺水 among them" '^water +防溺水 ' "$OUT"

# An import row: unknown is refused with the list, a name is stored as
# its code.
printf 'school,category,title,reported_at\nS001,防溺水,河边护栏缺失,2026-03-01\nS001,溺水,池塘无警示牌,2026-03-02\n' \
    >"$T/bad.csv"
expect_exit "an import with an unknown category" 1 ctl import "$T/bad.csv"
expect_match "names the row and the codes" \
    "row 3, category: unknown category '溺水'; the categories are fire" "$ERR"
printf 'school,category,title,reported_at\nS001,防溺水,河边护栏缺失,2026-03-01\n' \
    >"$T/good.csv"
expect_exit "an import by name" 0 ctl import "$T/good.csv"
expect_exit "list it" 0 ctl --json list --category water
expect_match "stored as water" '河边护栏缺失' "$OUT"

# A row from before the vocabulary: it keeps working, and hazardd
# check names its category (no fault: exit 0).
sqlite3 "$T/hazardd.db" "UPDATE hazards SET category = 'playground'
    WHERE title = '食堂留样不全'"
expect_exit "hazardd check" 0 "$HAZARDD" -c "$CONF" check
expect_match "names the stray category" \
    "category: 'playground' \(1 hazards\) is not in the vocabulary" "$OUT"
expect_match "and says what to do" \
    'categories: 1 not in the vocabulary; their hazards keep working' "$OUT"
expect_match "still ok" '^ok$' "$OUT"
expect_exit "the stray row lists" 0 ctl --json list --category playground
expect_match "found by its code" '食堂留样不全' "$OUT"
STRAY=$(printf '%s\n' "$OUT" | grep -o '"id": [0-9]*' | head -1 |
    grep -o '[0-9]*')
expect_exit "the stray row rectifies" 0 ctl --token "$SCHOOL" rectify \
    "$STRAY" --note 已整改
expect_exit "stats by category, in Chinese" 0 env LC_ALL= LC_MESSAGES= \
    LANG=zh_CN.UTF-8 "$HAZARDCTL" stats --by category
expect_match "show the Chinese name" '^electrical +用电安全 ' "$OUT"
expect_match "and the stray code with none" '^playground +- ' "$OUT"
expect_exit "stats by category, in English" 0 env LC_ALL=C \
    "$HAZARDCTL" stats --by category
expect_match "show the English name" '^electrical +Electrical safety ' \
    "$OUT"

# An older configuration's [departments] is read, and said deprecated.
{ cat "$CONF"; printf '[departments]\nfire = 消防大队\n'; } >"$T/old.conf"
expect_exit "[departments] still checks" 0 "$HAZARDD" -c "$T/old.conf" \
    --check-config
expect_match "with a warning" '\[departments\] is deprecated' "$ERR"
printf '[categories]\nfire = 消防安全\n' >"$T/bad.conf"
expect_exit "a category without its English name" 1 "$HAZARDD" \
    -c "$T/bad.conf" --check-config
expect_match "is refused with its line" \
    'bad.conf:2: \[categories\] fire = 消防安全: expected 中文名 \| English name' \
    "$ERR"

finish
