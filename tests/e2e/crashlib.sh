# The kill -9 cycle of crash.sh and bench/crash, sourced after lib.sh.
#
# crash_setup: a school S001 and an office token, on the running daemon.
# crash_cycle C: eight workers post reports to the running daemon, each
# with its own Idempotency-Key, one curl each (a connection kept alive,
# stopping at the first transfer that fails); the daemon is killed with
# SIGKILL in the middle and started again on the same database.  Then
# every report answered 201 must be in the database once, under its key,
# with the id it was given; a retry of it with the same body must answer
# 200 with that id; a report sent but not answered must, retried, answer
# 200 with its id if it had been committed, 201 if not; and no key or
# report may be there twice.  Sets CR_ACKED, CR_LOST, CR_DUP,
# CR_UNANSWERED (sent, no answer), CR_COMMITTED (of those, committed
# before the kill), CR_BAD (retries answered wrongly) and CR_WHY.

CR_WORKERS=${CR_WORKERS:-8}
CR_REQUESTS=${CR_REQUESTS:-2000}	# per worker and cycle, at most
CR_TOTAL_ACKED=0
CR_EXTRA=()	# more configuration lines for start_daemon

# The files are joined on their keys: one collation for both.
csort() { LC_ALL=C sort -t'|' -k1,1 "$@"; }
cjoin() { LC_ALL=C join "$@"; }

crash_setup() {
	CR_TOKEN=$(office_token crash 2>/dev/null)
	curl -s -o /dev/null -H "Authorization: Bearer $CR_TOKEN" \
	    -H 'Content-Type: application/json' \
	    -d '{"code":"S001","name":"第一中学"}' "$SERVER/v1/schools"
	CR=$T/crash
	mkdir -p "$CR"
}

# crash_config FILE KEYS-FILE: a curl config posting the report of each
# key, with the same body for the same key; each answer is written as
# BODY<tab>KEY<tab>STATUS<tab>BYTES-SENT.
crash_config() {
	awk -v url="$SERVER/v1/hazards" -v tok="$CR_TOKEN" '{
		printf "url = \"%s\"\n", url
		printf "header = \"Authorization: Bearer %s\"\n", tok
		printf "header = \"Content-Type: application/json\"\n"
		printf "header = \"Idempotency-Key: %s\"\n", $1
		printf "data = \"{\\\"school\\\":\\\"S001\\\",\\\"title\\\":"
		printf "\\\"crash %s\\\",\\\"category\\\":\\\"fire\\\"}\"\n", $1
		printf "write-out = \"\\t%s\\t%%{http_code}\\t%%{size_upload}\\n\"\n", $1
		printf "next\n"
	}' "$2" >"$1"
}

# crash_db C: KEY|ID of every report of cycle C in the database.
crash_db() {
	sqlite3 "$T/hazardd.db" "SELECT idem_key, id FROM hazards
	    WHERE idem_key LIKE 'c$1-%' ORDER BY idem_key" | csort
}

