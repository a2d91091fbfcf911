/*
 * The handlers of the HTTP API, one file per resource.  Each answers
 * the request it is given, exactly once.
 */
#ifndef HAZARDD_API_H
#define HAZARDD_API_H

#include <jansson.h>

#include "category.h"
#include "hazard.h"
#include "http.h"
#include "store.h"
#include "token.h"

/* api_audit.c */
void	api_audit_verify(struct request *);

/* api_hazards.c */
void	api_hazard_create(struct request *);
void	api_hazard_get(struct request *);
void	api_hazard_list(struct request *);
void	api_hazard_action(struct request *);
void	api_hazard_events(struct request *);

/* api_photos.c: a hazard's photos. */
void	api_photo_add(struct request *);
void	api_photo_get(struct request *);

/*
 * The photos of hazard id as GET /v1/hazards/{id} lists them, or NULL
 * (the store failed, logged).
 */
json_t	*api_photo_list(int64_t id);

/*
 * Removes the files of the photos of database that no row names (a
 * crash came between the file and its row): before hazardd serves.
 * Returns 0, or -1 logged.
 */
int	api_photo_sweep(const char *database);

/*
 * The checks that api_hazard_create and api_hazard_action make of a
 * body alone (after its size and type), before the token's school, the
 * Idempotency-Key header or the database: pure, for tests/fuzz.
 *
 * api_report_check() returns the decoded body with the report in h
 * (its strings point into the body; never hazard_clear() h) and the
 * school and key members (NULL if absent), or NULL with why.
 * api_action_check() returns 0 with an assessment applied to h (as
 * copies, with what changed in changes), or -1 with why.
 */
json_t	*api_report_check(const char *body, size_t len, struct hazard *h,
	    const char **school, const char **key, struct refusal *why);
int	 api_action_check(enum hazard_action a, const char *body, size_t len,
	    struct hazard *h, json_t *changes, struct refusal *why);

/*
 * The code of the category a client named by its code or either name,
 * or NULL with why: a 422 that lists the codes.
 */
const char *api_category(const struct categories *cs, const char *given,
	    struct refusal *why);

/*
 * The checks of GET /v1/hazards on a query string (but the school, a
 * database's): parsed into q (evhttp_clear_headers() it), with the
 * filters in f and the page's limit.  Returns 0, or -1 with why.  Pure.
 */
int	api_list_check(const char *query, struct evkeyvalq *q,
	    struct hazard_filter *f, long *limit, struct refusal *why);

/* api_report.c */
void	api_rate(struct request *);
void	api_stats(struct request *);
void	api_today(struct request *);
void	api_yearbook(struct request *);

/*
 * Reads the query's as_of (or its older name at): an RFC 3339 instant,
 * or a date ("2022-12-31", "2022/12/31") meaning the end of that day in
 * the configured zone, in *at.  Returns 1, 0 if the query has neither
 * (*at is the request's now), or -1 answered: 422 invalid_field for
 * what is no time, 422 as_of_range for a time in the future or before
 * the audit trail's first event.
 */
int	api_as_of(struct request *, time_t *at);
void	api_healthz(struct request *);
void	api_metrics(struct request *);

/*
 * api_import.c: POST /v1/import, CSV in, and GET /v1/imports/{id}, its
 * progress; api_export.c: GET /v1/export.
 */
void	api_import(struct request *);
void	api_import_get(struct request *);
void	api_export(struct request *);

/*
 * Imports run on a thread of their own: import_start() sets up how the
 * loop hears of them; import_stop() stops the one running (its work is
 * undone), answers those waiting 503 and frees them all.
 */
struct event_base;
int	import_start(struct event_base *);
void	import_stop(void);

/* api_cycle.c */
void	api_cycle_run(struct request *);
void	api_digest_list(struct request *);
void	api_digest_get(struct request *);

/*
 * Answers with a stored digest, as JSON or as its text, read on the
 * worker (worker.c): the answer goes after the handler has returned.
 */
void	api_digest_reply(struct request *r, int status, int64_t id,
	    int as_text);

/* api_warnings.c */
void	api_warning_create(struct request *);
void	api_warning_list(struct request *);
void	api_warning_ack(struct request *);

/* api_activities.c */
void	api_activity_create(struct request *);
void	api_activity_list(struct request *);
void	api_activity_stats(struct request *);

/* The filters of an activity query, with the texts they point to. */
struct activity_query {
	struct activity_filter	 f;
	char			 type[32];
	char			 subtype[32];
	char			 from[11];
	char			 to[11];
};

/*
 * Reads the filters of an activity query (school, type, subtype, from,
 * to) into q, scoped to the requester's school.  Returns 0, or -1 after
 * answering 422 (or 503).
 */
int	api_activity_filter(struct request *r, struct activity_query *q);

/* The JSON of an activity (GET /v1/activities' and an export's). */
json_t	*api_activity_json(const struct activity *a);

/* api_admin.c */
void	api_school_list(struct request *);
void	api_school_update(struct request *);
void	api_school_create(struct request *);
void	api_school_robot_set(struct request *);
void	api_school_robot_clear(struct request *);
void	api_token_list(struct request *);
void	api_token_create(struct request *);
void	api_token_revoke(struct request *);
void	api_category_list(struct request *);

/*
 * api_web.c: the web interface, GET / and GET /ui/NAME, from the files
 * of web/ built into the binary (webfiles.c, made by web/embed.sh);
 * GET /v1/whoami, what the page asks first.
 */
struct webfile {
	const char		*name;		/* NULL ends the table */
	const char		*type;		/* Content-Type */
	const unsigned char	*data;
	size_t			 len;
	const char		*etag;		/* quoted, its version */
};
extern const struct webfile webfiles[];

void	api_web_index(struct request *);
void	api_web_file(struct request *);
void	api_whoami(struct request *);

/*
 * Reads the filters of a hazard query (kind, state, school, category,
 * grade, overdue, since, until) into f, scoped to the requester's
 * school.  Returns 0, or -1 after answering 422.
 */
int	api_filter(struct request *r, struct hazard_filter *f);

/*
 * Reads ?school= into *school_id (left alone if absent): a school the
 * caller may see, else 422 unknown_school, in the words of one that does
 * not exist.  Returns 0, or -1 answered.
 */
int	api_school_query(struct request *r, int64_t *school_id);

#endif
