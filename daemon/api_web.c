/*
 * The web interface: GET / and GET /ui/NAME answer with the files of
 * web/ built into the binary (webfiles.c); GET /v1/whoami tells the
 * page whose token it holds.  The files hold no data: they are public,
 * and everything they show comes from the API with the token the page
 * keeps.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"
#include "log.h"

/*
 * What a browser may do with the pages: run scripts and styles of this
 * server alone (none inline, no eval), show images of this server and
 * those the page made itself (a photo chosen, before it is sent), talk
 * to this server alone; be framed by no one.
 */
#define WEB_CSP \
	"default-src 'self'; img-src 'self' blob:; script-src 'self'; " \
	"style-src 'self'; object-src 'none'; base-uri 'none'; " \
	"form-action 'self'; frame-ancestors 'none'"

/*
 * The headers of every file of the interface.  The CSP goes on every
 * answer of this file (a page's scripts are governed by the page's).
 */
static void
web_headers(struct request *r)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(r->req);

	evhttp_add_header(out, "Content-Security-Policy", WEB_CSP);
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "Referrer-Policy", "no-referrer");
	evhttp_add_header(out, "X-Frame-Options", "DENY");
}

/*
 * Answers with the file of that name: 304 to a browser that has this
 * version already (If-None-Match), the file otherwise.  A browser asks
 * again each time it loads the page (no-cache), so that a new hazardd's
 * pages are seen at once.
 */
static void
web_send(struct request *r, const char *name)
{
	const struct webfile	*f;
	struct evkeyvalq	*out = evhttp_request_get_output_headers(r->req);
	const char		*inm;

	for (f = webfiles; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			break;
	if (f->name == NULL) {
		http_reply_error(r, 404, NULL, "no such resource");
		return;
	}
	web_headers(r);
	evhttp_add_header(out, "ETag", f->etag);
	evhttp_add_header(out, "Cache-Control", "no-cache");
	inm = evhttp_find_header(evhttp_request_get_input_headers(r->req),
	    "If-None-Match");
	if (inm != NULL && strstr(inm, f->etag) != NULL) {
		http_reply_text(r, 304, f->type, "", 0);
		return;
	}
	http_reply_text(r, 200, f->type, (const char *)f->data, f->len);
}

void
api_web_index(struct request *r)
{
	web_send(r, "index.html");
}

void
api_web_file(struct request *r)
{
	web_send(r, r->args[0]);
}

void
api_whoami(struct request *r)
{
	char	*code, *name;

	if (r->who.role == ROLE_OFFICE) {
		http_reply_json(r, 200, json_pack("{s:s, s:s}", "role",
		    "office", "name", r->who.name));
		return;
	}
	switch (store_school_get(r->who.school_id, &code, &name)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		http_reply_code(r, 401, "bad_token", NULL, NULL,
		    "the token is not valid");
		return;
	default:
		http_reply_unavailable(r);
		return;
	}
	http_reply_json(r, 200, json_pack("{s:s, s:s, s:s?, s:s}", "role",
	    "school", "school", code, "school_name", name, "name",
	    r->who.name));
	free(code);
	free(name);
}
