/*
 * Untrusted text made safe for each kind of output, in one place: see
 * safetext.h for what each output needs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetext.h"
#include "utf8.h"
#include "xmalloc.h"

/*
 * Markdown's markup characters, escaped with a backslash wherever they
 * stand.  The others are markup only at the start of a line (a list, a
 * setext underline: "- ", "+ ", "1. ", "==="), and are escaped only
 * there, so that a robot whose client shows the backslashes shows few:
 * "(", ")", "!" and "." mean nothing once "[" and "]" are escaped.
 */
#define MARKUP		"\\`*_[]#|~"
#define MARKUP_LEAD	"-+="

/*
 * Returns 1 if the code point must not reach an output as it is:
 * controls, DEL, bidirectional overrides and isolates, line and
 * paragraph separators.
 */
static int
unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x2028 || cp == 0x2029;
}

/*
 * Walks s a character at a time.  Returns the length in bytes of the
 * next character at *off (1 for a byte that is not UTF-8, with *bad
 * set), storing its code point, and advances *off.
 */
static size_t
next(const char *s, size_t len, size_t *off, uint32_t *cp, int *bad)
{
	size_t	n;

	*bad = 0;
	if ((n = utf8_next(s + *off, len - *off, cp)) == 0) {
		*bad = 1;
		*cp = (unsigned char)s[*off];
		n = 1;
	}
	*off += n;
	return n;
}

/* Plain text, with or without its line feeds. */
static char *
plain(const char *s, int keep_lf)
{
	size_t	 len = strlen(s), off = 0, at, n;
	uint32_t cp;
	char	*out, *o;
	int	 bad;

	o = out = xmalloc(len + 1);
	while (off < len) {
		at = off;
		n = next(s, len, &off, &cp, &bad);
		if (bad)
			*o++ = '?';
		else if (keep_lf && cp == '\n')
			*o++ = '\n';
		else if (unsafe(cp))
			*o++ = ' ';
		else {
			memcpy(o, s + at, n);
			o += n;
		}
	}
	*o = '\0';
	return out;
}

char *
safetext_plain(const char *s)
{
	return plain(s, 0);
}

char *
safetext_lines(const char *s)
{
	return plain(s, 1);
}

char *
safetext_markdown(const char *s)
{
	char	*p, *out, *o, *lead;
	char	*line = plain(s, 0);

	/* "&amp;" is the longest a byte grows to. */
	o = out = xmalloc(5 * strlen(line) + 1);
	for (p = line; *p == ' '; p++)
		*o++ = *p;
	/* "1." and "1)" begin an ordered list: escape their mark. */
	for (lead = p; *lead >= '0' && *lead <= '9'; lead++)
		continue;
	if (lead == p || (*lead != '.' && *lead != ')'))
		lead = NULL;
	if (strchr(MARKUP_LEAD, *p) != NULL && *p != '\0')
		*o++ = '\\';
	for (; *p != '\0'; p++) {
		if (*p == '<')
			o += sprintf(o, "&lt;");
		else if (*p == '>')
			o += sprintf(o, "&gt;");
		else if (*p == '&')
			o += sprintf(o, "&amp;");
		else {
			if (strchr(MARKUP, *p) != NULL || p == lead)
				*o++ = '\\';
			*o++ = *p;
		}
	}
	*o = '\0';
	free(line);
	return out;
}

char *
safetext_json(const char *json)
{
	size_t	 len = strlen(json), off = 0, at, n;
	uint32_t cp;
	char	*out, *o;
	int	 bad;

	/* "\uXXXX" is the longest a character grows to, from 1 byte. */
	o = out = xmalloc(6 * len + 1);
	while (off < len) {
		at = off;
		n = next(json, len, &off, &cp, &bad);
		if (bad)
			o += sprintf(o, "\\ufffd");
		else if (cp >= 0x7f && unsafe(cp))
			o += sprintf(o, "\\u%04x", (unsigned)cp);
		else {
			memcpy(o, json + at, n);
			o += n;
		}
	}
	*o = '\0';
	return out;
}

void
safetext_log(char *dst, size_t len, const char *s)
{
	size_t	 slen = strlen(s), off = 0, at, n, i, used = 0;
	uint32_t cp;
	char	 esc[4 * 4 + 1];
	int	 bad;

	if (len == 0)
		return;
	while (off < slen) {
		at = off;
		n = next(s, slen, &off, &cp, &bad);
		if (!bad && cp == '\\')
			snprintf(esc, sizeof(esc), "\\\\");
		else if (!bad && cp == '\n')
			snprintf(esc, sizeof(esc), "\\n");
		else if (!bad && cp == '\r')
			snprintf(esc, sizeof(esc), "\\r");
		else if (!bad && cp == '\t')
			snprintf(esc, sizeof(esc), "\\t");
		else if (bad || unsafe(cp)) {
			for (i = 0; i < n; i++)
				snprintf(esc + 4 * i, sizeof(esc) - 4 * i,
				    "\\%03o", (unsigned char)s[at + i]);
		} else {
			memcpy(esc, s + at, n);
			esc[n] = '\0';
		}
		if (used + strlen(esc) + 1 > len)
			break;
		memcpy(dst + used, esc, strlen(esc));
		used += strlen(esc);
	}
	dst[used] = '\0';
}

int
safetext_csv_guard(const char *s)
{
	return s != NULL && s[0] != '\0' && strchr("=+-@\t\r'", s[0]) != NULL;
}
