/*
 * The outbox: the directory where each digest is written as .txt,
 * .json and .md (the robot's markdown), for people and programs that
 * read files.
 */
#ifndef HAZARDD_OUTBOX_H
#define HAZARDD_OUTBOX_H

#include "config.h"

/*
 * Writes a digest to the outbox as .txt, .json and .md (the robot's
 * markdown; outbox_write_digest makes it from the JSON when md is NULL),
 * atomically, and
 * marks it written.  Returns 0, or -1 (logged; tried again later).
 * In two steps: outbox_stage() writes and syncs the temporary files
 * (it touches nothing else: a thread may call it), and once the digest
 * is committed outbox_publish() renames them and marks it written;
 * outbox_unstage() removes them when the digest was not committed.
 */
struct digest_meta;
int	outbox_write_digest(const struct config *cfg,
	    const struct digest_meta *m, const char *text, const char *json,
	    const char *md);
int	outbox_stage(const char *dir, const char *kind, const char *period,
	    int revision, const char *text, const char *json, const char *md);
int	outbox_publish(const char *dir, const struct digest_meta *m);
void	outbox_unstage(const char *dir, const struct digest_meta *m);

/*
 * Writes every digest that the outbox lacks (a write that failed, or
 * was cut short by a stop); a digest that fails again waits for the
 * next flush.
 */
void	outbox_flush(const struct config *cfg);

#endif
