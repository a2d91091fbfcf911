/*
 * Answers sent as fast as their clients take them.
 *
 * A long answer is made a piece at a time: the next piece only when the
 * connection's output has drained below a low-water mark, so that a
 * client that does not read holds one piece, not the whole answer, and
 * one that reads has the next piece ready before the last has gone.
 * The answers queued on all connections together are kept within a
 * budget: past it, a stream whose turn has come waits (looking again a
 * little later) until the others have drained, so that many clients
 * that do not read hold the budget at most, not a piece each.  Unless
 * its client reads: one whose socket has nothing left in the kernel's
 * queue (SIOCOUTQ), having taken all it was sent, is given a piece the
 * size of the room in the socket's buffer, which the kernel takes at
 * once, so that it pins nothing here; clients that do not read, their
 * queues full, hold the budget and wait, and a client that reads beside
 * them is not kept waiting until their time-out.  How
 * long a client may take is connguard.c's: it must take something
 * every [server] timeout seconds, and may take as long as it likes in
 * all.  A piece may be made off the loop (export.c reads its pages on
 * the worker's threads): the stream waits for it.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/sockios.h>
#include <stdlib.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include "connguard.h"
#include "log.h"
#include "stream.h"
#include "xmalloc.h"

/* The output left when the next piece is made. */
#define STREAM_LOW_WATER	(64 * 1024)
/* What a piece being made counts against the budget (its most). */
#define STREAM_PIECE		(320 * 1024)
/* The least piece made past the budget (a row may pass it). */
#define STREAM_PIECE_MIN	(16 * 1024)
/* How soon a stream waiting for the budget looks again. */
#define STREAM_RETRY_MS		50

struct stream {
	struct evhttp_request	*req;
	struct event		*retry;
	stream_fill_cb		 fill;
	stream_done_cb		 done;
	void			*arg;
	int			 filling;	/* a piece is being made */
	int			 closed;	/* meanwhile, the end came */
};

static void	stream_more(struct evhttp_connection *, void *);

/* The budget ([server] max_output), and the pieces being made. */
static size_t	budget = 16 * 1024 * 1024;
static size_t	filling;

void
stream_set_budget(size_t bytes)
{
	budget = bytes;
}

/* A piece is being made, or no longer. */
static void
stream_filling(struct stream *s, int on)
{
	if (s->filling == on)
		return;
	s->filling = on;
	if (on)
		filling++;
	else
		filling--;
}

/* Ends a stream: done is told how. */
static void
stream_free(struct stream *s, enum stream_end how)
{
	s->done(s->arg, how);
	event_free(s->retry);
	free(s);
}

/*
 * The connection closed before the answer ended (the client went away,
 * took nothing for the timeout, or the daemon stops): the request is
 * left to us if evhttp let go of it.  A piece being made off the loop
 * is waited for: the stream ends when it comes.
 */
static void
stream_closed(struct evhttp_connection *evcon, void *arg)
{
	struct stream	*s = arg;

	if (evhttp_request_get_connection(s->req) == NULL)
		evhttp_send_reply_end(s->req);
	if (s->filling)
		s->closed = 1;
	else
		stream_free(s, STREAM_CLOSED);
}

/* The budget had no room, or the piece could not be begun: again. */
static void
stream_retry(evutil_socket_t fd, short events, void *arg)
{
	struct stream			*s = arg;
	struct evhttp_connection	*evcon;

	if ((evcon = evhttp_request_get_connection(s->req)) != NULL)
		stream_more(evcon, s);
}

/*
 * The bytes the kernel would take now on the connection, if its client
 * has taken all it was sent (nothing in the socket's queue); else 0.
 */
