/*
 * hazardctl: the command-line client of hazardd.  The command table,
 * the state of one run, and what the command handlers share.
 */
#ifndef HAZARDCTL_H
#define HAZARDCTL_H

#include <stdio.h>

#include <jansson.h>

#include "i18n.h"

/* Exit codes, as hazardctl --help documents them. */
#define EXIT_REFUSED	1	/* the server refused, or other failure */
#define EXIT_USAGE	2	/* unknown command or option, bad value */
#define EXIT_NOANSWER	3	/* cannot connect, or no answer */
#define EXIT_QUEUED	4	/* no answer: the request waits in the queue */

#define DEFAULT_SERVER	"http://127.0.0.1:8470"

#define KEY_BYTES	16	/* random bytes of a made-up key */
#define KEY_MAX		200	/* the longest key the server takes */

/* Flags of an option. */
#define OPT_REQUIRED	0x01	/* must be given */
#define OPT_WIRE	0x02	/* sent as the field or parameter "name" */
#define OPT_ENUM	0x04	/* one of the words of arg, "a|b|c" */
#define OPT_DATE	0x08	/* a calendar date, YYYY-MM-DD */
#define OPT_COUNT	0x10	/* a whole number from 1 */
#define OPT_ONEOF	0x20	/* exactly one of the OPT_ONEOF options */
#define OPT_MULTI	0x40	/* may be given again: see args.multi */
#define OPT_NUMBER	0x80	/* a whole number from 0 */

/* One option of a command, "--name ARG". */
struct opt {
	const char	*name;		/* without the leading "--" */
	const char	*arg;		/* its value's name; NULL: a flag */
	int		 flags;		/* OPT_* */
	const char	*help;		/* one line */
};

struct ctl;
struct args;

/* One command: a row of the command table. */
struct cmd {
	/* One or two words: "token create". */
	const char		*name;
	int			(*handler)(struct ctl *,
				    const struct args *);
	const char		*operands; /* "ID", "CODE NAME", or NULL */
	const struct opt	*opts;	/* ends with a NULL name */
	const char		*help;	/* what it does, in one line */
	const char		*detail; /* more, for its --help, or NULL */
};

/* One run of hazardctl: the global options and what they resolve to. */
struct ctl {
	const char	*opt_server;	/* --server */
	const char	*opt_token;	/* --token */
	const char	*opt_config;	/* --config */
	int		 json;		/* --json */
	int		 help;		/* --help */

	const char	*server;	/* the server's base URL, resolved */
	const char	*token;		/* the token, resolved; or NULL */
	char		*file_server;	/* from the config file */
	char		*file_token;

	struct conn	*conn;
	json_t		*categories;	/* GET /v1/categories, once asked */
};

/* cmd_hazard.c: the closed loop of one hazard. */
extern const struct opt	report_opts[], list_opts[], assess_opts[],
			note_opts[], note_required_opts[], cancel_opts[];
int	cmd_report(struct ctl *, const struct args *);
int	cmd_list(struct ctl *, const struct args *);
int	cmd_show(struct ctl *, const struct args *);
int	cmd_assess(struct ctl *, const struct args *);
int	cmd_action(struct ctl *, const struct args *);

/* cmd_photo.c: a hazard's photos. */
extern const struct opt	photo_add_opts[], photo_get_opts[], rectify_opts[];
int	cmd_photo_add(struct ctl *, const struct args *);
int	cmd_photo_get(struct ctl *, const struct args *);

/*
 * Checks that each file of the --photo options (a's OPT_MULTI) can be
 * read, before anything is sent.  Returns 0, or EXIT_USAGE with the
 * reason printed.
 */
int	ctl_photo_check(const struct args *a);

/*
 * Sends the file at path as a photo of hazard id, of stage (before or
 * after).  Returns 0 with *out the server's answer (the caller frees
 * it), or an exit status with the reason printed; with lost not NULL,
 * -1 without a word when the server was not reached, *lost saying why.
 */
struct conn_reply;
int	ctl_photo_add(struct ctl *, long long id, const char *stage,
	    const char *path, const char *key, json_t **out,
	    struct conn_reply *lost);

/*
 * Sends the photo read from f as ctl_photo_add() does, one try, with
 * the idempotency key key (NULL: none), and leaves its answer in *reply
 * as ctl_transfer() does.  Returns 0, or -1 when there was no answer
 * (reply->error says why).
 */
int	ctl_photo_upload(struct ctl *, long long id, const char *stage,
	    FILE *f, const char *key, struct conn_reply *reply);

