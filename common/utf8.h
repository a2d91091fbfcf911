/*
 * UTF-8 text: validity, length in characters, width on a terminal.
 */
#ifndef HAZARD_UTF8_H
#define HAZARD_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Returns the number of characters in the len bytes at s, or -1 if they
 * are not valid UTF-8 (overlong forms, surrogates, code points above
 * U+10FFFF and NUL bytes are all refused).
 */
long	utf8_count(const char *s, size_t len);

/*
 * Decodes the character at s (at most len bytes).  Returns its length in
 * bytes and stores its code point in *cp, or returns 0 if the bytes at s
 * are not a valid character (as utf8_count() judges them).
 */
size_t	utf8_next(const char *s, size_t len, uint32_t *cp);

/*
 * Returns the number of terminal columns the string takes: two for East
 * Asian wide and full-width characters, none for combining marks and
 * controls, one otherwise.  Invalid bytes count one column each.
 */
size_t	utf8_width(const char *s);

/*
 * Makes utf8_width() know wide characters, which it learns from the
 * LC_CTYPE locale: the user's (LANG, LC_ALL) when user is set and it is
 * UTF-8, else C.UTF-8, else en_US.UTF-8.  A daemon passes 0, so that
 * what it writes is the same on every machine.  Returns 0, or -1 when
 * no UTF-8 locale is installed (wide characters then count one column).
 */
int	utf8_locale(int user);

/*
 * Returns the length in bytes of the longest prefix of s that fits in
 * cols columns, without cutting a character.
 */
size_t	utf8_prefix(const char *s, size_t cols);

/*
 * Returns 1 if the string holds nothing but white space: the characters
 * of Unicode's White_Space property (U+3000, U+00A0, ... as well as
 * ASCII's) and the invisible U+200B and U+FEFF.  An invalid byte is not
 * white space.
 */
int	utf8_blank(const char *s);

#endif
