/*
 * The digests of the cycle: the figures of a period as JSON (digest.c),
 * and the same as aligned plain text in Chinese or English
 * (digest_text.c).  The monthly dispatch, which a monthly digest lists,
 * is dispatch.h's.
 */
#ifndef HAZARDD_DIGEST_H
#define HAZARDD_DIGEST_H

#include <time.h>

#include <jansson.h>

#include "config.h"
#include "date.h"
#include "period.h"

/* The hex digits of the audit trail's head that a daily digest prints. */
#define DIGEST_HEAD_HEX	16

/*
 * The hazards of its window a digest lists at most, the major ones
 * first; "new_hazards_more" counts the others, which hazardctl list
 * lists (a week of a district of 3,000 schools reports thousands).
 */
#define DIGEST_NEW_MAX	100

/* One run of a period, as the cycle asks for it. */
struct digest_request {
	struct period		 period;
	int			 revision;
	const char		*trigger;	/* schedule, catchup, manual */
	time_t			 made_at;
	time_t			 since;		/* 0: the period's own start */
	const struct config	*cfg;
};

/* --- digest.c: building ------------------------------------------------ */

/*
 * Builds the digest of a period from the database, reading only: it may
 * run on a thread of its own with its own connection (db_open_reader),
 * and reads of req->cfg only its numbers and language.  A monthly one
 * lists the hazards digest_escalate escalated for the month.  Returns a
 * new JSON object, or NULL (logged).
 */
json_t	*digest_build(const struct digest_request *req);

/*
 * The window of a digest, and today as of its end: the state a digest
 * tells is the state then.  A period run before its end is told as of
 * the run.
 */
void	 digest_window(const struct digest_request *req, time_t *since,
	    time_t *until, char today[DATE_LEN]);

/* --- digest_text.c: rendering ------------------------------------------ */

/*
 * Renders a digest as plain UTF-8 text, from its JSON alone (no
 * database).  Returns a new string.
 */
char	*digest_render_text(const json_t *digest, const char *language);

/*
 * The words of a digest that its text and its robot's markdown both say
 * (titles, counts, headings), in one table so that the two say the same.
 */
enum digest_word {
	DW_TITLE_DAILY, DW_TITLE_WEEKLY, DW_TITLE_MONTHLY, DW_WEEK, DW_MONTH,
	DW_NEW, DW_RECTIFIED, DW_CLOSED, DW_OPEN, DW_OVERDUE, DW_TOTAL,
	DW_LIST_OVERDUE, DW_LIST_MAJOR, DW_FLAGGED, DW_AWAITING,
	DW_NEW_HAZARDS, DW_REJECTED, DW_WARNINGS, DW_LATE_ACKS, DW_SILENT,
	DW_SCHOOLS, DW_CATEGORIES, DW_BY_DEPARTMENT, DW_ACTIVITIES,
	DW_NO_DRILL, DW_YES, DW_NO,
	DW__MAX
};

/* The word w in English if en, else in Chinese. */
const char *digest_word(enum digest_word w, int en);

/*
 * The name of the category code in the digest's "category_names", in
 * English if en, else in Chinese; the code itself if it has none.
 */
const char *digest_category_name(const json_t *digest, const char *code,
	    int en);

/*
 * The local dates of the digest's window, its first and its last day,
 * as hazardctl list --since and --until take them: they hold the
 * window (a daily's, from 08:00 to 08:00, spans two).
 */
void	 digest_window_dates(const json_t *digest, char since[DATE_LEN],
	    char until[DATE_LEN]);

#endif
