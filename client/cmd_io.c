/*
 * Import and export: a district's spreadsheet in, as one streamed
 * request body, and every hazard out, streamed to stdout.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "conn.h"
#include "hazardctl.h"
#include "utf8.h"
#include "wire.h"
#include "xmalloc.h"
#ifdef HAVE_XLSXWRITER
#include "xlsx.h"
#endif

/* Seconds without progress before a transfer is given up. */
#define IO_IDLE		300
#define UTF8_BOM	"\xef\xbb\xbf"
/* The progress bar of an import: its width, and how often it is drawn. */
#define IO_BAR		30
#define IO_POLL_MS	250

const struct opt export_opts[] = {
	{ "format", WIRE_FORMATS "|xlsx", OPT_ENUM,
	    N_("CSV (the default), JSON, or a workbook (with --output)") },
	{ "output", "FILE", 0, N_("write to FILE, not the standard output") },
	{ "headers", "en|zh", OPT_ENUM,
	    N_("the columns' names: English (the default) or Chinese") },
	{ "excel", NULL, 0,
	    N_("for Excel: a byte order mark, Chinese names, local times") },
	{ "bom", NULL, 0,
	    N_("start the CSV with a UTF-8 byte order mark, for Excel") },
	{ "kind", WIRE_KINDS, OPT_WIRE | OPT_ENUM, N_("only of this kind") },
	{ "state", WIRE_STATES, OPT_WIRE | OPT_ENUM,
	    N_("only in this state") },
	{ "school", "CODE", OPT_WIRE, N_("only of this school") },
	{ "category", "C", OPT_WIRE, N_("only of this category") },
	{ "since", "DATE", OPT_WIRE | OPT_DATE,
	    N_("reported on or after DATE") },
	{ "until", "DATE", OPT_WIRE | OPT_DATE,
	    N_("reported on or before DATE") },
	{ NULL, NULL, 0, NULL }
};

const struct opt activity_export_opts[] = {
	{ "format", WIRE_FORMATS, OPT_ENUM,
	    N_("CSV (the default) or JSON") },
	{ "output", "FILE", 0, N_("write to FILE, not the standard output") },
	{ "headers", "en|zh", OPT_ENUM,
	    N_("the columns' names: English (the default) or Chinese") },
	{ "excel", NULL, 0,
	    N_("for Excel: a byte order mark, Chinese names, local times") },
	{ "bom", NULL, 0,
	    N_("start the CSV with a UTF-8 byte order mark, for Excel") },
	{ "school", "CODE", OPT_WIRE, N_("only of this school") },
	{ "type", "TYPE", OPT_WIRE, N_("only of this type") },
	{ "from", "DATE", OPT_WIRE | OPT_DATE, N_("on or after DATE") },
	{ "to", "DATE", OPT_WIRE | OPT_DATE, N_("on or before DATE") },
	{ NULL, NULL, 0, NULL }
};

/* Whether a is of hazardctl activity import or export. */
static int
of_activities(const struct args *a)
{
	return strncmp(a->cmd->name, "activity ", 9) == 0;
}

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
		fprintf(stderr, _("hazardctl: %s: row %lld%s"), file,
		    (long long)json_integer_value(json_object_get(row, "row")),
		    field != NULL ? ", " : "");
		ctl_put_line(stderr, field != NULL ? field : "");
		fputs(": ", stderr);
		ctl_put_line(stderr, msg != NULL ? msg : "?");
		fputc('\n', stderr);
	}
}

/* Whether the len bytes at s are UTF-8 (a NUL is left to the server). */
static int
is_utf8(const char *s, size_t len)
{
	size_t		off = 0, n;
	uint32_t	cp;

	while (off < len) {
		if (s[off] == '\0') {
			off++;
			continue;
		}
		if ((n = utf8_next(s + off, len - off, &cp)) == 0)
			return 0;
		off += n;
	}
	return 1;
}

/*
 * Converts the len bytes at *text from GB18030 (what Excel saves as
 * "CSV" on a Chinese Windows, GBK included) to UTF-8 with iconv(3), in
 * place of *text.  Returns 0, or -1 if they are not GB18030 either.
 */
