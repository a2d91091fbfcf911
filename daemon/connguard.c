/*
 * Guarding the server's connections.
 *
 * Request deadlines.  evhttp (libevent 2.1) times a connection out only
 * when it sends nothing for [server] timeout seconds, so a client that
 * dribbles a byte of its headers every few seconds (a slow loris) holds
 * its connection for ever.  Every connection's bufferevent is made here
 * and watched: from the moment a request may begin (the connection is
 * accepted, or the previous answer has gone) it must arrive in full
 * within the timeout, plus a second for each KiB received (so that a
 * large import on a slow line is not cut, while a client that sends less
 * than that is), or the socket is shut down, which evhttp reads as the
 * end of the connection and frees it.  A reference is held on each
 * bufferevent so that it can be looked at after evhttp has freed its
 * connection (bufferevent_free() clears its callbacks); the sweep then
 * lets it go, and with it the socket, or at once the connection's close
 * callback, set when its first request arrives.
 *
 * Memory.  evhttp holds each request's body until it has arrived whole,
 * and a body may be as large as an import, before anyone has said who
 * they are: a few clients that send most of a large body and then
 * trickle the rest would hold that much memory each, for as long as the
 * deadline above allows.  So the bytes of the requests still arriving
 * are added up at each sweep, and past the budget (twice the largest
 * body evhttp takes) the connections that send slowest are shut down
 * until the rest fit.  The sum is kept as bytes come, so that the
 * budget holds between sweeps too (a few clients on a fast line send
 * hundreds of megabytes in a quarter of a second), and what comes on a
 * connection shut down is dropped.
 *
 * The bytes queued on the connections' output (answers their clients
 * have not taken yet) are counted too, for the streams to keep within
 * their own budget (stream.c).  Once what the connections held has
 * gone, the heap is trimmed (malloc_trim), so that the daemon's memory
 * comes back down after a burst.
 *
 * Answers.  evhttp times out a connection it writes an answer to for
 * reading too (it reads to see the connection close), and re-arms that
 * time-out only when it is handed more to write: a client that keeps
 * reading, but takes longer than the timeout over an answer (or a
 * piece of an export), would be cut.  So while a request is answered
 * its connection has no read time-out: the write time-out alone, which
 * starts again at each write that makes progress, cuts a client that
 * has taken nothing for [server] timeout seconds.  It is put back once
 * the answer has gone.
 *
 * File descriptors.  The soft limit is raised to the hard one (systemd
 * gives 1024 and 524288; libevent uses epoll, not select), and when
 * accept() finds no descriptor left the connection waiting is shed,
 * through a spare descriptor kept for that, instead of the listener
 * firing again at once for ever (and logging each time).
 */
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "connguard.h"
#include "log.h"

/* How often the sweep looks, in milliseconds. */
#define SWEEP_MS	250
/* The bytes a second that earn a request more time than the timeout. */
#define MIN_RATE	1024
/* The heap is trimmed once the connections have let go of this much
 * since the most they held (and at most a quarter of that is left). */
#define TRIM_AFTER	(8 << 20)

struct watched {
	LIST_ENTRY(watched)	 entry;
	struct bufferevent	*bev;
	struct evbuffer_cb_entry *counter;	/* on its input */
	struct evbuffer_cb_entry *queuer;	/* on its output */
	size_t			 received;	/* bytes since "since" */
	size_t			 queued;	/* bytes in its output */
	double			 since;		/* a request may begin */
	int			 busy;		/* being answered */
	int			 shut;		/* shut down by the sweep */
	struct connguard_seen	 seen;		/* see connguard_seen() */
};

static struct {
	LIST_HEAD(, watched)	 conns;
	struct event		*sweep;
	double			 last;		/* the previous sweep */
	int			 timeout;
	size_t			 budget;	/* bytes of requests arriving */
	size_t			 arriving;	/* at most, since keep_budget */
	size_t			 queued;	/* bytes of answers queued */
	size_t			 queued_max;	/* the most, since the start */
	size_t			 held;		/* most of both, since a trim */
	int			 trim_due;	/* at the next sweep */
	unsigned long		 cut;		/* shut down for the budget */
	int			 spare;		/* for shedding at EMFILE */
	time_t			 shed_logged;
	unsigned long		 shed;
} dl = { LIST_HEAD_INITIALIZER(dl.conns), NULL, 0, 30, 0, 0, 0, 0, 0, 0, 0,
    -1, 0, 0 };

static void	count(struct evbuffer *, const struct evbuffer_cb_info *,
		    void *);
