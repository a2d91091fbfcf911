#!/bin/bash
# Bad connections: what evhttp answers itself (oversized headers, a
# header flood, a request line it cannot parse: its own HTML error, then
# it closes) or what only a close can answer (a slow loris, a slow body,
# a body shorter than its Content-Length, idle connections, a thousand of
# them, running out of file descriptors).  After each, the daemon still
# serves a normal request at once, and at the end the database is as it
# was.  The JSON errors of bad requests are in badreq.sh.
. "$(dirname "$0")/lib.sh"

TIMEOUT=2	# [server] timeout: the slow ones are closed after it
start_daemon "[server]" "timeout = $TIMEOUT"
TOKEN=$(office_token office)
export HAZARD_TOKEN=$TOKEN
ctl school add S001 第一中学 >/dev/null
ctl report --school S001 --title 电线裸露 --category electrical >/dev/null

dump() {
	sqlite3 "$T/hazardd.db" '.dump' | grep -v '^INSERT INTO tokens'
}
BEFORE=$(dump)

# served NAME: the daemon answers a normal request at once.
served() {
	got=$(curl -s -m 2 -o /dev/null -w '%{http_code}' \
	    -H "Authorization: Bearer $TOKEN" "$SERVER/v1/hazards?limit=1")
	if [ "$got" = 200 ]; then pass "$1: still serving"
	else fail "$1: still serving" "a list answered $got"; fi
}

# raw NAME WANT FILE: sends FILE on a new connection; the first line of
# the answer must match WANT (a regex), or be empty if WANT is "close".
raw() {
	name=$1 want=$2 file=$3
	first=$(timeout 8 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit
	    cat "$1" >&3 2>/dev/null; head -1 <&3' "$PORT" "$file" \
	    2>/dev/null | tr -d '\r')
	if [ "$want" = close ]; then
		expect_eq "$name: closed without an answer" "" "$first"
	else
		expect_match "$name: $want" "$want" "$first"
	fi
	served "$name"
}

# req FILE LINES...: an HTTP request, CRLF line ends.
req() {
	f=$1
	shift
	: >"$f"
	for l in "$@"; do printf '%s\r\n' "$l" >>"$f"; done
	printf '\r\n' >>"$f"
}
long() { head -c "$1" /dev/zero | tr '\0' "${2:-a}"; }
AUTH="Authorization: Bearer $TOKEN"

# --- what evhttp answers itself ---------------------------------------
req "$T/r" "GET /healthz HTTP/1.1" "X-Big: $(long 20000)"
raw "a 20 KB header (max 16 KB)" '^HTTP/1.1 400 ' "$T/r"
# flood N [LINES...]: a GET /healthz with N more headers.
flood() {
	n=$1
	shift
	{
		printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n'
		for l in "$@"; do printf '%s\r\n' "$l"; done
		seq "$n" | sed 's/.*/X-H&: v\r/'
		printf '\r\n'
	} >"$T/r"
}
flood 2000
raw "a flood of 2000 headers" '^HTTP/1.1 400 ' "$T/r"
flood 500 "Connection: close"
raw "500 headers within the size limit are served" '^HTTP/1.1 200 ' "$T/r"
req "$T/r" "GET /v1/hazards?$(long 20000)=1 HTTP/1.1"
raw "a request line of 20 KB" '^HTTP/1.1 400 ' "$T/r"
req "$T/r" "POST /v1/hazards HTTP/1.1" "$AUTH" \
    "Content-Type: application/json" "Content-Length: 999999999999"
raw "Content-Length past any limit" '^HTTP/1.1 413 ' "$T/r"
req "$T/r" "POST /v1/hazards HTTP/1.1" "$AUTH" \
    "Content-Type: application/json" "Content-Length: -5"
raw "a negative Content-Length" '^HTTP/1.1 400 ' "$T/r"
req "$T/r" "POST /v1/hazards HTTP/1.1" "$AUTH" \
    "Content-Type: application/json" "Content-Length: 2" \
    "Transfer-Encoding: chunked"
raw "Content-Length and chunked both" '^HTTP/1.1 400 ' "$T/r"
req "$T/r" "POST /v1/hazards HTTP/1.1" "$AUTH" \
    "Content-Type: application/json" "Transfer-Encoding: chunked" "" \
    "zz" "{}" "0"
raw "a chunk size that is no number" '^HTTP/1.1 (400|413) ' "$T/r"
req "$T/r" "HELLO"
raw "a request line of one word" '^HTTP/1.1 400 ' "$T/r"
req "$T/r" "GET /healthz"
raw "HTTP/0.9" '^HTTP/1.1 400 ' "$T/r"
req "$T/r" "GET /healthz HTTP/9.9"
raw "HTTP/9.9" '^HTTP/1.1 400 ' "$T/r"
req "$T/r" "FROB /healthz HTTP/1.1"
raw "an unknown method" '^HTTP/1.1 501 ' "$T/r"
req "$T/r" "GET /healthz HTTP/1.1" "NoColonHere"
raw "a header without a colon" '^HTTP/1.1 400 ' "$T/r"
printf 'GET /heal\0thz HTTP/1.1\r\n\r\n' >"$T/r"
raw "a NUL byte in the request line" '^HTTP/1.1 400 ' "$T/r"
printf '\r\n\r\n\r\n' >"$T/r"
raw "blank lines only" '^HTTP/1.1 400 ' "$T/r"

# --- what only a close answers, all at once ----------------------------
# slow FILE DELAY OUT: from a new connection, sends FILE a byte every
# DELAY seconds (after its first SKIP bytes at once) until the daemon
# closes it; writes the milliseconds that took and what came back in OUT.
slow() {
	file=$1 delay=$2 out=$3 skip=${4:-0}
	(
		trap '' PIPE
		exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit
		t0=$(date +%s%N)
		(
			head -c "$skip" "$file" >&3
			tail -c +"$((skip + 1))" "$file" |
			while IFS= read -r -d '' -n 1 c; do
				printf '%s' "$c" >&3 2>/dev/null || exit
				sleep "$delay"
			done
		) &
		timeout 15 cat <&3 >"$out.body"
		echo $((($(date +%s%N) - t0) / 1000000)) >"$out"
		kill $! 2>/dev/null
	) &
}
# closed_in NAME OUT: the daemon closed it, without an answer, after the
# timeout but not long after.
closed_in() {
	wait_for "$2"
	ms=$(cat "$2" 2>/dev/null)
	if [ -n "$ms" ] && [ "$ms" -ge $((TIMEOUT * 1000 - 300)) ] &&
	    [ "$ms" -le $((TIMEOUT * 1000 + 3000)) ] && [ ! -s "$2.body" ]
	then pass "$1: closed after ${ms} ms"
	else fail "$1: closed after about ${TIMEOUT} s, without an answer" \
	    "after ${ms:-?} ms: $(head -c 200 "$2.body" 2>/dev/null)"; fi
}
wait_for() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
}
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: %s\r\n\r\n' \
    "$(long 100)" >"$T/loris"
