/*
 * Import and export: a district's spreadsheet in, as one streamed
 * request body, and every hazard out, streamed to stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "conn.h"
#include "hazardctl.h"
#include "wire.h"

/* Seconds without progress before a transfer is given up. */
#define IO_IDLE		300
#define UTF8_BOM	"\xef\xbb\xbf"
/* The progress bar of an import: its width, and how often it is drawn. */
#define IO_BAR		30
#define IO_POLL_MS	250

const struct opt export_opts[] = {
	{ "format", WIRE_FORMATS, OPT_WIRE | OPT_ENUM,
	    "CSV with the columns of an import (the default), or JSON" },
	{ "bom", NULL, 0,
	    "start the CSV with a UTF-8 byte order mark, for Excel" },
	{ "kind", WIRE_KINDS, OPT_WIRE | OPT_ENUM, "only of this kind" },
	{ "state", WIRE_STATES, OPT_WIRE | OPT_ENUM,
	    "only in this state" },
	{ "school", "CODE", OPT_WIRE, "only of this school" },
	{ "category", "C", OPT_WIRE, "only of this category" },
	{ "since", "DATE", OPT_WIRE | OPT_DATE, "reported on or after DATE" },
	{ "until", "DATE", OPT_WIRE | OPT_DATE, "reported on or before DATE" },
	{ NULL, NULL, 0, NULL }
};

/* Prints each bad row of a refused import: "row 17, deadline: ...". */
static void
print_rows(const char *file, const json_t *answer)
{
	const json_t	*rows, *row;
	const char	*field, *msg;
	size_t		 i;

	rows = json_object_get(json_object_get(answer, "error"), "rows");
	json_array_foreach(rows, i, row) {
		field = ctl_str(row, "field");
		msg = ctl_str(row, "message");
		fprintf(stderr, "hazardctl: %s: row %" JSON_INTEGER_FORMAT
		    "%s", file, json_integer_value(json_object_get(row, "row")),
		    field != NULL ? ", " : "");
		ctl_put_line(stderr, field != NULL ? field : "");
		fputs(": ", stderr);
		ctl_put_line(stderr, msg != NULL ? msg : "?");
		fputc('\n', stderr);
	}
}

/* Opens the file to import: its size, or -1 when it is not known. */
static FILE *
open_upload(const char *path, long long *size)
{
	struct stat	 sb;
	FILE		*fp;

	*size = -1;
	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "hazardctl: import: %s: %s\n", path,
		    strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &sb) == -1)
		return fp;
	if (S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "hazardctl: import: %s: %s\n", path,
		    strerror(EISDIR));
		fclose(fp);
		return NULL;
	}
	if (S_ISREG(sb.st_mode))
		*size = (long long)sb.st_size;
	return fp;
}

/* A count of an import's progress. */
static json_int_t
progress_count(const json_t *o, const char *name)
{
	return json_integer_value(json_object_get(o, name));
}

/*
 * Draws where an import is on the terminal's line: rows parsed, then a
 * bar of the rows written.
 */
static void
progress_draw(const json_t *o)
{
	json_int_t	 rows, written;
	const char	*state = ctl_str(o, "state");
	char		 bar[IO_BAR + 1];
	int		 i, n = 0;

	fprintf(stderr, "\r\033[K%s: %" JSON_INTEGER_FORMAT " rows parsed",
	    state != NULL ? state : "?", progress_count(o, "parsed"));
	if (json_is_integer(json_object_get(o, "rows"))) {
		rows = progress_count(o, "rows");
		written = progress_count(o, "written");
		if (rows > 0)
			n = (int)(written * IO_BAR / rows);
		for (i = 0; i < IO_BAR; i++)
			bar[i] = i < n ? '#' : '.';
		bar[IO_BAR] = '\0';
		fprintf(stderr, ", [%s] %" JSON_INTEGER_FORMAT " of %"
		    JSON_INTEGER_FORMAT " rows written", bar, written, rows);
	}
	fflush(stderr);
}

/* Whether an import's answer says it is still under way. */
static int
in_flight(const struct conn_reply *reply)
{
	const char	*state = ctl_str(reply->json, "state");

	return reply->status == 200 && state != NULL &&
	    (strcmp(state, "queued") == 0 || strcmp(state, "checking") == 0 ||
	    strcmp(state, "writing") == 0);
}

