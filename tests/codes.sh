# Every refusal of the daemon's handlers names its code, and every code
# the daemon can send (an import's problems' included) is one hazardctl
# says in the user's language
# (client/ctl.c) and docs/API.md lists: a code hazardctl does not know
# reaches a Chinese user as the server's English message.

set -u
: "${TOP_SRCDIR:?set TOP_SRCDIR to the source tree}"
cd "$TOP_SRCDIR" || exit 1
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
notok() { failed=$((failed + 1)); echo "not ok - $1"; }

# A handler's refusal through http_reply_error() or http_refuse() has
# only its status's code.
left=$(grep -n 'http_reply_error(\|http_refuse(' daemon/api_*.c)
if [ -z "$left" ]; then
	ok "every refusal of daemon/api_*.c names its code"
else
	notok "refusals of daemon/api_*.c without a code of their own:"
	printf '%s\n' "$left" | sed 's/^/#   /'
fi

# The codes named in the daemon's calls (a call may span lines), and
# those of the statuses (status_code() in daemon/http.c).
codes=$( { cat daemon/*.c | tr '\n\t' '  ' |
	    grep -oE 'http_(reply|refuse)_code\([^"]*"[a-z_]+"' |
	    grep -oE '"[a-z_]+"$'
	  sed -n '/^status_code(/,/^}/p' daemon/http.c |
	    grep -oE 'return "[a-z_]+"' | grep -oE '"[a-z_]+"'
	  # The codes of an import's problems, each a row of its answer.
	  cat daemon/import.c daemon/api_import.c | tr '\n\t' '  ' |
	    grep -oE 'import_error\([^;]*;' | grep -oE '"[a-z0-9]+_[a-z0-9_]+"'
	  sed -n '/^why_code(/,/^}/p' daemon/import.c |
	    grep -oE 'return "[a-z_]+"' | grep -oE '"[a-z_]+"'; } |
	tr -d '"' | sort -u)
n=$(printf '%s\n' "$codes" | grep -c .)
if [ "$n" -ge 20 ]; then
	ok "the daemon sends $n codes"
else
	notok "only $n codes found in daemon/*.c: the search is broken"
fi
for code in $codes; do
	if grep -q "\"$code\"" client/ctl.c; then
		ok "hazardctl says $code"
	else
		notok "hazardctl does not know $code (client/ctl.c codes[])"
	fi
	if grep -q "\`$code\`" docs/API.md; then
		ok "docs/API.md lists $code"
	else
		notok "docs/API.md does not list $code"
	fi
done
echo "1..$((passed + failed))"
[ "$failed" -eq 0 ]
