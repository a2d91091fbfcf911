/*
 * A hazard's photos: sent with a report (--photo, "before") or a
 * rectification (--photo, "after"), or on their own (photo add), and
 * fetched (photo get).  The server knows the image by its bytes and
 * leaves out its metadata (EXIF, GPS): the client sends the file as it
 * is.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "conn.h"
#include "hazardctl.h"
#include "xmalloc.h"

/* Seconds without progress before a transfer gives up. */
#define PHOTO_IDLE	300

const struct opt photo_add_opts[] = {
	{ "stage", "before|after", OPT_ENUM,
	    N_("before the rectification (the default) or after it") },
	{ NULL, NULL, 0, NULL }
};

const struct opt photo_get_opts[] = {
	{ "output", "FILE", OPT_REQUIRED,
	    N_("write the photo to FILE (- is standard output)") },
	{ NULL, NULL, 0, NULL }
};

int
ctl_photo_check(const struct args *a)
{
	struct stat	sb;
	int		i;

	for (i = 0; i < a->nmulti; i++) {
		if (stat(a->multi[i], &sb) == -1 || access(a->multi[i],
		    R_OK) == -1) {
			fprintf(stderr, _("hazardctl: %s: %s\n"), a->multi[i],
			    strerror(errno));
			return EXIT_USAGE;
		}
		if (!S_ISREG(sb.st_mode)) {
			fprintf(stderr, _("hazardctl: %s: not a file\n"),
			    a->multi[i]);
			return EXIT_USAGE;
		}
	}
	return 0;
}

int
ctl_photo_upload(struct ctl *ctl, long long id, const char *stage,
    FILE *f, const char *key, struct conn_reply *reply)
{
	struct conn_xfer	 x = { .method = "POST",
				    .upload_type = "application/octet-stream",
				    .accept = "application/json",
				    .idle = PHOTO_IDLE };
	struct stat		 sb;
	char			 p[64], *hdr = NULL;
	int			 rc;

	if (fstat(fileno(f), &sb) == -1) {
		memset(reply, 0, sizeof(*reply));
		snprintf(reply->error, sizeof(reply->error), "%s",
		    strerror(errno));
		return -1;
	}
	snprintf(p, sizeof(p), "/v1/hazards/%lld/photos", id);
	x.path = p;
	x.upload = f;
	x.upload_size = (long long)sb.st_size;
	x.query = json_pack("{s:s}", "stage", stage);
	if (key != NULL) {
		xasprintf(&hdr, "Idempotency-Key: %s", key);
		x.header = hdr;
	}
	rc = ctl_transfer(ctl, &x, 1, reply);
	json_decref(x.query);
	free(hdr);
	return rc;
}

void
ctl_photo_key(char *buf, const char *key, size_t place)
{
	/* The place first: a key cut at KEY_MAX keeps it. */
	snprintf(buf, KEY_MAX + 1, "photo%zu-%s", place, key);
}

int
ctl_photo_add(struct ctl *ctl, long long id, const char *stage,
    const char *path, const char *key, json_t **out, struct conn_reply *lost)
{
	struct conn_reply	 reply;
	FILE			*f;
	int			 rc;

	*out = NULL;
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, _("hazardctl: %s: %s\n"), path,
		    strerror(errno));
		return EXIT_REFUSED;
	}
	rc = ctl_photo_upload(ctl, id, stage, f, key, &reply);
	fclose(f);
	if (rc == -1 && lost != NULL) {
		*lost = reply;
		return -1;
	}
	if ((rc = ctl_answer(ctl, rc, &reply, out)) != 0)
		fprintf(stderr, _("hazardctl: %s: the photo was not added\n"),
		    path);
	return rc;
}

