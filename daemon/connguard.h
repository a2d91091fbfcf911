/*
 * Guarding the server's connections: a request must arrive in full
 * within [server] timeout seconds, however slowly it keeps coming
 * (evhttp's own timeout restarts at every byte), and running out of
 * file descriptors sheds connections instead of spinning.
 */
#ifndef HAZARDD_CONNGUARD_H
#define HAZARDD_CONNGUARD_H

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

/* Raises the limit on open files and starts the sweep.  Returns 0, or
 * -1 (logged). */
int			 connguard_start(struct event_base *base);

/* The seconds a request may take to arrive. */
void			 connguard_set_timeout(int seconds);

/* The bytes of requests still arriving that may be held at once (0:
 * no limit); and how many connections were closed to keep to it. */
void			 connguard_set_budget(size_t bytes);
unsigned long		 connguard_cut(void);

/* The bytes of answers queued on all connections, not yet taken by
 * their clients. */
size_t			 connguard_queued(void);

/* The most bytes of answers queued at once since the start. */
size_t			 connguard_queued_max(void);

/* evhttp's bufferevent callback: each new connection is watched. */
struct bufferevent	*connguard_bev(struct event_base *base, void *arg);

/* A request has arrived in full: its connection is not watched until
 * the answer has gone, and only the write time-out (progress) cuts it
 * meanwhile. */
void			 connguard_arrived(struct evhttp_request *req);

/*
 * What evhttp drops without a word, counted in bytes as they come: NUL
 * bytes (it cuts a header's value at one) and line feeds followed by a
 * space or tab (it joins such a folded header line to the one before).
 */
struct connguard_seen {
	size_t	nul;
	size_t	folds;
	int	lf;		/* the byte before was a line feed */
};

/* Counts what is in the len bytes at s, after those counted before. */
void			 connguard_scan(struct connguard_seen *seen,
			    const unsigned char *s, size_t len);
/*
 * Stores in *seen what came on req's connection since the previous call
 * (in req, or in what followed it at once), and starts counting again.
 */
void			 connguard_seen(struct evhttp_request *req,
			    struct connguard_seen *seen);
/* Watches a bound socket's accept() errors. */
void			 connguard_listener(struct evhttp_bound_socket *sock);

/* Forgets every connection (after evhttp_free) and stops the sweep. */
void			 connguard_stop(void);

#endif
