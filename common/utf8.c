/*
 * UTF-8 text: validity, length in characters, width on a terminal.
 */
#include <langinfo.h>
#include <locale.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "utf8.h"

/*
 * Decodes one character at s (at most len bytes).  Returns its length in
 * bytes and stores the code point, or returns 0 for an invalid sequence.
 */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t		n, i;
	uint32_t	c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return s[0] == 0 ? 0 : 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2; c = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3; c = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

size_t
utf8_next(const char *s, size_t len, uint32_t *cp)
{
	return len == 0 ? 0 : utf8_decode((const unsigned char *)s, len, cp);
}

long
utf8_count(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 off = 0, n;
	uint32_t		 cp;
	long			 count = 0;

	while (off < len) {
		if ((n = utf8_decode(p + off, len - off, &cp)) == 0)
			return -1;
		off += n;
		count++;
	}
	return count;
}

/* Columns of one code point; wcwidth() knows the tables of the locale. */
static int
cp_width(uint32_t cp)
{
	int	w;

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (cp < 0x7f)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int
utf8_locale(int user)
{
	if (user && setlocale(LC_CTYPE, "") != NULL &&
	    strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return 0;
	if (setlocale(LC_CTYPE, "C.UTF-8") != NULL ||
	    setlocale(LC_CTYPE, "en_US.UTF-8") != NULL)
		return 0;
	return -1;
}

size_t
utf8_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), off = 0, n, cols = 0;
	uint32_t		 cp;

	while (off < len) {
		if ((n = utf8_decode(p + off, len - off, &cp)) == 0) {
			cols++;
			off++;
			continue;
		}
		cols += cp_width(cp);
		off += n;
	}
	return cols;
}

size_t
utf8_prefix(const char *s, size_t cols)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), off = 0, n, used = 0;
	uint32_t		 cp;
	int			 w;

	while (off < len) {
		if ((n = utf8_decode(p + off, len - off, &cp)) == 0) {
			n = 1;
			w = 1;
		} else
			w = cp_width(cp);
		if (used + w > cols)
			break;
		used += w;
		off += n;
	}
	return off;
}

/* Returns 1 if the code point is white space, as utf8_blank() has it. */
static int
cp_space(uint32_t cp)
{
	return (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0x85 ||
	    cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200b) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000 || cp == 0xfeff;
}

int
utf8_blank(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), off = 0, n;
	uint32_t		 cp;

	while (off < len) {
		if ((n = utf8_decode(p + off, len - off, &cp)) == 0 ||
		    !cp_space(cp))
			return 0;
		off += n;
	}
	return 1;
}
