/*
 * baseline_static: the bare libevent HTTP server that the read figures
 * of hazardd are compared with.  It answers every GET with the same
 * 400-byte JSON object (about the size of a hazard) and does nothing
 * else: no routing, no authentication, no database.  Whatever hazardd
 * spends beyond this on a GET is its own work.
 *
 *	baseline_static [-a ADDR] -p PORT
 *
 * Runs in the foreground until SIGINT or SIGTERM.  Loopback only by
 * default.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

/* Exactly 400 bytes: checked at compile time below. */
static const char body[] =
    "{\"id\":424242,\"kind\":\"hazard\",\"school\":\"S0042\","
    "\"category\":\"fire\",\"grade\":\"general\","
    "\"title\":\"East building exit blocked\","
    "\"location\":\"East building, ground floor\","
    "\"responsible\":\"Wang\",\"department\":\"Fire Brigade\","
    "\"deadline\":\"2026-12-01\",\"state\":\"open\",\"overdue\":false,"
    "\"escalation\":0,\"reported_at\":\"2026-11-25T09:30:00+08:00\","
    "\"updated_at\":\"2026-11-25T09:30:00+08:00\",\"closed_at\":null,"
    "\"note\":\"pads to 400\"}";

_Static_assert(sizeof(body) - 1 == 400, "the body must be 400 bytes");

/* Every request: a GET gets the body, anything else 405. */
static void
on_request(struct evhttp_request *req, void *arg)
{
	struct evbuffer	*out;

	(void)arg;
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		evhttp_send_error(req, 405, "Method Not Allowed");
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json");
	if ((out = evbuffer_new()) == NULL) {
		evhttp_send_error(req, 500, "Internal Server Error");
		return;
	}
	evbuffer_add(out, body, sizeof(body) - 1);
	evhttp_send_reply(req, 200, "OK", out);
	evbuffer_free(out);
}

/* SIGINT, SIGTERM: leave the loop. */
static void
on_signal(evutil_socket_t sig, short events, void *arg)
{
	(void)sig;
	(void)events;
	event_base_loopexit(arg, NULL);
}

int
main(int argc, char *argv[])
{
	struct event_base	*base;
	struct evhttp		*http;
	struct event		*sigint, *sigterm;
	const char		*addr = "127.0.0.1";
	int			 ch, port = 0;

	while ((ch = getopt(argc, argv, "a:p:")) != -1) {
		switch (ch) {
		case 'a': addr = optarg; break;
		case 'p': port = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (port <= 0 || port > 65535 || optind != argc)
		goto usage;
	signal(SIGPIPE, SIG_IGN);
	if ((base = event_base_new()) == NULL ||
	    (http = evhttp_new(base)) == NULL) {
		fprintf(stderr, "baseline_static: libevent set-up failed\n");
		return 1;
	}
	evhttp_set_gencb(http, on_request, NULL);
	if (evhttp_bind_socket(http, addr, (ev_uint16_t)port) != 0) {
		fprintf(stderr, "baseline_static: cannot listen on %s:%d\n",
		    addr, port);
		return 1;
	}
	sigint = evsignal_new(base, SIGINT, on_signal, base);
	sigterm = evsignal_new(base, SIGTERM, on_signal, base);
	if (sigint == NULL || sigterm == NULL || evsignal_add(sigint, NULL) ||
	    evsignal_add(sigterm, NULL)) {
		fprintf(stderr, "baseline_static: cannot handle signals\n");
		return 1;
	}
	event_base_dispatch(base);
	event_free(sigint);
	event_free(sigterm);
	evhttp_free(http);
	event_base_free(base);
	return 0;
usage:
	fprintf(stderr, "usage: baseline_static [-a ADDR] -p PORT\n");
	return 2;
}
