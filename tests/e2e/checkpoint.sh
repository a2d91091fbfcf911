#!/bin/bash
# Checkpoints on their own thread (db_checkpoint.c): the loop's commits
# only append to the WAL; a thread copies it into the database file,
# and the WAL starts again from its beginning instead of growing.  The
# database file alone (without its WAL) must come to hold what was
# committed while the daemon runs, the WAL must stay bounded across
# many commits, and everything must still be there after a restart.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 实验小学 >/dev/null

# The rows the database file holds by itself, its WAL left out.
rows_in_file() {
	rm -f "$T/copy.db" "$T/copy.db-wal" "$T/copy.db-shm"
	cp "$T/hazardd.db" "$T/copy.db"
	sqlite3 "$T/copy.db" "SELECT count(*) FROM hazards"
}

# wait_rows N: waits until the file holds N rows or more, ten seconds at
# most, and prints the last count.  A copy taken while a checkpoint is
# writing is no database yet: it counts as 0, and is taken again.
wait_rows() {
	i=0
	while :; do
		n=$(rows_in_file 2>/dev/null)
		n=${n:-0}
		[ "$n" -lt "$1" ] && [ $i -lt 100 ] || break
		sleep 0.1
		i=$((i + 1))
	done
	echo "$n"
}

# 40,000 rows in one import: one commit of some 6,000 frames (each row
# writes its hazard, its event, its tallies and its words for the
# search index), past the 4,000 that wake the thread.
awk 'BEGIN {
	printf "school,kind,category,title,state,reported_at,key\n"
	for (i = 1; i <= 40000; i++)
		printf "S00%d,hazard,fire,隐患 %d,open,2025-%02d-%02dT08:00:00+08:00,ck-%d\n",
		    i % 2 + 1, i, i % 12 + 1, i % 28 + 1, i
}' >"$T/rows.csv"
expect_exit "import 40,000 rows" 0 ctl import "$T/rows.csv"

# The thread's round ends a moment after its last write: wait for it.
i=0
while [ "$(server_metric 'hazardd_checkpoints_total{result="thread"}')" = 0 ] &&
    [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
thread=$(server_metric 'hazardd_checkpoints_total{result="thread"}')
expect_match "the thread checkpointed" '^[1-9][0-9]*$' "$thread"
expect_eq "the database file holds the import while hazardd runs" \
    40000 "$(wait_rows 40000)"
frames=$(server_metric hazardd_checkpoint_frames_total)
expect_match "and copied frames" '^[1-9][0-9]*$' "$frames"
expect_eq "no checkpoint failed" 0 \
    "$(server_metric 'hazardd_checkpoints_total{result="failed"}')"

# Two more: the WAL must begin again rather than hold all three (some
# 18,000 frames, past the 16,000 at which the loop finishes the copy;
# 74 MiB, past the 64 MiB to which a WAL that begins again is cut).
for n in 2 3; do
	sed "s/,ck-/,ck$n-/" "$T/rows.csv" >"$T/rows$n.csv"
	expect_exit "import $n" 0 ctl import "$T/rows$n.csv"
	id=$(ctl report --school S001 --category fire --title "第$n次")
	expect_match "a report after import $n" '^[0-9]+$' "$id"
done
# The last report may wait in the WAL for the next round.
expect_exit "the file holds the imports" 0 \
    test "$(wait_rows 120001)" -ge 120001
wal=$(stat -c %s "$T/hazardd.db-wal")
expect_exit "the WAL is at most 64 MiB ($wal bytes)" 0 \
    test "$wal" -le 67108864
echo "# WAL: $wal bytes"

# A reader that holds its snapshot (a digest being built) holds the
# checkpoints back, but never the writes.
sqlite3 "$T/hazardd.db" "BEGIN; SELECT count(*) FROM hazards;
    SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL
    SELECT x + 1 FROM c WHERE x < 3000000) SELECT x FROM c);
    COMMIT;" >/dev/null &
READER=$!
sed -n "s/,ck-/,ck4-/; 1,20001p" "$T/rows.csv" >"$T/rows4.csv"
expect_exit "an import while a reader holds a snapshot" 0 \
    ctl import "$T/rows4.csv"
wait "$READER"

stop_daemon
start_daemon
expect_exit "rate after a restart" 0 ctl rate
expect_eq "every hazard is there" "0/140002 (0%)" "$OUT"
stop_daemon
expect_eq "a clean stop leaves everything in the file" 140002 \
    "$(rows_in_file)"
finish
