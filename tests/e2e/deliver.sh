#!/bin/bash
# Delivery through the command channel: the digest's text on stdin and
# its names in the environment, failures retried with back-off until
# exactly one success, nothing sent again after a restart, a command
# that hangs is killed at its time limit; and a digest that the outbox
# could not take is written at the next start.
. "$(dirname "$0")/lib.sh"

# The command fails twice, then keeps what it is given.
cat >"$T/deliver" <<'SH'
#!/bin/sh
n=$(cat "$0.count" 2>/dev/null || echo 0)
echo $((n + 1)) >"$0.count"
[ "$n" -lt 2 ] && exit 3
cat >"$0.$HAZARDD_DIGEST_KIND.$HAZARDD_DIGEST_PERIOD.r$HAZARDD_DIGEST_REVISION"
echo "$HAZARDD_DIGEST_ID $HAZARDD_DIGEST_SCOPE" >>"$0.ok"
SH
chmod +x "$T/deliver"
DELIVER=("[deliver]" "command = $T/deliver" "retry_base = 1")

start_at "2026-11-25 07:00:00" "${DELIVER[@]}"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl report --school S001 --title 东楼安全出口堵塞 --category fire >/dev/null
expect_exit "a daily digest" 0 ctl cycle run daily --period 2026-11-25

# Tries at once, after 1 s, after 2 s: wait for the third.
i=0
while [ ! -f "$T/deliver.ok" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect_eq "three attempts" 3 "$(cat "$T/deliver.count")"
expect_eq "one success" 1 "$(wc -l <"$T/deliver.ok" | tr -d ' ')"
expect_match "the text on stdin, Chinese intact" '第一中学 +S001 +1 ' \
    "$(cat "$T/deliver.daily.2026-11-25.r1" 2>/dev/null)"
expect_match "the digest named in the environment" '^[0-9]+ district$' \
    "$(cat "$T/deliver.ok")"
expect_exit "the digest's deliveries" 0 ctl --json digest daily
expect_match "done" '"state": "done"' "$OUT"
expect_match "after three attempts" '"attempts": 3' "$OUT"

# A restart sends nothing again.
stop_daemon
start_at "2026-11-25 07:10:00" "${DELIVER[@]}"
sleep 1
expect_eq "still one success after a restart" 1 \
    "$(wc -l <"$T/deliver.ok" | tr -d ' ')"
expect_eq "and no new attempt" 3 "$(cat "$T/deliver.count")"

# Two deliveries due while the channel is busy with a slow command: the
# second waits for the first without the loop spinning meanwhile (it
# looks again each second, and when the command ends).
stop_daemon
cat >"$T/slow" <<'SH'
#!/bin/sh
cat >/dev/null
for f in /proc/$$/fd/*; do readlink "$f"; done >"$0.fds"
sleep 3
echo done >>"$0.ok"
SH
chmod +x "$T/slow"
start_at "2026-11-25 07:15:00" "[deliver]" "command = $T/slow" \
    "command_timeout = 20"
expect_exit "a digest" 0 ctl cycle run daily --period 2026-11-25
expect_exit "and another" 0 ctl cycle run daily --period 2026-11-25
sleep 0.5
t0=$(awk '{ print $14 + $15 }' "/proc/$DAEMON_PID/stat")
sleep 2
t1=$(awk '{ print $14 + $15 }' "/proc/$DAEMON_PID/stat")
expect_exit "no busy loop while the second waits ($((t1 - t0)) ticks in 2 s)" \
    0 test $((t1 - t0)) -lt 60
i=0
while [ "$(cat "$T/slow.ok" 2>/dev/null | wc -l)" -lt 2 ] &&
    [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect_eq "both delivered, one after the other" 2 \
    "$(wc -l <"$T/slow.ok" | tr -d ' ')"
expect_eq "the command holds none of the daemon's pipes or sockets" 0 \
    "$(grep -c 'pipe:\|socket:' "$T/slow.fds")"

# A command that hangs is killed at its limit, with all it started,
# and tried again later.
stop_daemon
printf '#!/bin/sh\nsleep 30 &\necho $! >"$0.pid"\nwait\n' >"$T/hang"
chmod +x "$T/hang"
start_at "2026-11-25 07:20:00" "[deliver]" "command = $T/hang" \
    "retry_base = 600" "command_timeout = 1"
expect_exit "another digest" 0 ctl cycle run daily --period 2026-11-25
sleep 2.5
expect_exit "its deliveries" 0 ctl --json digest daily
expect_match "timed out" '"last_error": "timed out after 1 s"' "$OUT"
expect_match "still pending" '"state": "pending"' "$OUT"
# Gone, or dead and waiting for its (new) parent to reap it.
expect_match "what it started is killed too" '^(Z.*)?$' \
    "$(ps -o stat= -p "$(cat "$T/hang.pid")" 2>/dev/null | tr -d ' ')"
expect_exit "the daemon still serves" 0 ctl list

# An outbox that cannot be written (a file where its directory should
# be): the digest is stored all the same, and written at the next start
# once the outbox can take it.
stop_daemon
rm -rf "$T/outbox"
: >"$T/outbox"
start_at "2026-11-25 07:30:00"
expect_exit "a digest while the outbox cannot be written" 0 \
    ctl cycle run daily --period 2026-11-25
expect_match "is stored, not written" '"written":false' \
    "$(curl -s -H "Authorization: Bearer $HAZARD_TOKEN" "$SERVER/v1/digests")"
stop_daemon
rm -f "$T/outbox"
start_at "2026-11-25 07:31:00"
expect_eq "the next start writes it, text and JSON" 2 \
    "$(ls "$T/outbox" | grep -c '^daily-2026-11-25-r[0-9]*\.\(txt\|json\)$')"
expect_eq "and every digest is written now" 0 \
    "$(curl -s -H "Authorization: Bearer $HAZARD_TOKEN" "$SERVER/v1/digests" |
    grep -c '"written":false')"

finish