static int
from_gb18030(char **text, size_t *len)
{
	iconv_t	 cd;
	char	*in = *text, *out, *to;
	size_t	 left = *len, room, cap;
	int	 rc = 0;

	if ((cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
		return -1;
	/* A GB18030 character of 2 or 4 bytes is at most 4 in UTF-8. */
	cap = room = 2 * *len + 4;
	to = out = xmalloc(cap);
	if (iconv(cd, &in, &left, &to, &room) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &to, &room) == (size_t)-1)
		rc = -1;
	iconv_close(cd);
	if (rc == -1) {
		free(out);
		return -1;
	}
	free(*text);
	*text = out;
	*len = cap - room;
	return 0;
}

/*
 * Reads the file to import (- is the standard input) into *text; a
 * file that is not UTF-8 is taken for GB18030 and converted, which one
 * line says.  Returns 0, or -1 with the reason printed.
 */
static int
read_upload(const char *path, char **text, size_t *len)
{
	FILE	*fp;
	char	 buf[65536];
	size_t	 n, cap = 0;
	int	 rc = 0;

	*text = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, _("hazardctl: import: %s: %s\n"), path,
		    strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (*len + n > cap) {
			cap = cap == 0 ? sizeof(buf) : cap;
			while (*len + n > cap)
				cap *= 2;
			*text = xreallocarray(*text, cap, 1);
		}
		memcpy(*text + *len, buf, n);
		*len += n;
	}
	if (ferror(fp)) {
		fprintf(stderr, _("hazardctl: import: %s: %s\n"), path,
		    strerror(errno != 0 ? errno : EIO));
		rc = -1;
	}
	if (fp != stdin)
		fclose(fp);
	if (rc == 0 && !is_utf8(*text, *len)) {
		if (from_gb18030(text, len) == -1) {
			fprintf(stderr, _("hazardctl: import: %s: neither "
			    "UTF-8 nor GB18030 text\n"), path);
			rc = -1;
		} else
			fprintf(stderr, _("hazardctl: import: %s: not UTF-8; "
			    "read as GB18030 (Excel's \"CSV\" on a Chinese "
			    "Windows) and converted\n"), path);
	}
	if (rc == -1) {
		free(*text);
		*text = NULL;
	}
	return rc;
}

/* The state of an import as people name it, in their language. */
static const char *
import_state(const char *state)
{
	static const struct {
		const char	*state;
		const char	*name;
	} names[] = {
		{ "queued", N_("queued") },
		{ "checking", N_("checking") },
		{ "writing", N_("writing") },
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].state, state) == 0)
			return _(names[i].name);
	return state;
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

	fprintf(stderr, "\r\033[K");
	fprintf(stderr, _("%s: %lld rows parsed"), state != NULL ?
	    import_state(state) : "?", (long long)progress_count(o,
	    "parsed"));
	if (json_is_integer(json_object_get(o, "rows"))) {
		rows = progress_count(o, "rows");
		written = progress_count(o, "written");
		if (rows > 0)
			n = (int)(written * IO_BAR / rows);
		for (i = 0; i < IO_BAR; i++)
			bar[i] = i < n ? '#' : '.';
		bar[IO_BAR] = '\0';
		fprintf(stderr, _(", [%s] %lld of %lld rows written"), bar,
		    (long long)written, (long long)rows);
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
	char			*text;
	size_t			 len;
	int			 rc;

	if (read_upload(path, &text, &len) == -1)
		return EXIT_REFUSED;
	if (len == 0)
		x.upload = fopen("/dev/null", "rb");
	else
		x.upload = fmemopen(text, len, "rb");
	if (x.upload == NULL) {
		fprintf(stderr, _("hazardctl: import: %s: %s\n"), path,
		    strerror(errno));
		free(text);
		return EXIT_REFUSED;
	}
	x.upload_size = (long long)len;
	if (of_activities(a))
		x.query = json_pack("{s:s}", "records", "activities");
	if (isatty(STDERR_FILENO))
		x.header = "Prefer: respond-async";
	rc = conn_transfer(ctl->conn, &x, &reply);
	fclose(x.upload);
	json_decref(x.query);
	free(text);
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
		rc = ctl_unexpected(ctl, _("no counts"));
	else
		printf(_("imported %lld, skipped %lld\n"),
		    (long long)json_integer_value(json_object_get(res,
		    "imported")),
		    (long long)json_integer_value(json_object_get(res,
		    "skipped")));
	json_decref(res);
	return rc;
}

/*
 * Makes a workbook from the JSON export, kept in a temporary file as it
 * streams.  Returns 0, or an exit status.
 */