static void	count_out(struct evbuffer *, const struct evbuffer_cb_info *,
		    void *);
static int	shut(struct watched *);
static void	keep_budget(double);
static void	trim(void);

static double
now_mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Whether evhttp still has the connection: it always has an event
 * callback on it, and bufferevent_free() clears it. */
static int
alive(struct bufferevent *bev)
{
	bufferevent_event_cb	eventcb = NULL;

	bufferevent_getcb(bev, NULL, NULL, &eventcb, NULL);
	return eventcb != NULL;
}

static void
forget(struct watched *w)
{
	LIST_REMOVE(w, entry);
	if (w->counter != NULL)
		evbuffer_remove_cb_entry(bufferevent_get_input(w->bev),
		    w->counter);
	if (w->queuer != NULL)
		evbuffer_remove_cb_entry(bufferevent_get_output(w->bev),
		    w->queuer);
	dl.queued -= w->queued;
	bufferevent_decref(w->bev);
	free(w);
}

static void
sweep(evutil_socket_t fd, short events, void *arg)
{
	struct watched	*w, *next;
	double		 now = now_mono(), stalled;

	/*
	 * The loop was busy (a long digest or import): the time it stood
	 * still counts against no client.
	 */
	stalled = now - dl.last - 2 * SWEEP_MS / 1000.0;
	dl.last = now;
	for (w = LIST_FIRST(&dl.conns); w != NULL; w = next) {
		next = LIST_NEXT(w, entry);
		if (!alive(w->bev)) {
			forget(w);
			continue;
		}
		if (stalled > 0)
			w->since += stalled;
		if (w->busy || w->shut || now - w->since <
		    dl.timeout + (double)w->received / MIN_RATE)
			continue;
		if (shut(w) == 0)
			log_debug("closing a connection whose request took "
			    "more than %d s to arrive", dl.timeout);
	}
	keep_budget(now);
	trim();
}

/*
 * Gives the heap back to the system once the buffers of a burst have
 * gone: glibc keeps what was freed for the next allocation, and the
 * daemon would stay as large as its busiest moment.  A bufferevent let
 * go of is freed by the loop after the sweep: the trim waits for the
 * next.
 */
static void
trim(void)
{
	size_t	now = dl.arriving + dl.queued;

	if (dl.trim_due) {
		malloc_trim(0);
		dl.trim_due = 0;
	}
	if (now > dl.held)
		dl.held = now;
	if (dl.held - now < TRIM_AFTER || now > dl.held / 4)
		return;
	dl.trim_due = 1;
	dl.held = now;
}

/*
 * Shuts down w's socket: evhttp reads that as the end of the
 * connection, and frees it.  Its close then resets the connection (as
 * nginx's reset_timedout_connection): closed gently, a socket whose
 * peer still sends stays in the kernel, orphaned with its buffers, until
 * tcp_fin_timeout, and the peer waits on a window of zero for a minute
 * or two.  Returns 0, or -1 if it has none.
 */
static int
shut(struct watched *w)
{
	struct linger	reset = { 1, 0 };
	evutil_socket_t	s;

	if ((s = bufferevent_getfd(w->bev)) == -1)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
	shutdown(s, SHUT_RDWR);
	w->shut = 1;
	return 0;
}

/*
 * Keeps the bytes of the requests still arriving within the budget:
 * past it, the connections that send slowest (bytes a second since
 * their request began) are shut down first.
 */
static void
keep_budget(double now)
{
	struct watched	*w, *slowest;
	size_t		 total = 0;
	unsigned long	 n = 0;
	double		 rate, lowest;

	LIST_FOREACH(w, &dl.conns, entry)
		if (!w->busy && !w->shut)
			total += w->received;
	while (dl.budget > 0 && total > dl.budget) {
		slowest = NULL;
		lowest = 0;
		LIST_FOREACH(w, &dl.conns, entry) {
			if (w->busy || w->shut || w->received == 0)
				continue;
			rate = w->received / (now - w->since + 0.001);
			if (slowest == NULL || rate < lowest) {
				slowest = w;
				lowest = rate;
			}
		}
		if (slowest == NULL)
			break;
		total -= slowest->received;
		if (shut(slowest) == 0)
			n++;
		else
			slowest->shut = 1;	/* no socket: not counted */
	}
	dl.arriving = total;
	if (n > 0) {
		dl.cut += n;
		log_warnx("closed %lu connection%s whose requests were "
		    "still arriving: more than %zu %s of them at once", n,
		    n == 1 ? "" : "s", dl.budget >= 1 << 20 ? dl.budget >> 20 :
		    dl.budget >> 10, dl.budget >= 1 << 20 ? "MiB" : "KiB");
	}
}

