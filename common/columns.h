/*
 * The columns of an export and of an import, for both programs: hazardd
 * writes and reads them as CSV, hazardctl writes them into a workbook.
 */
#ifndef HAZARD_COLUMNS_H
#define HAZARD_COLUMNS_H

/* How many columns there are. */
#define COLUMNS_MAX	23

/*
 * A column: its name (in a CSV's header, and the member of a hazard in
 * the JSON export, but reject_note: "rejected"'s "note") and its
 * Chinese name (the digests' words where they have one).
 */
struct column {
	const char	*name;
	const char	*zh;
};

/* The columns, in the order an export writes them (enum import_column). */
extern const struct column columns[COLUMNS_MAX];

/* How many columns an export of activities has. */
#define ACTIVITY_COLUMNS_MAX	11

/*
 * The columns of an export and an import of activities, in the order an
 * export writes them (enum import_activity_column); the member of an
 * activity in the JSON export.
 */
extern const struct column activity_columns[ACTIVITY_COLUMNS_MAX];

#endif
