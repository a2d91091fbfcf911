#!/bin/bash
# hazardd backup copies the live database while the daemon serves (and
# writes); restoring it (stop, copy over, start) gives back the rates of
# that moment.  hazardd check passes a good database and fails a
# corrupt one or one newer than the binary.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 第二小学 >/dev/null
for i in 1 2 3; do
	id=$(ctl report --school S001 --title "隐患 $i" --category fire)
	[ "$i" -eq 3 ] && continue
	ctl rectify "$id" --note 已整改 >/dev/null
	ctl verify "$id" >/dev/null
done
ctl report --school S002 --kind finding --title 检查发现 --category food \
    >/dev/null
RATE=$(ctl rate)
RATE_S1=$(ctl rate --school S001)
RATE_F=$(ctl rate --kind finding)
expect_eq "the rate to keep" "2/3 (66.7%)" "$RATE"

# The backup, while the daemon runs.
expect_exit "backup while the daemon runs" 0 "$HAZARDD" -c "$CONF" backup \
    "$T/backup.db"
expect_eq "the backup is for its owner alone" 600 \
    "$(stat -c %a "$T/backup.db")"
expect_eq "it is one self-contained file" "delete" \
    "$(sqlite3 "$T/backup.db" 'PRAGMA journal_mode')"
expect_eq "nothing is left beside it" "" \
    "$(ls "$T" | grep '^backup\.db.' )"
expect_exit "a backup never overwrites" 1 "$HAZARDD" -c "$CONF" backup \
    "$T/backup.db"
expect_match "and says so" 'already exists' "$ERR"
expect_exit "backup needs DEST" 2 "$HAZARDD" -c "$CONF" backup

# check, on the live database and on the backup.
expect_exit "check the live database" 0 "$HAZARDD" -c "$CONF" check
expect_match "integrity ok" '^integrity: ok$' "$OUT"
expect_match "foreign keys ok" '^foreign keys: ok$' "$OUT"
expect_match "the schema version" \
    '^schema version: [1-9][0-9]* \(this hazardd knows [1-9][0-9]*\)$' "$OUT"
expect_match "ok at the end" 'ok$' "$OUT"
sed "s|^database = .*|database = $T/backup.db|" "$CONF" >"$T/backup.conf"
expect_exit "check the backup" 0 "$HAZARDD" -c "$T/backup.conf" check
expect_eq "the backup has the live schema version" \
    "$(sqlite3 "$T/hazardd.db" 'PRAGMA user_version')" \
    "$(sqlite3 "$T/backup.db" 'PRAGMA user_version')"

# A backup taken while clients write is whole too.
(for i in $(seq 1 40); do
	ctl report --school S002 --title "负载 $i" --category fire >/dev/null
done) &
writer=$!
sleep 0.2
expect_exit "backup under writes" 0 "$HAZARDD" -c "$CONF" backup \
    "$T/busy.db"
wait $writer
sed "s|^database = .*|database = $T/busy.db|" "$CONF" >"$T/busy.conf"
expect_exit "which checks" 0 "$HAZARDD" -c "$T/busy.conf" check

# Life goes on after the backup: the rates move.
id=$(ctl report --school S001 --title 新隐患 --category fire)
expect_match "the rates moved" '^[0-9]+/[0-9]+' "$(ctl rate)"
[ "$(ctl rate)" != "$RATE" ] && moved=yes || moved=no
expect_eq "they differ from the backup's" yes "$moved"

# Restore: stop, copy the backup over, remove the old WAL, start.
stop_daemon
cp "$T/backup.db" "$T/hazardd.db"
rm -f "$T/hazardd.db-wal" "$T/hazardd.db-shm"
start_daemon
expect_exit "the restored database serves" 0 ctl rate
expect_eq "the same rate as at the backup" "$RATE" "$OUT"
expect_eq "the same rate of S001" "$RATE_S1" "$(ctl rate --school S001)"
expect_eq "the same rate of findings" "$RATE_F" "$(ctl rate --kind finding)"
expect_exit "the later report is gone" 1 ctl show "$id"
expect_exit "the tokens of then still work" 0 ctl school list
stop_daemon

# With the daemon stopped, check and backup leave no -wal or -shm behind
# (root's, when root runs them, would lock the daemon's user out).
expect_exit "check with the daemon stopped" 0 "$HAZARDD" -c "$CONF" check
expect_exit "backup with the daemon stopped" 0 "$HAZARDD" -c "$CONF" \
    backup "$T/cold.db"
expect_eq "they leave no -wal or -shm behind" "" \
    "$(ls "$T" | grep '^hazardd\.db-')"

# check fails a corrupt database, and one newer than this hazardd.
cp "$T/backup.db" "$T/corrupt.db"
pages=$(sqlite3 "$T/corrupt.db" 'PRAGMA page_count')
size=$(sqlite3 "$T/corrupt.db" 'PRAGMA page_size')
dd if=/dev/urandom of="$T/corrupt.db" bs="$size" seek=$((pages / 2)) \
    count=$((pages / 2 - 1)) conv=notrunc 2>/dev/null
sed "s|^database = .*|database = $T/corrupt.db|" "$CONF" >"$T/corrupt.conf"
expect_exit "check fails a corrupt database" 1 "$HAZARDD" \
    -c "$T/corrupt.conf" check
expect_match "and says so" 'FAILED|malformed' "$OUT$ERR"
cp "$T/backup.db" "$T/newer.db"
sqlite3 "$T/newer.db" 'PRAGMA user_version = 999'
sed "s|^database = .*|database = $T/newer.db|" "$CONF" >"$T/newer.conf"
expect_exit "check fails a newer schema" 1 "$HAZARDD" -c "$T/newer.conf" \
    check
expect_match "and says why" 'newer than this hazardd' "$OUT"
printf '[storage]\ndatabase = %s/none.db\n' "$T" >"$T/nodb.conf"
expect_exit "check of a missing database fails" 1 "$HAZARDD" \
    -c "$T/nodb.conf" check
expect_eq "and does not make it" "no" \
    "$([ -e "$T/none.db" ] && echo yes || echo no)"
expect_exit "backup of a missing database fails" 1 "$HAZARDD" \
    -c "$T/nodb.conf" backup "$T/none-backup.db"
expect_eq "and makes no backup" "no" \
    "$([ -e "$T/none-backup.db" ] && echo yes || echo no)"

finish
