#!/bin/bash
# Bodies arriving at once.  evhttp holds a request's body until all of
# it has come, before anyone has said who they are, and a body may be
# as large as an import or a photo.  Past a budget (twice the largest
# body evhttp takes: here max_import = 256 KiB, with max_photo below it,
# makes it 640 KiB), the connections that send slowest are closed, the
# faster ones are left alone, and the daemon goes on answering.
. "$(dirname "$0")/lib.sh"

start_daemon "[server]" "max_import = 262144" "max_photo = 131072" \
    "timeout = 60"
export HAZARD_TOKEN=$(office_token office)

# 200 KiB of a 300,000-byte import, the rest never sent.
head -c 204800 /dev/zero | tr '\0' a >"$T/part"
partial() {
	printf 'POST /v1/import HTTP/1.1\r\nHost: hazardd\r\nContent-Type: text/csv\r\nContent-Length: 300000\r\n\r\n'
	cat "$T/part"
}

# open_now FD: whether the daemon still holds the connection on FD
# ("open") or has closed it ("closed"), waiting a second at most.
open_now() {
	read -r -t 1 -u "$1" _
	[ $? -gt 128 ] && echo open || echo closed
}

# The slow one: it sent its part a while ago.
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
partial >&3
sleep 1.5
expect_eq "one body under the budget is left alone" open "$(open_now 3)"

# Three more, at once: 800 KiB in all.
exec 4<>"/dev/tcp/127.0.0.1/$PORT"
exec 5<>"/dev/tcp/127.0.0.1/$PORT"
exec 6<>"/dev/tcp/127.0.0.1/$PORT"
partial >&4
partial >&5
partial >&6
sleep 1
expect_eq "past the budget, the slowest is closed" closed "$(open_now 3)"
# Reset, not closed gently: no socket of it is left in the kernel on
# either side (FIN-WAIT-2, CLOSE-WAIT) for a peer that may go on sending.
half_closed() {
	awk -v p="$(printf ':%04X' "$PORT")" '(substr($2, 9) == p ||
	    substr($3, 9) == p) && ($4 == "05" || $4 == "08")' /proc/net/tcp
}
expect_eq "  reset: nothing of it left half-closed" "" "$(half_closed)"
expect_eq "the second is left" open "$(open_now 4)"
expect_eq "the third is left" open "$(open_now 5)"
expect_eq "the fourth is left" open "$(open_now 6)"
expect_eq "counted" 1 "$(server_metric hazardd_connections_cut_total)"
expect_match "and logged" \
    'closed 1 connection whose requests were still arriving: more than 640 KiB' \
    "$(cat "$T/hazardd.log")"
expect_exit "the daemon answers meanwhile" 0 ctl school list
exec 3>&- 4>&- 5>&- 6>&-

# A whole import within the limit is still taken.
printf 'school,kind,category,title,state,reported_at\n' >"$T/ok.csv"
ctl school add S001 第一中学 >/dev/null
for i in $(seq 200); do
	printf 'S001,hazard,fire,隐患 %d,open,2026-01-05T08:00:00+08:00\n' "$i"
done >>"$T/ok.csv"
expect_exit "an import after them" 0 ctl import "$T/ok.csv"
expect_exit "rate" 0 ctl rate
expect_eq "all of it stored" "0/200 (0%)" "$OUT"

# Bodies that come fast: thirty clients send 8 MB each of 8 MiB bodies
# as fast as the loopback takes them.  The budget (here 16 MiB) holds
# between the sweeps too, and a connection closed for it takes no more
# of what the kernel still holds.
stop_daemon
start_daemon "[server]" "max_import = 8388608" "max_photo = 131072" \
    "timeout = 60"
head -c 8000000 /dev/zero | tr '\0' a >"$T/fast"
echo 5 >"/proc/$DAEMON_PID/clear_refs"	# VmHWM from now
base=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$DAEMON_PID/status")
pids=""
for i in $(seq 30); do
	(
		exec 3<>"/dev/tcp/127.0.0.1/$PORT"
		printf 'POST /v1/import HTTP/1.1\r\nHost: hazardd\r\nContent-Type: text/csv\r\nContent-Length: 8388608\r\n\r\n' >&3
		cat "$T/fast" >&3
		sleep 2
	) 2>/dev/null &
	pids="$pids $!"
done
# Those cut are reset, and stop sending at once; closed gently, each
# waited on a window of zero until the kernel let its socket go (about
# 100 s).
i=0
alive() { for p in $pids; do kill -0 "$p" 2>/dev/null && echo "$p"; done; }
while [ $i -lt 200 ] && [ -n "$(alive)" ]; do
	sleep 0.1; i=$((i + 1))
done
expect_eq "the senders cut are told at once" "" "$(alive)"
wait $pids
peak=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$DAEMON_PID/status")
grew=$(((peak - base) / 1024))
if [ -n "${HAZARDD_WRAPPER:-}" ] || grep -q __asan_init "$HAZARDD"; then
	pass "thirty fast bodies (memory not measured under a sanitizer)"
elif [ "$grew" -lt 24 ]; then
	pass "thirty fast bodies: the memory grew by $grew MB, within 24"
else
	fail "thirty fast bodies: the memory grew by less than 24 MB" \
	    "it grew by $grew MB"
fi
expect_exit "the daemon answers after them" 0 ctl school list
finish
