#!/bin/bash
# The inside of tests/e2e/nspawn.sh: run at boot by hazardd-boottest.service
# in the booted Debian root, as root.  It follows README's "Run under
# systemd" (the commands in /root/boottest/readme-steps, taken from
# README.md by nspawn.sh) and checks what each should have done, one
# "ok - ..." or "not ok - ..." line per check in /root/boottest/results.
# The first boot ends with a reboot, the second (which checks that
# hazardd came back with its data) with a power-off.
set -u
B=/root/boottest
RESULTS=$B/results
# README's commands begin with sudo; here we are root already.
export PATH=$B/bin:$PATH
export HAZARD_SERVER=http://127.0.0.1:8470

pass() { echo "ok - $1" >>"$RESULTS"; }

fail() {
	echo "not ok - $1" >>"$RESULTS"
	shift
	[ $# -gt 0 ] && printf '#   %s\n' "$@" >>"$RESULTS"
	return 0
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else
		fail "$1" "expected: $2" "got:      $3"; fi
}

# expect_match NAME REGEX ACTUAL (grep -E)
expect_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then pass "$1"; else
		fail "$1" "expected to match: $2" "got: $3"; fi
}

# readme WORDS: runs README's command that begins with "sudo WORDS", as
# README has it; its output in $OUT and $ERR, its status in $RC.
readme() {
	line=$(awk -v p="sudo $1" 'index($0, p) == 1 { print; exit }' \
	    "$B/readme-steps")
	if [ -z "$line" ]; then
		fail "README has a command that begins with: sudo $1"
		OUT="" ERR="" RC=127
		return
	fi
	echo "$line" >>"$B/run-steps"
	OUT=$(sh -c "$line" 2>"$B/err")
	RC=$?
	ERR=$(cat "$B/err")
}

# prop PROPERTY: hazardd.service's, as systemctl show has it.
prop() {
	systemctl show -p "$1" --value hazardd
}

# healthz: GET /healthz with bash alone (a minimal system has no curl);
# prints the status line.
healthz() {
	(
		exec 3<>/dev/tcp/127.0.0.1/8470 || exit 1
		printf 'GET /healthz HTTP/1.0\r\n\r\n' >&3
		timeout 5 head -1 <&3 | tr -d '\r'
	) 2>/dev/null
}

