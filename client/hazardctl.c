/*
 * hazardctl: the command-line client of hazardd.  The command table and
 * main: global options, finding the command, help, and the run.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "args.h"
#include "conn.h"
#include "hazardctl.h"
#include "settings.h"
#include "table.h"
#include "wire.h"
#include "xmalloc.h"

/*
 * Every command: its name, handler, operands, options and help.  The
 * actions on a hazard are named as on the wire: cmd_action() sends the
 * command's name.
 */
static const struct cmd cmds[] = {
	{ "report", cmd_report, NULL, report_opts,
	    N_("report a hazard; prints its new id alone"),
	    N_("A report sent again with the same --key is recorded once.  "
	    "Without --key,\nhazardctl makes a random one and keeps it while "
	    "it retries (three times,\nwhen the server does not answer or "
	    "answers 5xx).  When it still has no answer,\nthe report is "
	    "kept in the queue with its key and its photos (exit status "
	    "4):\nhazardctl sync sends them.") },
	{ "list", cmd_list, NULL, list_opts,
	    N_("list hazards, newest first"),
	    N_("STATE ends in ! when the hazard is overdue.  Without --all "
	    "only the first page\nis shown.") },
	{ "show", cmd_show, "ID", no_opts,
	    N_("show a hazard and its audit trail"),
	    N_("With --json: {\"hazard\": {...}, \"events\": [...]}.") },
	{ WIRE_ACTION_ASSESS, cmd_assess, "ID", assess_opts,
	    N_("assess a hazard (office)"),
	    N_("Sends only the options given; a major hazard needs a plan and "
	    "an assessment\nbefore it can be closed.") },
	{ WIRE_ACTION_RECTIFY, cmd_action, "ID", rectify_opts,
	    N_("report a hazard rectified"),
	    N_("Each --photo is sent first, as an \"after\" photo; then the "
	    "rectification.\nWithout an answer from the server the "
	    "rectification is kept in the queue\nwith the photos not sent "
	    "(exit status 4): hazardctl sync sends them, the\nphotos "
	    "first.") },
	{ WIRE_ACTION_VERIFY, cmd_action, "ID", note_opts,
	    N_("verify a rectification: the hazard is closed (office)"), NULL },
	{ WIRE_ACTION_REJECT, cmd_action, "ID", note_required_opts,
	    N_("reject a rectification: the hazard is open again (office)"),
	    NULL },
	{ WIRE_ACTION_CANCEL, cmd_action, "ID", cancel_opts,
	    N_("cancel a hazard, such as a duplicate (office)"), NULL },
	{ "photo add", cmd_photo_add, "ID FILE", photo_add_opts,
	    N_("add a photo to a hazard, JPEG, PNG or WebP; prints its id"),
	    N_("The server knows the image by its bytes and keeps it without "
	    "its metadata\n(EXIF, GPS position, XMP, comments).") },
	{ "photo get", cmd_photo_get, "ID", photo_get_opts,
	    N_("fetch a photo of a hazard (show lists them)"), NULL },
	{ "categories", cmd_categories, NULL, no_opts,
	    N_("list the categories a report may name"),
	    N_("A report names its category by its code or either name; the "
	    "code is stored.\nThe daemon's [categories] configure them "
	    "(hazardd.conf(5)).") },
	{ "rate", cmd_rate, NULL, rate_opts,
	    N_("print the rectification rate, as 411/416 (98.8%)"),
	    N_("Rectified (closed) out of identified (not cancelled) hazards "
	    "of one kind.") },
	{ "stats", cmd_stats, NULL, stats_opts,
	    N_("print counts and rates per school, per category or per month"),
	    NULL },
	{ "yearbook", cmd_yearbook, "YEAR", yearbook_opts,
	    N_("print the safety paragraph of a year's self-assessment"),
	    N_("The figures as they stood at the end of YEAR (or now, in a "
	    "year not over):\nhazard points found and rectified with the "
	    "rate, problems found and\nrectified, the safety activities.  "
	    "With --school, the school's (本校).\n--format json gives the "
	    "exact counts.") },
	{ "import", cmd_import, "FILE", no_opts,
	    N_("import historic records from a CSV file (office)"),
	    N_("FILE is CSV in UTF-8 (with or without a BOM; - is stdin; a "
	    "file in GB18030,\nwhat Excel saves on a Chinese Windows, is "
	    "converted), its first row naming\nthe columns in English or "
	    "Chinese: id, kind, school, school_name, category,\ngrade, "
	    "title, description, location, responsible, department, "
	    "deadline,\nplan, assessment, funds, contingency, state, "
	    "reported_at, rectified_at,\nrectify_note, reject_note, "
	    "closed_at, key (school, category, title and\nreported_at "
	    "required; id and school_name not read).  All or nothing: a "
	    "file\nwith a bad row imports nothing, and every bad row is "
	    "named.  A row whose key\nits school has already is skipped, "
	    "so importing a file again is safe.  Prints\nhow many rows "
	    "were imported and skipped; on a terminal, draws the rows "
	    "parsed\nand written until then.") },
	{ "export", cmd_export, NULL, export_opts,
	    N_("write hazards as CSV, JSON or an Excel workbook, oldest first"),
	    N_("The CSV has the columns of an import: an export imports again "
	    "exactly.\nWithout --format, --json means JSON.  --excel: a BOM, "
	    "Chinese names, local\ntimes that Excel reads as dates.  A CSV "
	    "value that begins with = + - @ ' or a\ntab or CR has a ' before "
	    "it, which an import takes away; a workbook's text\nis never a "
	    "formula.") },
	{ "digest", cmd_digest, "KIND", period_opts,
	    N_("print a digest (office): KIND is daily, weekly or monthly"),
	    N_("Prints the latest revision of the latest period, or of "
	    "--period P.  With --json:\nthe digest's figures and lists, and "
	    "its text.") },
	{ "cycle run", cmd_cycle_run, "KIND", run_opts,
	    N_("run a period of the cycle now (office); a new revision"),
	    N_("Without --period, the day or week under way, up to now: a "
	    "provisional digest,\ntitled so, which the schedule makes whole "
	    "when the period ends; the month\njust ended.  A monthly run "
	    "escalates and dispatches what has not been\nescalated for that "
	    "month.") },
	{ "warn", cmd_warn, NULL, warn_opts,
	    N_("send an early warning to schools (office); prints its id"),
	    N_("Without --school it goes to every school; give --school once "
	    "for each school\nit goes to.") },
	{ "warnings", cmd_warnings, NULL, no_opts,
	    N_("list early warnings, what they say and who has acknowledged "
	    "them"), NULL },
	{ "warning show", cmd_warning_show, "ID", no_opts,
	    N_("print an early warning whole: its body, and each school's "
	    "acknowledgement"), NULL },
	{ "ack", cmd_ack, "ID", no_opts,
	    N_("acknowledge an early warning (school)"),
	    N_("Without an answer from the server the acknowledgement is kept "
	    "in the queue (exit\nstatus 4): hazardctl sync sends it.") },
	{ "activity add", cmd_activity_add, NULL, activity_add_opts,
	    N_("record a safety activity: a drill, a lesson, an agreement, "
	    "an inspection, a\ntraining or a warning; prints its id"),
	    N_("A school records its own; the office names the school.  "
	    "A lesson counts class\nhours, an agreement the agreements "
	    "signed, the others the times held.  An\nactivity is never "
	    "changed: one recorded wrongly is corrected by another.") },
	{ "activity list", cmd_activity_list, NULL, activity_list_opts,
	    N_("list safety activities, newest first"), NULL },
	{ "activity stats", cmd_activity_stats, NULL, activity_stats_opts,
	    N_("count safety activities by type, the district's or per "
	    "school"),
	    N_("The early warnings issued through hazardd (hazardctl warn) "
	    "count with the\nwarnings recorded.") },
	{ "activity import", cmd_import, "FILE", no_opts,
	    N_("import safety activities from a CSV file (office)"),
	    N_("As hazardctl import, with the columns of an activity export: "
	    "id, school,\nschool_name, type, subtype, date, count, note, "
	    "recorded_by, recorded_at, key\n(school, type and date required; "
	    "id, school_name, recorded_by and recorded_at\nnot read), named "
	    "in English or Chinese.  A type and a subtype are taken by\n"
	    "their code or name.  All or nothing; a row whose key its school "
	    "has already\nis skipped.") },
	{ "activity export", cmd_export, NULL, activity_export_opts,
	    N_("write safety activities as CSV or JSON, oldest first"),
	    N_("The CSV has the columns of an activity import: an export "
	    "imports again\nexactly.  --excel: a BOM, Chinese names, local "
	    "times.") },
	{ "sync", cmd_sync, NULL, no_opts,
	    N_("send the requests kept while the server could not be "
	    "reached"),
	    N_("In the order they were kept, each once; any command that "
	    "reaches the server\nsends them first too.  One the server "
	    "refuses for good leaves the queue, its\nreason printed.  The "
	    "queue is $XDG_STATE_HOME/hazardctl/queue\n(~/.local/state/"
	    "hazardctl/queue); see hazardctl(1).") },
	{ "queue", cmd_queue, NULL, no_opts,
	    N_("list what waits in the queue to be sent"), NULL },
	{ "school add", cmd_school_add, "CODE NAME", no_opts,
	    N_("add a school (office)"),
	    N_("CODE is 1 to 32 of A-Z a-z 0-9 - _; quote a NAME with "
	    "spaces.") },
	{ "school list", cmd_school_list, NULL, no_opts,
	    N_("list the schools (office)"), NULL },
	{ "school set", cmd_school_set, "CODE", school_set_opts,
	    N_("change a school's name, department or robot (office)"),
	    N_("The robot gets the school's notices: each morning what it "
	    "must do (only when\nthere is something), each early warning "
	    "when it is issued, each rectification\nthe office rejects.  Its "
	    "URL carries its access token: only the office reads it.") },
	{ "school retire", cmd_school_retire, "CODE", school_retire_opts,
	    N_("retire a school that closed, or bring it back (office)"),
	    N_("A retired school keeps its records, which the office still "
	    "lists, exports and\ncounts (rate, stats); it leaves the digests "
	    "and the notices and cannot report;\nits own tokens read its "
	    "records and change none.  --undo brings it back.") },
	{ "audit verify", cmd_audit_verify, NULL, audit_verify_opts,
	    N_("check the audit trail's hash chain (office)"),
	    N_("Exits 0 only if every event matches its hash.  --head takes "
	    "the head a daily\ndigest printed (ID:HEX): the chain must still "
	    "pass through it, which a\nchain rewritten whole after it was "
	    "printed does not.") },
	{ "token create", cmd_token_create, NULL, token_create_opts,
	    N_("create a token (office); prints its secret alone"),
	    N_("The secret is shown this once; the server keeps only its "
	    "hash.") },
	{ "token list", cmd_token_list, NULL, no_opts,
	    N_("list the tokens (office)"), NULL },
	{ "token revoke", cmd_token_revoke, "ID", no_opts,
	    N_("revoke a token (office): it is refused at once"), NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

/*
 * Takes the user's locale, as every GNU tool does: its messages in the
 * language of LC_MESSAGES (po/), and a UTF-8 LC_CTYPE so that wcwidth()
 * knows wide characters.  Numbers stay in the C locale's form.  The
 * catalogs are under LOCALEDIR, or $HAZARDCTL_LOCALEDIR, which the
 * tests set to run a build that is not installed (tests/e2e/lib.sh).
 */
static void
locale_init(void)
{
	const char	*dir;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0 &&
	    setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
#ifdef ENABLE_NLS
	if ((dir = getenv("HAZARDCTL_LOCALEDIR")) == NULL || *dir == '\0')
		dir = LOCALEDIR;
	bindtextdomain(PACKAGE, dir);
	textdomain(PACKAGE);
#else
	(void)dir;
#endif
}

/* Prints the help of the whole: commands, global options, exit codes. */
static void
help_all(void)
{
	const struct cmd	*c;
	const struct global_opt	*g;
	struct table		*t;

	printf("%s hazardctl [--server URL] [--token T] [--json] "
	    "[--config FILE] COMMAND ...\n\n%s\n", _("usage:"),
	    _("commands:"));
	t = table_new(2, NULL);
	for (c = cmds; c->name != NULL; c++) {
		table_addf(t, "  %s%s%s", c->name, c->operands != NULL ?
		    " " : "", c->operands != NULL ? c->operands : "");
		table_add(t, _(c->help));
	}
	table_print(t, stdout);
	table_free(t);
	printf("\n%s\n", _("global options, before or after the command:"));
	t = table_new(2, NULL);
	for (g = args_globals; g->opt.name != NULL; g++) {
		table_addf(t, "  --%s%s%s", g->opt.name, g->opt.arg != NULL ?
		    " " : "", g->opt.arg != NULL ? g->opt.arg : "");
		table_add(t, _(g->opt.help));
	}
	table_print(t, stdout);
	table_free(t);
	printf("\n%s", _("The config file has \"server = URL\" and "
	    "\"token = T\", at the top or under\n[hazardctl].\n\nexit "
	    "status: 0 done, 1 the server refused, 2 usage error, 3 no "
	    "answer\nfrom the server, 4 no answer: the request is kept in "
	    "the queue (hazardctl\nsync sends it).  See hazardctl COMMAND --help for a "
	    "command's options.\n"));
}

/* Returns 1 if c is a command of the group ("token create" of "token"). */
static int
in_group(const struct cmd *c, const char *group)
{
	size_t	n = strlen(group);

	return strncmp(c->name, group, n) == 0 && c->name[n] == ' ';
}

/* Prints the help of every command of group.  Returns how many. */
static int
help_group(const char *group)
{
	const struct cmd	*c;
	int			 found = 0;

	for (c = cmds; c->name != NULL; c++) {
		if (!in_group(c, group))
			continue;
		if (found++)
			putchar('\n');
		args_help(c, stdout);
	}
	return found;
}

/*
 * Finds the command named at argv[*i], one word or two ("token create"),
 * and advances *i past its name.  Returns it, or NULL.
 */
static const struct cmd *
cmd_find(int argc, char **argv, int *i)
{
	const struct cmd	*c;
	size_t			 n;

	for (c = cmds; c->name != NULL; c++) {
		n = strcspn(c->name, " ");
		if (strlen(argv[*i]) != n || strncmp(c->name, argv[*i], n) != 0)
			continue;
		if (c->name[n] == '\0') {
			(*i)++;
			return c;
		}
		if (*i + 1 < argc &&
		    strcmp(c->name + n + 1, argv[*i + 1]) == 0) {
			*i += 2;
			return c;
		}
	}
	return NULL;
}

/*
 * Answers a word that names no command: the help of a group ("token
 * --help"), or a usage error.
 */
static int
cmd_unknown(struct ctl *ctl, int argc, char **argv, int i)
{
	const struct cmd	*c;
	const char		*group = argv[i];
	const char		*sub = i + 1 < argc ? argv[i + 1] : NULL;
	char			 words[128] = "";

	for (c = cmds; c->name != NULL; c++)
		if (in_group(c, group))
			snprintf(words + strlen(words), sizeof(words) -
			    strlen(words), "%s%s", words[0] != '\0' ?
			    _(", ") : "", c->name + strlen(group) + 1);
	if (words[0] == '\0') {
		fprintf(stderr, _("hazardctl: unknown command '%s'; see "
		    "hazardctl --help\n"), group);
		return EXIT_USAGE;
	}
	for (i++; i < argc; i++)
		if (args_global(ctl, argc, argv, &i) == -1)
			return EXIT_USAGE;
	if (ctl->help) {
		help_group(group);
		return 0;
	}
	if (sub == NULL)
		fprintf(stderr, _("hazardctl: %s: missing subcommand (%s); "
		    "see hazardctl %s --help\n"), group, words, group);
	else
		fprintf(stderr, _("hazardctl: %s: unknown subcommand '%s' "
		    "(%s); see hazardctl %s --help\n"), group, sub, words,
		    group);
	return EXIT_USAGE;
}

/* hazardctl help [COMMAND]: the help of the whole, a command or a group. */
static int
help(int argc, char **argv)
{
	const struct cmd	*c;
	int			 i = 0;

	if (argc == 0) {
		help_all();
		return 0;
	}
	if ((c = cmd_find(argc, argv, &i)) != NULL)
		args_help(c, stdout);
	else if (!help_group(argv[0])) {
		fprintf(stderr, _("hazardctl: unknown command '%s'; see "
		    "hazardctl --help\n"), argv[0]);
		return EXIT_USAGE;
	}
	return 0;
}

/* Resolves the server and the token, and runs the command. */
static int
run(struct ctl *ctl, const struct cmd *cmd, const struct args *a)
{
	int	rc;

	if ((rc = settings_resolve(ctl)) == 0) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			fputs(_("hazardctl: cannot start libcurl\n"), stderr);
			rc = EXIT_REFUSED;
		} else {
			ctl->conn = conn_open(ctl->server, ctl->token);
			/* What waits goes first, in the order it was kept. */
			if (cmd->handler != cmd_queue &&
			    cmd->handler != cmd_sync)
				queue_send_first(ctl);
			rc = cmd->handler(ctl, a);
			conn_close(ctl->conn);
			json_decref(ctl->categories);
			curl_global_cleanup();
		}
	}
	settings_free(ctl);
	return rc;
}