crash_cycle() {
	c=$1
	d="$CR/$c"
	mkdir -p "$d"
	pids=""
	for w in $(seq "$CR_WORKERS"); do
		seq "$CR_REQUESTS" | sed "s/^/c$c-w$w-/" >"$d/keys.$w"
		crash_config "$d/cfg.$w" "$d/keys.$w"
	done
	for w in $(seq "$CR_WORKERS"); do
		curl -s --fail-early -K "$d/cfg.$w" >"$d/out.$w" 2>/dev/null &
		pids="$pids $!"
	done
	# Kill in the middle: once answers come, 0.2 to 0.9 s later.
	i=0
	while [ -z "$(cat "$d"/out.* 2>/dev/null | head -c 1)" ] &&
	    [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	sleep "0.$((2 + RANDOM % 8))"
	kill -9 "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=""
	for p in $pids; do wait "$p"; done
	start_daemon "${CR_EXTRA[@]}"

	# What the clients were told.
	cat "$d"/out.* | awk -F'\t' -v acked="$d/acked" -v sent="$d/sent" \
	    -v other="$d/other" '
		$3 == 201 && match($1, /^\{"id":[0-9]+/) {
			print $2 "|" substr($1, 7, RLENGTH - 6) >acked; next }
		$3 == 000 && $4 > 0 { print $2 >sent; next }
		$3 != 000 { print $2 " " $3 >other }' 
	touch "$d/acked" "$d/sent" "$d/other"
	csort -o "$d/acked" "$d/acked"
	csort -o "$d/sent" "$d/sent"
	CR_ACKED=$(wc -l <"$d/acked")
	CR_UNANSWERED=$(wc -l <"$d/sent")
	CR_WHY=""
	[ -s "$d/other" ] && CR_WHY="other answers: $(head -3 "$d/other")"

	# The database, by key: every acknowledged one there, with its id.
	crash_db "$c" >"$d/db"
	CR_LOST=$(cjoin -t'|' -v1 "$d/acked" "$d/db" | wc -l)
	CR_LOST=$((CR_LOST + $(cjoin -t'|' -j1 -o 1.2,2.2 "$d/acked" "$d/db" |
	    awk -F'|' '$1 != $2' | wc -l)))
	CR_COMMITTED=$(cut -d'|' -f1 "$d/db" | cjoin - "$d/sent" | wc -l)

	# Retries through the API: acknowledged ones and unanswered ones.
	cut -d'|' -f1 "$d/acked" | cat - "$d/sent" >"$d/retry.keys"
	crash_config "$d/retry.cfg" "$d/retry.keys"
	curl -s -K "$d/retry.cfg" 2>/dev/null | awk -F'\t' '
		match($1, /^\{"id":[0-9]+/) {
			print $2 "|" $3 "|" substr($1, 7, RLENGTH - 6); next }
		{ print $2 "|" $3 "|" }' | csort >"$d/retried"
	# Expected: 200 and the id in the database for a key it has, 201
	# for one it has not.
	csort "$d/retry.keys" | cjoin -t'|' -a1 -o 0,2.2 - "$d/db" |
	    awk -F'|' '{ print $1 "|" ($2 == "" ? 201 : 200) "|" $2 }' \
	    >"$d/expect"
	CR_BAD=$(cjoin -t'|' "$d/expect" "$d/retried" | awk -F'|' '
		$2 != $4 || ($2 == 200 && $3 != $5) { n++ } END { print n + 0 }')
	CR_BAD=$((CR_BAD + $(wc -l <"$d/expect") - $(wc -l <"$d/retried")))
	if [ "$CR_BAD" -gt 0 ]; then
		CR_WHY="$CR_WHY retries: $(cjoin -t'|' "$d/expect" "$d/retried" |
		    awk -F'|' '$2 != $4 || ($2 == 200 && $3 != $5)' | head -3)"
	fi

	# Nothing twice: each key once, each report (its title) once.
	CR_DUP=$(sqlite3 "$T/hazardd.db" "SELECT
	    (SELECT count(*) FROM hazards WHERE idem_key LIKE 'c$c-%') -
	    (SELECT count(DISTINCT idem_key) FROM hazards
	        WHERE idem_key LIKE 'c$c-%') +
	    (SELECT count(*) FROM hazards WHERE title LIKE 'crash c$c-%') -
	    (SELECT count(DISTINCT title) FROM hazards
	        WHERE title LIKE 'crash c$c-%')")
	# And the API counts what the database holds.
	n=$(sqlite3 "$T/hazardd.db" "SELECT count(*) FROM hazards")
	api=$(curl -s -H "Authorization: Bearer $CR_TOKEN" \
	    "$SERVER/v1/rate?kind=hazard" | grep -o '"identified":[0-9]*' |
	    cut -d: -f2)
	if [ "$api" != "$n" ]; then
		CR_BAD=$((CR_BAD + 1))
		CR_WHY="$CR_WHY the API counts ${api:-nothing}, the database $n"
	fi
	CR_TOTAL_ACKED=$((CR_TOTAL_ACKED + CR_ACKED))
}
