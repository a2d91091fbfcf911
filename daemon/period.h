/*
 * The periods of the cycle: days, ISO weeks and months, their names,
 * the time they cover, and when each one's run is due.  Pure: dates
 * are computed in the process's time zone (TZ), never by adding 24 h.
 */
#ifndef HAZARDD_PERIOD_H
#define HAZARDD_PERIOD_H

#include <stddef.h>
#include <time.h>

#include "config.h"

enum cycle_kind {
	CYCLE_DAILY,
	CYCLE_WEEKLY,
	CYCLE_MONTHLY,
	CYCLE__MAX
};

/* "2026-11-24", "2026-W48", "2026-11" and the NUL. */
#define PERIOD_NAME_LEN	16

struct period {
	enum cycle_kind	 kind;
	int		 year;	/* weekly: the ISO week-numbering year */
	int		 month;	/* daily and monthly */
	int		 day;	/* daily */
	int		 week;	/* weekly: 1-53 */
};

/* "daily", "weekly", "monthly"; the reverse returns -1 if unknown. */
const char	*cycle_kind_name(enum cycle_kind);
int		 cycle_kind_parse(const char *);

/* Parses a period's name for its kind.  Returns 0, or -1. */
int	period_parse(enum cycle_kind, const char *name, struct period *p);

/* Writes the name of p.  Returns buf. */
char	*period_name(const struct period *p, char *buf, size_t len);

/* Moves p by n periods (negative: back). */
void	period_step(struct period *p, int n);

/* The period of kind that holds a civil date. */
void	period_of_date(enum cycle_kind, int year, int month, int day,
	    struct period *p);

/* The local midnights that bound p: [*start, *end). */
void	period_bounds(const struct period *p, time_t *start, time_t *end);

/*
 * When p's run is due: a day D at the daily time on D; a week at the
 * weekly day and time of the week after; a month on the monthly day
 * and time of the month after.
 */
time_t	period_run_time(const struct period *p,
	    const struct config_when *when);

/*
 * What a run of p covers: for a day, the time since the previous day's
 * run up to its own; for a week or a month, its bounds.
 */
void	period_window(const struct period *p, const struct config_when *when,
	    time_t *since, time_t *until);

/* The latest period of kind whose run is due at now (run time <= now). */
void	period_latest_due(enum cycle_kind, const struct config_when *when,
	    time_t now, struct period *p);

#endif
