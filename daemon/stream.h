/*
 * Answers sent as fast as their clients take them: a long answer (an
 * export) is made a piece at a time, the next piece only when the last
 * has nearly gone out.
 */
#ifndef HAZARDD_STREAM_H
#define HAZARDD_STREAM_H

#include <event2/buffer.h>
#include <event2/http.h>

/* How a stream ended, for its done callback. */
enum stream_end {
	STREAM_SENT,		/* all of it went out */
	STREAM_CUT,		/* fill failed: cut short */
	STREAM_CLOSED		/* the connection closed first */
};

/*
 * Makes the next piece of an answer into b (a few hundred KiB at most).
 * Returns 1 if it was the last, 0 if more follows, or -1 to cut the
 * answer short (the client sees it incomplete).
 */
typedef int	(*stream_fill_cb)(struct evbuffer *b, void *arg);

/* The stream has ended: arg may be freed. */
typedef void	(*stream_done_cb)(void *arg, enum stream_end how);

/*
 * Answers req with 200 (its headers set by the caller) and the first
 * piece, taken from first, then with what fill makes until it returns
 * 1, and calls done once.
 */
void	stream_start(struct evhttp_request *req, struct evbuffer *first,
	    stream_fill_cb fill, stream_done_cb done, void *arg);

#endif