/* Makes a random idempotency key, in hex, into buf (2 * KEY_BYTES + 1). */
int	ctl_make_key(char *buf);

/*
 * Makes into buf (KEY_MAX + 1) the idempotency key of the photo at place
 * (0 for the first) of the request of key key: the same photo sent
 * again, from the queue or not, carries the same key.
 */
void	ctl_photo_key(char *buf, const char *key, size_t place);

/*
 * Sends each --photo of a as ctl_photo_add() does; stops at a refusal.
 * With q not NULL, when the server cannot be reached the photos not sent
 * are kept in the queue with req, as q says, to go to hazard id
 * (queue_keep()), and EXIT_QUEUED is returned.
 */
struct conn_req;
struct queued;
int	ctl_photo_send_all(struct ctl *, long long id, const char *stage,
	    const struct args *a, const struct conn_req *req,
	    struct queued *q);

/* cmd_report.c: rates and statistics. */
extern const struct opt	rate_opts[], stats_opts[], yearbook_opts[];
int	cmd_rate(struct ctl *, const struct args *);
int	cmd_yearbook(struct ctl *, const struct args *);
int	cmd_stats(struct ctl *, const struct args *);

/* cmd_admin.c: schools and tokens. */
extern const struct opt	no_opts[], token_create_opts[], school_set_opts[],
			school_retire_opts[];
int	cmd_categories(struct ctl *, const struct args *);
int	cmd_school_add(struct ctl *, const struct args *);
int	cmd_school_set(struct ctl *, const struct args *);
int	cmd_school_retire(struct ctl *, const struct args *);
int	cmd_school_list(struct ctl *, const struct args *);
int	cmd_token_create(struct ctl *, const struct args *);
int	cmd_token_list(struct ctl *, const struct args *);
int	cmd_token_revoke(struct ctl *, const struct args *);

/* cmd_cycle.c: digests and the cycle. */
extern const struct opt	period_opts[], run_opts[];
int	cmd_digest(struct ctl *, const struct args *);
int	cmd_cycle_run(struct ctl *, const struct args *);

/* cmd_warning.c: early warnings. */
extern const struct opt	warn_opts[];
int	cmd_warn(struct ctl *, const struct args *);
int	cmd_warnings(struct ctl *, const struct args *);
int	cmd_ack(struct ctl *, const struct args *);
int	cmd_warning_show(struct ctl *, const struct args *);

/* cmd_activity.c: the activity ledger. */
extern const struct opt	activity_add_opts[], activity_list_opts[],
			activity_stats_opts[];
int	cmd_activity_add(struct ctl *, const struct args *);
int	cmd_activity_list(struct ctl *, const struct args *);
int	cmd_activity_stats(struct ctl *, const struct args *);

/* cmd_queue.c: requests kept while the server could not be reached. */
int	cmd_queue(struct ctl *, const struct args *);
int	cmd_sync(struct ctl *, const struct args *);

/* What a request kept in the queue takes with it. */
struct queued {
	const char		*command;	/* "report", "rectify", "ack" */
	const char		*what;		/* "hazard 12", a title */
	long long		 hazard;	/* the hazard it acts on, or 0 */
	const char *const	*photos;	/* files sent with it, or NULL */
	size_t			 nphotos;
	size_t			 first;		/* the place of photos[0] */
};

/*
 * Sends req as ctl_request() does; when there is no answer after its
 * tries, keeps it in the queue (with its key: never a token) with q (a
 * copy of each of its photos beside it), says so in one line and
 * returns EXIT_QUEUED.
 */
struct conn_req;
int	queue_request(struct ctl *, const struct conn_req *, int tries,
	    const struct queued *q, json_t **out);

/*
 * Keeps req in the queue as queue_request() does, without sending it:
 * reply says why the server was not reached.  Returns EXIT_QUEUED, or
 * EXIT_NOANSWER with the reason printed.
 */
int	queue_keep(struct ctl *, const struct conn_req *,
	    const struct queued *q, const struct conn_reply *reply);

/*
 * Sends what waits in the queue for this server before a command's own
 * request, a try each; stops quietly at the first that must wait.
 */
void	queue_send_first(struct ctl *);

/* cmd_audit.c: the audit trail's hash chain. */
extern const struct opt	audit_verify_opts[];
int	cmd_audit_verify(struct ctl *, const struct args *);

/* cmd_io.c: import and export, CSV in and out. */
extern const struct opt	export_opts[], activity_export_opts[];
int	cmd_import(struct ctl *, const struct args *);
int	cmd_export(struct ctl *, const struct args *);

