/*
 * Maintenance commands that work on the database file without the
 * server, and beside a running one: hazardd backup and hazardd check.
 */
#ifndef HAZARDD_MAINT_H
#define HAZARDD_MAINT_H

#include "category.h"

/*
 * hazardd backup DEST: copies the database at database to the new file
 * DEST with SQLite's online backup API, one consistent snapshot even
 * while hazardd writes (WAL).  argv[0] is "backup".  Returns the exit
 * code: 0, 1 (failed, the reason logged, DEST not created) or 2 (usage).
 */
int	maint_backup(const char *database, int argc, char *argv[]);

/*
 * hazardd check: PRAGMA integrity_check and foreign_key_check of the
 * database, its schema version, and the categories of its hazards that
 * are not in cs (told, no fault), printed on stdout.  argv[0] is
 * "check".  Returns the exit code: 0 healthy, 1 not (or cannot open),
 * 2 usage.
 */
int	maint_check(const char *database, const struct categories *cs,
	    int argc, char *argv[]);

/*
 * hazardd verify [--head ID:HEX]: walks the audit trail's hash chain
 * (store_chain_verify) and prints how far it matches, the first event
 * that does not, and whether the chain passes through the head given.
 * argv[0] is "verify".  Returns the exit code: 0 it all matches, 1 not
 * (or cannot read), 2 usage.
 */
int	maint_verify(const char *database, int argc, char *argv[]);

#endif
