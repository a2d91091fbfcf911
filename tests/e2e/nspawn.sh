#!/bin/bash
# Under a real systemd: a minimal Debian 12 (debootstrap --variant=minbase,
# systemd, and the libraries README names; no procps), hazardd put in it
# by make install, booted with systemd-nspawn -b.  At boot a unit runs
# README's "Run under systemd" commands word for word
# (tests/e2e/nspawn-inside.sh) and checks them: the user, /healthz, a
# token, a reload with a good file and one with a bad file (which must
# fail), the journal, the watchdog, stop; then a reboot, after which
# hazardd must be back with its data.
#
# It needs root, systemd-nspawn (Debian package systemd-container),
# debootstrap and the network the first time, and a build configured as
# README's Install says (./dev.sh test's build/ is): elsewhere it says why
# in one line and is skipped.
#
# The prepared root is made once, from the machine's own apt mirror (a
# few minutes), and kept outside the source tree in
# $HAZARDD_TEST_CACHE/bookworm-root, /var/cache/hazardd-tests by default;
# each run boots a copy of it, so each starts clean (half a minute).  To
# drop the cache:
#   sudo rm -rf /var/cache/hazardd-tests
. "$(dirname "$0")/lib.sh"

: "${TOP_BUILDDIR:?set TOP_BUILDDIR}"
: "${TOP_SRCDIR:?set TOP_SRCDIR}"
CACHE=${HAZARDD_TEST_CACHE:-/var/cache/hazardd-tests}
ROOT=$T/root
START=$(date +%s)

skip() {
	echo "SKIP: $*"
	exit 77
}

# Nothing of a container may be left mounted under $T when it goes.
trap 'grep -q " $T/" /proc/mounts || rm -rf "$T"' EXIT