/* Raises the soft limit on open files to the hard one. */
static void
raise_nofile(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warn("cannot raise the limit on open files");
}

int
connguard_start(struct event_base *base)
{
	struct timeval	tv = { 0, SWEEP_MS * 1000 };

	raise_nofile();
	if (dl.spare == -1)
		dl.spare = open("/dev/null", O_RDONLY | O_CLOEXEC);

	dl.last = now_mono();
	dl.sweep = event_new(base, -1, EV_PERSIST, sweep, NULL);
	if (dl.sweep == NULL || event_add(dl.sweep, &tv) == -1) {
		log_warnx("cannot start the request deadline timer");
		if (dl.sweep != NULL)
			event_free(dl.sweep);
		dl.sweep = NULL;
		return -1;
	}
	return 0;
}

void
connguard_set_timeout(int seconds)
{
	dl.timeout = seconds;
}

void
connguard_set_budget(size_t bytes)
{
	dl.budget = bytes;
}

unsigned long
connguard_cut(void)
{
	return dl.cut;
}

struct bufferevent *
connguard_bev(struct event_base *base, void *arg)
{
	struct bufferevent	*bev;
	struct watched		*w;

	/* As evhttp makes it itself. */
	if ((bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE))
	    == NULL)
		return NULL;
	if (dl.sweep == NULL || (w = calloc(1, sizeof(*w))) == NULL)
		return bev;
	bufferevent_incref(bev);
	w->bev = bev;
	w->since = now_mono();
	w->counter = evbuffer_add_cb(bufferevent_get_input(bev), count, w);
	w->queuer = evbuffer_add_cb(bufferevent_get_output(bev), count_out, w);
	LIST_INSERT_HEAD(&dl.conns, w, entry);
	return bev;
}

void
connguard_scan(struct connguard_seen *seen, const unsigned char *s,
    size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\0')
			seen->nul++;
		else if (seen->lf && (s[i] == ' ' || s[i] == '\t'))
			seen->folds++;
		seen->lf = s[i] == '\n';
	}
}

/*
 * Looks at the n bytes just added at the end of buf (see
 * connguard_seen()).  An input buffer's callbacks run as soon as it
 * changes, so the new bytes are still at its end.
 */
static void
scan_added(struct watched *w, struct evbuffer *buf, size_t orig, size_t n)
{
	struct evbuffer_ptr	 p;
	struct evbuffer_iovec	 v;
	size_t			 left = n, k;

	if (left == 0 ||
	    evbuffer_ptr_set(buf, &p, orig, EVBUFFER_PTR_SET) == -1)
		return;
	while (left > 0 && evbuffer_peek(buf, left, &p, &v, 1) > 0) {
		k = v.iov_len < left ? v.iov_len : left;
		connguard_scan(&w->seen, v.iov_base, k);
		left -= k;
		if (evbuffer_ptr_set(buf, &p, k, EVBUFFER_PTR_ADD) == -1)
			break;
	}
}

/*
 * Counts the bytes read from the client, looks at them, and keeps to
 * the budget at once when they may pass it (dl.arriving counts bytes
 * added since the last look, not those gone since).
 */
static void
count(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct watched		*w = arg;

	w->received += info->n_added;
	/*
	 * Shut down: evhttp goes on reading what the kernel still holds
	 * (megabytes, from a fast sender) until it sees the end.  That is
	 * dropped as it comes.
	 */
	if (w->shut && info->n_added > 0) {
		evbuffer_drain(buf, evbuffer_get_length(buf));
		return;
	}
	/* A request pipelined behind one being answered is looked at too. */
	scan_added(w, buf, info->orig_size, info->n_added);
	if (w->busy || w->shut || info->n_added == 0)
		return;
	dl.arriving += info->n_added;
	if (dl.budget > 0 && dl.arriving > dl.budget)
		keep_budget(now_mono());
	if (dl.arriving + dl.queued > dl.held)
		dl.held = dl.arriving + dl.queued;
}

/* Counts the bytes queued for the client, and those gone. */
static void
count_out(struct evbuffer *buf, const struct evbuffer_cb_info *info,
    void *arg)
{
	struct watched	*w = arg;

	w->queued += info->n_added;
	w->queued -= info->n_deleted;
	dl.queued += info->n_added;
	dl.queued -= info->n_deleted;
	if (dl.queued > dl.queued_max)
		dl.queued_max = dl.queued;
	if (dl.arriving + dl.queued > dl.held)
		dl.held = dl.arriving + dl.queued;
}

