#!/bin/bash
# Storage faults (issue 5): a disk that is full, a file system gone
# read-only, a database another process holds locked, a file damaged
# under the daemon.  Each gives a log line that says what is wrong and
# 503 with the JSON error to every change; reads go on where SQLite can
# still read; nothing is half-written (the database holds what it held
# before); and once the fault is cleared, changes work again without a
# restart.  A database that fails its check at start is refused.  And
# no token or secret ever reaches the log.
#
# The tests run as root, whom neither chmod nor a full disk stops: the
# faults are injected by tests/faultfs.so (LD_PRELOAD), which fails the
# writes of files under $FAULTFS_DIR while $FAULTFS_CTL exists.
. "$(dirname "$0")/lib.sh"

need_faultfs
LOCKER_PID=""
trap '[ -n "$LOCKER_PID" ] && kill "$LOCKER_PID" 2>/dev/null; cleanup' EXIT

# The database in a directory of its own: the faults hit it alone, not
# the log or the outbox beside it.
mkdir -p "$T/db"
DB="$T/db/hazardd.db"
export FAULTFS_DIR="$T/db" FAULTFS_CTL="$T/fault"
STORAGE=("[storage]" "database = $DB")
# Every request in the log, and a webhook with a secret: the log must
# show neither the tokens nor the secret (nor the robot's access token).
SECRET="SECstorage0123456789abcdef"
ACCESS="access0123456789storage"
WEBHOOK=("[deliver]"
    "webhook = http://127.0.0.1:1/robot/send?access_token=$ACCESS"
    "webhook_format = dingtalk" "webhook_secret = $SECRET"
    "[log]" "debug = yes")

# The daemon with the fault library; ASan wants to come first.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
LD_PRELOAD="$FAULTFS" start_daemon "${STORAGE[@]}" "${WEBHOOK[@]}"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
SCHOOL_TOKEN=$(ctl token create --school S001 --name "第一中学 王老师")
SPARE_TOKEN=$(ctl token create --office --name spare)
SPARE_ID=$(sqlite3 "$DB" "SELECT id FROM tokens WHERE name = 'spare'")
A=$(ctl report --school S001 --title 东楼安全出口堵塞 --category fire)
B=$(ctl report --school S001 --title 栏杆松动 --category facilities)
ctl rectify "$A" --note 已清理 >/dev/null
expect_match "a hazard to work on" '^[0-9]+$' "$A"

# The content of every table, to compare before and after a fault.
snapshot() {
	for t in $(sqlite3 "$DB" "SELECT name FROM sqlite_schema WHERE
	    type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"); do
		echo "== $t"
		sqlite3 "$DB" "SELECT * FROM \"$t\"" | sort
	done
}

# The log written since mark_log.
mark_log() {
	LOG_MARK=$(wc -l <"$T/hazardd.log")
}
new_log() {
	tail -n +$((LOG_MARK + 1)) "$T/hazardd.log"
}

# api METHOD PATH [BODY]: status in $STATUS, body in $BODY.
api() {
	if [ $# -gt 2 ]; then
		STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -X "$1" \
		    -H "Authorization: Bearer $HAZARD_TOKEN" \
		    -H 'Content-Type: application/json' -d "$3" "$SERVER$2")
	else
		STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -X "$1" \
		    -H "Authorization: Bearer $HAZARD_TOKEN" "$SERVER$2")
	fi
	BODY=$(cat "$T/body")
}

ERROR_JSON='^\{"error":\{"code":"unavailable","message":"[^"]+"\}\}$'

# refused CASE: every kind of change is answered 503 with the JSON
# error, and the database is as it was.
refused() {
	local before key="k-${1// /-}"
	before=$(snapshot)
	api POST /v1/hazards '{"school":"S001","title":"新隐患","category":"fire","key":"'"$key"'"}'
	expect_eq "$1: a report is refused with 503" 503 "$STATUS"
	expect_match "$1: with the JSON error" "$ERROR_JSON" "$BODY"
	api POST "/v1/hazards/$A/verify" '{"note":"合格"}'
	expect_eq "$1: a verification is refused with 503" 503 "$STATUS"
	expect_match "$1: with the JSON error (verify)" "$ERROR_JSON" "$BODY"
	api POST /v1/schools '{"code":"S009","name":"第九中学"}'
	expect_eq "$1: a new school is refused with 503" 503 "$STATUS"
	api DELETE "/v1/tokens/$SPARE_ID"
	expect_eq "$1: a revocation is refused with 503, not lost" 503 \
	    "$STATUS"
	expect_exit "$1: hazardctl rectify fails" 1 ctl rectify "$B" \
	    --note 已加固
	expect_match "$1: and says the database is unavailable" \
	    'unavailable' "$ERR"
	expect_eq "$1: nothing is half-written" "$before" "$(snapshot)"
}

