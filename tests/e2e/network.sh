#!/bin/bash
# The listening socket: IPv6 loopback, and idle or slow connections
# closed after [server] timeout while other clients are served.
. "$(dirname "$0")/lib.sh"

# [::1]: a configuration of our own, the daemon started by hand.
if [ -f /proc/net/if_inet6 ] && grep -q '^0\{31\}1 ' /proc/net/if_inet6; then
	P6=$(free_port)
	printf '[server]\nlisten = [::1]:%s\n[storage]\ndatabase = %s/v6.db\n[deliver]\noutbox = %s/outbox6\n' \
	    "$P6" "$T" "$T" >"$T/v6.conf"
	"$HAZARDD" -c "$T/v6.conf" -f $ALLOW_ROOT >"$T/v6.log" 2>&1 &
	V6=$!
	i=0
	until curl -gfs -o /dev/null "http://[::1]:$P6/healthz" ||
	    [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
	TOK=$("$HAZARDD" -c "$T/v6.conf" token create --office --name v6)
	expect_exit "hazardctl over IPv6" 0 "$HAZARDCTL" \
	    --server "http://[::1]:$P6" --token "$TOK" school add S6 六号学校
	expect_exit "and back" 0 "$HAZARDCTL" --server "http://[::1]:$P6" \
	    --token "$TOK" school list
	expect_match "the school" 'S6 +六号学校' "$OUT"
	kill -TERM "$V6"
	wait "$V6"
	expect_eq "the IPv6 daemon stops cleanly" 0 "$?"
else
	echo "skipped: no IPv6 loopback on this machine"
fi

# A client that sends half a request and then nothing is cut off.
start_daemon "[server]" "timeout = 1"
export HAZARD_TOKEN=$(office_token office)
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'POST /v1/hazards HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"ti' >&3
start=$(date +%s)
expect_exit "others are served meanwhile" 0 ctl school add S001 第一中学
# Read until the daemon closes: within a few seconds of the timeout.
timeout 10 cat <&3 >/dev/null
end=$(date +%s)
exec 3<&-
elapsed=$((end - start))
if [ $elapsed -le 5 ]; then pass "the slow connection closed after ${elapsed}s"
else fail "the slow connection was kept ${elapsed}s"; fi

# An idle keep-alive connection too.
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
start=$(date +%s)
timeout 10 cat <&3 >/dev/null
end=$(date +%s)
exec 3<&-
elapsed=$((end - start))
if [ $elapsed -le 5 ]; then pass "the idle connection closed after ${elapsed}s"
else fail "the idle connection was kept ${elapsed}s"; fi
expect_exit "still serving" 0 ctl school list

finish