static size_t
stream_room(struct evhttp_connection *evcon)
{
	struct bufferevent	*bev = evhttp_connection_get_bufferevent(evcon);
	evutil_socket_t		 fd = bufferevent_getfd(bev);
	socklen_t		 len = sizeof(int);
	int			 queued, sndbuf;

	if (evbuffer_get_length(bufferevent_get_output(bev)) > 0 ||
	    ioctl(fd, SIOCOUTQ, &queued) == -1 || queued > 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len) == -1)
		return 0;
	/* Linux counts its bookkeeping in SO_SNDBUF: half is for data. */
	return (size_t)sndbuf / 2;
}

/* The output has drained below the low-water mark: the next piece. */
static void
stream_more(struct evhttp_connection *evcon, void *arg)
{
	struct stream	*s = arg;
	struct timeval	 tv = { 0, STREAM_RETRY_MS * 1000 };
	size_t		 bytes = STREAM_PIECE;

	/* evhttp calls again at each write below the mark. */
	if (s->filling)
		return;
	/*
	 * The pieces being made off the loop will be queued too.  Past
	 * the budget, a client that reads gets what its socket takes.
	 */
	if (connguard_queued() + (filling + 1) * STREAM_PIECE > budget &&
	    (bytes = stream_room(evcon)) < STREAM_PIECE_MIN) {
		event_add(s->retry, &tv);
		return;
	}
	if (bytes > STREAM_PIECE)
		bytes = STREAM_PIECE;
	event_del(s->retry);
	stream_filling(s, 1);
	s->fill(s, s->arg, bytes);
}

void
stream_later(struct stream *s)
{
	struct timeval	tv = { 0, STREAM_RETRY_MS * 1000 };

	stream_filling(s, 0);
	if (s->closed)
		stream_free(s, STREAM_CLOSED);
	else
		event_add(s->retry, &tv);
}

void
stream_piece(struct stream *s, struct evbuffer *b, int last)
{
	struct evhttp_connection	*evcon;

	stream_filling(s, 0);
	if (s->closed) {
		if (b != NULL)
			evbuffer_free(b);
		stream_free(s, STREAM_CLOSED);
		return;
	}
	evcon = evhttp_request_get_connection(s->req);
	if (last == -1) {
		if (b != NULL)
			evbuffer_free(b);
		evhttp_connection_set_closecb(evcon, NULL, NULL);
		stream_free(s, STREAM_CUT);
		evhttp_connection_free(evcon);
		return;
	}
	if (last) {
		/*
		 * evhttp frees a connection to close once it has drained
		 * to the mark.
		 */
		bufferevent_setwatermark(evhttp_connection_get_bufferevent(
		    evcon), EV_WRITE, 0, 0);
		evhttp_connection_set_closecb(evcon, NULL, NULL);
		evhttp_send_reply_chunk(s->req, b);
		evhttp_send_reply_end(s->req);
		stream_free(s, STREAM_SENT);
	} else if (evbuffer_get_length(b) == 0) {
		/*
		 * An empty piece (a page that found nothing in its walk) is
		 * no write to call back: the next is asked for once the
		 * loop has run what waits.
		 */
		event_active(s->retry, EV_TIMEOUT, 1);
	} else
		evhttp_send_reply_chunk_with_cb(s->req, b, stream_more, s);
	evbuffer_free(b);
}

void
stream_start(struct evhttp_request *req, struct evbuffer *first,
    stream_fill_cb fill, stream_done_cb done, void *arg)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	struct stream			*s;

	s = xcalloc(1, sizeof(*s));
	s->req = req;
	s->fill = fill;
	s->done = done;
	s->arg = arg;
	evhttp_send_reply_start(req, 200, "OK");
	evcon = evhttp_request_get_connection(req);
	bev = evhttp_connection_get_bufferevent(evcon);
	s->retry = evtimer_new(bufferevent_get_base(bev), stream_retry, s);
	if (s->retry == NULL)
		fatalx("evtimer_new");
	evhttp_connection_set_closecb(evcon, stream_closed, s);
	bufferevent_setwatermark(bev, EV_WRITE, STREAM_LOW_WATER, 0);
	evhttp_send_reply_chunk_with_cb(req, first, stream_more, s);
}
