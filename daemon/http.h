/*
 * The HTTP server: evhttp set-up, the route table, authentication, and
 * JSON in and out.  Handlers live in api_*.c.
 */
#ifndef HAZARDD_HTTP_H
#define HAZARDD_HTTP_H

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

/* Answers with a JSON value (a reference is taken from body). */
void	http_reply_json(struct request *r, int status, json_t *body);

/* Answers with text of the given content type. */
void	http_reply_text(struct request *r, int status, const char *type,
	    const char *text, size_t len);

/*
 * Answers with SPEC's error object.  field may be NULL.  The status
 * decides the code ("conflict", "invalid_field", ...).
 */
void	http_reply_error(struct request *r, int status, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Answers 503 for a failed database. */
void	http_reply_unavailable(struct request *r);

/*
 * Reads the request body as a JSON object.  Returns it (the caller
 * owns the reference), or NULL after answering 400, 413 or 415.  An
 * empty body is {} when empty_ok.
 */
json_t	*http_body(struct request *r, int empty_ok);

/* A query parameter, or NULL. */
const char *http_query(struct request *r, const char *name);

/*
 * Refuses query parameters not in the NULL-terminated list allowed.
 * Returns 0, or -1 after answering 422.
 */
int	http_query_only(struct request *r, const char *const *allowed);

/* Parses a path id (1 to 2^53).  Returns it, or 0 if it is not one. */
int64_t	http_parse_id(const char *s);

/* Writes the metrics of the HTTP layer in Prometheus text format. */
void	http_metrics(struct evbuffer *out);

#endif
