#!/bin/bash
# Reports that survive a dead network: a report, a rectification or an
# acknowledgement that finds no server is kept in the queue (exit 4, one
# line), listed by hazardctl queue, and sent by hazardctl sync, or
# before the next command that reaches the server, each exactly once;
# a kill -9 during sync loses nothing and duplicates nothing.
. "$(dirname "$0")/lib.sh"

export XDG_STATE_HOME="$T/state"
Q=$XDG_STATE_HOME/hazardctl/queue
db() { sqlite3 -cmd '.timeout 5000' "$T/hazardd.db" "$1"; }
# queued: the requests in the queue.
queued() { find "$Q" -maxdepth 1 -name '*.json' | wc -l; }

start_daemon
OFFICE=$(office_token office)
HAZARD_TOKEN=$OFFICE ctl school add S001 第一中学 >/dev/null
SCHOOL=$(HAZARD_TOKEN=$OFFICE ctl token create --school S001 --name 安全员)
export HAZARD_TOKEN=$SCHOOL
H=$(ctl report --title 东楼灭火器过期 --category fire)
H2=$(ctl report --title 配电箱未上锁 --category electrical)
W=$(HAZARD_TOKEN=$OFFICE ctl warn --title 台风预警 --body 关好门窗)

# The network is dead: nothing listens on the server's port.
stop_daemon
expect_exit "a report with no server is queued (exit 4)" 4 \
    ctl report --title 操场护栏松动 --category buildings --key q-1
expect_eq "nothing on stdout" "" "$OUT"
expect_match "it says so" 'no answer from .*kept in the queue: hazardctl sync sends it' "$ERR"
expect_eq "in one line" 1 "$(printf '%s\n' "$ERR" | wc -l)"
expect_exit "a rectification is queued" 4 ctl rectify "$H" --note 已更换灭火器
expect_exit "an acknowledgement is queued" 4 ctl ack "$W"
expect_eq "three files in the queue" 3 "$(queued)"
expect_eq "each of mode 600" "600 600 600" \
    "$(stat -c %a "$Q"/*.json | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the directory of mode 700" 700 "$(stat -c %a "$Q")"
expect_eq "no token in them" "" "$(grep -l -- "$SCHOOL" "$Q"/*.json)"
expect_match "the report's key kept" '"key": "q-1"' "$(cat "$Q"/*.json)"

expect_exit "queue lists them" 0 ctl queue
expect_eq "oldest first" "report rectify ack" \
    "$(printf '%s\n' "$OUT" | awk 'NR > 1 { print $3 }' | tr '\n' ' ' |
    sed 's/ $//')"
expect_match "with the title" 操场护栏松动 "$OUT"
expect_match "the hazard" "hazard $H" "$OUT"
expect_match "and the warning" "warning $W" "$OUT"
expect_exit "queue --json" 0 ctl --json queue
expect_match "as JSON" '"command": "ack"' "$OUT"
expect_exit "sync with no server leaves them" 3 ctl sync
expect_eq "all three" 3 "$(queued)"

# The server is back, on the same port.
start_daemon
expect_exit "sync sends them" 0 ctl sync
expect_match "the report" "queued report sent: \"操场护栏松动\" is hazard" "$ERR"
expect_match "the rectification" "queued rectify sent: hazard $H" "$ERR"
expect_match "the acknowledgement" "queued ack sent: warning $W" "$ERR"
expect_eq "the report recorded once" 1 \
    "$(db "SELECT count(*) FROM hazards WHERE title = '操场护栏松动'")"
expect_eq "the hazard rectified" rectified \
    "$(db "SELECT state FROM hazards WHERE id = $H")"
expect_eq "the warning acknowledged" 1 \
    "$(db "SELECT count(*) FROM warning_targets WHERE warning_id = $W AND acked_at IS NOT NULL")"
expect_eq "the queue is empty" 0 "$(queued)"
expect_exit "sync again" 0 ctl sync
expect_match "sends nothing" 'nothing waits' "$ERR"
expect_exit "queue" 0 ctl queue
expect_match "lists nothing" 'nothing waits' "$OUT"
expect_eq "still one report" 1 \
    "$(db "SELECT count(*) FROM hazards WHERE title = '操场护栏松动'")"

# A rectification whose first try arrived, its answer lost: the server
# says the hazard is rectified already, which is done.  One the server
# refuses for good (no such hazard) leaves the queue with its reason.
stop_daemon
expect_exit "a second rectification queued" 4 ctl rectify "$H2" --note 已上锁
expect_exit "one of a hazard that does not exist" 4 \
    ctl rectify 999999 --note 已处理
acked=$(db "SELECT acked_at FROM warning_targets WHERE warning_id = $W")
expect_exit "an acknowledgement sent already, queued again" 4 ctl ack "$W"
start_daemon
curl -s -o /dev/null -X POST -H "Authorization: Bearer $SCHOOL" \
    -H 'Content-Type: application/json' -d '{"note":"已上锁"}' \
    "$SERVER/v1/hazards/$H2/rectify"
