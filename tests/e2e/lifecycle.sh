#!/bin/bash
# The daemon's life: root is refused without --allow-root; a second
# hazardd on the same database is refused, naming the first, while the
# maintenance commands run beside it; SIGTERM stops accepting, answers
# the request under way, checkpoints the WAL and exits 0 in time;
# SIGINT too.
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
write_config

# Root, without --allow-root: refused before anything is touched.
if [ "$(id -u)" -eq 0 ]; then
	expect_exit "root is refused" 1 timeout 10 "$HAZARDD" -c "$CONF" -f
	expect_match "and told why" 'refusing to run as root.*--allow-root' \
	    "$ERR"
	expect_eq "no database was made" "no" \
	    "$([ -e "$T/hazardd.db" ] && echo yes || echo no)"
else
	echo "# skipped the root refusal: not running as root"
fi

start_daemon
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null

# A second hazardd on the same database, on another port: refused.
PORT2=$(free_port)
[ "$PORT2" != "$PORT" ] || PORT2=$(free_port)
sed "s/^listen = .*/listen = 127.0.0.1:$PORT2/" "$CONF" >"$T/second.conf"
expect_exit "a second hazardd on the database is refused" 1 \
    timeout 10 "$HAZARDD" -c "$T/second.conf" -f $ALLOW_ROOT
expect_match "it names the first one's pid" \
    "another hazardd \\(pid $DAEMON_PID\\) is already running" "$ERR"
expect_match "and the database" "$T/hazardd.db" "$ERR"
expect_eq "the lock file holds the pid" "$DAEMON_PID" \
    "$(cat "$T/hazardd.db.lock")"
expect_exit "the first one still serves" 0 ctl rate

# The maintenance commands take no such lock.
expect_exit "token create beside the daemon" 0 "$HAZARDD" -c "$CONF" \
    token create --office --name second
expect_exit "check beside the daemon" 0 "$HAZARDD" -c "$CONF" check
expect_exit "backup beside the daemon" 0 "$HAZARDD" -c "$CONF" backup \
    "$T/b.db"

# SIGTERM with a request under way: its body is half sent.
body='{"title":"东楼安全出口堵塞","category":"fire","school":"S001"}'
head=${body:0:20}
tail=${body:20}
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
{
	printf 'POST /v1/hazards HTTP/1.1\r\nHost: localhost\r\n'
	printf 'Authorization: Bearer %s\r\n' "$HAZARD_TOKEN"
	printf 'Content-Type: application/json\r\n'
	printf 'Content-Length: %d\r\n' "$(printf '%s' "$body" | wc -c)"
	printf 'Connection: close\r\n\r\n%s' "$head"
} >&3
sleep 0.1
t0=$(date +%s%N)
kill -TERM "$DAEMON_PID"
sleep 0.1
# The rest of the body at once: the daemon waits 500 ms for it, and a
# loaded machine may take that long to start curl.
printf '%s' "$tail" >&3
expect_exit "no new connection after SIGTERM" 7 \
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/healthz"
answer=$(timeout 5 cat <&3)
exec 3<&-
expect_match "the request under way is answered" '^HTTP/1.1 201' "$answer"
wait "$DAEMON_PID"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
DAEMON_PID=""
expect_eq "SIGTERM: exit 0" 0 "$rc"
expect_match "SIGTERM: out within 3 seconds (${ms} ms)" \
    '^([0-9]{1,3}|[12][0-9]{3})$' "$ms"
expect_eq "the WAL is checkpointed into the database" "empty" \
    "$([ -s "$T/hazardd.db-wal" ] && echo "not empty" || echo empty)"
expect_eq "the answered report is in the database" 1 \
    "$(sqlite3 "$T/hazardd.db" \
    "SELECT count(*) FROM hazards WHERE title = '东楼安全出口堵塞'")"

# SIGINT stops it as well, and the lock is free again.
start_daemon
expect_exit "restarts on the same database" 0 ctl rate
expect_eq "rate after the restart" "0/1 (0%)" "$OUT"
kill -INT "$DAEMON_PID"
wait "$DAEMON_PID"
expect_eq "SIGINT: exit 0" 0 "$?"
DAEMON_PID=""

finish
