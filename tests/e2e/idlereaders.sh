#!/bin/bash
# Clients that do not read, and clients that read slowly.  A school can
# make each row of an export some 48 KB; an answer is made only as fast
# as its client takes it, so that thirty clients that ask for an export
# and never read hold a piece each (within a budget for all), not a page
# of 1,000 rows each (48 MB), and a page of the list ends early past
# 1 MiB instead of holding 500 rows (24 MB).  Thirty slow uploads beside
# them hold what they sent.  The daemon's memory must stay within 64 MB of what it was,
# must come back down once they are gone, and a client that keeps
# reading, however long the export takes, is not cut.
. "$(dirname "$0")/lib.sh"

start_daemon "[server]" "timeout = 4"
export HAZARD_TOKEN=$(office_token office)
AUTH="Authorization: Bearer $HAZARD_TOKEN"
ctl school add S001 第一中学 >/dev/null

# Under ASan or valgrind the memory is theirs: its figures are not
# asserted, only what the clients get.
MEASURE=1
memory_measured || MEASURE=0

# within NAME LIMIT-MB GOT-MB: passes if GOT is under LIMIT.
within() {
	if [ "$MEASURE" -eq 0 ]; then pass "$1 (not measured)"
	elif [ "$3" -lt "$2" ]; then pass "$1 ($3 MB)"
	else fail "$1" "$3 MB"; fi
}

# 1,000 rows, each with four fields of 4,000 three-byte characters:
# 48 MB.
expect_exit "48 MB of large rows imported" 0 import_large 1000

# One whole export first: the database's cache is warm, as it is for
# the rest.
curl -s --max-time 60 -H "$AUTH" "$SERVER/v1/export" >"$T/all.csv"
expect_eq "a whole export has every row" 1000 "$(grep -c '^[0-9]*,hazard,' "$T/all.csv")"
sleep 0.5
base=$(rss)

# A page of the list ends early once it holds 1 MiB; following "next"
# gives the rest.
curl -s --max-time 60 -H "$AUTH" "$SERVER/v1/hazards?limit=500" \
    >"$T/page.json"
n=$(grep -o '"title":' "$T/page.json" | wc -l)
expect_eq "a list page of large rows ends early" 22 "$n"
expect_match "with a cursor to the rest" '"next":"[0-9]' "$(cat "$T/page.json")"
expect_exit "every page, following it" 0 ctl list --all --limit 500
expect_eq "gives every row" 1000 "$(printf '%s\n' "$OUT" | grep -c 隐患)"

# Thirty exports and ten list pages of 500 never read, and thirty
# uploads of 60 MB that stop after 1 MiB.
head -c 1048576 /dev/zero | tr '\0' a >"$T/part"
fds=""
unread 30 /v1/export
unread 10 '/v1/hazards?limit=500'
for i in $(seq 30); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'POST /v1/import HTTP/1.1\r\nHost: hazardd\r\nContent-Type: text/csv\r\nContent-Length: 60000000\r\n\r\n' >&$fd
	cat "$T/part" >&$fd
	fds="$fds $fd"
done
# The most, over two seconds.
peak=0
for i in $(seq 20); do
	r=$(rss)
	[ "$r" -gt "$peak" ] && peak=$r
	sleep 0.1
done
within "70 idle clients: memory within 64 MB of the start" 64 \
    $(((peak - base) / 1024))
expect_exit "the daemon answers meanwhile" 0 ctl school list

# They go away; the memory comes back down.
close_unread
i=0
while [ $i -lt 20 ] && [ $((($(rss) - base) / 1024)) -ge 8 ]; do
	sleep 0.25
	i=$((i + 1))
done
within "once they have gone, the memory comes back down" 8 \
    $((($(rss) - base) / 1024))

# A client that reads 8 MB a second takes 6 s or more over the 48 MB,
# longer than the timeout: it is not cut.
curl -s --max-time 60 --limit-rate 8M -H "$AUTH" "$SERVER/v1/export" \
    >"$T/slow.csv"
expect_eq "a slow but steady reader gets all of its export" 1000 \
    "$(grep -c '^[0-9]*,hazard,' "$T/slow.csv")"
finish
