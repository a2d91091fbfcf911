/*
 * Requests that survive a dead network: a report, a rectification or
 * an acknowledgement that found no server is kept in the queue
 * (queue.c), and sent, in order, by sync or before the next command
 * that reaches the server.  Each is done once: a report and a
 * rectification by their idempotency keys (the server answers a key it
 * knows with its first answer); a rectification found done already
 * (409, the hazard rectified or closed) counts as done; an
 * acknowledgement is the same however often it is sent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "date.h"
#include "hazardctl.h"
#include "queue.h"
#include "table.h"
#include "wire.h"
#include "xmalloc.h"

#define WHAT_COLS	40	/* the WHAT column of queue */

/* What became of an entry sent. */
enum sent {
	SENT_DONE,	/* done: it leaves the queue */
	SENT_REFUSED,	/* refused for good: it leaves the queue */
	SENT_LATER,	/* no answer, or not now: it stays, and so do those after */
};

/* Keeps req in the queue with q.  Returns 0, or -1 with the reason printed. */
static int
keep(struct ctl *ctl, const struct conn_req *req, const struct queued *q)
{
	json_t	*entry;
	char	*dir, at[64];
	int	 rc;

	if ((dir = queue_dir()) == NULL) {
		fprintf(stderr, _("hazardctl: cannot queue the request: "
		    "neither $XDG_STATE_HOME nor $HOME is set\n"));
		return -1;
	}
	entry = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
	    "at", date_rfc3339(at, sizeof(at), time(NULL)),
	    "command", q->command, "what", q->what, "server", ctl->server,
	    "method", req->method, "path", req->path);
	if (req->key != NULL)
		json_object_set_new(entry, "key", json_string(req->key));
	if (req->body != NULL)
		json_object_set(entry, "body", req->body);
	if (q->hazard > 0)
		json_object_set_new(entry, "hazard", json_integer(q->hazard));
	/* The place of its first photo, which the photos' keys are made of. */
	if (q->first > 0)
		json_object_set_new(entry, "photo_first",
		    json_integer((json_int_t)q->first));
	if ((rc = queue_add(dir, entry, q->photos, q->nphotos)) == -1)
		fprintf(stderr, _("hazardctl: cannot queue the request in "
		    "%s: %s\n"), dir, strerror(errno));
	json_decref(entry);
	free(dir);
	return rc;
}

/*
 * Says in one line that the request of q, which found no server, waits
 * in the queue; or its photos, when it is a report the server has taken.
 */
static void
say_kept(struct ctl *ctl, const struct conn_reply *reply,
    const struct queued *q)
{
	fprintf(stderr, _("hazardctl: no answer from %s ("), ctl->server);
	ctl_put_line(stderr, reply->error);
	if (strcmp(q->command, "report") == 0 && q->hazard > 0)
		fprintf(stderr, _("); the photos not sent (%zu) wait in the "
		    "queue: hazardctl sync sends them\n"), q->nphotos);
	else if (q->nphotos > 0)
		fprintf(stderr, _("); kept in the queue with its photos "
		    "(%zu): hazardctl sync sends them\n"), q->nphotos);
	else
		fputs(_("); kept in the queue: hazardctl sync sends it\n"),
		    stderr);
}

int
queue_request(struct ctl *ctl, const struct conn_req *req, int tries,
    const struct queued *q, json_t **out)
{
	struct conn_reply	reply;
	int			rc;

	*out = NULL;
	rc = ctl_send(ctl, req, tries, &reply);
	if (rc == 0 || keep(ctl, req, q) == -1)
		return ctl_answer_req(ctl, req, rc, &reply, out);
	say_kept(ctl, &reply, q);
	return EXIT_QUEUED;
}

int
queue_keep(struct ctl *ctl, const struct conn_req *req,
    const struct queued *q, const struct conn_reply *reply)
{
	if (keep(ctl, req, q) == -1)
		return EXIT_NOANSWER;
	say_kept(ctl, reply, q);
	return EXIT_QUEUED;
}

/*
 * Whether the refusal reply of a rectification says it was done
 * already: the hazard is rectified, or closed since.
 */
static int
done_already(const json_t *entry, const struct conn_reply *reply)
{
	const json_t	*err = json_object_get(reply->json, "error");
	const char	*code = ctl_str(err, "code");
	const char	*state = ctl_str(err, "state");

	return reply->status == 409 && code != NULL && state != NULL &&
	    strcmp(ctl_str(entry, "command"), WIRE_ACTION_RECTIFY) == 0 &&
	    strcmp(code, "illegal_transition") == 0 &&
	    (strcmp(state, WIRE_STATE_RECTIFIED) == 0 ||
	    strcmp(state, WIRE_STATE_CLOSED) == 0);
}

