/*
 * Import and export: a district's spreadsheet in, as one streamed
 * request body, and every hazard out, streamed to stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "conn.h"
#include "hazardctl.h"

/* Seconds without progress before a transfer is given up. */
#define IO_IDLE		300
#define UTF8_BOM	"\xef\xbb\xbf"

const struct opt export_opts[] = {
	{ "format", "csv|json", OPT_WIRE | OPT_ENUM,
	    "CSV with the columns of an import (the default), or JSON" },
	{ "bom", NULL, 0,
	    "start the CSV with a UTF-8 byte order mark, for Excel" },
	{ "kind", "hazard|finding", OPT_WIRE | OPT_ENUM, "only of this kind" },
	{ "state", "open|rectified|closed|cancelled", OPT_WIRE | OPT_ENUM,
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

/* Imports a CSV file: prints "imported N, skipped M". */
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
	rc = conn_transfer(ctl->conn, &x, &reply);
	if (x.upload != stdin)
		fclose(x.upload);
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
		format = ctl->json ? "json" : "csv";
	csv = strcmp(format, "csv") == 0;
	if (args_get(a, "bom") != NULL && !csv)
		return args_usage(a->cmd, "--bom is for CSV only");
	x.query = args_object(a);
	json_object_set_new(x.query, "format", json_string(format));
	x.accept = csv ? "text/csv" : "application/json";
	x.prefix = args_get(a, "bom") != NULL ? UTF8_BOM : NULL;
	rc = conn_transfer(ctl->conn, &x, &reply);
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