# debian_mirror: the machine's own Debian mirror, from its apt sources
# (one-line and deb822 formats).
debian_mirror() {
	suites='^(bullseye|bookworm|trixie|forky|sid|oldstable|stable|testing|unstable)$'
	{
		sed 's/\[[^]]*\]//' /etc/apt/sources.list \
		    /etc/apt/sources.list.d/*.list 2>/dev/null |
		    awk -v s="$suites" '$1 == "deb" && $3 ~ s { print $2 }'
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		    awk -v s="$suites" 'BEGIN { RS = "" }
		    {
			deb = ok = 0
			uris = ""
			n = split($0, l, "\n")
			for (i = 1; i <= n; i++) {
				if (l[i] ~ /^#/)
					continue
				m = split(l[i], w, /[ \t]+/)
				if (w[1] == "Types:")
					for (j = 2; j <= m; j++)
						deb += w[j] == "deb"
				if (w[1] == "URIs:")
					uris = w[2]
				if (w[1] == "Suites:")
					for (j = 2; j <= m; j++)
						ok += w[j] ~ s
				if (w[1] == "Enabled:" && w[2] == "no")
					deb = 0
			}
			if (deb && ok && uris != "")
				print uris
		    }'
	} | head -1
}

# readme_section: README's "Run under systemd", up to the next heading.
readme_section() {
	awk '/^## Run under systemd/ { on = 1; next } /^## / { on = 0 } on' \
	    "$TOP_SRCDIR/README.md"
}

# What README says, taken from it: the runtime packages, the commands
# (the block with enable --now, comments dropped) and the exposure.
packages=$(readme_section |
    sed -n 's/^sudo apt-get install \(.*\)/\1/p' | head -1)
steps=$(readme_section | awk '
    /^```sh/ { on = 1; n = 0; next }
    /^```/ { if (on && keep) printf "%s", block; on = 0; keep = 0;
	block = ""; next }
    on { sub(/[ \t]+#.*$/, ""); block = block $0 "\n";
	if ($0 ~ /enable --now/) keep = 1 }')
exposure=$(readme_section | tr '\n' ' ' |
    sed -n 's/.*rates its exposure \([0-9.]*\) on the running.*/\1/p')

# Where it cannot run, say so once and skip.
[ "$(id -u)" -eq 0 ] || skip "the boot test needs root (systemd-nspawn)"
command -v systemd-nspawn >/dev/null ||
    skip "systemd-nspawn is missing (Debian package systemd-container)"
[ -x "$CACHE/bookworm-root/usr/lib/systemd/systemd" ] ||
    command -v debootstrap >/dev/null ||
    skip "debootstrap is missing (Debian package debootstrap)"
grep -q '^ExecStart=/usr/sbin/hazardd -c /etc/hazardd/hazardd.conf$' \
    "$TOP_BUILDDIR/systemd/hazardd.service" ||
    skip "this build is not configured as README's Install says" \
    "(--prefix=/usr --sysconfdir=/etc --localstatedir=/var)"
grep -qa __asan_init "$HAZARDD" &&
    skip "a sanitizer build's hazardd needs libasan, which the root lacks"
mirror=$(debian_mirror)
[ -n "$mirror" ] || [ -x "$CACHE/bookworm-root/usr/lib/systemd/systemd" ] ||
    skip "no Debian mirror in /etc/apt/sources.list*, for debootstrap"

# The cached root: made once (debootstrap), then given README's packages
# (apt-get in it); one run at a time prepares or copies it.
mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock 9
base=$CACHE/bookworm-root
if [ ! -x "$base/usr/lib/systemd/systemd" ]; then
	echo "# making $base from $mirror (once; a few minutes)"
	rm -rf "$base.new"
	if ! debootstrap --variant=minbase --include=systemd,systemd-sysv \
	    bookworm "$base.new" "$mirror" >"$CACHE/debootstrap.log" 2>&1; then
		fail "debootstrap of bookworm from $mirror" \
		    "$(tail -5 "$CACHE/debootstrap.log")"
		finish
		exit 1
	fi
	mv "$base.new" "$base"
fi
missing=""
for p in $packages; do
	chroot "$base" dpkg-query -W -f '${Status}' "$p" 2>/dev/null |
	    grep -q 'ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "# installing in $base:$missing"
	if ! { chroot "$base" apt-get update -qq &&
	    chroot "$base" env DEBIAN_FRONTEND=noninteractive apt-get \
	    install -y -qq --no-install-recommends $missing &&
	    chroot "$base" apt-get clean; } >"$CACHE/apt.log" 2>&1; then
		fail "apt-get install in the root:$missing" \
		    "$(tail -5 "$CACHE/apt.log")"
		finish
		exit 1
	fi
fi

# nspawn refused here?  Then skip.
if ! systemd-nspawn -q --keep-unit --register=no --read-only -D "$base" \
    /bin/true >"$T/probe" 2>&1; then
	skip "systemd-nspawn cannot run a container here:" \
	    "$(grep -v '^$' "$T/probe" | head -1)"
fi

# README's section must give what the test runs.
expect_match "README names the runtime packages" '^lib' "$packages"
expect_match "README gives the commands" 'systemctl enable --now hazardd' \
    "$steps"
expect_match "README gives the exposure" '^[0-9]\.[0-9]$' "$exposure"
# A build configured again without make clean keeps the old directory.
expect_match "hazardd's own default is /etc/hazardd/hazardd.conf too" \
    'default /etc/hazardd/hazardd.conf' "$("$HAZARDD" --help 2>&1)"

expect_eq "the root has no procps (no /bin/kill)" no \
    "$([ -e "$base/bin/kill" ] && echo yes || echo no)"

# This run's root: a copy of the cache, with hazardd installed in it.
cp -a "$base" "$ROOT"
flock -u 9
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$TOP_BUILDDIR" \
    install DESTDIR="$ROOT" >"$T/install.log" 2>&1
expect_eq "make install DESTDIR=the root" 0 "$?"

# The steps, and the unit that runs them at boot.
B=$ROOT/root/boottest
mkdir -p "$B/bin"
printf '%s\n' "$steps" | grep -v '^$' >"$B/readme-steps"
echo "$exposure" >"$B/readme-exposure"
printf '#!/bin/sh\nexec "$@"\n' >"$B/bin/sudo"
chmod 755 "$B/bin/sudo"
cp "$TOP_SRCDIR/tests/e2e/nspawn-inside.sh" "$B/inside.sh"
echo 1 >"$B/phase"
cat >"$ROOT/etc/systemd/system/hazardd-boottest.service" <<'EOF'
[Unit]
Description=hazardd's boot test (tests/e2e/nspawn.sh)
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/bin/bash /root/boottest/inside.sh
TimeoutStartSec=100s
StandardOutput=journal+console

[Install]
WantedBy=multi-user.target
EOF
mkdir -p "$ROOT/etc/systemd/system/multi-user.target.wants"
ln -s ../hazardd-boottest.service \
    "$ROOT/etc/systemd/system/multi-user.target.wants/"

# Two boots: the first ends with a reboot (nspawn exits 133), the second
# with a power-off.
boot=1
while [ $boot -le 2 ]; do
	t0=$(date +%s)
	timeout -k 5 110 systemd-nspawn -q -b --keep-unit --register=no \
	    --private-network -D "$ROOT" </dev/null >"$T/boot$boot.log" 2>&1
	rc=$?
	echo "# boot $boot: $(($(date +%s) - t0)) s, nspawn exit $rc"
	[ $rc -eq 133 ] || break
	boot=$((boot + 1))
done
expect_eq "the first boot reboots, the second powers off" "2 0" "$boot $rc"

if [ -f "$B/results" ]; then
	sed 's/^/  /' "$B/results"
	PASSED=$((PASSED + $(grep -c '^ok - ' "$B/results")))
	FAILED=$((FAILED + $(grep -c '^not ok - ' "$B/results")))
fi
expect_eq "both boots ran to the end" done "$(cat "$B/phase" 2>/dev/null)"
if [ $FAILED -gt 0 ]; then
	for log in "$B"/journal* "$T"/boot*.log; do
		[ -f "$log" ] || continue
		echo "# $(basename "$log"), its end:"
		tail -25 "$log" | sed 's/\x1b\[[0-9;]*m//g; s/^/#   /'
	done
fi
echo "# $(($(date +%s) - START)) s in all"
finish