/*
 * Whether a refusal of this status may pass: try again later.  A 401
 * refuses the token, not the request: the right one sends it.
 */
static int
for_now(long status)
{
	return status == 401 || status == 408 || status == 429 ||
	    status >= 500;
}

/*
 * Sends the photos of entry (a report's or a rectification's) that wait
 * still, to hazard id, as stage.  A photo refused for good is said and
 * leaves the queue; after one, a rectification's others are not sent
 * (it is not sent either).  Returns SENT_DONE when none waits any more,
 * SENT_REFUSED when one was refused, SENT_LATER when one must wait
 * (quiet: without a word, as send_entry()).
 */
static enum sent
send_photos(struct ctl *ctl, const char *dir, const json_t *entry,
    long long id, const char *stage, int quiet)
{
	struct conn_reply	 reply;
	const json_t		*p;
	const json_t		*first = json_object_get(entry, "photo_first");
	const char		*file, *name, *key = ctl_str(entry, "key");
	enum sent		 sent = SENT_DONE;
	json_t			*out;
	FILE			*f;
	char			*path, pkey[KEY_MAX + 1];
	size_t			 i, place;
	int			 rc;

	json_array_foreach(json_object_get(entry, "photos"), i, p) {
		file = ctl_str(p, "file");
		if ((name = ctl_str(p, "name")) == NULL)
			name = file;
		if (file == NULL || !queue_photo_ok(file))
			continue;
		/* A copy gone is a photo the server has taken. */
		path = queue_path(dir, file);
		f = fopen(path, "rb");
		free(path);
		if (f == NULL)
			continue;
		/* Its key as when it was first sent: stored once. */
		place = i + (json_is_integer(first) && json_integer_value(
		    first) > 0 ? (size_t)json_integer_value(first) : 0);
		if (key != NULL)
			ctl_photo_key(pkey, key, place);
		rc = ctl_photo_upload(ctl, id, stage, f, key != NULL ? pkey :
		    NULL, &reply);
		fclose(f);
		if (rc == 0 && reply.status >= 200 && reply.status < 300) {
			fprintf(stderr, _("hazardctl: queued photo %s sent: "
			    "photo %lld of hazard %lld\n"), name, (long long)
			    json_integer_value(json_object_get(reply.json,
			    "id")), id);
			json_decref(reply.json);
			/* Only once the server has it does it leave. */
			if (queue_remove(dir, file) == -1) {
				fprintf(stderr, _("hazardctl: cannot take "
				    "%s/%s out of the queue: %s\n"), dir, file,
				    strerror(errno));
				return SENT_LATER;
			}
			continue;
		}
		if (rc == -1 || for_now(reply.status)) {
			if (!quiet)
				ctl_answer(ctl, rc, &reply, &out);
			else
				json_decref(reply.json);
			return SENT_LATER;
		}
		fprintf(stderr, _("hazardctl: queued photo %s of hazard %lld "
		    "refused, out of the queue:\n"), name, id);
		ctl_answer(ctl, rc, &reply, &out);
		if (queue_remove(dir, file) == -1) {
			fprintf(stderr, _("hazardctl: cannot take %s/%s out "
			    "of the queue: %s\n"), dir, file, strerror(errno));
			return SENT_LATER;
		}
		sent = SENT_REFUSED;
		if (strcmp(stage, "after") == 0)
			break;
	}
	return sent;
}

/* The hazard that entry's photos go to (its "hazard"), or 0. */
static long long
entry_hazard(const json_t *entry)
{
	const json_t	*h = json_object_get(entry, "hazard");

	return json_is_integer(h) && json_integer_value(h) > 0 ?
	    (long long)json_integer_value(h) : 0;
}

/*
 * Sends entry (the file name of dir), trying as its command would.
 * quiet: say nothing when it must wait (before another command, which
 * says why itself).
 */