/*
 * Follows an import answered 202 until it ends, drawing its progress:
 * its last answer (200 with the counts, 422, 503) goes into reply as
 * that of the POST would have.  Returns 0, or -1 with no answer.
 */
static int
follow_import(struct ctl *ctl, struct conn_reply *reply)
{
	const struct timespec	 pause = { 0, IO_POLL_MS * 1000000L };
	struct conn_req		 req = { .method = "GET" };
	char			 path[64];
	json_int_t		 id;

	id = json_integer_value(json_object_get(reply->json, "id"));
	snprintf(path, sizeof(path), "/v1/imports/%" JSON_INTEGER_FORMAT,
	    id);
	req.path = path;
	for (;;) {
		progress_draw(reply->json);
		json_decref(reply->json);
		nanosleep(&pause, NULL);
		if (conn_request(ctl->conn, &req, reply) == -1)
			break;
		if (!in_flight(reply))
			break;
	}
	/* The line of progress goes: the answer is printed as ever. */
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	return reply->status == 0 ? -1 : 0;
}

/*
 * Imports a CSV file: prints "imported N, skipped M".  On a terminal,
 * the server answers at once and the progress is drawn until it ends.
 */
int
cmd_import(struct ctl *ctl, const struct args *a)
{
	struct conn_xfer	 x = { .method = "POST", .path = "/v1/import",
				    .upload_type = "text/csv; charset=utf-8",
				    .accept = "application/json",
				    .idle = IO_IDLE };
	struct conn_reply	 reply;
	const char		*path = a->operand[0];
	json_t			*res;
	int			 rc;

	if ((x.upload = open_upload(path, &x.upload_size)) == NULL)
		return EXIT_REFUSED;
	if (isatty(STDERR_FILENO))
		x.header = "Prefer: respond-async";
	rc = conn_transfer(ctl->conn, &x, &reply);
	if (x.upload != stdin)
		fclose(x.upload);
	if (rc == 0 && reply.status == 202)
		rc = follow_import(ctl, &reply);
	if (rc == 0 && reply.status == 422)
		print_rows(path, reply.json);
	if ((rc = ctl_answer(ctl, rc, &reply, &res)) != 0)
		return rc;
	if (ctl->json)
		ctl_print_json(res);
	else if (!json_is_integer(json_object_get(res, "imported")) ||
	    !json_is_integer(json_object_get(res, "skipped")))
		rc = ctl_unexpected(ctl, "no counts");
	else
		printf("imported %" JSON_INTEGER_FORMAT ", skipped %"
		    JSON_INTEGER_FORMAT "\n",
		    json_integer_value(json_object_get(res, "imported")),
		    json_integer_value(json_object_get(res, "skipped")));
	json_decref(res);
	return rc;
}

/* Exports hazards to stdout, as the server streams them. */
int
cmd_export(struct ctl *ctl, const struct args *a)
{
	struct conn_xfer	 x = { .method = "GET", .path = "/v1/export",
				    .download = stdout, .idle = IO_IDLE };
	struct conn_reply	 reply;
	const char		*format = args_get(a, "format");
	json_t			*res;
	int			 rc, csv;

	if (format == NULL)
		format = ctl->json ? WIRE_FORMAT_JSON : WIRE_FORMAT_CSV;
	csv = strcmp(format, WIRE_FORMAT_CSV) == 0;
	if (args_get(a, "bom") != NULL && !csv)
		return args_usage(a->cmd, "--bom is for CSV only");
	x.query = args_object(a);
	json_object_set_new(x.query, "format", json_string(format));
	x.accept = csv ? "text/csv" : "application/json";
	x.prefix = args_get(a, "bom") != NULL ? UTF8_BOM : NULL;
	rc = ctl_transfer(ctl, &x, CTL_READ_TRIES, &reply);
	json_decref(x.query);
	if (rc == 0 && reply.status >= 200 && reply.status < 300) {
		json_decref(reply.json);
		return 0;
	}
	if ((rc = ctl_answer(ctl, rc, &reply, &res)) == 0) {
		json_decref(res);
		rc = ctl_unexpected(ctl, "an export without a body");
	}
	return rc;
}
