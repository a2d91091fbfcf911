# The browser of web.sh and webdash.sh, sourced after lib.sh: Debian's
# chromium driven by tests/e2e/browser.py, with a profile of its own in
# $T; screenshots go to tests/e2e/shots/ of the build directory.  The
# test is skipped (77) without python3, chromium and chromium-driver.

DRIVER="$TOP_SRCDIR/tests/e2e/browser.py"
if ! command -v python3 >/dev/null || ! command -v chromium >/dev/null ||
    ! command -v chromedriver >/dev/null; then
	echo "skip: $(basename "$0") needs python3, chromium and chromium-driver"
	exit 77
fi
SHOTS="${TOP_BUILDDIR:-.}/tests/e2e/shots"
PROFILE="$T/profile"
mkdir -p "$SHOTS" "$PROFILE"

# browse STEPS...: the driver runs the steps (one an argument) in the
# browser of $PROFILE, its window $BROWSE_SIZE (WxH; a phone's 360x740
# unless set), its language $UI_LANG (zh-CN unless set); its output in
# $OUT, its exit status returned.
browse() {
	printf '%s\n' "$@" | python3 "$DRIVER" --profile "$PROFILE" \
	    --shots "$SHOTS" --lang "${UI_LANG:-zh-CN}" \
	    --size "${BROWSE_SIZE:-360x740}" >"$T/browse" 2>&1
	rc=$?
	OUT=$(cat "$T/browse")
	return $rc
}

# expect_browse NAME STEPS...: the steps all pass.
expect_browse() {
	name=$1
	shift
	if browse "$@"; then pass "$name"; else
		fail "$name" "$(grep -v '^ok ' "$T/browse" | head -20)"; fi
}