static enum sent
send_entry(struct ctl *ctl, const char *dir, const char *name,
    json_t *entry, int tries, int quiet)
{
	struct conn_req		 req;
	struct conn_reply	 reply;
	const char		*command = ctl_str(entry, "command");
	const char		*what = ctl_str(entry, "what");
	const json_t		*id;
	long long		 hazard = entry_hazard(entry);
	int			 report = strcmp(command, "report") == 0;
	enum sent		 sent;
	json_t			*out;
	int			 rc;

	/* A rectification's photos go first: it may need one. */
	if (!report && hazard > 0 && (sent = send_photos(ctl, dir, entry,
	    hazard, "after", quiet)) != SENT_DONE) {
		if (sent == SENT_REFUSED)
			fprintf(stderr, _("hazardctl: queued %s refused, out "
			    "of the queue: %s\n"), command, what);
		return sent;
	}
	/* A report the server has taken already: only its photos wait. */
	if (report && hazard > 0)
		return send_photos(ctl, dir, entry, hazard, "before", quiet);
	memset(&req, 0, sizeof(req));
	req.method = ctl_str(entry, "method");
	req.path = ctl_str(entry, "path");
	req.key = ctl_str(entry, "key");
	req.body = json_object_get(entry, "body");
	rc = ctl_send(ctl, &req, tries, &reply);
	if (rc == 0 && reply.status >= 200 && reply.status < 300) {
		id = json_object_get(reply.json, "id");
		if (!json_is_integer(id) || !report) {
			fprintf(stderr, _("hazardctl: queued %s sent: %s\n"),
			    command, what);
			json_decref(reply.json);
			return SENT_DONE;
		}
		hazard = (long long)json_integer_value(id);
		fprintf(stderr, _("hazardctl: queued report sent: \"%s\" is "
		    "hazard %lld\n"), what, hazard);
		json_decref(reply.json);
		if (json_array_size(json_object_get(entry, "photos")) == 0)
			return SENT_DONE;
		/*
		 * Its photos wait for this hazard: if the server goes away
		 * before they are sent, they go to it later.  Were the id not
		 * kept, the report's key would bring the same answer.
		 */
		json_object_set_new(entry, "hazard", json_integer(hazard));
		if (queue_replace(dir, name, entry) == -1)
			fprintf(stderr, _("hazardctl: cannot keep the hazard's "
			    "id in %s/%s: %s\n"), dir, name, strerror(errno));
		return send_photos(ctl, dir, entry, hazard, "before", quiet);
	}
	if (rc == 0 && done_already(entry, &reply)) {
		fprintf(stderr, _("hazardctl: queued %s: %s was done "
		    "already\n"), command, what);
		json_decref(reply.json);
		return SENT_DONE;
	}
	if (rc == -1 || for_now(reply.status)) {
		if (quiet) {
			json_decref(reply.json);
			return SENT_LATER;
		}
		ctl_answer_req(ctl, &req, rc, &reply, &out);
		return SENT_LATER;
	}
	fprintf(stderr, _("hazardctl: queued %s refused, out of the queue: "
	    "%s\n"), command, what);
	ctl_answer_req(ctl, &req, rc, &reply, &out);
	return SENT_REFUSED;
}

/*
 * Sends the queue in order, the entries for this server; stops at the
 * first that must wait.  Returns 0 when none is left for the server,
 * EXIT_REFUSED when some were refused for good, EXIT_NOANSWER when
 * some wait still; -1 when another hazardctl is sending it.
 */
