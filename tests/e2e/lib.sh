# Sourced by every end-to-end test: starts a real hazardd on a free
# loopback port with a temporary database, drives it with the real
# hazardctl, and counts what passed.
#
# Environment: HAZARDD, HAZARDCTL (the binaries under test); optionally
# HAZARDD_WRAPPER (e.g. "valgrind --error-exitcode=99 --leak-check=full").

set -u
: "${HAZARDD:?set HAZARDD to the hazardd binary}"
: "${HAZARDCTL:?set HAZARDCTL to the hazardctl binary}"

T=$(mktemp -d "${TMPDIR:-/tmp}/hazardd-e2e.XXXXXX")
PASSED=0
FAILED=0
DAEMON_PID=""
PORT=""
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config"
mkdir -p "$HOME"
unset HAZARD_SERVER HAZARD_TOKEN HAZARDCTL_CONFIG
# hazardctl and hazardd speak English here whatever the user's locale
# (i18n.sh asks for Chinese), with catalogs made from the sources'
# po/LL.po where bindtextdomain() looks for them, named by
# $HAZARDCTL_LOCALEDIR (for tests: an installed hazardctl finds its
# catalogs under LOCALEDIR);
# hazardd's commands too, from the same catalogs ($HAZARDD_LOCALEDIR).
unset LANGUAGE LC_ALL
export LC_MESSAGES=C
export HAZARDCTL_LOCALEDIR="$T/locale" HAZARDD_LOCALEDIR="$T/locale"
for lang in $(grep -sv '^#' "${TOP_SRCDIR:-.}/po/LINGUAS"); do
	mkdir -p "$T/locale/$lang/LC_MESSAGES"
	msgfmt -o "$T/locale/$lang/LC_MESSAGES/hazardd.mo" \
	    "${TOP_SRCDIR:-.}/po/$lang.po" 2>/dev/null
done
# hazardd refuses to run as root unless told; the tests may run as root.
ALLOW_ROOT=""
[ "$(id -u)" -eq 0 ] && ALLOW_ROOT="--allow-root"

cleanup() {
	[ -n "$DAEMON_PID" ] && kill -9 "$DAEMON_PID" 2>/dev/null
	[ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null
	[ -n "$STANDIN_PID" ] && kill "$STANDIN_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# start_sink DIR FAILS [HOLDS]: a group robot on loopback
# (tests/webhook_sink) that keeps what it takes in DIR, fails the
# requests listed in FAILS and does not answer those listed in HOLDS;
# its port in ROBOT_PORT.  cleanup() stops it.
SINK="${TOP_BUILDDIR:-$(dirname "$HAZARDD")}/tests/webhook_sink"
SINK_PID=""
start_sink() {
	rm -rf "$1" "$T/sink.port"
	mkdir -p "$1"
	"$SINK" "$T/sink.port" "$1" "$2" ${3:+"$3"} &
	SINK_PID=$!
	i=0
	while [ ! -s "$T/sink.port" ] && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1))
	done
	ROBOT_PORT=$(cat "$T/sink.port")
}

# start_standin PORT [--delay S] [--once] REGEX=JSON ...: a stand-in for
# hazardd on PORT that answers POSTs as tests/e2e/standin.py says, once
# it listens; stop_standin stops it, and so does cleanup().
STANDIN_PID=""
start_standin() {
	command -v python3 >/dev/null || { echo "python3 is missing"; exit 1; }
	python3 "${TOP_SRCDIR:-.}/tests/e2e/standin.py" "$@" &
	STANDIN_PID=$!
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$1/" || [ $i -ge 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
}
stop_standin() {
	kill "$STANDIN_PID" 2>/dev/null
	wait "$STANDIN_PID" 2>/dev/null
	STANDIN_PID=""
}

# settle N: until the robots of start_sink "$T/robots" hold N messages
# in all (10 s at most), and a moment more for the last to be written.
settle() {
	i=0
	while [ "$(ls "$T/robots/"*.status 2>/dev/null | wc -l)" -lt "$1" ] &&
	    [ $i -lt 200 ]; do
		sleep 0.05; i=$((i + 1))
	done
	sleep 0.3
}

pass() {
	PASSED=$((PASSED + 1))
	echo "ok - $1"
}

