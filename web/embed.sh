#!/bin/sh
# Turns the files of the web interface into a C table, so that the
# daemon carries its pages inside the binary as it carries its schema.
# Each file gets its type from its name and a version (its CRC and
# size, as cksum(1) gives them) that daemon/api_web.c sends as ETag.
# Usage: embed.sh SRCDIR web/index.html web/app.js ...
set -e
srcdir=$1
shift
echo '/* Generated from the files of web/ by web/embed.sh: do not edit. */'
echo '#include <stddef.h>'
echo '#include "api.h"'
n=0
for f in "$@"; do
	printf 'static const unsigned char file%d[] = {\n' "$n"
	od -An -v -tx1 "$srcdir/$f" |
	    sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g' -e 's/^/\t/'
	printf '\t0x00\n};\n'
	n=$((n + 1))
done
echo 'const struct webfile webfiles[] = {'
n=0
for f in "$@"; do
	name=$(basename "$f")
	case $name in
	*.html)	type='text/html; charset=utf-8' ;;
	*.js)	type='text/javascript; charset=utf-8' ;;
	*.css)	type='text/css; charset=utf-8' ;;
	*.svg)	type='image/svg+xml' ;;
	*.png)	type='image/png' ;;
	*)	echo "embed.sh: $f: no type for this name" >&2; exit 1 ;;
	esac
	sum=$(cksum <"$srcdir/$f")
	crc=${sum%% *}
	size=${sum#* }
	printf '\t{ "%s", "%s", file%d, %s, "\\"%s-%s\\"" },\n' \
	    "$name" "$type" "$n" "$size" "$crc" "$size"
	n=$((n + 1))
done
echo '	{ NULL, NULL, NULL, 0, NULL }'
echo '};'
