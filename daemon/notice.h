/*
 * Notices to a school's own group robot: what the school must act on,
 * in markdown for a phone.  Each is stored with its delivery in the
 * caller's transaction (store_notice_add), once, and only for a school
 * that has a robot; deliver.c sends it as it sends digests.
 */
#ifndef HAZARDD_NOTICE_H
#define HAZARDD_NOTICE_H

#include <stdint.h>
#include <time.h>

/*
 * The office rejected a rectification: the hazard, and the office's
 * note.  about names the event.  Returns 0, or -1 (logged).
 */
int	notice_rejection(int64_t school_id, int64_t event_id,
	    int64_t hazard_id, const char *title, const char *note,
	    const char *language, time_t now);

/*
 * A warning issued: its whole body, to each school it goes to.  Returns
 * 0, or -1 (logged).
 */
int	notice_warning(int64_t warning_id, const char *title,
	    const char *body, const char *language, time_t now);

/*
 * The morning's notices of period (a daily's name, its date today):
 * each school with a robot is told of its hazards overdue and due
 * within due_soon_days, those whose rectification the office rejected
 * (to do again), and the warnings it has not acknowledged; a school
 * with none of these is told nothing.  Returns 0, or -1 (logged).
 */
int	notice_morning(const char *period, const char *today,
	    int due_soon_days, const char *language, time_t now);

#endif
