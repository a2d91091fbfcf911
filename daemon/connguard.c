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
 * until the rest fit.
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

struct watched {
	LIST_ENTRY(watched)	 entry;
	struct bufferevent	*bev;
	struct evbuffer_cb_entry *counter;	/* on its input */
	size_t			 received;	/* bytes since "since" */
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
	unsigned long		 cut;		/* shut down for the budget */
	int			 spare;		/* for shedding at EMFILE */
	time_t			 shed_logged;
	unsigned long		 shed;
} dl = { LIST_HEAD_INITIALIZER(dl.conns), NULL, 0, 30, 0, 0, -1, 0, 0 };

static void	count(struct evbuffer *, const struct evbuffer_cb_info *,
		    void *);
static int	shut(struct watched *);
static void	keep_budget(double);

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
}

/*
 * Shuts down w's socket: evhttp reads that as the end of the
 * connection, and frees it.  Returns 0, or -1 if it has none.
 */
static int
shut(struct watched *w)
{
	evutil_socket_t	s;

	if ((s = bufferevent_getfd(w->bev)) == -1)
		return -1;
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
 * Counts the bytes read from the client, and looks at them (see
 * connguard_seen()).  An input buffer's callbacks run as soon as it
 * changes, so the new bytes are still at its end.
 */
static void
count(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct watched		*w = arg;
	struct evbuffer_ptr	 p;
	struct evbuffer_iovec	 v;
	size_t			 left = info->n_added, n;

	w->received += info->n_added;
	if (left == 0 ||
	    evbuffer_ptr_set(buf, &p, info->orig_size, EVBUFFER_PTR_SET) == -1)
		return;
	while (left > 0 && evbuffer_peek(buf, left, &p, &v, 1) > 0) {
		n = v.iov_len < left ? v.iov_len : left;
		connguard_scan(&w->seen, v.iov_base, n);
		left -= n;
		if (evbuffer_ptr_set(buf, &p, n, EVBUFFER_PTR_ADD) == -1)
			break;
	}
}

/* The answer has gone: the next request on the connection may begin. */
static void
answered(struct evhttp_request *req, void *arg)
{
	struct watched	*w = arg;

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

	if ((evcon = evhttp_request_get_connection(req)) == NULL ||
	    (bev = evhttp_connection_get_bufferevent(evcon)) == NULL)
		return;
	LIST_FOREACH(w, &dl.conns, entry) {
		if (w->bev == bev) {
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
