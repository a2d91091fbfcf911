/*
 * Requests to hazardd over HTTP with libcurl: JSON in, JSON out.
 */
#ifndef HAZARDCTL_CONN_H
#define HAZARDCTL_CONN_H

#include <stdio.h>

#include <jansson.h>

#define CONN_CONNECT_TIMEOUT	5L	/* seconds to connect */
#define CONN_TIMEOUT		30L	/* seconds for the whole request */
#define CYCLE_RUN_TIMEOUT	600L	/* and for a run of a cycle's period */
#define CONN_BODY_MAX		(64UL << 20)	/* the largest answer */

struct conn;

/* One request. */
struct conn_req {
	const char	*method;	/* "GET", "POST" or "DELETE" */
	const char	*path;		/* "/v1/hazards" */
	json_t		*query;		/* parameters (strings) or NULL */
	json_t		*body;		/* NULL: "{}" for a POST */
	const char	*key;		/* Idempotency-Key, or NULL */
};

/* Its answer. */
struct conn_reply {
	long		 status;	/* the HTTP status */
	json_t		*json;		/* the body if JSON, else NULL */
	long		 retry_after;	/* its Retry-After in seconds, or 0 */
	int		 tries;		/* ctl.c's: the requests sent */
	long		 waited;	/* and the milliseconds between */
	char		 error[256];	/* why there was no answer */
};

/*
 * Prepares requests to the server at base URL server (a trailing slash
 * is ignored), with token as the bearer token unless it is NULL.
 */
struct conn	*conn_open(const char *server, const char *token);

void		 conn_close(struct conn *);

/* Gives each next request seconds in all (CONN_TIMEOUT at first). */
void		 conn_timeout(struct conn *, long seconds);

/*
 * Sends req and waits for the answer.  Returns 0 with reply filled (the
 * caller frees reply->json), or -1 when there was no answer, with
 * reply->error saying why.  Connections are kept for the next request.
 */
int		 conn_request(struct conn *, const struct conn_req *,
		    struct conn_reply *reply);

/*
 * A request that sends a file as its body, or writes its answer to a
 * file as it arrives (an import, an export), however large.
 */
struct conn_xfer {
	const char	*method;	/* "GET" or "POST" */
	const char	*path;
	json_t		*query;		/* parameters (strings) or NULL */
	FILE		*upload;	/* the body is read from here, or NULL */
	long long	 upload_size;	/* its bytes, or -1: unknown (chunked) */
	const char	*upload_type;	/* its Content-Type */
	const char	*accept;	/* the Accept header */
	const char	*header;	/* one more ("Name: value"), or NULL */
	FILE		*download;	/* a 2xx answer's body goes here */
	const char	*prefix;	/* written before that body, or NULL */
	long		 idle;		/* seconds without progress: give up */
};

/*
 * Sends x.  Returns 0 with reply filled (a 2xx answer's body written to
 * x->download when there is one, else read as JSON into reply->json),
 * or -1 when there was no whole answer, with reply->error saying why.
 */
int		 conn_transfer(struct conn *, const struct conn_xfer *x,
		    struct conn_reply *reply);

#endif
