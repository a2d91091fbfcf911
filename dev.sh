#!/bin/sh
# The two commands of README.md, for a fresh Debian machine:
#
#   ./dev.sh run    build, then run hazardd in the foreground with a ready
#                   local configuration (database under build/run/, port
#                   127.0.0.1:8470 or $HAZARDD_PORT) and say how to try it
#   ./dev.sh test   build, then run the whole test suite: unit and
#                   end-to-end tests, again under ASan+UBSan, the libFuzzer
#                   targets for a few seconds each, and distcheck
#
# Each installs the Debian packages it needs when they are missing.
set -eu

top=$(cd "$(dirname "$0")" && pwd)
cd "$top"

PACKAGES="gcc make autoconf automake pkg-config libevent-dev libsqlite3-dev
libjansson-dev libinih-dev check libcurl4-openssl-dev libssl-dev
libsystemd-dev tzdata curl sqlite3 ca-certificates faketime mandoc
clang libclang-rt-dev autoconf-archive systemd-container debootstrap
gettext autopoint locales libxlsxwriter-dev unzip libreoffice-calc-nogui"
# photos.sh reads what is served with file, exiftool and webpmux (its
# fixtures are committed: tests/e2e/photos/make.sh, with imagemagick).
PACKAGES="$PACKAGES file libimage-exiftool-perl webp"
# web.sh drives the pages in a real browser, whose own controls (the
# date picker, the file button) speak Chinese with chromium-l10n.
PACKAGES="$PACKAGES python3 chromium chromium-driver chromium-l10n fonts-noto-cjk"

# Installs the packages that are missing, and only those.
install_deps() {
	missing=""
	for p in $PACKAGES; do
		if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null |
		    grep -q 'ok installed'; then
			missing="$missing $p"
		fi
	done
	[ -z "$missing" ] && return 0
	echo "dev.sh: installing:$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
	    --no-install-recommends $missing >/dev/null
}

# Makes the locale that tests/e2e/i18n.sh runs hazardctl in, zh_CN.UTF-8,
# when the system lacks it.
make_locale() {
	locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8' && return 0
	echo "dev.sh: generating the locale zh_CN.UTF-8"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo localedef -i zh_CN -f UTF-8 zh_CN.UTF-8
}

# build DIR [CONFIGURE-ARGS...]: configures DIR when it is new or was
# configured with other arguments (by an older dev.sh), then makes
# $build_target.  Every caller asks for --enable-werror: warnings are
# errors here and in CI, not in a release tarball's default build.
# Objects made with other arguments are made again: make does not see
# that the directories compiled into them changed.
build_target=all
# build/ has README's directories, so that tests/e2e/nspawn.sh can install
# it into a booted Debian and follow README there.
build_args="--enable-werror --prefix=/usr --sysconfdir=/etc --localstatedir=/var"
build() {
	dir=$1
	shift
	[ -x configure ] || autoreconf -fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] ||
	    [ "$("$dir/config.status" --config 2>/dev/null)" != "$*" ]; then
		[ -f "$dir/Makefile" ] && make -C "$dir" -s clean
		(cd "$dir" && "$top/configure" -q "$@")
	fi
	make -C "$dir" -s -j2 $build_target
}

# Prints what the test logs of DIR say: Check's summaries and ours
# (build-fuzz/tests/fuzz-smoke.log: tests/fuzz/smoke.sh's).
summarize() {
	for log in "$1"/tests/*.log "$1"/tests/e2e/*.log; do
		[ -f "$log" ] || continue
		case $log in */test-suite.log) continue ;; esac
		grep -hE '^[0-9]+%: Checks: |^[0-9]+ passed, [0-9]+ failed' \
		    "$log" | sed "s|^|$(basename "$log" .log): |"
	done
}

# Adds up "N passed, N failed" and Check's summaries of DIR.
count() {
	summarize "$1" | awk '
	    /Checks:/ { gsub(",", ""); c = $4; f = $6 + $8;
			p += c - f; x += f; next }
	    / passed, / { p += $2; x += $4 }
	    END { printf "%d %d\n", p, x }'
}

