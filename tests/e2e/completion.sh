#!/bin/bash
# The bash completion of hazardctl completes its commands, the second
# word of a group, each command's options and the global ones, and the
# values of an option that takes one of a few words.
. "$(dirname "$0")/lib.sh"

# shellcheck source=/dev/null
. "$TOP_SRCDIR/completion/hazardctl"

# complete WORD...: what completing the last word offers, on one line.
complete_words() {
	COMP_WORDS=("$HAZARDCTL" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_hazardctl
	[ ${#COMPREPLY[@]} -eq 0 ] ||
	    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}

expect_match "it is registered for hazardctl" '_hazardctl hazardctl$' \
    "$(complete -p hazardctl)"
firsts=$("$HAZARDCTL" --help | awk '/^commands:/ { on = 1; next }
    on && /^$/ { exit } on { print $1 }' | sort -u | tr '\n' ' ')
expect_eq "the commands" "$firsts" "$(complete_words "")"
expect_eq "a command by its start" "rectify reject report " \
    "$(complete_words re)"
expect_eq "the second word of token" "create list revoke " \
    "$(complete_words token "")"
expect_eq "after global options" "create " \
    "$(complete_words --server http://x --json token c)"
expect_eq "the options of token create" \
    "--config --help --json --link --name --office --school --server --token " \
    "$(complete_words token create --)"
expect_match "the options of report" '--category .*--key .*--title ' \
    "$(complete_words report --)"
expect_eq "the values of --kind" "finding hazard " \
    "$(complete_words report --kind "")"
expect_eq "the values of --state" "cancelled closed open rectified " \
    "$(complete_words list --state "")"
expect_eq "nothing for a free value" "" \
    "$(complete_words report --title "")"
expect_eq "the global options" \
    "--config --help --json --server --token --version " \
    "$(complete_words --)"
: >"$T/some.conf"
expect_eq "a file for --config" "$T/some.conf " \
    "$(complete_words --config "$T/some.")"

finish
