/*
 * Importing historic records from a district's spreadsheet (CSV): the
 * columns, the header row, and the checks of each row.  Pure but for
 * the SHA-256 of a row: no database, no network.  The store and the
 * handler are in store_import.c and api_import.c.
 */
#ifndef HAZARDD_IMPORT_H
#define HAZARDD_IMPORT_H

#include <stddef.h>
#include <time.h>

#include "csv.h"
#include "hazard.h"

/*
 * The columns, in the order an export writes them.  An import reads
 * id and school_name not at all (the database it goes into numbers the
 * hazards and names the schools); rectified_at and the two notes make
 * the imported hazard's trail.
 */
enum import_column {
	IMPORT_ID,
	IMPORT_KIND,
	IMPORT_SCHOOL,
	IMPORT_SCHOOL_NAME,
	IMPORT_CATEGORY,
	IMPORT_GRADE,
	IMPORT_TITLE,
	IMPORT_DESCRIPTION,
	IMPORT_LOCATION,
	IMPORT_RESPONSIBLE,
	IMPORT_DEPARTMENT,
	IMPORT_DEADLINE,
	IMPORT_PLAN,
	IMPORT_ASSESSMENT,
	IMPORT_FUNDS,
	IMPORT_CONTINGENCY,
	IMPORT_STATE,
	IMPORT_REPORTED_AT,
	IMPORT_RECTIFIED_AT,
	IMPORT_RECTIFY_NOTE,
	IMPORT_REJECT_NOTE,
	IMPORT_CLOSED_AT,
	IMPORT_KEY,
	IMPORT__MAX
};

/*
 * The columns of a file of activities, in the order an export writes
 * them; id, school_name, recorded_by and recorded_at are not read (the
 * import records them as its own).
 */
enum import_activity_column {
	IMPORT_A_ID,
	IMPORT_A_SCHOOL,
	IMPORT_A_SCHOOL_NAME,
	IMPORT_A_TYPE,
	IMPORT_A_SUBTYPE,
	IMPORT_A_DATE,
	IMPORT_A_COUNT,
	IMPORT_A_NOTE,
	IMPORT_A_RECORDED_BY,
	IMPORT_A_RECORDED_AT,
	IMPORT_A_KEY,
	IMPORT_A__MAX
};

/* What a file holds: hazards, or activities. */
enum import_records {
	IMPORT_HAZARDS,
	IMPORT_ACTIVITIES
};

/* At most this many problems are kept; all are counted. */
#define IMPORT_ERRORS_MAX	1000
/* A key made from a row's content: "csv-", 40 hex digits, "-N". */
#define IMPORT_KEY_LEN		64

/* One problem of the file: its row (the header is row 1) and column. */
struct import_error {
	long		 row;
	const char	*field;		/* a column's name, or NULL */
	char		 message[256];
};

struct import_errors {
	struct import_error	*list;	/* the first ones, kept */
	size_t			 n;
	size_t			 cap;	/* of list, which grows */
	long			 total;	/* every problem */
	long			 rows;	/* rows with one at least */
	long			 last_row;
};

/* Where each column stands in the file's records; -1 if absent. */
struct import_header {
	enum import_records	 records;
	int			 col[IMPORT__MAX];
	int			 nfields;
};

/*
 * What a row tells of its hazard's trail: when the school last rectified
 * it (0: never) and its note (NULL: "imported"), and whether the office
 * rejected that since (an open row), with its note.
 */
struct import_trail {
	time_t		 rectified_at;
	const char	*rectify_note;
	int		 rejected;
	const char	*reject_note;
};

/* A good row.  Its strings point into the csv's current record. */
struct import_row {
	struct hazard	 h;		/* never hazard_clear() it */
	const char	*school;	/* code */
	const char	*key;		/* NULL: the row has none */
	struct import_trail trail;
};

/* The name of a column. */
const char	*import_column_name(enum import_column);

/* The Chinese name of a column, which an import takes as well. */
const char	*import_column_zh(enum import_column);

/* Records a problem of row (field may be NULL). */
void	import_error(struct import_errors *, long row, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Sorts the problems kept by row, in the order they were found. */
void	import_errors_sort(struct import_errors *);

void	import_errors_free(struct import_errors *);

/*
 * The value of a column in the current record, less the guard ' that an
 * export puts before a value a spreadsheet would take for a formula
 * (safetext_csv_guard()); NULL if absent or empty.
 */
const char	*import_value(const struct import_header *, const struct csv *,
		    int col, size_t *len);

/*
 * Reads the header row (the csv's current record) of a file of records:
 * every name known (in English or Chinese), none twice, those required
 * present (hazards: school, category, title and reported_at;
 * activities: school, type and date).  Returns 0, or -1 with the
 * problems recorded.
 */
int	import_header_read(struct import_header *, enum import_records,
	    const struct csv *, struct import_errors *);

/*
 * Checks the csv's current record as a hazard imported at now and fills
 * row.  Returns 0 for a good row, 1 for a blank one (every field empty:
 * skipped), or -1 with every problem recorded.  The school and the key
 * are checked for their form only; row->school is set, even in a bad
 * row, if it has the form of a code.
 */
int	import_row_read(const struct import_header *, const struct csv *,
	    time_t now, struct import_row *, struct import_errors *);

/*
 * A good row of activities.  Its strings point into the csv's current
 * record or the vocabulary.
 */
struct import_activity {
	const char	*school;	/* code */
	const char	*type;		/* code */
	const char	*subtype;	/* code, or NULL */
	char		 date[11];
	long		 count;
	const char	*note;
	const char	*key;		/* NULL: the row has none */
};

/*
 * Checks the csv's current record as an activity of a file imported
 * on today (a local date) and fills row: a type and subtype of the
 * vocabulary (code or name), a date not after today, a count above 0
 * (empty: 1).  Returns 0, 1 for a blank row, or -1 with every problem
 * recorded; row->school is set as import_row_read() sets it.
 */
int	import_activity_read(const struct import_header *, const struct csv *,
	    const char *today, struct import_activity *,
	    struct import_errors *);

/*
 * Makes the key of a row that has none from its values: "csv-" and 40
 * hex digits of their SHA-256, so that the same row imported again has
 * the same key.  Returns 0, or -1 if the digest failed.
 */
int	import_row_key(const struct import_header *, const struct csv *,
	    char out[IMPORT_KEY_LEN]);

#endif
