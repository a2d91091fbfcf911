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

struct stream;

/*
 * Asks for the next piece of an answer, of about bytes (a few hundred
 * KiB at most; less where the budget is spent and the client reads):
 * it is made now or later, off the loop, and handed over with
 * stream_piece() or put off with stream_later().
 */
typedef void	(*stream_fill_cb)(struct stream *s, void *arg, size_t bytes);

/* The stream has ended: arg may be freed. */
typedef void	(*stream_done_cb)(void *arg, enum stream_end how);

/*
 * Answers req with 200 (its headers set by the caller) and the first
 * piece, taken from first, then with the pieces fill makes until the
 * last, and calls done once.
 */
void	stream_start(struct evhttp_request *req, struct evbuffer *first,
	    stream_fill_cb fill, stream_done_cb done, void *arg);

/*
 * The piece asked for: b (taken and freed), the last if last is 1;
 * last -1 cuts the answer short (the client sees it incomplete; b may
 * be NULL).  done may be called before this returns.
 */
void	stream_piece(struct stream *s, struct evbuffer *b, int last);

/* No piece now (the worker is full): asked for again a little later. */
void	stream_later(struct stream *s);

/*
 * The bytes of answers queued on all connections past which no stream
 * makes its next piece ([server] max_output).
 */
void	stream_set_budget(size_t bytes);

#endif