size_t
connguard_queued(void)
{
	return dl.queued;
}

size_t
connguard_queued_max(void)
{
	return dl.queued_max;
}

/* The answer has gone: the next request on the connection may begin. */
static void
answered(struct evhttp_request *req, void *arg)
{
	struct watched	*w = arg;
	struct timeval	 tv = { dl.timeout, 0 };

	bufferevent_set_timeouts(w->bev, &tv, &tv);
	w->busy = 0;
	w->received = 0;
	w->since = now_mono();
}

/* evhttp frees the connection: let its bufferevent go with it. */
static void
closed(struct evhttp_connection *evcon, void *arg)
{
	forget(arg);
}

void
connguard_arrived(struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	struct watched			*w;
	struct timeval			 tv = { dl.timeout, 0 };

	if ((evcon = evhttp_request_get_connection(req)) == NULL ||
	    (bev = evhttp_connection_get_bufferevent(evcon)) == NULL)
		return;
	LIST_FOREACH(w, &dl.conns, entry) {
		if (w->bev == bev) {
			bufferevent_set_timeouts(bev, NULL, &tv);
			if (!w->shut)
				dl.arriving -= w->received < dl.arriving ?
				    w->received : dl.arriving;
			w->busy = 1;
			evhttp_request_set_on_complete_cb(req, answered, w);
			evhttp_connection_set_closecb(evcon, closed, w);
			return;
		}
	}
}

/* Counts what is in buf, which no one has read yet, into *seen. */
static void
unread(struct evbuffer *buf, struct connguard_seen *seen)
{
	struct evbuffer_ptr	 p;
	struct evbuffer_iovec	 v;

	memset(seen, 0, sizeof(*seen));
	if (evbuffer_ptr_set(buf, &p, 0, EVBUFFER_PTR_SET) == -1)
		return;
	while (evbuffer_peek(buf, -1, &p, &v, 1) > 0 && v.iov_len > 0) {
		connguard_scan(seen, v.iov_base, v.iov_len);
		if (evbuffer_ptr_set(buf, &p, v.iov_len, EVBUFFER_PTR_ADD) ==
		    -1)
			break;
	}
}

void
connguard_seen(struct evhttp_request *req, struct connguard_seen *seen)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	struct watched			*w;
	struct connguard_seen		 rest;

	memset(seen, 0, sizeof(*seen));
	if ((evcon = evhttp_request_get_connection(req)) == NULL ||
	    (bev = evhttp_connection_get_bufferevent(evcon)) == NULL)
		return;
	LIST_FOREACH(w, &dl.conns, entry) {
		if (w->bev == bev) {
			/*
			 * What is still in the input buffer came after req
			 * (a request pipelined behind it): it is not req's,
			 * and is kept for the request it belongs to.
			 */
			unread(bufferevent_get_input(bev), &rest);
			*seen = w->seen;
			seen->nul -= rest.nul < seen->nul ? rest.nul : seen->nul;
			seen->folds -= rest.folds < seen->folds ? rest.folds :
			    seen->folds;
			w->seen.nul = rest.nul;
			w->seen.folds = rest.folds;
			return;
		}
	}
}

/* accept() failed (evconnlistener retries EAGAIN and EINTR itself). */
static void
accept_error(struct evconnlistener *lev, void *arg)
{
	int	err = errno, fd;
	time_t	now;

	if (err != EMFILE && err != ENFILE) {
		log_warnx("accept: %s", strerror(err));
		return;
	}
	/* Shed the connection waiting, so that the listener rests. */
	if (dl.spare != -1)
		close(dl.spare);
	if ((fd = accept(evconnlistener_get_fd(lev), NULL, NULL)) != -1)
		close(fd);
	dl.spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	dl.shed++;
	now = time(NULL);
	if (now - dl.shed_logged >= 10) {
		log_warnx("accept: %s: %lu connections refused so far",
		    strerror(err), dl.shed);
		dl.shed_logged = now;
	}
}

void
connguard_listener(struct evhttp_bound_socket *sock)
{
	struct evconnlistener	*lev;

	if (sock != NULL &&
	    (lev = evhttp_bound_socket_get_listener(sock)) != NULL)
		evconnlistener_set_error_cb(lev, accept_error);
}

void
connguard_stop(void)
{
	while (!LIST_EMPTY(&dl.conns))
		forget(LIST_FIRST(&dl.conns));
	if (dl.sweep != NULL)
		event_free(dl.sweep);
	dl.sweep = NULL;
	if (dl.spare != -1)
		close(dl.spare);
	dl.spare = -1;
}
