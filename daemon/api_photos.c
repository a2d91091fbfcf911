/*
 * A hazard's photos: POST /v1/hazards/{id}/photos?stage=before|after
 * with the image's bytes as the body, GET /v1/photos/{id}.
 *
 * An upload is checked on the loop (the hazard, the size, the type its
 * first bytes say, the number of photos), then its metadata is left
 * out, its hash taken and its file written and flushed (photostore.c)
 * on a worker's thread: a flush of 10 MiB takes a tenth of a second or
 * more (docs/PHOTOS.md), which the loop must not wait for.  Back on the
 * loop, its row and its event join the batch, and the answer goes once
 * they are committed.  The file exists before the row: a crash between
 * the two leaves an orphan file, swept at the next start, never a row
 * without its file.
 *
 * An upload may carry an Idempotency-Key: the same key again on the
 * same hazard is answered with the photo first sent with it (200), not
 * stored again; with other bytes or another stage, it is refused.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "api.h"
#include "db.h"
#include "ledger.h"
#include "log.h"
#include "photo.h"
#include "photostore.h"
#include "shape.h"
#include "worker.h"
#include "xmalloc.h"

/* How a photo may be kept by a browser: its bytes never change. */
#define PHOTO_CACHE	"private, max-age=31536000, immutable"

/* An upload between the loop and the worker's thread. */
struct upload {
	struct request	*k;
	char		*dir;
	struct evbuffer	*body;		/* the request's, moved, not copied */
	size_t		 len;
	int64_t		 hazard_id;
	int		 stage;
	char		*key;		/* NULL: none */
	/* Set on the thread. */
	int		 type;		/* photo_strip()'s */
	size_t		 size;
	char		 sha256[PHOTOSTORE_HASH_LEN];
	int		 written;
};

static const char *const add_allowed[] = { "stage", NULL };

/* Answers the 404 of a hazard that is not there or not the school's. */
static void
no_hazard(struct request *r, const char *id)
{
	http_reply_code(r, 404, "no_such_hazard", NULL, NULL,
	    "hazard %.64s: no such hazard", id);
}

/*
 * Loads hazard id if the requester may see it.  Returns 0, or -1 after
 * answering (404, 503).
 */
static int
hazard_visible(struct request *r, int64_t id, const char *given,
    struct hazard *h)
{
	switch (store_hazard_get(id, h)) {
	case STORE_OK:
		if (r->who.role == ROLE_OFFICE ||
		    h->school_id == r->who.school_id)
			return 0;
		hazard_clear(h);
		/* FALLTHROUGH */
	case STORE_NOTFOUND:
		no_hazard(r, given);
		return -1;
	default:
		http_reply_unavailable(r);
		return -1;
	}
}

/* The JSON of a photo, as listed and as answered to an upload. */
static json_t *
photo_json(const struct photo *p)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:o}", "id",
	    (json_int_t)p->id, "hazard", (json_int_t)p->hazard_id,
	    "stage", photo_stage_name(p->stage), "type",
	    photo_type_name(p->type), "size", (json_int_t)p->size, "at",
	    shape_time(p->at));
}

static int
list_add(const struct photo *p, void *arg)
{
	json_t	*o = photo_json(p);

	json_object_del(o, "hazard");
	json_array_append_new(arg, o);
	return 0;
}