fail() {
	FAILED=$((FAILED + 1))
	echo "not ok - $1"
	shift
	[ $# -gt 0 ] && printf '#   %s\n' "$@"
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

# expect_exit NAME CODE COMMAND...: runs it, output in $OUT and $ERR.
expect_exit() {
	name=$1 code=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
	if [ "$rc" -eq "$code" ]; then pass "$name"; else
		fail "$name" "expected exit $code, got $rc" "stdout: $OUT" \
		    "stderr: $ERR"; fi
}

# write_config [EXTRA-INI...]: the daemon's configuration in $T.
write_config() {
	CONF="$T/hazardd.conf"
	{
		echo "[server]"
		echo "listen = 127.0.0.1:$PORT"
		echo "[storage]"
		echo "database = $T/hazardd.db"
		echo "[deliver]"
		echo "outbox = $T/outbox"
		for line in "$@"; do echo "$line"; done
	} >"$CONF"
}

# Waits until /healthz answers.  Returns 1 if the daemon died.
wait_ready() {
	i=0
	while [ $i -lt 200 ]; do
		if curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz"; then
			return 0
		fi
		kill -0 "$DAEMON_PID" 2>/dev/null || return 1
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# free_port: a port nothing listens on, below the kernel's ephemeral
# range (32768 up), so that no client connection of the tests holds it.
free_port() {
	while :; do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 12000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || break
	done
	echo "$p"
}

# start_daemon: on a free port, with the same database across restarts.
start_daemon() {
	tries=0
	while [ $tries -lt 10 ]; do
		[ -n "$PORT" ] || PORT=$(free_port)
		write_config "$@"
		${HAZARDD_WRAPPER:-} "$HAZARDD" -c "$CONF" -f $ALLOW_ROOT \
		    >>"$T/hazardd.log" 2>&1 &
		DAEMON_PID=$!
		if wait_ready; then
			SERVER="http://127.0.0.1:$PORT"
			export HAZARD_SERVER="$SERVER"
			return 0
		fi
		kill -9 "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=""
		PORT=""
		tries=$((tries + 1))
	done
	echo "cannot start hazardd:" >&2
	cat "$T/hazardd.log" >&2
	exit 1
}

# start_at "YYYY-MM-DD HH:MM:SS" [EXTRA-INI...]: start_daemon with the
# daemon's clock set there by libfaketime, in the daemon's zone.
start_at() {
	at=$1
	shift
	lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
	if [ -z "$lib" ]; then
		echo "libfaketime is missing: install the package faketime" >&2
		exit 1
	fi
	# ASan wants to come first; libfaketime is preloaded before it.
	export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
	export FAKETIME="@$at" LD_PRELOAD="$lib" TZ=Asia/Shanghai
	start_daemon "$@"
	unset FAKETIME LD_PRELOAD TZ
}

# stop_daemon: SIGTERM, and the daemon must exit 0 (sanitizers too).
stop_daemon() {
	[ -n "$DAEMON_PID" ] || return 0
	kill -TERM "$DAEMON_PID"
	wait "$DAEMON_PID"
	rc=$?
	DAEMON_PID=""
	if [ $rc -eq 0 ]; then pass "hazardd stops cleanly on SIGTERM"
	else
		fail "hazardd stops cleanly on SIGTERM (exit $rc)"
		tail -50 "$T/hazardd.log"
	fi
}

# need_faultfs: sets FAULTFS to the fault-injection library of the build
# (tests/faultfs.c, preloaded into hazardd), or exits.
need_faultfs() {
	: "${TOP_BUILDDIR:?set TOP_BUILDDIR}"
	FAULTFS="$TOP_BUILDDIR/tests/faultfs.so"
	if [ ! -f "$FAULTFS" ]; then
		echo "missing $FAULTFS (make check builds it)" >&2
		exit 1
	fi
}

# server_metric LINE-START: the value of the running daemon's sample
# that starts so.
server_metric() {
	curl -fs "$SERVER/metrics" |
	    awk -v s="$1" 'index($0, s " ") == 1 { print $NF }'
}

# office_token NAME: a bootstrap office token from the command line.
office_token() {
	"$HAZARDD" -c "$CONF" token create --office --name "$1"
}

# ctl ARGS...: the real client against the test daemon.
ctl() {
	"$HAZARDCTL" "$@"
}

# report_rare N: N hazards of school S001, every tenth a fire (the
# first of them the oldest), the others food; their ids appended to
# $T/ids.  A filter on fire is rare, one on none matches nothing.
report_rare() {
	i=0
	while [ $i -lt "$1" ]; do
		category=food
		[ $((i % 10)) -eq 0 ] && category=fire
		ctl report --school S001 --title "隐患 $i" \
		    --category $category >>"$T/ids" || fail "report $i"
		i=$((i + 1))
	done
}

# import_large N: imports N hazards of school S001, each with four
# fields of 4,000 three-byte characters (48 KB a row): more than the
# kernel's buffers of a connection hold.
import_large() {
	big=$(printf '%4000s' '' | sed 's/ /险/g')
	{
		echo 'school,kind,category,title,description,location,plan,assessment,state,reported_at'
		for i in $(seq "$1"); do
			echo "S001,hazard,fire,隐患 $i,$big,$big,$big,$big,open,2026-01-05T08:00:00+08:00"
		done
	} >"$T/big.csv"
	ctl import "$T/big.csv"
}

# unread N PATH: N requests GET PATH with the header $AUTH whose
# clients never read the answer; their descriptors are added to $fds.
unread() {
	for i in $(seq "$1"); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
		printf 'GET %s HTTP/1.1\r\nHost: hazardd\r\n%s\r\n\r\n' \
		    "$2" "$AUTH" >&$fd
		fds="$fds $fd"
	done
}

# close_unread: closes the descriptors of $fds.
close_unread() {
	for fd in $fds; do
		exec {fd}>&-
	done
	fds=""
}

# rss: the daemon's resident memory, in KiB.
rss() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$DAEMON_PID/status"
}

# memory_measured: whether the daemon's memory is its own; under a
# sanitizer or a wrapper (valgrind) it is theirs, and a line says so.
memory_measured() {
	if [ -n "${HAZARDD_WRAPPER:-}" ] || grep -q __asan_init "$HAZARDD"
	then
		echo "# under a sanitizer or a wrapper: memory not measured"
		return 1
	fi
}

# finish: the closing line, and the exit status.
finish() {
	stop_daemon
	echo "$PASSED passed, $FAILED failed"
	if [ $FAILED -gt 0 ] && [ -f "$T/hazardd.log" ]; then
		echo "# hazardd log:"
		tail -30 "$T/hazardd.log" | sed 's/^/#   /'
	fi
	[ $FAILED -eq 0 ]
}
