/*
 * A digest as a group robot's message: markdown made from the digest's
 * JSON for a phone, where a proportional font and collapsed spaces
 * would break any table.  Every row is a list item that needs no
 * alignment, every section has a heading and a cap, and every text from
 * schools or the office is escaped for markdown.
 */
#ifndef HAZARDD_DIGEST_ROBOT_H
#define HAZARDD_DIGEST_ROBOT_H

#include <stddef.h>

#include <jansson.h>

/* How many rows a section shows when nothing is configured. */
#define DIGEST_ROBOT_ROWS	10

/*
 * Renders a digest (the JSON of digest_build) as markdown in "zh" or
 * "en", each section cut after rows rows with a line that says how many
 * more there are and where to read them all.  Returns a new string.
 */
char	*digest_render_robot(const json_t *digest, const char *language,
	    size_t rows);

#endif
