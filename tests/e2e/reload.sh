#!/bin/bash
# SIGHUP: a new listen address is bound and the old one let go, a
# connection open on the old one still answered; a broken configuration,
# or an address that cannot be bound, is refused whole and the old one
# keeps running; a good one applies at once; a new database or time
# zone waits for a restart.
. "$(dirname "$0")/lib.sh"

start_daemon
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl report --school S001 --title 消防通道占用 --category fire >/dev/null
PID=$DAEMON_PID

# Waits until the log has grown by a line matching $1.  Returns 1 if not.
wait_log() {
	i=0
	while [ $i -lt 100 ]; do
		tail -n +"$((LOGLINES + 1))" "$T/hazardd.log" | grep -Eq -- "$1" &&
		    return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# reload: sends SIGHUP, and waits until the daemon says what it made of it.
reload() {
	LOGLINES=$(wc -l <"$T/hazardd.log")
	kill -HUP "$DAEMON_PID"
	wait_log 'reload|reloaded'
}

# health PORT: the HTTP status of /healthz there, 000 when none.
health() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
	    "http://127.0.0.1:$1/healthz"
}

# A new port.  A connection made before the reload stays open.
OLD=$PORT
NEW=$(free_port)
[ "$NEW" != "$PORT" ] || NEW=$(free_port)
exec 3<>"/dev/tcp/127.0.0.1/$OLD"
sed -i "s/^listen = .*/listen = 127.0.0.1:$NEW/" "$CONF"
reload
expect_match "the reload is logged" 'configuration reloaded' \
    "$(tail -n +"$((LOGLINES + 1))" "$T/hazardd.log")"
expect_eq "the new port answers" 200 "$(health "$NEW")"
expect_eq "the old port is let go" 000 "$(health "$OLD")"
printf 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
answer=$(timeout 5 cat <&3)
exec 3<&-
expect_match "a connection open on the old port is still answered" \
    '^HTTP/1.1 200' "$answer"
expect_eq "the same process" "$PID" "$DAEMON_PID"
PORT=$NEW
export HAZARD_SERVER="http://127.0.0.1:$PORT"
expect_exit "the client works on the new port" 0 ctl rate
RATE=$OUT

# A broken configuration: refused, the old one keeps running.
cp "$CONF" "$T/good.conf"
printf '[server]\nlisten = nowhere\nmax_body = lots\n[bogus]\nkey = 1\n' \
    >"$CONF"
reload
msgs=$(tail -n +"$((LOGLINES + 1))" "$T/hazardd.log")
expect_match "a broken reload is refused" 'reload refused' "$msgs"
expect_match "naming the bad key" 'max_body' "$msgs"
expect_eq "still running" 0 "$(kill -0 "$DAEMON_PID" 2>/dev/null; echo $?)"
expect_exit "still serving" 0 ctl rate
expect_eq "the same data" "$RATE" "$OUT"

# An address that cannot be bound (TEST-NET-1 is no address of ours),
# with a smaller max_body: all of it refused, the old socket kept.
long=$(printf '%01500d' 0)
sed -e "s/^listen = .*/listen = 192.0.2.1:$PORT/" "$T/good.conf" >"$CONF"
printf '[server]\nmax_body = 1024\n' >>"$CONF"
expect_exit "the unbindable config is a valid one" 0 \
    "$HAZARDD" -c "$CONF" --check-config
reload
msgs=$(tail -n +"$((LOGLINES + 1))" "$T/hazardd.log")
expect_match "an unbindable address is refused" \
    'reload refused: cannot listen on 192.0.2.1' "$msgs"
expect_match "the reason is logged" 'cannot listen on 192.0.2.1:[0-9]+: ' \
    "$msgs"
expect_eq "the old port still answers" 200 "$(health "$PORT")"
expect_exit "the old max_body still holds" 0 ctl report --school S001 \
    --title 长描述 --category fire --description "$long"

# The same, bindable: now max_body applies at once.
sed -i "s/^listen = .*/listen = 127.0.0.1:$PORT/" "$CONF"
reload
expect_match "a good reload is taken" 'configuration reloaded' \
    "$(tail -n +"$((LOGLINES + 1))" "$T/hazardd.log")"
expect_exit "the new max_body holds" 1 ctl report --school S001 \
    --title 长描述 --category fire --description "$long"
expect_match "413 said" '413' "$ERR"
expect_eq "the same port answers" 200 "$(health "$PORT")"

# A reload while a monthly dispatch escalates: the escalations go on,
# with the departments of the configuration of the moment; none reads
# the old one, which the reload frees (the sanitizer build would catch
# it).  10,000 hazards open since August give the run some 500 slices.
printf '[departments]\nfire = 消防救援大队\n' >>"$CONF"
reload
awk 'BEGIN {
	printf "school,kind,category,title,state,reported_at,key\n"
	for (i = 1; i <= 10000; i++)
		printf "S001,hazard,fire,旧隐患 %d,open," \
		    "2026-08-%02dT08:00:00+08:00,old-%d\n", i, i % 28 + 1, i
}' >"$T/old.csv"
expect_exit "import 10,000 hazards open since August" 0 ctl import \
    "$T/old.csv"
LOGLINES=$(wc -l <"$T/hazardd.log")
ctl cycle run monthly --period 2026-10 >"$T/monthly.out" 2>&1 &
RUN=$!
wait_log 'escalated to level'
sed -i 's/^fire = .*/fire = 应急管理局/' "$CONF"
reload
wait "$RUN"
expect_eq "the monthly run is answered" 0 $?
expect_match "every hazard escalated" \
    'monthly dispatch 2026-10: 1000[0-9] hazards escalated' \
    "$(cat "$T/hazardd.log")"
last=$(grep -o 'hazard [0-9]* (S001): escalated' "$T/hazardd.log" | tail -1 |
    cut -d' ' -f2)
expect_exit "the daemon still answers" 0 ctl --json show "$last"
expect_match "the last one escalated has its department" \
    '"department": "(消防救援大队|应急管理局)"' "$OUT"

# A new time zone takes a restart: setting TZ while a digest thread
# reads it is not safe, so the old zone stays and the log says so.
printf '[schedule]\ntimezone = Europe/London\n' >>"$CONF"
reload
expect_match "a new time zone waits for a restart" \
    "the time zone stays Asia/Shanghai until a restart" \
    "$(tail -n +"$((LOGLINES + 1))" "$T/hazardd.log")"
ID=$(ctl report --school S001 --title 楼梯扶手松动 --category buildings)
expect_exit "a report after the reload" 0 ctl --json show "$ID"
expect_match "is still dated in the old zone" '"reported_at": "[^"]*\+08:00"' \
    "$OUT"
sed -i '/^\[schedule\]$/d; /^timezone = /d' "$CONF"

# A new database takes a restart: the old one is used until then.
RATE=$(ctl rate)
sed -i "s|^database = .*|database = $T/other.db|" "$CONF"
reload
expect_match "a new database waits for a restart" \
    "the database stays $T/hazardd.db until a restart" \
    "$(tail -n +"$((LOGLINES + 1))" "$T/hazardd.log")"
expect_exit "the old database still serves" 0 ctl rate
expect_eq "with the old data" "$RATE" "$OUT"
expect_eq "the new one is not made" "no" \
    "$([ -e "$T/other.db" ] && echo yes || echo no)"

finish
