#!/bin/bash
# The man pages: they render without warnings (mandoc -T lint), make
# names no configured directory they should not, and stay true to the
# code: the commands and options of hazardctl(1) are those of hazardctl
# --help and hazardctl CMD --help, the options of hazardd(8) those of
# hazardd --help, the keys of hazardd.conf(5) those daemon/config.c
# accepts, and its example is a valid configuration.
. "$(dirname "$0")/lib.sh"

: "${TOP_BUILDDIR:?set TOP_BUILDDIR}"
CTL1="$TOP_SRCDIR/man/hazardctl.1"
D8="$TOP_BUILDDIR/man/hazardd.8"
CONF5="$TOP_BUILDDIR/man/hazardd.conf.5"

# Lint: warnings and errors, not style (which also depends on the
# manuals installed on the machine).
if command -v mandoc >/dev/null; then
	for page in "$CTL1" "$D8" "$CONF5"; do
		expect_exit "$(basename "$page") lints clean" 0 \
		    mandoc -T lint -W warning "$page"
		expect_eq "$(basename "$page"): no lint messages" "" \
		    "$(printf '%s\n%s' "$OUT" "$ERR" | grep -v 'mandoc.db' |
		    grep -v '^$')"
	done
else
	echo "# skipped the lint: mandoc is missing (Debian package mandoc)"
fi
for page in "$D8" "$CONF5"; do
	expect_eq "$(basename "$page"): every @dir@ filled in" "" \
	    "$(grep -n '@[a-z_]*@' "$page")"
done

# The lines of section $2 of the mdoc page $1.
section() {
	awk -v s="$2" '/^\.Sh / { on = ($2 == s); next } on' "$1"
}

# The commands of hazardctl --help, one a line: "report", "token create".
help_commands() {
	"$HAZARDCTL" --help | awk '
	    /^commands:/ { on = 1; next }
	    on && /^$/ { exit }
	    on {
		sub(/^ +/, ""); sub(/  .*/, "")
		n = split($0, w, " "); s = ""
		for (i = 1; i <= n; i++)
			if (w[i] ~ /^[a-z][a-z-]*$/)
				s = s (s == "" ? "" : " ") w[i]
		print s
	    }' | sort
}

# The commands of hazardctl(1): the ".Cm" line after each ".It Xo".
man_commands() {
	section "$CTL1" COMMANDS | awk '
	    prev == ".It Xo" && /^\.Cm / {
		sub(/^\.Cm /, ""); sub(/ (Ar|Op|Fl) .*/, ""); print
	    }
	    { prev = $0 }' | sort
}

# The options "--name" of the --help text on stdin, sorted.
help_options() {
	awk '/^options:/ { on = 1; next } on && /^$/ { exit }
	    on { print $1 }' | sort
}

# The options of command $1 in hazardctl(1), as --name, sorted.
man_options() {
	section "$CTL1" COMMANDS | awk -v cmd="$1" '
	    prev == ".It Xo" && /^\.Cm / {
		c = $0; sub(/^\.Cm /, "", c); sub(/ (Ar|Op|Fl) .*/, "", c)
		on = (c == cmd)
	    }
	    on { s = $0
		while (match(s, /Fl Fl [a-z][a-z-]*/)) {
			print "--" substr(s, RSTART + 6, RLENGTH - 6)
			s = substr(s, RSTART + RLENGTH)
		}
	    }
	    { prev = $0 }' | sort -u
}

expect_match "hazardctl --help lists commands" '^report$' "$(help_commands)"
expect_eq "hazardctl(1) has the commands of hazardctl --help" \
    "$(help_commands)" "$(man_commands)"

# The options of each command, as its --help has them (the global ones,
# which a command's text may mention, aside).
globals='^--(server|token|json|config|help|version)$'
while read -r cmd; do
	# shellcheck disable=SC2086
	want=$("$HAZARDCTL" $cmd --help | help_options)
	expect_eq "hazardctl(1): the options of $cmd" "$want" \
	    "$(man_options "$cmd" | grep -Ev -- "$globals")"