static int
send_queue(struct ctl *ctl, const char *dir, int tries, int quiet,
    size_t *sent)
{
	json_t	*entry;
	char	**names;
	size_t	 n, i;
	int	 lock, rc = 0;

	*sent = 0;
	queue_sweep(dir);
	if (queue_names(dir, &names, &n) == -1 || n == 0) {
		queue_names_free(names, n);
		return 0;
	}
	if ((lock = queue_lock(dir)) == -1) {
		queue_names_free(names, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		/* Another sync may have sent it since it was listed. */
		if ((entry = queue_load(dir, names[i])) == NULL)
			continue;
		if (ctl_str(entry, "server") == NULL ||
		    strcmp(ctl_str(entry, "server"), ctl->server) != 0) {
			json_decref(entry);
			continue;
		}
		if (ctl_str(entry, "command") == NULL ||
		    ctl_str(entry, "what") == NULL ||
		    ctl_str(entry, "method") == NULL ||
		    ctl_str(entry, "path") == NULL) {
			fprintf(stderr, _("hazardctl: %s/%s is no request; "
			    "it is left as it is\n"), dir, names[i]);
			json_decref(entry);
			continue;
		}
		switch (send_entry(ctl, dir, names[i], entry, tries, quiet)) {
		case SENT_DONE:
			(*sent)++;
			break;
		case SENT_REFUSED:
			rc = EXIT_REFUSED;
			break;
		case SENT_LATER:
			json_decref(entry);
			rc = EXIT_NOANSWER;
			goto done;
		}
		/* Only once it is done does it leave the queue. */
		if (queue_remove_photos(dir, entry) == -1 ||
		    queue_remove(dir, names[i]) == -1) {
			fprintf(stderr, _("hazardctl: cannot take %s/%s out "
			    "of the queue: %s\n"), dir, names[i],
			    strerror(errno));
			json_decref(entry);
			rc = EXIT_REFUSED;
			goto done;
		}
		json_decref(entry);
	}
done:
	close(lock);
	queue_names_free(names, n);
	return rc;
}

void
queue_send_first(struct ctl *ctl)
{
	char	*dir;
	size_t	 sent;

	if ((dir = queue_dir()) == NULL)
		return;
	/* One try each: the command's own request says why, if it fails. */
	send_queue(ctl, dir, 1, 1, &sent);
	free(dir);
}

/* Sends what waits in the queue. */
int
cmd_sync(struct ctl *ctl, const struct args *a)
{
	char	*dir, **names;
	size_t	 sent, left = 0;
	int	 rc;

	(void)a;
	if ((dir = queue_dir()) == NULL) {
		fprintf(stderr, _("hazardctl: no queue: neither "
		    "$XDG_STATE_HOME nor $HOME is set\n"));
		return EXIT_REFUSED;
	}
	rc = send_queue(ctl, dir, CTL_READ_TRIES, 0, &sent);
	if (rc == 0 && queue_names(dir, &names, &left) == 0)
		queue_names_free(names, left);
	free(dir);
	if (rc == 0 && left > 0)
		fprintf(stderr, _("hazardctl: %zu wait for another server; "
		    "hazardctl queue lists them\n"), left);
	if (rc == -1) {
		fputs(_("hazardctl: another hazardctl is sending the queue; "
		    "try again later\n"), stderr);
		return EXIT_REFUSED;
	}
	if (rc == 0 && sent == 0 && left == 0)
		fputs(_("hazardctl: nothing waits to be sent\n"), stderr);
	return rc;
}

/* The photos of entry that wait still in dir: their copies there. */
static size_t
photos_left(const char *dir, const json_t *entry)
{
	const json_t	*p;
	const char	*file;
	char		*path;
	size_t		 i, n = 0;

	json_array_foreach(json_object_get(entry, "photos"), i, p) {
		if ((file = ctl_str(p, "file")) == NULL ||
		    !queue_photo_ok(file))
			continue;
		path = queue_path(dir, file);
		if (access(path, F_OK) == 0)
			n++;
		free(path);
	}
	return n;
}

/* Lists what waits in the queue, oldest first. */
int
cmd_queue(struct ctl *ctl, const struct args *a)
{
	static const char *const cols[] = { N_("WHEN"), N_("COMMAND"),
	    N_("WHAT"), N_("PHOTOS"), N_("SERVER") };
	struct table	*t;
	json_t		*entry, *list;
	char		*dir, **names, buf[64];
	size_t		 n, i;

	(void)a;
	if ((dir = queue_dir()) == NULL ||
	    queue_names(dir, &names, &n) == -1) {
		fprintf(stderr, _("hazardctl: cannot read the queue: %s\n"),
		    strerror(errno));
		free(dir);
		return EXIT_REFUSED;
	}
	list = json_array();
	for (i = 0; i < n; i++)
		if ((entry = queue_load(dir, names[i])) != NULL)
			json_array_append_new(list, entry);
	queue_names_free(names, n);
	if (ctl->json) {
		entry = json_pack("{s:o}", "queue", list);
		ctl_print_json(entry);
		json_decref(entry);
		free(dir);
		return 0;
	}
	if (json_array_size(list) == 0) {
		puts(_("nothing waits to be sent"));
		json_decref(list);
		free(dir);
		return 0;
	}
	t = ctl_table(5, cols);
	table_max(t, 2, WHAT_COLS);
	json_array_foreach(list, i, entry) {
		table_add(t, ctl_time(ctl_str(entry, "at"), buf, sizeof(buf)));
		table_add(t, ctl_str(entry, "command"));
		table_add(t, ctl_str(entry, "what"));
		snprintf(buf, sizeof(buf), "%zu", photos_left(dir, entry));
		table_add(t, buf);
		table_add(t, ctl_str(entry, "server"));
	}
	table_print(t, stdout);
	table_free(t);
	json_decref(list);
	free(dir);
	return 0;
}