json_t *
api_photo_list(int64_t id)
{
	json_t	*a = json_array();

	if (store_photo_list(id, list_add, a) != STORE_OK) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/*
 * Checks the number of photos of hazard id against max.  Returns 0, or
 * -1 after answering (409, 503).
 */
static int
room_for_one(struct request *r, int64_t id)
{
	int	n;

	if ((n = store_photo_count(id, -1, 0)) == STORE_ERROR) {
		http_reply_unavailable(r);
		return -1;
	}
	if (n >= r->cfg->max_photos_per_hazard) {
		http_reply_code(r, 409, "too_many_photos", NULL,
		    json_pack("{s:i}", "max", r->cfg->max_photos_per_hazard),
		    "hazard %" PRId64 " has %d photos, the most it may have",
		    id, n);
		return -1;
	}
	return 0;
}

/*
 * Checks the body's type: the one its bytes say, and the one its
 * Content-Type claims, if it claims one.  Returns the type, or -1
 * after answering (415, 422).
 */
static int
body_type(struct request *r, const uint8_t *head, size_t len)
{
	const char	*ct;
	int		 type, claimed;

	ct = evhttp_find_header(evhttp_request_get_input_headers(r->req),
	    "Content-Type");
	claimed = photo_type_parse(ct);
	/* None said (a browser's Blob without a type sends it empty). */
	if (ct != NULL && ct[strspn(ct, " \t")] != '\0' && claimed == -1 &&
	    strncasecmp(ct, "application/octet-stream", 24) != 0) {
		http_reply_code(r, 415, "not_an_image", NULL, NULL,
		    "send the photo's bytes as image/jpeg, image/png or "
		    "image/webp");
		return -1;
	}
	if ((type = photo_sniff(head, len)) < 0) {
		http_reply_code(r, 415, "not_an_image", NULL, NULL,
		    "the body is %s", photo_error_text(PHOTO_NOT_IMAGE));
		return -1;
	}
	if (claimed != -1 && claimed != type) {
		http_reply_code(r, 422, "photo_type_mismatch", NULL,
		    json_pack("{s:s}", "value", photo_type_name(type)),
		    "the body is %s, not %s", photo_type_name(type),
		    photo_type_name(claimed));
		return -1;
	}
	return type;
}

/* On a worker's thread: the metadata left out, the file written. */
static void
upload_work(void *arg)
{
	struct upload	*u = arg;
	uint8_t		*in, *out;

	if ((in = evbuffer_pullup(u->body, -1)) == NULL)
		fatalx("evbuffer_pullup");
	out = xmalloc(u->len);
	u->type = photo_strip(in, u->len, out, &u->size);
	evbuffer_free(u->body);
	u->body = NULL;
	if (u->type >= 0 && photostore_hash(out, u->size, u->sha256) == 0 &&
	    photostore_write(u->dir, u->sha256, out, u->size) == 0)
		u->written = 1;
	free(out);
}

/*
 * In the loop: answers an upload whose key hazard u->hazard_id has a
 * photo for with that photo, once the batch that may hold it is
 * committed; refuses the key with other bytes or another stage.
 * Returns 1 answered, 0 if the key is new, -1 if the database failed.
 */
static int
upload_replay(struct upload *u)
{
	struct request	*k = u->k;
	struct photo	 p;

	switch (store_photo_find_key(u->hazard_id, u->key, &p)) {
	case STORE_NOTFOUND:
		return 0;
	case STORE_OK:
		break;
	default:
		return -1;
	}
	if (strcmp(p.sha256, u->sha256) != 0 || p.stage != u->stage) {
		db_work_undo();
		http_reply_code(k, 422, "key_reused", "key", NULL, "the key "
		    "was sent with another photo: photo %" PRId64, p.id);
	} else if (db_work_keep() == -1)
		http_reply_unavailable(k);
	else {
		http_after_commit(k);
		http_log_committed(k, "hazard %" PRId64 ": photo %" PRId64
		    " sent again with its key by %s: the first answer",
		    p.hazard_id, p.id, k->who.name);
		http_reply_json(k, 200, photo_json(&p));
	}
	return 1;
}

/*
 * In the loop: the row and its event in the batch, answered once
 * committed.
 */
static void
upload_store(struct upload *u)
{
	struct request	*k = u->k;
	struct hazard	 h;
	struct actor	 who;
	struct photo	 p;
	char		 given[32];
	int		 rc;

	snprintf(given, sizeof(given), "%" PRId64, u->hazard_id);
	if (db_work_begin() == -1) {
		http_reply_unavailable(k);
		return;
	}
	/* Counted again: another upload may have ended meanwhile. */
	if (hazard_visible(k, u->hazard_id, given, &h) == -1) {
		db_work_undo();
		return;
	}
	if (u->key != NULL && (rc = upload_replay(u)) != 0) {
		if (rc == -1) {
			db_work_undo();
			http_reply_unavailable(k);
		}
		hazard_clear(&h);
		return;
	}
	if (room_for_one(k, u->hazard_id) == -1) {
		db_work_undo();
		hazard_clear(&h);
		return;
	}
	memset(&p, 0, sizeof(p));
	p.stage = u->stage;
	p.type = u->type;
	p.size = (int64_t)u->size;
	memcpy(p.sha256, u->sha256, sizeof(p.sha256));
	p.key = u->key;
	who.token_id = k->who.token_id;
	who.name = k->who.name;
	who.role = k->who.role;
	if (ledger_photo(&who, k->now, &h, &p) != STORE_OK) {
		db_work_undo();
		http_reply_unavailable(k);
	} else if (db_work_keep() == -1)
		http_reply_unavailable(k);
	else {
		http_after_commit(k);
		http_log_committed(k, "hazard %" PRId64 ": photo %" PRId64
		    " (%s, %s, %zu bytes) added by %s (%s)", h.id, p.id,
		    photo_stage_name(p.stage), photo_type_name(p.type),
		    u->size, k->who.name, ledger_role_name(&who));
		http_reply_json(k, 201, photo_json(&p));
	}
	hazard_clear(&h);
}

/* In the loop: the work's end. */
static void
upload_done(void *arg, int ok)
{
	struct upload	*u = arg;

	if (!ok)
		http_reply_unavailable(u->k);
	else if (u->type < 0)
		http_reply_code(u->k, 422, u->type == PHOTO_TRUNCATED ?
		    "photo_truncated" : "photo_malformed", NULL, NULL,
		    "%s", photo_error_text(u->type));
	else if (!u->written) {
		log_warnx("hazard %" PRId64 ": a photo could not be stored",
		    u->hazard_id);
		http_reply_code(u->k, 500, "internal", NULL, NULL,
		    "the photo could not be stored");
	} else
		upload_store(u);
	http_kept_done(u->k);
	if (u->body != NULL)
		evbuffer_free(u->body);
	free(u->key);
	free(u->dir);
	free(u);
}

void
api_photo_add(struct request *r)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(r->req);
	struct upload	*u;
	struct hazard	 h;
	struct photo	 p;
	const char	*key;
	size_t		 len = evbuffer_get_length(in);
	int64_t		 id;
	int		 stage, rc = STORE_NOTFOUND;

	if ((id = http_parse_id(r->args[0])) == 0) {
		no_hazard(r, r->args[0]);
		return;
	}
	if (http_query_only(r, add_allowed) == -1)
		return;
	if ((stage = photo_stage_parse(http_query(r, "stage"))) == -1) {
		http_reply_code(r, 422, "invalid_field", "stage", NULL,
		    "stage: expected before or after");
		return;
	}
	key = evhttp_find_header(evhttp_request_get_input_headers(r->req),
	    "Idempotency-Key");
	if (key != NULL && !hazard_key_valid(key)) {
		http_reply_code(r, 422, "invalid_field", "key", NULL,
		    "key: expected 1-200 printable ASCII characters");
		return;
	}
	if (hazard_visible(r, id, r->args[0], &h) == -1)
		return;
	hazard_clear(&h);
	if ((long)len > r->cfg->max_photo) {
		http_reply_code(r, 413, "photo_too_large", NULL,
		    json_pack("{s:I}", "max", (json_int_t)r->cfg->max_photo),
		    "the photo is larger than %ld bytes", r->cfg->max_photo);
		return;
	}
	if (body_type(r, evbuffer_pullup(in, len < 16 ? -1 : 16), len) == -1)
		return;
	/* A photo sent again is answered though the hazard has no room. */
	if (key != NULL && (rc = store_photo_find_key(id, key, &p)) ==
	    STORE_ERROR) {
		http_reply_unavailable(r);
		return;
	}
	if (rc == STORE_NOTFOUND && room_for_one(r, id) == -1)
		return;
	u = xcalloc(1, sizeof(*u));
	u->len = len;
	/* Its chunks change hands: the copy into one piece is the thread's. */
	if ((u->body = evbuffer_new()) == NULL ||
	    evbuffer_add_buffer(u->body, in) == -1)
		fatalx("evbuffer_add_buffer");
	u->dir = photostore_dir(r->cfg->database);
	u->hazard_id = id;
	u->stage = stage;
	if (key != NULL)
		u->key = xstrdup(key);
	u->k = http_keep(r);
	if (worker_queue(r->cfg->database, upload_work, upload_done, u) == -1)
		upload_done(u, 0);
}