int
ctl_photo_send_all(struct ctl *ctl, long long id, const char *stage,
    const struct args *a, const struct conn_req *req, struct queued *q)
{
	struct conn_reply	 lost;
	json_t			*res;
	char			 key[KEY_MAX + 1];
	int			 i, rc;

	for (i = 0; i < a->nmulti; i++) {
		/* The key the queue would send this photo with again. */
		if (req->key != NULL)
			ctl_photo_key(key, req->key, (size_t)i);
		else if (ctl_make_key(key) == -1) {
			fprintf(stderr, _("hazardctl: cannot make a key: "
			    "%s\n"), strerror(errno));
			return EXIT_REFUSED;
		}
		rc = ctl_photo_add(ctl, id, stage, a->multi[i], key, &res,
		    q != NULL ? &lost : NULL);
		if (rc == -1) {
			/* The server went away: the others wait for it. */
			q->hazard = id;
			q->photos = a->multi + i;
			q->nphotos = (size_t)(a->nmulti - i);
			q->first = (size_t)i;
			return queue_keep(ctl, req, q, &lost);
		}
		if (rc != 0)
			return rc;
		json_decref(res);
	}
	return 0;
}

/* Adds a photo to a hazard: prints its id. */
int
cmd_photo_add(struct ctl *ctl, const struct args *a)
{
	const char	*stage = args_get(a, "stage");
	json_t		*res;
	long long	 id;
	char		 key[2 * KEY_BYTES + 1];
	int		 rc;

	if ((rc = args_id(a, 0, &id)) != 0)
		return rc;
	/* A key of its own: a second try of this upload is one photo. */
	if (ctl_make_key(key) == -1) {
		fprintf(stderr, _("hazardctl: cannot make a key: %s\n"),
		    strerror(errno));
		return EXIT_REFUSED;
	}
	if ((rc = ctl_photo_add(ctl, id, stage != NULL ? stage : "before",
	    a->operand[1], key, &res, NULL)) != 0)
		return rc;
	if (ctl->json)
		ctl_print_json(res);
	else if (!json_is_integer(json_object_get(res, "id")))
		rc = ctl_unexpected(ctl, _("no id"));
	else
		printf("%" JSON_INTEGER_FORMAT "\n",
		    json_integer_value(json_object_get(res, "id")));
	json_decref(res);
	return rc;
}

/*
 * Writes a photo to the file of --output, through a temporary file
 * beside it renamed once the whole photo has come.
 */
int
cmd_photo_get(struct ctl *ctl, const struct args *a)
{
	struct conn_xfer	 x = { .method = "GET", .accept = "image/*",
				    .idle = PHOTO_IDLE };
	struct conn_reply	 reply;
	const char		*output = args_get(a, "output");
	json_t			*res;
	long long		 id;
	char			 p[64], *tmp = NULL;
	int			 rc, fd;

	if ((rc = args_id(a, 0, &id)) != 0)
		return rc;
	snprintf(p, sizeof(p), "/v1/photos/%lld", id);
	x.path = p;
	if (strcmp(output, "-") == 0)
		x.download = stdout;
	else {
		xasprintf(&tmp, "%s.XXXXXX", output);
		if ((fd = mkstemp(tmp)) == -1 ||
		    (x.download = fdopen(fd, "wb")) == NULL) {
			fprintf(stderr, _("hazardctl: %s: %s\n"), output,
			    strerror(errno));
			if (fd != -1) {
				close(fd);
				unlink(tmp);
			}
			free(tmp);
			return EXIT_REFUSED;
		}
	}
	rc = ctl_transfer(ctl, &x, CTL_READ_TRIES, &reply);
	if (tmp != NULL && fclose(x.download) != 0 && rc == 0) {
		fprintf(stderr, _("hazardctl: %s: %s\n"), output,
		    strerror(errno));
		json_decref(reply.json);
		unlink(tmp);
		free(tmp);
		return EXIT_REFUSED;
	}
	if (rc == 0 && reply.status >= 200 && reply.status < 300) {
		json_decref(reply.json);
		if (tmp != NULL && rename(tmp, output) == -1) {
			fprintf(stderr, _("hazardctl: %s: %s\n"), output,
			    strerror(errno));
			rc = EXIT_REFUSED;
			unlink(tmp);
		}
		free(tmp);
		return rc;
	}
	if (tmp != NULL)
		unlink(tmp);
	free(tmp);
	if ((rc = ctl_answer(ctl, rc, &reply, &res)) == 0) {
		json_decref(res);
		rc = ctl_unexpected(ctl, _("a photo without a body"));
	}
	return rc;
}