cmd_test() {
	install_deps
	make_locale
	status=0

	# The tests are independent (each its own port and directory): two
	# at a time, one per core.
	echo "== build and test (build/)"
	build build $build_args
	make -C build -s -j2 check || status=1

	echo "== build and test with ASan and UBSan (build-san/)"
	build build-san --enable-sanitizers --enable-werror
	ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    make -C build-san -s -j2 check || status=1

	# libFuzzer's runtime is in libclang-rt-dev, which clang only
	# recommends.  Only the targets are built (make fuzz).
	echo "== libFuzzer targets, a few seconds each (build-fuzz/)"
	build_target=fuzz
	build build-fuzz --enable-fuzzing --enable-werror CC=clang
	build_target=all
	sh tests/fuzz/smoke.sh build-fuzz/tests/fuzz \
	    >build-fuzz/tests/fuzz-smoke.log 2>&1 || {
		cat build-fuzz/tests/fuzz-smoke.log
		status=1
	}

	echo "== make distcheck"
	make -C build -s -j2 distcheck >build/distcheck.out 2>&1 || {
		tail -40 build/distcheck.out
		status=1
	}
	[ $status -eq 0 ] && echo "distcheck: the tarball builds and passes"

	for dir in build build-san; do
		if [ -f "$dir/test-suite.log" ] &&
		    grep -q '^# FAIL: *[1-9]\|^# ERROR: *[1-9]' \
		    "$dir/test-suite.log"; then
			cat "$dir/test-suite.log"
		fi
	done
	echo "== results"
	summarize build
	summarize build-san | sed 's/^/sanitizers: /'
	summarize build-fuzz | sed 's/^/fuzzing: /'
	set -- $(count build) $(count build-san) $(count build-fuzz)
	passed=$(($1 + $3 + $5))
	failed=$(($2 + $4 + $6))
	[ $status -eq 0 ] || [ $failed -gt 0 ] || failed=1
	echo "$passed passed, $failed failed"
	[ $failed -eq 0 ]
}

cmd_run() {
	install_deps
	build build $build_args
	port=${HAZARDD_PORT:-8470}
	run="$top/build/run"
	mkdir -p "$run/outbox"
	conf="$run/hazardd.conf"
	cat >"$conf" <<EOF
; Written by ./dev.sh run: a local hazardd for trying things out.
[server]
listen = 127.0.0.1:$port
[storage]
database = $run/hazardd.db
[deliver]
outbox = $run/outbox
EOF
	# The catalogs, where an uninstalled hazardctl and hazardd are told
	# to look ($HAZARDCTL_LOCALEDIR, $HAZARDD_LOCALEDIR), made from po/
	# as the tests make them.
	for po in "$top"/po/*.po; do
		lang=$(basename "$po" .po)
		mkdir -p "$run/locale/$lang/LC_MESSAGES"
		msgfmt -o "$run/locale/$lang/LC_MESSAGES/hazardd.mo" "$po"
	done
	# The office's token is named in the language of the locale.
	case ${LC_ALL:-${LC_MESSAGES:-${LANG:-}}} in
	zh*)	office_name="区安全办" ;;
	*)	office_name="district office" ;;
	esac
	if [ ! -s "$run/office.token" ]; then
		(umask 077 && HAZARDD_LOCALEDIR="$run/locale" \
		    "$top/build/hazardd" -c "$conf" token create \
		    --office --name "$office_name" >"$run/office.token")
	fi
	# The office's page, signed in by its link (the token stays in the
	# browser: what follows # never reaches the server).
	link="http://127.0.0.1:$port/#token=$(cat "$run/office.token")"
	if [ "$office_name" = "区安全办" ]; then
		starting="hazardd 正在启动：http://127.0.0.1:$port（数据库 $run/hazardd.db）。"
		page="在浏览器中打开区安全办的页面："
		try="或在另一个终端中试试 hazardctl："
		stop="按 Ctrl-C 停止。"
	else
		starting="hazardd is starting on http://127.0.0.1:$port (database $run/hazardd.db)."
		page="Open the district office's page in a browser:"
		try="or, in another terminal, try hazardctl:"
		stop="Stop it with Ctrl-C."
	fi
	cat <<EOF

$starting
$page

  $link

$try

  export HAZARD_SERVER=http://127.0.0.1:$port
  export HAZARD_TOKEN=\$(cat $run/office.token)
  export HAZARDCTL_LOCALEDIR=$run/locale HAZARDD_LOCALEDIR=$run/locale
  PATH=$top/build:\$PATH
  hazardctl school add S001 第一中学
  id=\$(hazardctl report --school S001 --category fire --title 东楼安全出口堵塞)
  hazardctl rectify \$id --note 已清理
  hazardctl verify \$id
  hazardctl rate

$stop

EOF
	# hazardd refuses root unless told: a fresh machine may have no other.
	allow_root=""
	[ "$(id -u)" -ne 0 ] || allow_root=--allow-root
	exec "$top/build/hazardd" -c "$conf" -f $allow_root
}

case ${1:-} in
test)	cmd_test ;;
run)	cmd_run ;;
*)	echo "usage: ./dev.sh run | ./dev.sh test" >&2; exit 2 ;;
esac
