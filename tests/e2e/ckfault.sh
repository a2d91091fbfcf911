#!/bin/bash
# A checkpoint that cannot write the database file (a disk gone full
# under it) loses nothing: the commits only append to the WAL, so
# reports go on being acknowledged and served from it; each failed round
# is counted and logged, and the WAL grows meanwhile.  Once the fault
# is cleared, the next round copies everything into the file.  And a
# daemon stopped while the file still cannot be written leaves the WAL
# behind, from which the next start reads every acknowledged report.
#
# The fault comes from tests/faultfs.so (LD_PRELOAD), on the database
# file alone (FAULTFS_NAME): its WAL, the log and the outbox still work.
. "$(dirname "$0")/lib.sh"

need_faultfs
export FAULTFS_DIR="$T" FAULTFS_NAME=hazardd.db FAULTFS_CTL="$T/fault"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"

LD_PRELOAD="$FAULTFS" start_daemon
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null

# rows N: a CSV of N reports, keys made from TAG.
rows() {
	awk -v n="$1" -v tag="$2" 'BEGIN {
		printf "school,kind,category,title,state,reported_at,key\n"
		for (i = 1; i <= n; i++)
			printf "S001,hazard,fire,隐患 %d,open," \
			    "2025-%02d-%02dT08:00:00+08:00,%s-%d\n",
			    i, i % 12 + 1, i % 28 + 1, tag, i
	}'
}

# wait_metric SAMPLE MIN: until the sample is at least MIN, ten seconds
# at most; prints its last value.
wait_metric() {
	i=0
	while v=$(server_metric "$1"); [ "${v:-0}" -lt "$2" ] &&
	    [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "${v:-0}"
}

M_FAILED='hazardd_checkpoints_total{result="failed"}'
M_THREAD='hazardd_checkpoints_total{result="thread"}'

# The disk is full for the database file: 60,000 rows (some 6,000 WAL
# frames, past the 4,000 that wake the checkpoint thread) still commit.
echo enospc >"$FAULTFS_CTL"
rows 60000 a >"$T/a.csv"
expect_exit "an import while the file cannot be written" 0 \
    ctl import "$T/a.csv"
expect_match "the failed checkpoint is counted" '^[1-9][0-9]*$' \
    "$(wait_metric "$M_FAILED" 1)"
expect_eq "no round succeeded" 0 "$(server_metric "$M_THREAD")"
expect_match "and logged" 'checkpoint: .*the WAL grows until one succeeds' \
    "$(cat "$T/hazardd.log")"
expect_exit "the imported rows are served" 0 ctl rate
expect_eq "from the WAL" "0/60000 (0%)" "$OUT"
wal=$(stat -c %s "$T/hazardd.db-wal")
expect_exit "the WAL holds them ($wal bytes)" 0 test "$wal" -gt 10000000
id=$(ctl report --school S001 --category fire --title "满盘之后")
expect_match "a report is acknowledged" '^[0-9]+$' "$id"

# Cleared: the next round (4,000 frames on) copies the whole WAL.
rm -f "$FAULTFS_CTL"
rows 60000 b >"$T/b.csv"
expect_exit "an import once the disk has room" 0 ctl import "$T/b.csv"
expect_match "a round succeeds" '^[1-9][0-9]*$' "$(wait_metric "$M_THREAD" 1)"
failed=$(server_metric "$M_FAILED")
i=0
while rm -f "$T/copy.db"* && cp "$T/hazardd.db" "$T/copy.db" &&
    n=$(sqlite3 "$T/copy.db" 'SELECT count(*) FROM hazards' 2>/dev/null);
    [ "${n:-0}" -lt 120001 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect_eq "the database file holds both imports and the report" 120001 \
    "${n:-0}"

# Full again, and the daemon stopped: its last checkpoint fails too,
# and the WAL it leaves holds what the file does not.
echo enospc >"$FAULTFS_CTL"
rows 60000 c >"$T/c.csv"
expect_exit "a third import on a full disk" 0 ctl import "$T/c.csv"
after=$(wait_metric "$M_FAILED" $((failed + 1)))
expect_exit "more failed rounds ($failed, then $after)" 0 \
    test "$after" -gt "$failed"
stop_daemon
expect_exit "the WAL is left behind" 0 test -s "$T/hazardd.db-wal"
expect_match "and the log says so" 'at stop: .*kept' "$(cat "$T/hazardd.log")"
rm -f "$FAULTFS_CTL"
start_daemon
expect_exit "rate after the restart" 0 ctl rate
expect_eq "every acknowledged report is there" "0/180001 (0%)" "$OUT"
expect_exit "the hazard reported on a full disk" 0 ctl show "$id"
stop_daemon
finish
