# Every message of hazardctl is translated: each po/LINGUAS catalog,
# merged with the messages marked in the sources now (as make does
# before it compiles a catalog), passes msgfmt --check with none
# untranslated and none fuzzy.  A message marked but not yet in
# po/LL.po counts as untranslated: update it with make -C po update-po.

set -u
: "${TOP_SRCDIR:?set TOP_SRCDIR to the source tree}"
po=$TOP_SRCDIR/po
T=$(mktemp -d "${TMPDIR:-/tmp}/hazardd-po.XXXXXX")
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
notok() { failed=$((failed + 1)); echo "not ok - $1"; }

# The options of po/Makevars, and the files of po/POTFILES.in.
(cd "$TOP_SRCDIR" && xgettext --keyword=_ --keyword=N_ \
    --from-code=UTF-8 --add-comments=TRANSLATORS: -o "$T/messages.pot" \
    $(grep -v '^#' po/POTFILES.in)) || exit 1
n=$(($(grep -c '^msgid ' "$T/messages.pot") - 1))
if [ $n -lt 100 ]; then
	notok "the sources have $n marked messages, fewer than 100"
else
	ok "the sources have $n marked messages"
fi
for lang in $(grep -v '^#' "$po/LINGUAS"); do
	if ! msgmerge -q -o "$T/$lang.po" "$po/$lang.po" "$T/messages.pot"; then
		notok "$lang.po does not merge"
		continue
	fi
	out=$(LC_ALL=C msgfmt --check --statistics -o /dev/null \
	    "$T/$lang.po" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || printf '%s\n' "$out" |
	    grep -Eq 'untranslated|fuzzy'; then
		notok "$lang.po: $out"
		{ msgattrib --untranslated "$T/$lang.po"
		  msgattrib --only-fuzzy "$T/$lang.po"; } 2>/dev/null |
		    grep -A1 '^msgid "[^"]' | head -40 | sed 's/^/#   /'
	else
		ok "$lang.po: $out"
	fi
	# The catalog as it is, without the merge, checks too.
	if ! msgfmt --check -o /dev/null "$po/$lang.po"; then
		notok "$lang.po fails msgfmt --check"
	fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