# reads CASE: what was there is read as before.
reads() {
	expect_exit "$1: a hazard is read" 0 ctl show "$A"
	expect_match "$1: as it was" 'rectified' "$OUT"
	expect_exit "$1: the list is read" 0 ctl list
	expect_eq "$1: the rate is read" "0/2 (0%)" "$(ctl rate)"
	expect_exit "$1: a school token still works" 0 ctl --token \
	    "$SCHOOL_TOKEN" list
}

# recovered CASE: changes work again, on the same daemon.
recovered() {
	local key="k-after-${1// /-}"
	api POST /v1/hazards '{"school":"S001","title":"恢复后","category":"fire","key":"'"$key"'"}'
	expect_eq "$1: after it, a report is taken" 201 "$STATUS"
	id=$(printf '%s' "$BODY" | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
	expect_exit "$1: and acted on" 0 ctl cancel "$id" --reason 测试
	expect_eq "$1: by the same daemon, never restarted" "$FIRST_PID" \
	    "$(kill -0 "$DAEMON_PID" && echo "$DAEMON_PID")"
	expect_eq "$1: the rate is as it was" "0/2 (0%)" "$(ctl rate)"
}
FIRST_PID=$DAEMON_PID

# --- disk full -----------------------------------------------------------
mark_log
echo enospc >"$FAULTFS_CTL"
refused "disk full"
reads "disk full"
expect_match "disk full: the log says so" \
    "database $DB: .*disk is full \(no space left.*refused \(503\)" \
    "$(new_log)"
rm -f "$FAULTFS_CTL"
recovered "disk full"

# --- read-only file system ---------------------------------------------
mark_log
echo erofs >"$FAULTFS_CTL"
refused "read-only"
reads "read-only"
expect_match "read-only: the log says so" \
    "database $DB: .*disk I/O error \(writing.*refused \(503\)" \
    "$(new_log)"
rm -f "$FAULTFS_CTL"
recovered "read-only"

# --- locked by another process ------------------------------------------
# sqlite3 holds the write lock, taking its commands from a fifo.
mkfifo "$T/locker"
sqlite3 "$DB" <"$T/locker" >"$T/locker.out" 2>&1 &
LOCKER_PID=$!
exec 3>"$T/locker"
echo ".timeout 5000" >&3
echo "BEGIN EXCLUSIVE; INSERT INTO meta VALUES ('storage-test', 'x');" >&3
i=0
until sqlite3 "$DB" 'BEGIN IMMEDIATE; ROLLBACK;' 2>&1 | grep -q locked ||
    [ $i -ge 100 ]; do
	sleep 0.05; i=$((i + 1))
done
mark_log
refused "locked"
reads "locked"
expect_match "locked: the log says so" \
    "database $DB: .*locked.*another process holds its write lock" \
    "$(new_log)"
echo "ROLLBACK;" >&3
exec 3>&-
wait "$LOCKER_PID"
LOCKER_PID=""
expect_eq "locked: the other process saw no error" "" \
    "$(cat "$T/locker.out")"
recovered "locked"

# --- a page damaged under the daemon -------------------------------------
# Everything into the file first, then the first page of the hazards
# table overwritten; the schools are on other pages.
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
before=$(snapshot)
root=$(sqlite3 "$DB" "SELECT rootpage FROM sqlite_schema WHERE
    name = 'hazards'")
size=$(sqlite3 "$DB" 'PRAGMA page_size')
dd if="$DB" of="$T/page" bs="$size" skip=$((root - 1)) count=1 2>/dev/null
mark_log
head -c "$size" /dev/urandom | dd of="$DB" bs="$size" seek=$((root - 1)) \
    count=1 conv=notrunc 2>/dev/null
api GET "/v1/hazards/$A"
expect_eq "damaged: reading a hazard is 503" 503 "$STATUS"
expect_match "damaged: with the JSON error" "$ERROR_JSON" "$BODY"
api POST /v1/hazards '{"school":"S001","title":"新隐患","category":"fire","key":"k-damaged"}'
expect_eq "damaged: a report is 503" 503 "$STATUS"
expect_exit "damaged: the schools are still read" 0 ctl school list
expect_match "damaged: the log says so" \
    "database $DB: .*malformed.*damaged.*hazardd check" "$(new_log)"
# Repaired in place (as from a backup of that page): the daemon reads
# the file again, not the damage it had seen.
dd if="$T/page" of="$DB" bs="$size" seek=$((root - 1)) count=1 \
    conv=notrunc 2>/dev/null
expect_eq "damaged: nothing was written meanwhile" "$before" "$(snapshot)"
reads "repaired"
recovered "repaired"

# --- what the file holds ------------------------------------------------
# A token is kept as its SHA-256 alone; the audit trail and the hazards
# refuse a change even from another program writing to the file.
want=$(printf '%s' "$SCHOOL_TOKEN" | sha256sum | cut -d' ' -f1)
expect_eq "a token is stored as its SHA-256" 1 "$(sqlite3 "$DB" \
    "SELECT count(*) FROM tokens WHERE lower(hex(hash)) = '$want'")"
expect_eq "and never as itself" 0 "$(cat "$DB" "$DB-wal" 2>/dev/null |
    grep -acF -- "$SCHOOL_TOKEN")"
before=$(snapshot)
expect_exit "the audit trail cannot be changed" 19 sqlite3 "$DB" \
    "UPDATE events SET note = 'forged'"
expect_match "by the schema's trigger (SQLITE_CONSTRAINT)" 'append-only' \
    "$ERR"
expect_exit "nor deleted" 19 sqlite3 "$DB" "DELETE FROM events"
expect_exit "a hazard cannot be deleted" 19 sqlite3 "$DB" \
    "DELETE FROM hazards"
expect_eq "none of it changed a thing" "$before" "$(snapshot)"

# --- nothing secret in the log -------------------------------------------
# A digest run by hand goes to the (unreachable) robot: the delivery is
# logged, and fails, without its URL's token or the signing secret.
expect_exit "a digest for the robot" 0 ctl cycle run daily
sleep 1
for secret in "$HAZARD_TOKEN" "$SCHOOL_TOKEN" "$SPARE_TOKEN" "$SECRET" \
    "$ACCESS"; do
	expect_eq "the log holds no token or secret (${secret:0:6}...)" 0 \
	    "$(grep -cF -- "$secret" "$T/hazardd.log")"
done
expect_match "the log has every request (debug)" \
    'POST /v1/hazards [0-9]+ ' "$(cat "$T/hazardd.log")"
stop_daemon

# --- a damaged database is refused at start -----------------------------
cp "$DB" "$T/good.db"
# (as tests/e2e/backup.sh damages one: the second half of its pages)
cp "$T/good.db" "$T/corrupt.db"
pages=$(sqlite3 "$T/corrupt.db" 'PRAGMA page_count')
dd if=/dev/urandom of="$T/corrupt.db" bs="$size" seek=$((pages / 2)) \
    count=$((pages / 2 - 1)) conv=notrunc 2>/dev/null
for mode in auto quick full; do
	write_config "[storage]" "database = $T/corrupt.db" \
	    "check_at_start = $mode"
	expect_exit "check_at_start = $mode: a damaged database is refused" \
	    1 "$HAZARDD" -c "$CONF" -f $ALLOW_ROOT
	expect_match "check_at_start = $mode: with the reason" \
	    "database $T/corrupt.db.*(damaged|malformed)" "$ERR"
	expect_match "check_at_start = $mode: refused" \
	    "database $T/corrupt.db (fails its check at start|cannot be used): refused" \
	    "$ERR"
done
head -c 65536 /dev/urandom >"$T/garbage.db"
write_config "[storage]" "database = $T/garbage.db"
expect_exit "a file that is no database is refused" 1 "$HAZARDD" \
    -c "$CONF" -f $ALLOW_ROOT
expect_match "with the reason" "garbage.db.*not a database" "$ERR"
write_config "[storage]" "check_at_start = sometimes"
expect_exit "check_at_start takes auto, quick, full or off" 1 "$HAZARDD" \
    -c "$CONF" --check-config
expect_match "and says so" 'check_at_start.*auto, quick, full or off' \
    "$ERR"
# The database of this test is whole: it starts, checked in full.
start_daemon "[storage]" "database = $T/good.db" "check_at_start = full"
expect_exit "a sound database starts, checked in full" 0 ctl show "$A"

finish