slow "$T/loris" 0.3 "$T/loris.ms"
printf 'POST /v1/hazards HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"school":"S001","title":"slow","category":"fire","description":"%s"}' \
    "$AUTH" "$(long 40)" >"$T/rudy"
slow "$T/rudy" 0.3 "$T/rudy.ms" "$(($(wc -c <"$T/rudy") - 90))"
printf 'POST /v1/hazards HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"school":"S001","title":"short","category":"fire"}' \
    "$AUTH" >"$T/short"
slow "$T/short" 0 "$T/short.ms" "$(wc -c <"$T/short")"
: >"$T/nothing"
slow "$T/nothing" 0 "$T/idle.ms"
# A connection kept alive after its answer is closed when idle.
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' >"$T/ka"
slow "$T/ka" 0 "$T/ka.ms" "$(wc -c <"$T/ka")"
# A large body that arrives steadily (16 KB/s), for longer than the
# timeout, is read in full and answered: the deadline grows by a second
# for each KiB received.
body="{\"school\":\"S001\",\"title\":\"steady\",\"category\":\"fire\",\"description\":\"$(long 48000)\"}"
printf 'POST /v1/hazards HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$AUTH" "${#body}" "$body" >"$T/steady"
(
	trap '' PIPE
	exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit
	t0=$(date +%s%N)
	n=$(wc -c <"$T/steady")
	(
		i=0
		while [ $((i * 4096)) -lt "$n" ]; do
			dd if="$T/steady" bs=4096 skip=$i count=1 2>/dev/null \
			    >&3 || exit
			sleep 0.25
			i=$((i + 1))
		done
	) &
	timeout 15 head -1 <&3 | tr -d '\r' >"$T/steady.first"
	echo $((($(date +%s%N) - t0) / 1000000)) >"$T/steady.ms"
) &
sleep 0.5
during=$(curl -s -m 2 -o /dev/null -w '%{http_code} %{time_total}' \
    "$SERVER/healthz")
expect_match "served meanwhile" '^200 ' "$during"
closed_in "a slow loris (headers, a byte every 0.3 s)" "$T/loris.ms"
closed_in "a slow body (a byte every 0.3 s)" "$T/rudy.ms"
closed_in "a body shorter than its Content-Length" "$T/short.ms"
closed_in "an idle connection" "$T/idle.ms"
wait_for "$T/steady.ms"
expect_match "a large body at 16 KB/s, $(cat "$T/steady.ms") ms: answered" \
    '^HTTP/1.1 422 ' "$(cat "$T/steady.first")"
served "after the slow ones"

out=$(curl -sv -o /dev/null -o /dev/null "$SERVER/healthz" "$SERVER/healthz" \
    2>&1)
