/*
 * Text that schools and the office wrote, made safe for each kind of
 * output it goes to: a line of plain text, lines for a terminal, a line
 * of markdown for a group robot, a log line, a cell of a spreadsheet.
 * Chinese (and any other printable) text passes through as it is; what
 * is made harmless is the C0 and C1 controls, DEL, the bidirectional
 * overrides and isolates (U+202A-202E, U+2066-2069), the line and
 * paragraph separators (U+2028, U+2029) and bytes that are not UTF-8.
 */
#ifndef HAZARD_SAFETEXT_H
#define HAZARD_SAFETEXT_H

#include <stddef.h>

/*
 * Returns s on one line, as a new string: every unsafe character (line
 * breaks and tabs included) becomes a space, every byte that is not
 * UTF-8 a '?'.
 */
char	*safetext_plain(const char *s);

/*
 * Returns s as safetext_plain() does, but with its line feeds kept: a
 * text of many lines for a terminal.  A carriage return is no line end
 * here: it would let a line overwrite the one before.
 */
char	*safetext_lines(const char *s);

/*
 * Returns s as one line of markdown that shows s as it is: plain, then
 * the markup characters backslash-escaped (` * _ [ ] # | ~ and the
 * backslash wherever they stand; - + = and the mark of "1." only at the
 * start, where they begin a list or an underline), and <, > and &
 * written as HTML entities, so that nothing in s can make a heading, a link, an
 * image, emphasis, a list, a quote, a table or an HTML tag.
 */
char	*safetext_markdown(const char *s);

/*
 * Returns the JSON text json with every unsafe character from DEL on
 * written as a \uXXXX escape: JSON that means the same, which a
 * terminal can show.  (Those can stand only inside strings, where
 * jansson already escapes the C0 controls; outside them, line feeds and
 * spaces are the layout and stay.)
 */
char	*safetext_json(const char *json);

/*
 * Writes s into dst for a log line, escaped as strnvis(3) does with
 * VIS_CSTYLE and VIS_OCTAL: \n, \r, \t, a doubled backslash, and \ooo
 * for each byte of every other unsafe character; printable UTF-8 text
 * stays as it is.  Writes at most len bytes with the NUL, cutting
 * neither an escape nor a character.  Allocates nothing, so that even
 * the log of running out of memory can use it.
 */
void	 safetext_log(char *dst, size_t len, const char *s);

/*
 * Returns 1 if a spreadsheet would take the cell s for a formula (it
 * starts with =, +, -, @, a tab or a carriage return) or if s starts
 * with the guard ' itself; 0 otherwise.  Such a cell is written with a
 * ' before it, which an import takes away again.
 */
int	 safetext_csv_guard(const char *s);

/* The character put before a cell that safetext_csv_guard() names. */
#define SAFETEXT_CSV_GUARD	'\''

#endif
