/*
 * Digests to DingTalk and WeCom group robots, through libevent's HTTP
 * client: DNS by evdns and TLS by OpenSSL bufferevents, so that nothing
 * blocks the loop.  One digest is sent at a time, part after part.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/http.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>

#include "log.h"
#include "safetext.h"
#include "webhook.h"
#include "xmalloc.h"

/* Seconds for connecting, sending and the answer of one message. */
#define WEBHOOK_TIMEOUT	15

/* One digest on its way, part after part. */
struct sender {
	struct event_base	*base;
	char			*url;
	char			*secret;
	enum webhook_format	 format;
	char			*title;
	char			*text;
	size_t			*starts;
	size_t			 nparts;
	size_t			 next;		/* the part to send */
	struct evhttp_connection *conn;
	struct event		*later;		/* rate limit, and the end */
	const char		*error;		/* set: finished, failed */
	char			 reason[256];
	int			 finished;
	int			 closing;	/* shutting down */
	void			(*taken)(void *, int);
	void			(*done)(void *, const char *, int);
	void			*arg;
};

/* The messages a robot took in the last minute: a ring. */
struct rate {
	char			*url;
	time_t			 sent[WEBHOOK_PER_MINUTE];
	size_t			 nsent;
};

/* The robots that took a message lately; at most this many are kept. */
#define RATES_MAX	64

static struct {
	SSL_CTX			*ctx;
	struct evdns_base	*dns;
	struct event_base	*base;
	struct sender		*current;
	struct rate		 rates[RATES_MAX];
	size_t			 nrates;
} wh;

/*
 * The host of a robot's URL, for the log: the URL itself carries its
 * access token.  Points to a static buffer.
 */
static const char *
webhook_host(const char *url)
{
	static char		 host[256];
	struct evhttp_uri	*uri;
	const char		*h;

	snprintf(host, sizeof(host), "?");
	if ((uri = evhttp_uri_parse(url)) != NULL) {
		if ((h = evhttp_uri_get_host(uri)) != NULL)
			snprintf(host, sizeof(host), "%s", h);
		evhttp_uri_free(uri);
	}
	return host;
}

void
webhook_office(const struct config *cfg, struct robot *r)
{
	r->url = cfg->webhook;
	r->secret = cfg->webhook_secret;
	r->format = cfg->webhook_format;
}

int
webhook_format_of(const struct robot *r)
{
	struct evhttp_uri	*uri;
	const char		*host;
	int			 f = -1;

	if (strcmp(r->format, "dingtalk") == 0)
		return WEBHOOK_DINGTALK;
	if (strcmp(r->format, "wecom") == 0)
		return WEBHOOK_WECOM;
	if ((uri = evhttp_uri_parse(r->url)) == NULL)
		return -1;
	if ((host = evhttp_uri_get_host(uri)) != NULL) {
		if (strstr(host, "dingtalk.com") != NULL)
			f = WEBHOOK_DINGTALK;
		else if (strstr(host, "weixin.qq.com") != NULL)
			f = WEBHOOK_WECOM;
	}
	evhttp_uri_free(uri);
	return f;
}

const char *
webhook_check(const struct robot *r)
{
	struct evhttp_uri	*uri;
	const char		*scheme, *host, *why = NULL;

	if ((uri = evhttp_uri_parse(r->url)) == NULL ||
	    (scheme = evhttp_uri_get_scheme(uri)) == NULL ||
	    (host = evhttp_uri_get_host(uri)) == NULL || *host == '\0')
		why = "expected a URL such as https://oapi.dingtalk.com/robot/"
		    "send?access_token=...";
	else if (strcasecmp(scheme, "https") != 0 &&
	    !(strcasecmp(scheme, "http") == 0 &&
	    (strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0 ||
	    strcasecmp(host, "localhost") == 0)))
		why = "a robot's URL carries its access token: expected https";
	else if (webhook_format_of(r) == -1)
		why = "not a DingTalk or WeCom robot's host: name its format "
		    "(dingtalk or wecom)";
	if (uri != NULL)
		evhttp_uri_free(uri);
	return why;
}

char *
webhook_robot_key(const struct robot *r, const char *markdown)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 len, i;
	char		*in, *key;
	int		 format;

	if ((format = webhook_format_of(r)) == -1)
		return NULL;
	xasprintf(&in, "%s\n%s\n%s", format == WEBHOOK_WECOM ? "wecom" :
	    "dingtalk", r->url, markdown);
	if (EVP_Digest(in, strlen(in), md, &len, EVP_sha256(), NULL) != 1) {
		free(in);
		return NULL;
	}
	free(in);
	key = xmalloc(len * 2 + 1);
	for (i = 0; i < len; i++)
		snprintf(key + i * 2, 3, "%02x", md[i]);
	return key;
}

