/*
 * A group robot for the tests, on loopback: answers each POST like
 * DingTalk and WeCom do ({"errcode":0,"errmsg":"ok"}), except those whose
 * numbers (1, 2, ...) are listed to fail, which get HTTP 500, and those
 * listed to hold, which get no answer at all (status 000).  Request N is
 * kept as DIR/N.uri, DIR/N.body and DIR/N.status.
 *
 * Usage: webhook_sink PORTFILE DIR [FAIL,FAIL,... [HOLD,HOLD,...]]
 */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

static const char	*dir;
static const char	*fails = "";
static const char	*holds = "";
static int		 count;

/* Writes len bytes to DIR/N.what. */
static void
keep(int n, const char *what, const void *data, size_t len)
{
	char	path[4096];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%d.%s", dir, n, what);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fwrite(data, 1, len, f);
	fclose(f);
}

/* Returns 1 if request n is in the list. */
static int
listed(const char *list, int n)
{
	char	 num[16];
	size_t	 len;
	const char *p = list;

	len = (size_t)snprintf(num, sizeof(num), "%d", n);
	while ((p = strstr(p, num)) != NULL) {
		if ((p == list || p[-1] == ',') &&
		    (p[len] == '\0' || p[len] == ','))
			return 1;
		p += len;
	}
	return 0;
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	struct evbuffer	*out = evbuffer_new();
	const char	*uri = evhttp_request_get_uri(req);
	int		 n = ++count, status = listed(fails, n) ? 500 : 200;

	(void)arg;
	keep(n, "uri", uri, strlen(uri));
	keep(n, "body", evbuffer_pullup(in, -1), evbuffer_get_length(in));
	if (listed(holds, n)) {
		keep(n, "status", "000", 3);
		evbuffer_free(out);
		return;
	}
	keep(n, "status", status == 200 ? "200" : "500", 3);
	if (status == 200)
		evbuffer_add_printf(out, "{\"errcode\":0,\"errmsg\":\"ok\"}");
	else
		evbuffer_add_printf(out, "{\"errcode\":-1,\"errmsg\":\"busy\"}");
	evhttp_send_reply(req, status, status == 200 ? "OK" : "Busy", out);
	evbuffer_free(out);
}

int
main(int argc, char *argv[])
{
	struct event_base		*base;
	struct evhttp			*http;
	struct evhttp_bound_socket	*sock;
	struct sockaddr_in		 sin;
	socklen_t			 len = sizeof(sin);
	FILE				*f;

	if (argc < 3) {
		fprintf(stderr, "usage: webhook_sink PORTFILE DIR [FAILS [HOLDS]]\n");
		return 2;
	}
	dir = argv[2];
	if (argc > 3)
		fails = argv[3];
	if (argc > 4)
		holds = argv[4];
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_gencb(http, on_request, NULL);
	if ((sock = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) ==
	    NULL)
		return 1;
	getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&sin,
	    &len);
	if ((f = fopen(argv[1], "w")) == NULL)
		return 1;
	fprintf(f, "%d\n", ntohs(sin.sin_port));
	fclose(f);
	event_base_dispatch(base);
	evhttp_free(http);
	event_base_free(base);
	return 0;
}