/* Out of memory: say so and give up (xmalloc.h). */
void
xmalloc_oom(const char *what)
{
	fprintf(stderr, _("hazardctl: out of memory (%s)\n"), what);
	exit(EXIT_REFUSED);
}

/* Takes the global options before the command, finds it, and runs it. */
int
main(int argc, char **argv)
{
	struct ctl		 ctl;
	struct args		 a;
	const struct cmd	*cmd;
	int			 i, rc;

	locale_init();
	memset(&ctl, 0, sizeof(ctl));
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if ((rc = args_global(&ctl, argc, argv, &i)) == -1)
			return EXIT_USAGE;
		if (rc == 1)
			continue;
		if (strcmp(argv[i], "--version") == 0) {
			printf("hazardctl %s\n", PACKAGE_VERSION);
			return 0;
		}
		fprintf(stderr, _("hazardctl: unknown option %s; see "
		    "hazardctl --help\n"), argv[i]);
		return EXIT_USAGE;
	}
	if (i == argc && ctl.help)
		return help(0, NULL);
	if (i == argc) {
		fputs(_("hazardctl: no command; see hazardctl --help\n"),
		    stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[i], "help") == 0)
		return help(argc - i - 1, argv + i + 1);
	if ((cmd = cmd_find(argc, argv, &i)) == NULL)
		return cmd_unknown(&ctl, argc, argv, i);
	if ((rc = args_parse(&a, cmd, &ctl, argc - i, argv + i)) != 0)
		return rc;
	if (ctl.help) {
		args_help(cmd, stdout);
		return 0;
	}
	rc = run(&ctl, cmd, &a);
	if (fflush(stdout) == EOF && rc == 0) {
		fprintf(stderr, _("hazardctl: cannot write the output: "
		    "%s\n"), strerror(errno));
		rc = EXIT_REFUSED;
	}
	return rc;
}
