/*
 * Requests to hazardd over HTTP with libcurl: JSON in, JSON out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "conn.h"
#include "i18n.h"
#include "xmalloc.h"

struct conn {
	CURL	*curl;
	char	*server;	/* the base URL, without a trailing slash */
	char	*auth;		/* the Authorization header or NULL */
	long	 timeout;	/* seconds for a whole request */
};

/* The body of an answer as it arrives. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	int	 too_large;
};

/* Prepares requests to server, with token if it is not NULL. */
struct conn *
conn_open(const char *server, const char *token)
{
	struct conn	*c;
	size_t		 len;

	c = xcalloc(1, sizeof(*c));
	c->curl = xnonnull(curl_easy_init());
	c->server = xstrdup(server);
	len = strlen(c->server);
	while (len > 0 && c->server[len - 1] == '/')
		c->server[--len] = '\0';
	if (token != NULL)
		xasprintf(&c->auth, "Authorization: Bearer %s", token);
	c->timeout = CONN_TIMEOUT;
	return c;
}

void
conn_timeout(struct conn *c, long seconds)
{
	c->timeout = seconds;
}

/* Closes the connections and frees c. */
void
conn_close(struct conn *c)
{
	if (c == NULL)
		return;
	curl_easy_cleanup(c->curl);
	free(c->server);
	free(c->auth);
	free(c);
}

/* libcurl's write callback: appends to the buffer, up to CONN_BODY_MAX. */
static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;
	size_t		 len = size * n;

	if (len > CONN_BODY_MAX - b->len) {
		b->too_large = 1;
		return 0;
	}
	if (b->len + len + 1 > b->cap) {
		b->cap = b->cap == 0 ? 16384 : b->cap;
		while (b->len + len + 1 > b->cap)
			b->cap *= 2;
		b->data = xreallocarray(b->data, b->cap, 1);
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return len;
}

/*
 * Why libcurl failed, for people: in their language where there is a
 * translation of the reason, else libcurl's own words (errbuf, which
 * says more, in English).
 */
static const char *
curl_reason(CURLcode rc, const char *errbuf)
{
	const char	*why;

	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		why = N_("cannot resolve the server's name");
		break;
	case CURLE_COULDNT_CONNECT:
		why = N_("cannot connect to the server");
		break;
	case CURLE_OPERATION_TIMEDOUT:
		why = N_("the server did not answer in time");
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
		why = N_("the TLS handshake with the server failed");
		break;
	case CURLE_GOT_NOTHING:
		why = N_("the server closed the connection without an answer");
		break;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		why = N_("the connection to the server broke");
		break;
	default:
		why = NULL;
		break;
	}
	if (why != NULL && _(why) != why)
		return _(why);
	return errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
}

/* The URL of req: the server, the path, and the query, escaped. */
static char *
request_url(struct conn *c, const struct conn_req *req)
{
	const char	*name;
	json_t		*value;
	char		*url, *next, *escaped;
	char		 sep = '?';

	xasprintf(&url, "%s%s", c->server, req->path);
	json_object_foreach(req->query, name, value) {
		if (!json_is_string(value))
			continue;
		escaped = xnonnull(curl_easy_escape(c->curl,
		    json_string_value(value), 0));
		xasprintf(&next, "%s%c%s=%s", url, sep, name, escaped);
		curl_free(escaped);
		free(url);
		url = next;
		sep = '&';
	}
	return url;
}

/* The request headers of req. */
static struct curl_slist *
request_headers(struct conn *c, const struct conn_req *req)
{
	struct curl_slist	*h = NULL;
	char			*key;

	h = curl_slist_append(h, "Accept: application/json");
	/* No "Expect: 100-continue" round trip before a body. */
	h = curl_slist_append(h, "Expect:");
	if (strcmp(req->method, "GET") != 0)
		h = curl_slist_append(h, "Content-Type: application/json");
	if (c->auth != NULL)
		h = curl_slist_append(h, c->auth);
	if (req->key != NULL) {
		xasprintf(&key, "Idempotency-Key: %s", req->key);
		h = curl_slist_append(h, key);
		free(key);
	}
	return h;
}

/* Sets the options of one request on the handle, reset after each. */
static void
request_setup(struct conn *c, const char *url, struct curl_slist *headers,
    struct buf *body, char *errbuf)
{
	CURL	*curl = c->curl;

	curl_easy_setopt(curl, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "hazardctl/" PACKAGE_VERSION);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, CONN_CONNECT_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, c->timeout);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
}

/*
 * The status and Retry-After (in seconds, at most a day; a date past
 * is none) of the answer just taken.
 */
static void
reply_status(struct conn *c, struct conn_reply *reply)
{
#if LIBCURL_VERSION_NUM >= 0x074200
	curl_off_t	after = 0;
#endif

	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &reply->status);
#if LIBCURL_VERSION_NUM >= 0x074200
	if (curl_easy_getinfo(c->curl, CURLINFO_RETRY_AFTER, &after) ==
	    CURLE_OK && after > 0)
		reply->retry_after = after > 86400 ? 86400 : (long)after;
#endif
}

/* Sends req and takes the answer into reply. */
int
conn_request(struct conn *c, const struct conn_req *req,
    struct conn_reply *reply)
{
	struct curl_slist	*headers;
	struct buf		 body;
	char			 errbuf[CURL_ERROR_SIZE];
	char			*url, *payload = NULL;
	CURLcode		 rc;