expect_exit "sync: one refused for good" 1 ctl sync
expect_match "the rectification done already" \
    "queued rectify: hazard $H2 was done already" "$ERR"
expect_match "the other refused, and why" \
    "queued rectify refused, out of the queue: hazard 999999" "$ERR"
expect_match "its reason" 'hazard 999999: no such hazard' "$ERR"
expect_match "the acknowledgement again: the same" \
    "queued ack sent: warning $W" "$ERR"
expect_eq "its first time kept" "$acked" \
    "$(db "SELECT acked_at FROM warning_targets WHERE warning_id = $W")"
expect_eq "the queue is empty" 0 "$(queued)"
expect_eq "rectified once" 1 \
    "$(db "SELECT count(*) FROM events WHERE hazard_id = $H2 AND action = 'rectify'")"

# Any command that reaches the server sends the queue first.
stop_daemon
expect_exit "a report queued" 4 ctl report --title 围墙裂缝 --category buildings
start_daemon
expect_exit "sync with a bad token" 3 env HAZARD_TOKEN=nope "$HAZARDCTL" sync
expect_match "says why" 'HTTP 401' "$ERR"
expect_eq "and keeps the report: the token, not the report, was refused" \
    1 "$(queued)"
expect_exit "list" 0 ctl list
expect_match "sent it first" 'queued report sent: "围墙裂缝"' "$ERR"
expect_match "and lists it" 围墙裂缝 "$OUT"

# kill -9 during sync: the server is slow (stopped with SIGSTOP while
# the first report is on its way), the client killed while it waits
# for the answer.  Sync again: every report recorded, each once.
stop_daemon
for i in 1 2 3; do
	ctl report --title "断电演练$i" --category electrical 2>/dev/null
done
expect_eq "three reports queued" 3 "$(queued)"
start_daemon
kill -STOP "$DAEMON_PID"
# Not through ctl(): $! is then hazardctl itself, not a subshell.
"$HAZARDCTL" sync >"$T/sync.out" 2>&1 &
sync=$!
sleep 1
kill -9 $sync
wait $sync 2>/dev/null
kill -CONT "$DAEMON_PID"
sleep 0.5
before=$(db "SELECT count(*) FROM hazards WHERE title LIKE '断电演练%'")
expect_eq "nothing taken out of the queue by the killed sync" 3 \
    "$(queued)"
echo "# reports recorded before the second sync: $before"
expect_exit "sync again" 0 ctl sync
expect_eq "each report recorded once" "1 1 1" "$(db "SELECT count(*) FROM \
    hazards WHERE title LIKE '断电演练%' GROUP BY title ORDER BY title" |
    tr '\n' ' ' | sed 's/ $//')"
expect_eq "the queue is empty" 0 "$(queued)"

# A rectification whose answer was lost: the server did it (sent here
# by curl with the queued request's key), the office rejected it since,
# and sync sends it again, twice: each time the first answer, never a
# second rectification.
H3=$(ctl report --title 楼梯扶手松动 --category buildings)
stop_daemon
expect_exit "a rectification queued" 4 ctl rectify "$H3" --note 已加固扶手
start_daemon
entry=$(find "$Q" -maxdepth 1 -name '*.json')
key=$(jq -r .key "$entry")
expect_match "the rectification has its key in the queue" '^[0-9a-f]{16,}$' \
    "$key"
cp "$entry" "$T/entry.json"
status=$(curl -s -o "$T/first" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $SCHOOL" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: $key" --data '{"note": "已加固扶手"}' \
    "$SERVER/v1/hazards/$H3/rectify")
expect_eq "the first one done, its answer lost" 200 "$status"
# (The office's hazardctl has a queue of its own.)
XDG_STATE_HOME="$T/office" HAZARD_TOKEN=$OFFICE ctl reject "$H3" \
    --note 扶手仍松动 >/dev/null
expect_eq "the rectification still queued" 1 "$(queued)"
expect_exit "sync sends it again" 0 ctl sync
expect_match "answered as the first time" "queued rectify sent: hazard $H3" \
    "$ERR"
# rectifications: how many rectify events hazardctl show lists.
rectifications() {
	ctl --json show "$H3" | grep -c '"action": "rectify"'
}
expect_eq "one rectification in the hazard's events" 1 "$(rectifications)"
expect_exit "show" 0 ctl --json show "$H3"
expect_match "still open, as the office left it" '"state": "open"' "$OUT"
cp "$T/entry.json" "$Q/"
expect_exit "the same request sent again once more" 0 ctl sync
expect_eq "still one rectification" 1 "$(rectifications)"
expect_eq "the queue is empty again" 0 "$(queued)"

# A request goes to the server it was typed for, and no other.
expect_exit "a report for another server" 4 \
    ctl --server "http://127.0.0.1:$(free_port)" report --title 别处 \
    --category fire
expect_exit "sync here" 0 ctl sync
expect_match "leaves it, and says so" '1 wait for another server' "$ERR"
expect_eq "not sent here" 0 \
    "$(db "SELECT count(*) FROM hazards WHERE title = '别处'")"
expect_eq "still queued" 1 "$(queued)"

finish