static int
export_xlsx(struct ctl *ctl, struct conn_xfer *x, const char *output, int zh)
{
#ifdef HAVE_XLSXWRITER
	struct conn_reply	 reply;
	json_t			*res;
	int			 rc;

	if ((x->download = tmpfile()) == NULL) {
		fprintf(stderr, _("hazardctl: export: a temporary file: %s\n"),
		    strerror(errno));
		return EXIT_REFUSED;
	}
	rc = ctl_transfer(ctl, x, CTL_READ_TRIES, &reply);
	if (rc == 0 && reply.status >= 200 && reply.status < 300) {
		json_decref(reply.json);
		rewind(x->download);
		rc = xlsx_write(output, x->download, zh) == 0 ? 0 :
		    EXIT_REFUSED;
	} else if ((rc = ctl_answer(ctl, rc, &reply, &res)) == 0) {
		json_decref(res);
		rc = ctl_unexpected(ctl, _("an export without a body"));
	}
	fclose(x->download);
	return rc;
#else
	(void)ctl, (void)x, (void)output, (void)zh;
	fprintf(stderr, _("hazardctl: export: this hazardctl was built "
	    "without libxlsxwriter: no --format xlsx\n"));
	return EXIT_USAGE;
#endif
}

/*
 * Exports hazards to stdout or --output, as the server streams them; a
 * workbook is made once the whole export is in.
 */
int
cmd_export(struct ctl *ctl, const struct args *a)
{
	struct conn_xfer	 x = { .method = "GET", .path = "/v1/export",
				    .download = stdout, .idle = IO_IDLE };
	struct conn_reply	 reply;
	const char		*format = args_get(a, "format");
	const char		*output = args_get(a, "output");
	const char		*headers = args_get(a, "headers");
	json_t			*res;
	int			 rc, csv, xlsx, excel, bom;

	if (format == NULL)
		format = ctl->json ? WIRE_FORMAT_JSON : WIRE_FORMAT_CSV;
	csv = strcmp(format, WIRE_FORMAT_CSV) == 0;
	xlsx = strcmp(format, "xlsx") == 0;
	excel = args_get(a, "excel") != NULL;
	bom = args_get(a, "bom") != NULL || (excel && csv);
	if (args_get(a, "bom") != NULL && !csv)
		return args_usage(a->cmd, _("--bom is for CSV only"));
	if (!csv && !xlsx && (excel || headers != NULL))
		return args_usage(a->cmd, _("--%s is for CSV or xlsx"),
		    excel ? "excel" : "headers");
	if (xlsx && output == NULL)
		return args_usage(a->cmd, _("--format xlsx needs --output "
		    "FILE"));
	if (headers == NULL)
		headers = excel ? "zh" : "en";
	x.query = args_object(a);
	json_object_set_new(x.query, "format", json_string(xlsx ?
	    WIRE_FORMAT_JSON : format));
	if (of_activities(a))
		json_object_set_new(x.query, "records",
		    json_string("activities"));
	if (xlsx) {
		x.accept = "application/json";
		rc = export_xlsx(ctl, &x, output, strcmp(headers, "zh") == 0);
		json_decref(x.query);
		return rc;
	}
	if (csv) {
		json_object_set_new(x.query, "headers", json_string(headers));
		if (excel)
			json_object_set_new(x.query, "times",
			    json_string("local"));
	}
	x.accept = csv ? "text/csv" : "application/json";
	x.prefix = bom ? UTF8_BOM : NULL;
	if (output != NULL && (x.download = fopen(output, "wb")) == NULL) {
		fprintf(stderr, _("hazardctl: export: %s: %s\n"), output,
		    strerror(errno));
		json_decref(x.query);
		return EXIT_REFUSED;
	}
	rc = ctl_transfer(ctl, &x, CTL_READ_TRIES, &reply);
	json_decref(x.query);
	if (x.download != stdout && fclose(x.download) != 0 && rc == 0) {
		fprintf(stderr, _("hazardctl: export: %s: %s\n"), output,
		    strerror(errno));
		json_decref(reply.json);
		return EXIT_REFUSED;
	}
	if (rc == 0 && reply.status >= 200 && reply.status < 300) {
		json_decref(reply.json);
		return 0;
	}
	if ((rc = ctl_answer(ctl, rc, &reply, &res)) == 0) {
		json_decref(res);
		rc = ctl_unexpected(ctl, _("an export without a body"));
	}
	return rc;
}