	memset(reply, 0, sizeof(*reply));
	memset(&body, 0, sizeof(body));
	errbuf[0] = '\0';
	url = request_url(c, req);
	headers = request_headers(c, req);
	request_setup(c, url, headers, &body, errbuf);
	if (strcmp(req->method, "GET") != 0) {
		curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, req->method);
		if (req->body != NULL || strcmp(req->method, "POST") == 0) {
			payload = req->body == NULL ? xstrdup("{}") :
			    xnonnull(json_dumps(req->body, JSON_COMPACT));
			curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, payload);
			curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE,
			    (long)strlen(payload));
		}
	}
	rc = curl_easy_perform(c->curl);
	if (rc != CURLE_OK) {
		if (body.too_large)
			snprintf(reply->error, sizeof(reply->error),
			    _("the answer is larger than %lu MiB"),
			    CONN_BODY_MAX >> 20);
		else
			snprintf(reply->error, sizeof(reply->error), "%s",
			    curl_reason(rc, errbuf));
	} else {
		reply_status(c, reply);
		if (body.len > 0)
			reply->json = json_loadb(body.data, body.len, 0, NULL);
	}
	/* Forget the pointers into this frame; keep the connections. */
	curl_easy_reset(c->curl);
	free(payload);
	free(body.data);
	curl_slist_free_all(headers);
	free(url);
	return rc == CURLE_OK ? 0 : -1;
}

/* Where the answer of a transfer goes. */
struct sink {
	CURL		*curl;
	FILE		*download;
	const char	*prefix;
	size_t		 written;	/* bytes written to download */
	int		 failed;	/* writing them failed */
	int		 err;		/* with this errno */
	struct buf	 body;		/* any other answer */
};

/* libcurl's write callback of a transfer: a 2xx body to the file. */
static size_t
on_sink(char *data, size_t size, size_t n, void *arg)
{
	struct sink	*s = arg;
	long		 status = 0;
	size_t		 len = size * n;

	if (s->download == NULL)
		return on_body(data, size, n, &s->body);
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status >= 300)
		return on_body(data, size, n, &s->body);
	if ((s->written == 0 && s->prefix != NULL &&
	    fputs(s->prefix, s->download) == EOF) ||
	    fwrite(data, 1, len, s->download) != len) {
		s->failed = 1;
		s->err = errno;
		return 0;
	}
	s->written += len;
	return len;
}

/* libcurl's read callback: the body from the file. */
static size_t
on_upload(char *data, size_t size, size_t n, void *arg)
{
	FILE	*fp = arg;
	size_t	 got;

	got = fread(data, size, n, fp);
	if (got == 0 && ferror(fp))
		return CURL_READFUNC_ABORT;
	return got;
}

/* The headers of a transfer. */
static struct curl_slist *
transfer_headers(struct conn *c, const struct conn_xfer *x)
{
	struct curl_slist	*h = NULL;
	char			*line;

	xasprintf(&line, "Accept: %s", x->accept);
	h = curl_slist_append(h, line);
	free(line);
	h = curl_slist_append(h, "Expect:");
	if (x->header != NULL)
		h = curl_slist_append(h, x->header);
	if (x->upload != NULL) {
		xasprintf(&line, "Content-Type: %s", x->upload_type);
		h = curl_slist_append(h, line);
		free(line);
		if (x->upload_size < 0)
			h = curl_slist_append(h, "Transfer-Encoding: chunked");
	}
	if (c->auth != NULL)
		h = curl_slist_append(h, c->auth);
	return h;
}

/* Sends a file, or takes an answer into one, as it streams. */
int
conn_transfer(struct conn *c, const struct conn_xfer *x,
    struct conn_reply *reply)
{
	struct conn_req		 req = { .method = x->method,
				    .path = x->path, .query = x->query };
	struct curl_slist	*headers;
	struct sink		 s;
	char			 errbuf[CURL_ERROR_SIZE];
	char			*url;
	CURLcode		 rc;

	memset(reply, 0, sizeof(*reply));
	memset(&s, 0, sizeof(s));
	s.curl = c->curl;
	s.download = x->download;
	s.prefix = x->prefix;
	errbuf[0] = '\0';
	url = request_url(c, &req);
	headers = transfer_headers(c, x);
	request_setup(c, url, headers, &s.body, errbuf);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_sink);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &s);
	/* No limit on the whole, only on a stall. */
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 0L);
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_TIME, x->idle);
	if (x->upload != NULL) {
		curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(c->curl, CURLOPT_READFUNCTION, on_upload);
		curl_easy_setopt(c->curl, CURLOPT_READDATA, x->upload);
		if (x->upload_size >= 0)
			curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)x->upload_size);
	} else if (strcmp(x->method, "GET") != 0)
		curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, x->method);
	rc = curl_easy_perform(c->curl);
	if (rc != CURLE_OK) {
		snprintf(reply->error, sizeof(reply->error), "%s%s%s",
		    s.written > 0 ? _("the answer was cut short: ") : "",
		    s.failed ? _("cannot write the output: ") :
		    s.body.too_large ? _("the answer is too large") : "",
		    s.failed ? strerror(s.err) : s.body.too_large ? "" :
		    curl_reason(rc, errbuf));
	} else {
		reply_status(c, reply);
		if (s.body.len > 0)
			reply->json = json_loadb(s.body.data, s.body.len, 0,
			    NULL);
	}
	curl_easy_reset(c->curl);
	free(s.body.data);
	curl_slist_free_all(headers);
	free(url);
	return rc == CURLE_OK ? 0 : -1;
}