# wait_for SECONDS COMMAND...: until the command succeeds, at most so long.
wait_for() {
	n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# uid_of PID: the real uid the process runs as.
uid_of() {
	awk '/^Uid:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

first_boot() {
	echo "# first boot" >>"$RESULTS"
	readme "systemd-sysusers"
	expect_eq "README's systemd-sysusers succeeds" 0 "$RC"
	expect_match "it makes the user hazardd, at home in /var/lib/hazardd" \
	    '^hazardd:x:[0-9]+:[0-9]+:[^:]*:/var/lib/hazardd:' \
	    "$(getent passwd hazardd)"

	readme "install -D"
	expect_eq "README's empty configuration is made" "0 0" \
	    "$RC $(stat -c %s /etc/hazardd/hazardd.conf 2>&1)"
	readme "systemctl daemon-reload"
	expect_eq "README's daemon-reload succeeds" 0 "$RC"

	readme "systemctl enable --now hazardd"
	expect_eq "README's enable --now succeeds" 0 "$RC"
	expect_eq "hazardd is active" active "$(systemctl is-active hazardd)"
	expect_eq "and enabled" enabled "$(systemctl is-enabled hazardd)"
	pid=$(prop MainPID)
	expect_eq "its main process runs as the user hazardd" \
	    "$(id -u hazardd)" "$(uid_of "$pid")"
	expect_match "it answers /healthz" '^HTTP/1\.[01] 200' "$(healthz)"
	expect_eq "its database is in /var/lib/hazardd, the user's, 750 and 600" \
	    "hazardd 750 hazardd 600" \
	    "$(stat -c '%U %a' /var/lib/hazardd /var/lib/hazardd/hazardd.db |
	    tr '\n' ' ' | sed 's/ $//')"

	readme "runuser -u hazardd -- hazardd token create"
	expect_eq "README's token create succeeds" 0 "$RC"
	token=$OUT
	expect_match "it prints a token, alone" '^hzd_[0-9a-f]+ 1$' \
	    "$token $(printf '%s\n' "$token" | wc -l)"
	echo "$token" >"$B/token"
	HAZARD_TOKEN=$token hazardctl school add S001 第一中学 >"$B/out" 2>&1
	expect_eq "the token works: the office adds a school" 0 "$?"
	id=$(HAZARD_TOKEN=$token hazardctl report --school S001 \
	    --category fire --title 东楼安全出口堵塞 2>&1)
	expect_match "and reports a hazard" '^[0-9]+$' "$id"
	echo "$id" >"$B/hazard"

	# A good file: the reload succeeds, in the same process.
	printf '[policy]\ndue_soon_days = 5\n' >/etc/hazardd/hazardd.conf
	readme "systemctl reload hazardd"
	expect_eq "README's reload with a good file succeeds" 0 "$RC"
	expect_eq "the same process serves on" "$pid" "$(prop MainPID)"
	wait_for 5 sh -c 'journalctl -u hazardd -q |
	    grep -q "configuration reloaded from /etc/hazardd/hazardd.conf"'
	expect_eq "hazardd says it reloaded" 0 "$?"

	# A bad one: the reload fails where the operator acted, and says why.
	printf '[schedule]\ndaily = 25:99\n' >/etc/hazardd/hazardd.conf
	readme "systemctl reload hazardd"
	expect_eq "README's reload with a bad file fails" 1 "$RC"
	expect_match "systemctl says the reload failed" 'failed' "$ERR"
	status=$(systemctl status hazardd 2>&1)
	expect_match "systemctl status names the bad key" 'daily' "$status"
	expect_eq "hazardd is still active" active \
	    "$(systemctl is-active hazardd)"
	expect_eq "in the same process" "$pid" "$(prop MainPID)"
	expect_match "and answers /healthz" '^HTTP/1\.[01] 200' "$(healthz)"

	readme "journalctl -u hazardd"
	expect_eq "README's journalctl succeeds" 0 "$RC"
	expect_match "the journal has the good reload" \
	    'configuration reloaded from /etc/hazardd/hazardd.conf' "$OUT"
	expect_match "and the bad file's reason" \
	    'hazardd.conf.*daily.*|daily.*hazardd.conf' "$OUT"
	expect_match "and the failed reload" \
	    'hazardd.service: Control process exited|Reload failed' "$OUT"
	: >/etc/hazardd/hazardd.conf

	# The watchdog, shortened for the test: a stopped daemon is killed
	# and started again.
	mkdir -p /etc/systemd/system/hazardd.service.d
	printf '[Service]\nWatchdogSec=2s\n' \
	    >/etc/systemd/system/hazardd.service.d/boottest.conf
	systemctl daemon-reload
	systemctl restart hazardd
	old=$(prop MainPID)
	restarts=$(prop NRestarts)
	kill -STOP "$old"
	wait_for 20 sh -c "[ \"\$(systemctl show -p MainPID --value hazardd)\" \
	    != $old ] && [ \"\$(systemctl is-active hazardd)\" = active ]"
	expect_eq "the watchdog restarts a stopped hazardd" 0 "$?"
	expect_eq "systemd counts the restart" $((restarts + 1)) \
	    "$(prop NRestarts)"
	expect_match "the journal has the watchdog's timeout" \
	    'Watchdog timeout' "$(journalctl -u hazardd -q)"
	expect_match "and it answers again" '^HTTP/1\.[01] 200' "$(healthz)"
	rm -r /etc/systemd/system/hazardd.service.d
	systemctl daemon-reload

	exposure=$(systemd-analyze security hazardd 2>&1 |
	    sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
	expect_eq "systemd-analyze security rates it as README says" \
	    "$(cat "$B/readme-exposure")" "$exposure"

	systemctl stop hazardd
	expect_eq "systemctl stop succeeds" 0 "$?"
	expect_eq "hazardd exited 0" "inactive success 0" \
	    "$(prop ActiveState) $(prop Result) $(prop ExecMainStatus)"

	expect_eq "every command of README's section was run" \
	    "$(sort -u "$B/readme-steps")" "$(sort -u "$B/run-steps")"
	journalctl -b -u hazardd >"$B/journal1" 2>&1
	echo 2 >"$B/phase"
	sync
	systemctl --no-block reboot
}

second_boot() {
	echo "# second boot" >>"$RESULTS"
	expect_eq "after a reboot hazardd is active" active \
	    "$(systemctl is-active hazardd)"
	expect_match "and answers /healthz" '^HTTP/1\.[01] 200' "$(healthz)"
	export HAZARD_TOKEN
	HAZARD_TOKEN=$(cat "$B/token")
	expect_match "with its data: the school" 'S001' \
	    "$(hazardctl school list 2>&1)"
	expect_match "and the hazard" '东楼安全出口堵塞' \
	    "$(hazardctl show "$(cat "$B/hazard")" 2>&1)"
	journalctl -b -u hazardd >"$B/journal2" 2>&1
	echo done >"$B/phase"
	sync
	systemctl --no-block poweroff
}

case $(cat "$B/phase" 2>/dev/null) in
1)	first_boot ;;
2)	second_boot ;;
*)	systemctl --no-block poweroff ;;
esac