done <<<"$(help_commands)"

# The global options.
want=$("$HAZARDCTL" --help | awk '/^global options/ { on = 1; next }
    on && /^$/ { exit } on { print $1 }' | sort)
got=$(section "$CTL1" DESCRIPTION | sed -n 's/^\.It Fl Fl \([a-z-]*\).*/--\1/p' |
    sort)
expect_eq "hazardctl(1): the global options of hazardctl --help" "$want" \
    "$got"

# hazardd(8): every long option of hazardd --help, and its commands.
want=$("$HAZARDD" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
got=$(section "$D8" DESCRIPTION | grep -o 'Fl Fl [a-z][a-z-]*' |
    sed 's/Fl Fl /--/' | sort -u)
expect_eq "hazardd(8): the options of hazardd --help" "$want" "$got"
for cmd in "token create" backup check; do
	expect_match "hazardd --help has $cmd" "hazardd .*$cmd" \
	    "$("$HAZARDD" --help)"
	expect_match "hazardd(8) documents $cmd" "^\\.It Cm $cmd" \
	    "$(section "$D8" DESCRIPTION)"
done
expect_exit "hazardd has no other command" 2 "$HAZARDD" -c /dev/null nosuch
expect_exit "hazardd token alone is no command" 2 "$HAZARDD" -c /dev/null token
expect_match "  and says so" "unknown command 'token'" "$ERR"
expect_exit "hazardd token create takes its own options" 2 \
    "$HAZARDD" -c /dev/null token create --office
expect_match "  and says which" "token create needs --name NAME" "$ERR"
expect_exit "hazardd check takes no argument" 2 "$HAZARDD" -c /dev/null \
    check extra

# hazardd.conf(5): the keys of config.c, section by section.
want=$(sed -n 's/.*IS("\([a-z]*\)", "\([a-z_]*\)").*/\1 \2/p' \
    "$TOP_SRCDIR/daemon/config.c" | sort)
got=$(section "$CONF5" DESCRIPTION | awk '
    /^\.Ss The \[/ { s = $3; gsub(/[][]/, "", s); next }
    /^\.It Cm [a-z_]+ = / { print s, $3 }' | sort)
expect_match "config.c has keys" '^server listen$' "$want"
expect_eq "hazardd.conf(5) has the keys of config.c" "$want" "$got"
expect_match "hazardd.conf(5) has [departments]" '^\.Ss The \[departments\]' \
    "$(cat "$CONF5")"

# Its example is a configuration hazardd accepts.
section "$CONF5" EXAMPLES | awk '/^\.Bd/ { on = 1; next } /^\.Ed/ { exit }
    on' >"$T/example.conf"
expect_match "the example has a [server] section" '^\[server\]' \
    "$(cat "$T/example.conf")"
expect_exit "the example of hazardd.conf(5) checks" 0 \
    "$HAZARDD" -c "$T/example.conf" --check-config

# The numbers config_defaults() sets are the defaults hazardd.conf(5)
# gives for those keys.
sed -n '/^config_defaults/,/^}/s/.*cfg->\([a-z_]*\) = \([0-9][0-9]*\);.*/\1 \2/p' \
    "$TOP_SRCDIR/daemon/config.c" >"$T/defaults"
expect_match "config_defaults() sets numbers" '^max_body 65536$' \
    "$(cat "$T/defaults")"
while read -r key n; do
	got=$(section "$CONF5" DESCRIPTION | awk -v k="$key" '
	    /^\.(It|El)/ { on = ($0 ~ "^\\.It Cm " k " = ") }
	    on && /^Default [0-9]+\.$/ { print $2 }' | tr -d .)
	expect_eq "hazardd.conf(5): the default of $key" "$n" "$got"
done <"$T/defaults"

finish