size_t
webhook_split(const char *text, size_t max, size_t **starts)
{
	size_t	len = strlen(text), off = 0, n = 0, cut, i;

	*starts = NULL;
	do {
		*starts = xreallocarray(*starts, n + 1, sizeof(**starts));
		(*starts)[n++] = off;
		if (len - off <= max)
			break;
		/* The last line end that fits, else a character's start. */
		cut = off + max;
		for (i = cut; i > off && text[i - 1] != '\n'; i--)
			;
		if (i > off)
			cut = i;
		else
			while (cut > off + 1 &&
			    ((unsigned char)text[cut] & 0xc0) == 0x80)
				cut--;
		off = cut;
	} while (off < len);
	return n;
}

json_t *
webhook_message(enum webhook_format format, const char *title,
    const char *part, size_t len)
{
	if (format == WEBHOOK_WECOM)
		return json_pack("{s:s, s:{s:s%}}", "msgtype", "markdown",
		    "markdown", "content", part, len);
	return json_pack("{s:s, s:{s:s, s:s%}}", "msgtype", "markdown",
	    "markdown", "title", title, "text", part, len);
}

char *
webhook_sign(const char *secret, long long timestamp_ms)
{
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	unsigned int	 maclen = 0;
	char		*msg, *out;

	xasprintf(&msg, "%lld\n%s", timestamp_ms, secret);
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret),
	    (unsigned char *)msg, strlen(msg), mac, &maclen) == NULL) {
		free(msg);
		return NULL;
	}
	free(msg);
	out = xmalloc(4 * ((maclen + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, mac, (int)maclen);
	return out;
}

/* The TLS context: verify the peer against the system's CAs. */
static SSL_CTX *
tls_context(void)
{
	if (wh.ctx != NULL)
		return wh.ctx;
	if ((wh.ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return NULL;
	SSL_CTX_set_min_proto_version(wh.ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(wh.ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_set_default_verify_paths(wh.ctx) != 1)
		log_warnx("webhook: cannot load the system's certificates");
	return wh.ctx;
}

/* Frees a sender and its connection. */
static void
sender_free(struct sender *s)
{
	s->closing = 1;
	if (wh.current == s)
		wh.current = NULL;
	if (s->conn != NULL)
		evhttp_connection_free(s->conn);
	if (s->later != NULL)
		event_free(s->later);
	free(s->url);
	free(s->secret);
	free(s->title);
	free(s->text);
	free(s->starts);
	free(s);
}

static void	sender_send(struct sender *);

/* The sender's timer: the rate limit is over, or it has finished. */
static void
sender_later(evutil_socket_t fd, short events, void *arg)
{
	struct sender	*s = arg;

	if (!s->finished) {
		sender_send(s);
		return;
	}
	s->done(s->arg, s->error, (int)s->next);
	sender_free(s);
}

/* Ends the sending, outside of libevent's HTTP callbacks. */
static void
sender_finish(struct sender *s, const char *error)
{
	struct timeval	tv = { 0, 0 };

	s->finished = 1;
	s->error = error;
	evtimer_add(s->later, &tv);
}

/*
 * The ring of the robot at url: its own, or a new one in the place of
 * one that took nothing in the last minute (or of the oldest, if every
 * one did: 64 robots at once are more than the office has).
 */
static struct rate *
rate_of(const char *url, time_t now)
{
	struct rate	*r, *spare = NULL;
	size_t		 i;
	time_t		 last, oldest = 0;

	for (i = 0; i < wh.nrates; i++) {
		r = &wh.rates[i];
		if (strcmp(r->url, url) == 0)
			return r;
		last = r->sent[(r->nsent - 1) % WEBHOOK_PER_MINUTE];
		if (spare == NULL || last < oldest) {
			spare = r;
			oldest = last;
		}
	}
	if (wh.nrates < RATES_MAX)
		spare = &wh.rates[wh.nrates++];
	else if (oldest + 60 > now)
		log_debug("webhook: more than %d robots in a minute",
		    RATES_MAX);
	free(spare->url);
	memset(spare, 0, sizeof(*spare));
	spare->url = xstrdup(url);
	return spare;
}

/* Seconds to wait before the robot at url may take another; 0: now. */
static time_t
rate_wait(const char *url, time_t now)
{
	struct rate	*r;
	time_t		 oldest;
	size_t		 i;

	for (i = 0; i < wh.nrates; i++) {
		r = &wh.rates[i];
		if (strcmp(r->url, url) != 0 ||
		    r->nsent < WEBHOOK_PER_MINUTE)
			continue;
		oldest = r->sent[r->nsent % WEBHOOK_PER_MINUTE];
		return oldest + 60 > now ? oldest + 60 - now : 0;
	}
	return 0;
}

/* Counts a message the robot at url took. */
static void
rate_count(const char *url, time_t now)
{
	struct rate	*r = rate_of(url, now);

	r->sent[r->nsent++ % WEBHOOK_PER_MINUTE] = now;
}

/* The answer to one message. */
static void
sender_answer(struct evhttp_request *req, void *arg)
{
	struct sender	*s = arg;
	struct evbuffer	*body;
	json_t		*j;
	struct timeval	 now = { 0, 0 };
	int		 status = req == NULL ? 0 :
			    evhttp_request_get_response_code(req);
	unsigned long	 e;

	if (s->closing)
		return;
	if (status == 0) {
		e = ERR_get_error();
		snprintf(s->reason, sizeof(s->reason), "no answer from the "
		    "robot%s%s", e != 0 ? ": " : "",
		    e != 0 ? ERR_reason_error_string(e) : "");
		sender_finish(s, s->reason);
		return;
	}
	body = evhttp_request_get_input_buffer(req);
	j = json_loadb((const char *)evbuffer_pullup(body, -1),
	    evbuffer_get_length(body), 0, NULL);
	if (status != 200 || j == NULL ||
	    json_integer_value(json_object_get(j, "errcode")) != 0 ||
	    json_object_get(j, "errcode") == NULL) {
		snprintf(s->reason, sizeof(s->reason), "the robot answered "
		    "HTTP %d: %.120s", status, j == NULL ? "not JSON" :
		    json_string_value(json_object_get(j, "errmsg")) != NULL ?
		    json_string_value(json_object_get(j, "errmsg")) : "?");
		json_decref(j);
		sender_finish(s, s->reason);
		return;
	}
	json_decref(j);
	rate_count(s->url, time(NULL));
	s->next++;
	if (s->next == s->nparts)
		sender_finish(s, NULL);
	else {
		s->taken(s->arg, (int)s->next);
		evtimer_add(s->later, &now);
	}
}

/* Opens the connection to the robot.  Returns 0, or -1 with reason. */
static int
sender_connect(struct sender *s, struct evhttp_uri *uri)
{
	const char		*scheme = evhttp_uri_get_scheme(uri);
	const char		*host = evhttp_uri_get_host(uri);
	struct bufferevent	*bev = NULL;
	SSL			*ssl;
	int			 tls, port = evhttp_uri_get_port(uri);

	tls = scheme != NULL && strcasecmp(scheme, "https") == 0;
	if (port == -1)
		port = tls ? 443 : 80;
	if (wh.dns == NULL && (wh.dns = evdns_base_new(s->base,
	    EVDNS_BASE_INITIALIZE_NAMESERVERS)) == NULL) {
		snprintf(s->reason, sizeof(s->reason), "no DNS resolver");
		return -1;
	}
	if (tls) {
		if (tls_context() == NULL || (ssl = SSL_new(wh.ctx)) == NULL) {
			snprintf(s->reason, sizeof(s->reason), "no TLS");
			return -1;
		}
		SSL_set_tlsext_host_name(ssl, host);
		SSL_set1_host(ssl, host);
		bev = bufferevent_openssl_socket_new(s->base, -1, ssl,
		    BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE |
		    BEV_OPT_DEFER_CALLBACKS);
		if (bev == NULL) {
			SSL_free(ssl);
			snprintf(s->reason, sizeof(s->reason), "no TLS");
			return -1;
		}
	}
	s->conn = evhttp_connection_base_bufferevent_new(s->base, wh.dns, bev,
	    host, (ev_uint16_t)port);
	if (s->conn == NULL) {
		snprintf(s->reason, sizeof(s->reason), "cannot connect");
		return -1;
	}
	evhttp_connection_set_timeout(s->conn, WEBHOOK_TIMEOUT);
	return 0;
}

/* The path and query to post to, signed for DingTalk if need be. */
static char *
sender_target(struct sender *s, struct evhttp_uri *uri)
{
	const char	*path = evhttp_uri_get_path(uri);
	const char	*query = evhttp_uri_get_query(uri);
	char		*target, *sign, *esc;
	struct timeval	 tv;
	long long	 ms;

	if (path == NULL || *path == '\0')
		path = "/";
	if (s->format != WEBHOOK_DINGTALK || s->secret[0] == '\0') {
		xasprintf(&target, "%s%s%s", path, query != NULL ? "?" : "",
		    query != NULL ? query : "");
		return target;
	}
	gettimeofday(&tv, NULL);
	ms = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	if ((sign = webhook_sign(s->secret, ms)) == NULL)
		return NULL;
	esc = evhttp_uriencode(sign, -1, 0);
	xasprintf(&target, "%s?%s%stimestamp=%lld&sign=%s", path,
	    query != NULL ? query : "", query != NULL ? "&" : "", ms,
	    esc != NULL ? esc : sign);
	free(esc);
	free(sign);
	return target;
}

/* Sends the next part, or waits for the rate limit. */
static void
sender_send(struct sender *s)
{
	struct evhttp_uri	*uri;
	struct evhttp_request	*req;
	struct timeval		 tv = { 0, 0 };
	size_t			 end;
	json_t			*msg;
	char			*body, *target, *title;
	time_t			 wait;

	if ((wait = rate_wait(s->url, time(NULL))) > 0) {
		tv.tv_sec = wait;
		evtimer_add(s->later, &tv);
		return;
	}
	if ((uri = evhttp_uri_parse(s->url)) == NULL ||
	    evhttp_uri_get_host(uri) == NULL) {
		if (uri != NULL)
			evhttp_uri_free(uri);
		sender_finish(s, "the webhook is not a URL");
		return;
	}
	if (s->conn == NULL && sender_connect(s, uri) == -1) {
		evhttp_uri_free(uri);
		sender_finish(s, s->reason);
		return;
	}
	end = s->next + 1 < s->nparts ? s->starts[s->next + 1] :
	    strlen(s->text);
	if (s->nparts > 1)
		xasprintf(&title, "%s (%zu/%zu)", s->title, s->next + 1,
		    s->nparts);
	else
		title = xstrdup(s->title);
	msg = webhook_message(s->format, title, s->text + s->starts[s->next],
	    end - s->starts[s->next]);
	body = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	free(title);
	target = sender_target(s, uri);
	req = evhttp_request_new(sender_answer, s);
	if (body == NULL || target == NULL || req == NULL) {
		free(body);
		free(target);
		if (req != NULL)
			evhttp_request_free(req);
		evhttp_uri_free(uri);
		sender_finish(s, "cannot make the message");
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host",
	    evhttp_uri_get_host(uri));
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json; charset=utf-8");
	evbuffer_add(evhttp_request_get_output_buffer(req), body,
	    strlen(body));
	if (evhttp_make_request(s->conn, req, EVHTTP_REQ_POST, target) ==
	    -1)
		sender_finish(s, "cannot send to the robot");
	free(body);
	free(target);
	evhttp_uri_free(uri);
}

int
webhook_send(struct event_base *base, const struct robot *robot,
    const char *title, const char *markdown, int first,
    void (*taken)(void *, int), void (*done)(void *, const char *, int),
    void *arg)
{
	struct sender	*s;
	int		 format;

	if ((format = webhook_format_of(robot)) == -1) {
		log_warnx("webhook: set [deliver] webhook_format to dingtalk "
		    "or wecom for the robot at %s", webhook_host(robot->url));
		return -1;
	}
	s = xcalloc(1, sizeof(*s));
	s->base = wh.base = base;
	s->url = xstrdup(robot->url);
	s->secret = xstrdup(robot->secret);
	s->format = format;
	s->title = safetext_plain(title);
	s->text = xstrdup(markdown);
	s->nparts = webhook_split(s->text, format == WEBHOOK_WECOM ?
	    WEBHOOK_WECOM_MAX : WEBHOOK_DINGTALK_MAX, &s->starts);
	s->next = first > 0 && (size_t)first < s->nparts ? (size_t)first : 0;
	s->taken = taken;
	s->done = done;
	s->arg = arg;
	if ((s->later = evtimer_new(base, sender_later, s)) == NULL) {
		sender_free(s);
		return -1;
	}
	wh.current = s;
	sender_send(s);
	return 0;
}

void
webhook_shutdown(void)
{
	if (wh.current != NULL)
		sender_free(wh.current);
	if (wh.dns != NULL)
		evdns_base_free(wh.dns, 0);
	if (wh.ctx != NULL)
		SSL_CTX_free(wh.ctx);
	wh.dns = NULL;
	wh.ctx = NULL;
	while (wh.nrates > 0)
		free(wh.rates[--wh.nrates].url);
}
