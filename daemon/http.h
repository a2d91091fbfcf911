/*
 * The HTTP server: evhttp set-up, the route table, authentication, and
 * JSON in and out.  Handlers live in api_*.c.
 */
#ifndef HAZARDD_HTTP_H
#define HAZARDD_HTTP_H

#include <sys/types.h>
#include <time.h>

#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "config.h"
#include "store.h"

#define HTTP_MAX_ARGS	2

/* One request as a handler sees it. */
struct request {
	struct evhttp_request	*req;
	const struct config	*cfg;
	const char		*path;
	struct evkeyvalq	 query;
	const char		*args[HTTP_MAX_ARGS];	/* the '*' segments */
	struct principal	 who;
	time_t			 now;
	char			 today[11];	/* local date of now */
	int			 status;	/* as answered */
	size_t			 route;		/* for the metrics */
	struct timespec		 t0;		/* when it came */
	int			 after_commit;	/* see http_after_commit() */
	int			 waiting;	/* its answer waits: counted later */
	char			*commit_log;	/* logged once committed */
	int			 kept;		/* see http_keep() */
};

/*
 * Why a request is refused, found by a check that answers nothing
 * itself (so that it is pure and tests/fuzz can call it); the handler
 * answers it with http_reply_refusal().
 */
struct refusal {
	int		 status;
	const char	*code;		/* NULL: the status's */
	const char	*field;		/* may be NULL */
	char		 message[512];
};

/*
 * Binds the configured address and installs the routes.  Returns 0, or
 * -1 with the reason logged.
 */
int	http_start(struct event_base *base, const struct config *cfg);

/*
 * Listens on the address of cfg instead: binds it first, then drops the
 * old socket (connections open on it go on).  Returns 0, or -1 with the
 * reason logged and the old socket kept.
 */
int	http_rebind(const struct config *cfg);

/* Stops accepting new connections; those open may finish. */
void	http_stop_accepting(void);

/* Frees the server and its connections. */
void	http_free(void);

/* Points the server at a new configuration (after a reload). */
void	http_set_config(const struct config *cfg);

/* How an answer's JSON is written (json_dumps's flags). */
#define HTTP_JSON_FLAGS	(JSON_COMPACT | JSON_REAL_PRECISION(6))

/* Answers with a JSON value (a reference is taken from body). */
void	http_reply_json(struct request *r, int status, json_t *body);

/* Answers with text of the given content type. */
void	http_reply_text(struct request *r, int status, const char *type,
	    const char *text, size_t len);

/*
 * Answers 200 with the size bytes of the open file fd (which the answer
 * owns and closes once sent), of the given type, with Cache-Control:
 * cache and X-Content-Type-Options: nosniff.
 */
void	http_reply_file(struct request *r, const char *type, int fd,
	    off_t size, const char *cache);

/*
 * Answers with SPEC's error object.  field may be NULL.  The status
 * decides the code ("conflict", "invalid_field", ...).
 */
void	http_reply_error(struct request *r, int status, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Answers with SPEC's error object of a specific code, one of those
 * docs/API.md lists, which a client renders in its user's language (the
 * message is English, for people reading the JSON).  field and extra
 * may be NULL; extra's members join the error object (a reference is
 * taken).
 */
void	http_reply_code(struct request *r, int status, const char *code,
	    const char *field, json_t *extra, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));

/* Fills why (field may be NULL).  Returns -1. */
int	http_refuse(struct refusal *why, int status, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Fills why as http_refuse() does, with a specific code.  Returns -1. */
int	http_refuse_code(struct refusal *why, int status, const char *code,
	    const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

/* Answers a refusal as http_reply_error() does. */
void	http_reply_refusal(struct request *r, const struct refusal *why);

/*
 * Group commit: the request's work is kept in the batch of this pass
 * (db_work_keep()), so its answer, whatever http_reply_* gives next,
 * goes out only after the batch's COMMIT has returned OK; if the commit
 * fails, the answer becomes 503.
 */
void	http_after_commit(struct request *r);

/*
 * Logs a line (log_info) once the request's work is committed: at once
 * unless http_after_commit() was called.
 */
void	http_log_committed(struct request *r, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Answers 503 for a failed database. */
void	http_reply_unavailable(struct request *r);

/*
 * For an answer that comes after the handler has returned (a digest
 * being built): returns a copy of r to answer later with the http_reply
 * functions (its query and path arguments are gone), then to end with
 * http_kept_done(), which counts it and frees the copy.
 */
struct request *http_keep(struct request *r);
void	http_kept_done(struct request *k);

/*
 * Reads the request body as a JSON object.  Returns it (the caller
 * owns the reference), or NULL after answering 400, 413 or 415.  An
 * empty body is {} when empty_ok.
 */
json_t	*http_body(struct request *r, int empty_ok);

/*
 * Decodes a body as a JSON object, as http_body() does once its size
 * and its type are right.  Returns it, or NULL with why (400).  Pure.
 */
json_t	*http_body_decode(const char *buf, size_t len, struct refusal *why);

/* A query parameter, or NULL. */
const char *http_query(struct request *r, const char *name);

/*
 * Refuses query parameters not in the NULL-terminated list allowed.
 * Returns 0, or -1 after answering 422.
 */
int	http_query_only(struct request *r, const char *const *allowed);

/* The check of http_query_only() on a parsed query.  Pure. */
int	http_query_check(const struct evkeyvalq *query,
	    const char *const *allowed, struct refusal *why);

/* Parses a path id (1 to 2^53).  Returns it, or 0 if it is not one. */
int64_t	http_parse_id(const char *s);

/* Writes the metrics of the HTTP layer in Prometheus text format. */
void	http_metrics(struct evbuffer *out);

#endif
