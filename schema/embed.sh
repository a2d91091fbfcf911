#!/bin/sh
# Turns the numbered migrations into a C table, so that the daemon
# carries its schema inside the binary.
# Usage: embed.sh SRCDIR schema/001-init.sql ...
set -e
srcdir=$1
shift
echo '/* Generated from the files of schema/ by schema/embed.sh: do not edit. */'
echo '#include <stddef.h>'
echo '#include "db.h"'
echo 'const struct migration db_migrations[] = {'
for f in "$@"; do
	base=$(basename "$f" .sql)
	version=$(echo "$base" | sed 's/^0*\([0-9][0-9]*\)-.*/\1/')
	printf '\t{ %s, "%s",\n' "$version" "$base"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t  "/' -e 's/$/\\n"/' \
	    "$srcdir/$f"
	printf '\t},\n'
done
echo '	{ 0, NULL, NULL }'
echo '};'
