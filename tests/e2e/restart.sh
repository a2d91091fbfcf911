#!/bin/bash
# Acknowledged data survives a restart; the configuration is checked; a
# database newer than the binary is refused.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ID=$(ctl report --school S001 --title 配电房门未上锁 --category electrical \
    --deadline 2030-06-30)
ctl rectify "$ID" --note 已上锁 >/dev/null
ctl verify "$ID" >/dev/null
ctl report --school S001 --title 消防通道占用 --category fire >/dev/null
before=$(ctl --json show "$ID")
rate_before=$(ctl rate)
expect_eq "rate before the restart" "1/2 (50%)" "$rate_before"

stop_daemon
start_daemon
expect_exit "the hazard is there after a restart" 0 ctl --json show "$ID"
expect_eq "unchanged, with its trail" "$before" "$OUT"
expect_exit "rate after the restart" 0 ctl rate
expect_eq "same rate" "$rate_before" "$OUT"
expect_exit "the old token still works" 0 ctl list

# --check-config: good, and bad with every problem named.
expect_exit "a good config checks" 0 "$HAZARDD" -c "$CONF" --check-config
printf '[server]\nlisten = nowhere\nmax_body = lots\n[schedule]\ntimezone = Mars/Base\n[bogus]\nkey = 1\n' \
    >"$T/bad.conf"
expect_exit "a bad config is refused" 1 "$HAZARDD" -c "$T/bad.conf" \
    --check-config
expect_match "listen named" 'listen' "$ERR"
expect_match "max_body named" 'max_body' "$ERR"
expect_match "timezone named" 'timezone' "$ERR"
expect_match "unknown key named" 'bogus' "$ERR"
expect_exit "a missing config is refused" 1 "$HAZARDD" -c "$T/none.conf" \
    --check-config
expect_match "says it cannot open" 'cannot open' "$ERR"

# The daemon refuses a database it cannot open, with the reason.
printf '[storage]\ndatabase = %s/no/such/dir/h.db\n' "$T" >"$T/nodir.conf"
expect_exit "missing database directory" 1 "$HAZARDD" -c "$T/nodir.conf" -f $ALLOW_ROOT
expect_match "the reason is given" 'cannot open|unable to open' "$ERR"

# School codes are unique without regard to case (migration 011): a
# database that holds two codes that differ only in case is refused,
# the codes named and the schema untouched, and taken once one of them
# is renamed.
# The database of version 10 is made from the migrations up to 010, as
# a hazardd of then made it.
stop_daemon
rm -f "$T/hazardd.db" "$T/hazardd.db-wal" "$T/hazardd.db-shm"
for f in "$TOP_SRCDIR"/schema/0*.sql; do
	n=${f##*/}
	[ "${n%%-*}" -le 010 ] && cat "$f"
done | sqlite3 "$T/hazardd.db"
sqlite3 "$T/hazardd.db" "INSERT INTO schools (code, name, created_at)
    VALUES ('ab', 'a', 0), ('AB', 'b', 0), ('Cd', 'c', 0), ('cD', 'd', 0);
    PRAGMA user_version = 10"
write_config
expect_exit "codes that differ only in case stop the migration" 1 \
    "$HAZARDD" -c "$CONF" -f $ALLOW_ROOT
expect_match "the codes are named" \
    '(ab and AB|AB and ab); (Cd and cD|cD and Cd).*rename' "$ERR"
expect_eq "the schema is untouched" 10 \
    "$(sqlite3 "$T/hazardd.db" 'PRAGMA user_version')"
sqlite3 "$T/hazardd.db" "UPDATE schools SET code = 'ab-2' WHERE code = 'ab';
    UPDATE schools SET code = 'Cd-2' WHERE code = 'Cd'"
start_daemon
expect_match "renamed, the migrations run" '^(1[1-9]|[2-9][0-9])$' \
    "$(sqlite3 "$T/hazardd.db" 'PRAGMA user_version')"
HAZARD_TOKEN=$(office_token office)
got=$(curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $HAZARD_TOKEN" \
    -H 'Content-Type: application/json' -d '{"code":"aB","name":"x"}' \
    "$SERVER/v1/schools")
expect_eq "then aB is refused beside AB" 409 "$got"

# A database from a newer hazardd is refused, untouched.
stop_daemon
sqlite3 "$T/hazardd.db" 'PRAGMA user_version = 999'
write_config
expect_exit "a newer database is refused" 1 "$HAZARDD" -c "$CONF" -f $ALLOW_ROOT
expect_match "the reason is given" 'newer than' "$ERR"
expect_eq "its version is untouched" 999 \
    "$(sqlite3 "$T/hazardd.db" 'PRAGMA user_version')"

finish