void
api_photo_get(struct request *r)
{
	struct photo	 p;
	struct stat	 sb;
	char		*dir, *path;
	int64_t		 id;
	int		 fd, rc;

	if ((id = http_parse_id(r->args[0])) == 0)
		rc = STORE_NOTFOUND;
	else
		rc = store_photo_get(id, &p);
	if (rc == STORE_OK && r->who.role != ROLE_OFFICE &&
	    p.school_id != r->who.school_id)
		rc = STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND) {
		http_reply_code(r, 404, "no_such_photo", NULL, NULL,
		    "photo %.64s: no such photo", r->args[0]);
		return;
	}
	if (rc != STORE_OK) {
		http_reply_unavailable(r);
		return;
	}
	dir = photostore_dir(r->cfg->database);
	path = photostore_path(dir, p.sha256);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1) {
		log_warn("photo %" PRId64 ": %s", p.id, path);
		if (fd != -1)
			close(fd);
		http_reply_code(r, 500, "internal", NULL, NULL,
		    "the photo's file is missing");
	} else
		http_reply_file(r, photo_type_name(p.type), fd, sb.st_size,
		    PHOTO_CACHE);
	free(path);
	free(dir);
}

/* A file of the sweep: removed unless a photo has its bytes. */
static int
sweep_one(const char *hex, const char *path, void *arg)
{
	int	*n = arg, known = 0;

	if (hex != NULL && (known = store_photo_known(hex)) == STORE_ERROR)
		return -1;
	if (known)
		return 0;
	if (unlink(path) == -1)
		log_warn("photos: cannot remove %s", path);
	else
		(*n)++;
	return 0;
}

int
api_photo_sweep(const char *database)
{
	char	*dir;
	int	 n = 0, rc;

	dir = photostore_dir(database);
	rc = photostore_walk(dir, sweep_one, &n);
	if (n > 0)
		log_info("photos: %d files without a row removed from %s", n,
		    dir);
	free(dir);
	return rc;
}