expect_match "keep-alive: two requests on one connection" \
    'Re-using existing connection' "$out"
wait_for "$T/ka.ms"
ms=$(cat "$T/ka.ms")
if grep -q '^{"status":"ok"}' "$T/ka.ms.body" &&
    [ "$ms" -ge $((TIMEOUT * 1000 - 300)) ] &&
    [ "$ms" -le $((TIMEOUT * 1000 + 3000)) ]
then pass "keep-alive: answered, then closed when idle (${ms} ms)"
else fail "keep-alive: answered, then closed when idle" \
    "after $ms ms: $(head -c 200 "$T/ka.ms.body")"; fi

# --- a thousand idle connections ---------------------------------------
# The daemon raises its soft limit on open files to the hard one (under
# systemd: 1024 and 524288); start it with a soft limit of 256.
N=1000
[ "$(ulimit -n)" -gt $((N + 100)) ] || ulimit -n $((N + 200)) 2>/dev/null
hard=$(ulimit -Hn)
stop_daemon
WRAP=${HAZARDD_WRAPPER:-}
# Long enough for the first connections to stay while the last are made
# (slower under the sanitizers).
IDLE=6
HAZARDD_WRAPPER="prlimit --nofile=256:$hard $WRAP" start_daemon \
    "[server]" "timeout = $IDLE"
soft=$(awk '/^Max open files/ {print $4}' "/proc/$DAEMON_PID/limits")
expect_eq "the daemon raised its soft limit on open files" "$hard" "$soft"
if [ "$(ulimit -n)" -gt $((N + 100)) ] && [ "$hard" != unlimited ] &&
    [ "$hard" -gt $((N + 100)) ]; then
	base=$(ls "/proc/$DAEMON_PID/fd" | wc -l)
	fds=""
	for i in $(seq $N); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" && fds="$fds $fd"
	done
	i=0
	while [ $i -lt 40 ]; do
		held=$(($(ls "/proc/$DAEMON_PID/fd" | wc -l) - base))
		[ "$held" -ge 990 ] && break
		sleep 0.1
		i=$((i + 1))
	done
	expect_match "$N idle connections held" "^(99[0-9]|1000)$" "$held"
	got=$(curl -s -m 2 -o /dev/null -w '%{http_code} %{time_total}' \
	    -H "$AUTH" "$SERVER/v1/hazards")
	expect_match "a list served among $N idle connections" \
	    '^200 ' "$got"
	expect_exit "a report served among $N idle connections" 0 \
	    ctl rate
	i=0
	while [ $i -lt $((IDLE * 10 + 20)) ]; do
		left=$(($(ls "/proc/$DAEMON_PID/fd" | wc -l) - base))
		[ "$left" -lt 10 ] && break
		sleep 0.1
		i=$((i + 1))
	done
	expect_match "the daemon closed them after $IDLE s" '^-?[0-9]$' \
	    "$left"
	for fd in $fds; do exec {fd}>&-; done
	served "after $N idle connections"
else
	echo "# skipped: cannot open $N connections (ulimit -n $(ulimit -n))"
fi

# --- no file descriptor left ---------------------------------------------
# With 64 descriptors, 100 connections: those past the limit are shed
# (the daemon neither spins on accept nor floods its log), and once the
# idle ones time out it serves again.
stop_daemon
HAZARDD_WRAPPER="prlimit --nofile=64:64 $WRAP" start_daemon \
    "[server]" "timeout = $TIMEOUT"
lines=$(wc -l <"$T/hazardd.log")
fds=""
for i in $(seq 100); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" && fds="$fds $fd"
done
sleep 0.2
cpu0=$(awk '{print $14 + $15}' "/proc/$DAEMON_PID/stat")
sleep 1
cpu1=$(awk '{print $14 + $15}' "/proc/$DAEMON_PID/stat")
expect_match "out of descriptors: no busy loop (ticks in 1 s)" \
    '^[0-9]$|^[1-4][0-9]$' "$((cpu1 - cpu0))"
t0=$(date +%s%N)
while [ $((($(date +%s%N) - t0) / 1000000)) -lt $((TIMEOUT * 1000 + 2000)) ] &&
    [ "$(curl -s -m 1 -o /dev/null -w '%{http_code}' -H "$AUTH" \
    "$SERVER/v1/hazards?limit=1")" != 200 ]; do
	sleep 0.1
done
served "out of descriptors, once the idle ones timed out"
for fd in $fds; do exec {fd}>&-; done
warned=$(tail -n +$((lines + 1)) "$T/hazardd.log" | grep -c 'accept:')
expect_match "out of descriptors: logged once, not per attempt" '^[1-3]$' \
    "$warned"
HAZARDD_WRAPPER=$WRAP

AFTER=$(dump)
expect_eq "nothing changed in the database" "$BEFORE" "$AFTER"

finish