/* ctl.c: talking to the server on behalf of a command. */
struct conn_req;

/* The tries of a read: the first and four more after a 503. */
#define CTL_READ_TRIES	5

/*
 * Sends req, trying up to tries times while the server answers 503
 * (refused for now), waiting as its Retry-After asks; and while there
 * is no answer or another 5xx if req has an idempotency key.  Returns 0
 * with *out the JSON object of a 2xx answer (the caller frees it), or
 * an exit code with the reason printed.
 */
int	ctl_request(struct ctl *, const struct conn_req *, int tries,
	    json_t **out);

/*
 * Sends req as ctl_request() does, but leaves its answer in reply (the
 * caller takes it with ctl_answer_req()).  Returns what conn_request()
 * returned the last time.
 */
struct conn_reply;
int	ctl_send(struct ctl *, const struct conn_req *, int tries,
	    struct conn_reply *reply);

/*
 * Sends x with conn_transfer(), trying a download (not an upload) up to
 * tries times while the server answers 503, as ctl_request() does.
 */
struct conn_reply;
struct conn_xfer;
int	ctl_transfer(struct ctl *, const struct conn_xfer *x, int tries,
	    struct conn_reply *reply);

/*
 * Takes the answer of conn_request() or conn_transfer(), rc being what
 * it returned, as ctl_request() does after its tries: returns 0 with
 * *out the JSON object of a 2xx answer (the caller frees it), or an exit
 * code with the reason printed.  reply->json is taken either way.
 */
struct conn_reply;
int	ctl_answer(struct ctl *, int rc, struct conn_reply *reply,
	    json_t **out);

/* Takes the answer of req as ctl_answer() does, its refusal said for req. */
int	ctl_answer_req(struct ctl *, const struct conn_req *req, int rc,
	    struct conn_reply *reply, json_t **out);

/*
 * Prints json as --json does: indented, UTF-8 as it is but for what a
 * terminal would obey (safetext_json()).  Returns 0.
 */
int	ctl_print_json(const json_t *);

/* Says that the answer lacks what it should have.  Returns EXIT_REFUSED. */
int	ctl_unexpected(const struct ctl *, const char *what);

/*
 * Prints s, which the server sent, as plain text on one line
 * (safetext_plain()): nothing in it reaches the terminal as a control.
 */
void	ctl_put_line(FILE *, const char *s);

/* Prints s as ctl_put_line() does, but with its line feeds kept. */
void	ctl_put_lines(FILE *, const char *s);

/*
 * Prints on fp the text of an error object's code (docs/API.md) in the
 * user's language, with its field and value.  Returns 0, or -1 if
 * hazardctl has no text of its own for it there.
 */
int	ctl_say_code(FILE *fp, const json_t *err);

/*
 * The word of the wire word ("open", "major") as people name it in
 * their language (wire_label()); NULL for NULL.
 */
const char *ctl_word(const char *word);

/* Whether the user reads Chinese: the locale of messages begins "zh". */
int	ctl_reads_chinese(void);

/*
 * The name of the category code in the user's language, from the
 * server's vocabulary (asked once a run); the code itself when the
 * vocabulary lacks it or cannot be read.  NULL for NULL.
 */
const char *ctl_category(struct ctl *, const char *code);

/* The name of the category code in Chinese if zh, else in English. */
const char *ctl_category_in(struct ctl *, const char *code, int zh);

/* The most columns of a table of ctl_table(). */
#define CTL_TABLE_COLS	16

/*
 * Starts a table (table_new()) whose headers, marked N_(), are printed
 * in the user's language.
 */
struct table;
struct table *ctl_table(size_t ncols, const char *const *headers);

/* The string member key of obj, or NULL if it is absent or not one. */
const char *ctl_str(const json_t *obj, const char *key);

/*
 * The value v as text for a human: a string as it is (not copied), else
 * written into buf: a number, yes or no, "-" for null or NULL, compact
 * JSON for the rest.
 */
const char *ctl_text(const json_t *v, char *buf, size_t len);

/*
 * The RFC 3339 instant s as "YYYY-MM-DD HH:MM" (in buf), in the offset it
 * carries; s itself if it is no such instant, "-" if it is NULL.
 */
const char *ctl_time(const char *s, char *buf, size_t len);

/*
 * The rate object rate as "411/416 (98.8%)": its "text", else made from
 * its two counts in buf, else "-".
 */
const char *ctl_rate(const json_t *rate, char *buf, size_t len);

#endif
