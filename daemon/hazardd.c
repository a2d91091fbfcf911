/*
 * The daemon as a whole: options, start-up order, the event loop,
 * signals and reload.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <systemd/sd-daemon.h>

#include "api.h"
#include "config.h"
#include "cycle.h"
#include "db.h"
#include "deliver.h"
#include "hazardd.h"
#include "http.h"
#include "i18n.h"
#include "ledger.h"
#include "lockfile.h"
#include "log.h"
#include "maint.h"
#include "store.h"
#include "tokcache.h"
#include "looplag.h"
#include "watchdog.h"
#include "worker.h"
#include "xmalloc.h"

/* The event priorities: see serve(). */
#define EVENT_PRIORITIES	3

/* How long in-flight answers may take to go out at shutdown. */
#define SHUTDOWN_GRACE_MS	500

static struct {
	const char		*config_path;
	struct config		 cfg;
	struct event_base	*base;
	struct event		*sig[3];
	int			 foreground;
	int			 debug;
	int			 allow_root;
	int			 lock_fd;	/* DATABASE.lock, held */
} hz = { .lock_fd = -1 };

static int	cmd_token_create(int, char *[]);
static int	cmd_backup(int, char *[]);
static int	cmd_check(int, char *[]);
static int	cmd_verify(int, char *[]);

/*
 * The subcommands, run instead of the server: hazardd [-c FILE] NAME
 * ARGS.  fn gets the arguments from the last word of the name on, as
 * getopt would (argv[0] is "create" for token create), and returns the
 * exit code.  They talk to a person, in the user's language (main.c);
 * the server's log stays English (log_set_person()).
 */
static const struct subcommand {
	const char	*name;		/* its words */
	const char	*args;		/* what follows them, for the usage */
	int		(*fn)(int, char *[]);
	const char	*help;		/* what it does, after its name */
} subcommands[] = {
	{ "token create", "(--office | --school CODE) --name NAME",
	    cmd_token_create,
	    N_("prints a new token alone on stdout: the only time it is "
	    "shown") },
	{ "backup", "DEST", cmd_backup,
	    N_("copies the live database to the new file DEST") },
	{ "check", NULL, cmd_check,
	    N_("runs SQLite's integrity check and prints the schema "
	    "version") },
	{ "verify", "[--head ID:HEX]", cmd_verify,
	    N_("walks the audit trail's hash chain; names the first event "
	    "that does not match") },
};
#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void
usage(FILE *out)
{
	const struct subcommand	*sc;
	size_t			 i;

	/* TRANSLATORS: as wide as "usage:" on a terminal, or the lines
	   below it do not line up. */
	fprintf(out, "%s hazardd [-dfhV] [-c FILE] [--allow-root] "
	    "[--check-config]\n", _("usage:"));
	for (i = 0; i < NSUBCOMMANDS; i++) {
		sc = &subcommands[i];
		fprintf(out, "       hazardd [-c FILE] %s%s%s\n", sc->name,
		    sc->args != NULL ? " " : "",
		    sc->args != NULL ? sc->args : "");
	}
	fprintf(out, _("\n"
	    "  -c, --config FILE   configuration (default %s)\n"
	    "  -f, --foreground    log to stderr as well as to syslog\n"
	    "  -d, --debug         log every request\n"
	    "      --check-config  check the configuration and exit\n"
	    "      --allow-root    run the server as root all the same\n"
	    "  -V, --version       print the version and exit\n"
	    "  -h, --help          print this help and exit\n"
	    "\n"), CONFIG_DEFAULT_PATH);
	for (i = 0; i < NSUBCOMMANDS; i++)
		fprintf(out, _("%s %s.\n"), subcommands[i].name,
		    _(subcommands[i].help));
	fprintf(out, _("See hazardd(8).\n"));
}

/*
 * The subcommand argv begins with, or NULL; *skip is how many of its
 * words come before the last.
 */
static const struct subcommand *
subcommand_find(int argc, char *argv[], int *skip)
{
	const char	*w;
	size_t		 i, len;
	int		 n;

	for (i = 0; i < NSUBCOMMANDS; i++) {
		w = subcommands[i].name;
		for (n = 0; n < argc; n++) {
			len = strcspn(w, " ");
			if (strlen(argv[n]) != len ||
			    strncmp(argv[n], w, len) != 0)
				break;
			if (w[len] == '\0') {
				*skip = n;
				return &subcommands[i];
			}
			w += len + 1;
		}
	}
	return NULL;
}

/*
 * Sets the process's time zone, which every date computation uses: at
 * start only, before any thread (see reload).
 */
static void
apply_timezone(const struct config *cfg)
{
	setenv("TZ", cfg->timezone, 1);
	tzset();
}

/*
 * Logs each line of english, said to a person as the same line of said
 * (a configuration's errors or warnings, in both languages).
 */
static void
log_lines(char *english, char *said)
{
	char	*e, *s, *esave = NULL, *ssave = NULL;

	s = said != NULL ? strtok_r(said, "\n", &ssave) : NULL;
	for (e = strtok_r(english, "\n", &esave); e != NULL;
	    e = strtok_r(NULL, "\n", &esave)) {
		log_warnx_said(e, s != NULL ? s : e);
		if (s != NULL)
			s = strtok_r(NULL, "\n", &ssave);
	}
}

/*
 * Loads the configuration into cfg.  Returns 0, or -1 with every
 * problem written to the log.
 */
static int
load_config(struct config *cfg)
{
	config_defaults(cfg);
	if (config_load(cfg, hz.config_path) == 0) {
		if (cfg->warnings != NULL)
			log_lines(cfg->warnings, cfg->warnings_said);
		return 0;
	}
	log_lines(cfg->errors, cfg->errors_said);
	return -1;
}

/* SIGHUP: a new configuration replaces the old only if it is good. */
static void
reload(void)
{
	struct config	next;

	sd_notify(0, "RELOADING=1");
	if (load_config(&next) == -1) {
		log_warnx("reload refused: the configuration in %s has "
		    "errors; the old one stays", hz.config_path);
		config_free(&next);
		sd_notify(0, "READY=1");
		return;
	}
	if (strcmp(next.listen, hz.cfg.listen) != 0 &&
	    http_rebind(&next) == -1) {
		log_warnx("reload refused: cannot listen on %s; still on %s "
		    "with the old configuration", next.listen, hz.cfg.listen);
		config_free(&next);
		sd_notify(0, "READY=1");
		return;
	}
	if (strcmp(next.metrics_listen, hz.cfg.metrics_listen) != 0) {
		log_warnx("reload: metrics_listen stays %s until a restart",
		    *hz.cfg.metrics_listen != '\0' ? hz.cfg.metrics_listen :
		    "unset");
		free(next.metrics_listen);
		next.metrics_listen = xstrdup(hz.cfg.metrics_listen);
	}
	if (strcmp(next.database, hz.cfg.database) != 0) {
		log_warnx("reload: the database stays %s until a restart",
		    hz.cfg.database);
		free(next.database);
		next.database = xstrdup(hz.cfg.database);
	}
	/*
	 * TZ is the process's: setenv and tzset here would race with
	 * mktime and localtime_r on the digest and import threads (they
	 * read TZ with getenv, which setenv changes under them), and a run
	 * half in one zone and half in the other would be wrong anyway.
	 * The zone is set once, before any thread, and a new one waits
	 * for a restart.
	 */
	if (strcmp(next.timezone, hz.cfg.timezone) != 0) {
		log_warnx("reload: the time zone stays %s until a restart",
		    hz.cfg.timezone);
		free(next.timezone);
		next.timezone = xstrdup(hz.cfg.timezone);
	}
	config_free(&hz.cfg);
	hz.cfg = next;
	http_set_config(&hz.cfg);
	cycle_set_config(&hz.cfg);
	deliver_set_config(&hz.cfg);
	log_set_debug(hz.debug || hz.cfg.debug);
	/* A reload is also how to say "the tokens changed behind me". */
	tokcache_clear();
	log_info("configuration reloaded from %s", hz.config_path);
	sd_notify(0, "READY=1");
}

/* Every signal comes here through the loop. */
static void
on_signal(evutil_socket_t sig, short events, void *arg)
{
	struct timeval	grace = { 0, SHUTDOWN_GRACE_MS * 1000 };

	switch (sig) {
	case SIGHUP:
		reload();
		break;
	case SIGINT:
	case SIGTERM:
		log_info("stopping on signal %d", (int)sig);
		sd_notify(0, "STOPPING=1");
		http_stop_accepting();
		event_base_loopexit(hz.base, &grace);
		break;
	}
}

/* Opens the database and its statements.  Returns 0 or -1 (logged). */
static int
open_storage(void)
{
	db_set_check(hz.cfg.check_at_start);
	if (db_open(hz.cfg.database) == -1)
		return -1;
	if (store_open() == -1) {
		db_close();
		return -1;
	}
	return 0;
}

static void
close_storage(void)
{
	store_close();
	db_close();
}

/* hazardd token create (--office | --school CODE) --name NAME */
static int
cmd_token_create(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "office", no_argument,	NULL, 'o' },
		{ "school", required_argument,	NULL, 's' },
		{ "name",   required_argument,	NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	char		 secret[TOKEN_TEXT_LEN];
	const char	*name = NULL, *school = NULL;
	struct school	 s = { 0, NULL, NULL, NULL, 0 };
	int		 ch, office = 0, rc = 1;
	int64_t		 id;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': office = 1; break;
		case 's': school = optarg; break;
		case 'n': name = optarg; break;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || name == NULL || *name == '\0' ||
	    office == (school != NULL)) {
		fprintf(stderr, _("hazardd: token create needs --name NAME "
		    "and one of --office or --school CODE\n"));
		return 2;
	}
	if (open_storage() == -1)
		return 1;
	/* A person waits here, not a loop: wait out a busy daemon. */
	sqlite3_busy_timeout(db_handle(), 5000);
	if (school != NULL && store_school_find(school, &s, NULL) !=
	    STORE_OK) {
		fprintf(stderr, _("hazardd: unknown school '%s'\n"), school);
		goto done;
	}
	if (ledger_token_issue(name, office ? ROLE_OFFICE : ROLE_SCHOOL, s.id,
	    time(NULL), secret, &id) != STORE_OK) {
		fprintf(stderr, _("hazardd: cannot store the token\n"));
		goto done;
	}
	if (office)
		log_info(N_("token %lld (office) created from the command "
		    "line"), (long long)id);
	else
		log_info(N_("token %lld (%s) created from the command line"),
		    (long long)id, school);
	printf("%s\n", secret);
	rc = fflush(stdout) == 0 ? 0 : 1;
done:
	close_storage();
	return rc;
}

/* hazardd backup DEST */
static int
cmd_backup(int argc, char *argv[])
{
	return maint_backup(hz.cfg.database, argc, argv);
}

/* hazardd check */
static int
cmd_check(int argc, char *argv[])
{
	return maint_check(hz.cfg.database, &hz.cfg.categories, argc, argv);
}

/* hazardd verify [--head ID:HEX] */
static int
cmd_verify(int argc, char *argv[])
{
	return maint_verify(hz.cfg.database, argc, argv);
}

/*
 * Refuses root unless --allow-root: the daemon needs no privilege, and
 * files it made as root would lock out its own user later.
 */
static int
refuse_root(void)
{
	if (hz.allow_root || (getuid() != 0 && geteuid() != 0))
		return 0;
	/* Said to whoever ran it, in their words; logged in English. */
	log_set_person(1);
	log_warnx(N_("refusing to run as root: run hazardd as its own user "
	    "(the systemd unit does), or give --allow-root"));
	return -1;
}

/*
 * The event loop, with epoll's changelist: the read and write events of
 * a connection, switched on and off several times in a pass for one
 * request (evhttp reads, writes, reads again), reach the kernel as one
 * epoll_ctl at the end of the pass, or none.  Under a flood of small
 * requests (the 503s of a full worker queue) epoll_ctl took 17 % of the
 * loop.  libevent warns against it for descriptors cloned with dup(),
 * which hazardd never watches.
 */
static struct event_base *
loop_new(void)
{
	struct event_config	*ec;
	struct event_base	*base;

	if ((ec = event_config_new()) == NULL)
		return NULL;
	event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	base = event_base_new_with_config(ec);
	event_config_free(ec);
	return base;
}

/* Runs the server until a signal stops it. */
static int
serve(void)
{
	const int	sigs[] = { SIGHUP, SIGINT, SIGTERM };
	size_t		i;
	int		rc = 1;

	signal(SIGPIPE, SIG_IGN);
	if (refuse_root() == -1)
		return 1;
	if ((hz.lock_fd = lockfile_acquire(hz.cfg.database)) == -1)
		return 1;
	if (open_storage() == -1) {
		lockfile_release(hz.lock_fd);
		return 1;
	}
	/* No upload is under way: a photo's file without its row is none. */
	(void)api_photo_sweep(hz.cfg.database);
	/* If it cannot start, SQLite checkpoints in the commits: slower. */
	(void)db_checkpointer_start(hz.cfg.database);
	/*
	 * Three priorities, before any event exists: evhttp's and every
	 * other event get the middle one (libevent's default), the commit
	 * of the batch the lowest, so that it runs once the pass has read
	 * every request that was ready (group commit, db_batch.c).
	 */
	if ((hz.base = loop_new()) == NULL ||
	    event_base_priority_init(hz.base, EVENT_PRIORITIES) == -1 ||
	    db_batch_start(hz.base, EVENT_PRIORITIES - 1) == -1) {
		log_warnx("cannot set up the event loop");
		goto done;
	}
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		hz.sig[i] = evsignal_new(hz.base, sigs[i], on_signal, NULL);
		if (hz.sig[i] == NULL || evsignal_add(hz.sig[i], NULL) == -1) {
			log_warnx("cannot handle signal %d", sigs[i]);
			goto done;
		}
	}
	if (http_start(hz.base, &hz.cfg) == -1 ||
	    watchdog_start(hz.base) == -1 ||
	    looplag_start(hz.base) == -1 ||
	    deliver_start(hz.base, &hz.cfg) == -1 ||
	    cycle_start(hz.base, &hz.cfg) == -1 ||
	    worker_start(hz.base) == -1 ||
	    import_start(hz.base) == -1)
		goto done;
	log_info("hazardd %s started: database %s, time zone %s",
	    PACKAGE_VERSION, hz.cfg.database, hz.cfg.timezone);
	sd_notify(0, "READY=1");
	if (event_base_dispatch(hz.base) == -1)
		log_warnx("the event loop failed");
	else
		rc = 0;
	log_info("stopped");
done:
	/* The answers waiting for a commit, before evhttp frees them. */
	db_batch_stop();
	worker_stop();
	cycle_stop();
	import_stop();
	deliver_stop();
	watchdog_stop();
	looplag_stop();
	http_free();
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (hz.sig[i] != NULL)
			event_free(hz.sig[i]);
	if (hz.base != NULL)
		event_base_free(hz.base);
	close_storage();
	lockfile_release(hz.lock_fd);
	return rc;
}

int
hazardd_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "allow-root",	  no_argument,	     NULL, 'R' },
		{ "config",	  required_argument, NULL, 'c' },
		{ "check-config", no_argument,	     NULL, 'n' },
		{ "debug",	  no_argument,	     NULL, 'd' },
		{ "foreground",	  no_argument,	     NULL, 'f' },
		{ "help",	  no_argument,	     NULL, 'h' },
		{ "version",	  no_argument,	     NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct subcommand	*sc;
	int			 ch, check = 0, rc, skip;

	hz.config_path = CONFIG_DEFAULT_PATH;
	while ((ch = getopt_long(argc, argv, "+c:dfhV", opts, NULL)) != -1) {
		switch (ch) {
		case 'R': hz.allow_root = 1; break;
		case 'c': hz.config_path = optarg; break;
		case 'n': check = 1; break;
		case 'd': hz.debug = 1; break;
		case 'f': hz.foreground = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("hazardd %s\n", PACKAGE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	argc -= optind;
	argv += optind;

	/*
	 * Subcommands and checks talk to a person: stderr too, in their
	 * language.  The server's log, in the foreground too, is English.
	 */
	log_init(hz.foreground || check || argc > 0, hz.debug);
	log_set_person(check || argc > 0);
	if (load_config(&hz.cfg) == -1) {
		fprintf(stderr, _("hazardd: %s: the configuration has "
		    "errors\n"), hz.config_path);
		config_free(&hz.cfg);
		return 1;
	}
	apply_timezone(&hz.cfg);
	log_set_debug(hz.debug || hz.cfg.debug);
	if (check) {
		fprintf(stderr, _("hazardd: %s: configuration OK\n"),
		    hz.config_path);
		rc = 0;
	} else if ((sc = subcommand_find(argc, argv, &skip)) != NULL)
		rc = sc->fn(argc - skip, argv + skip);
	else if (argc > 0) {
		fprintf(stderr, _("hazardd: unknown command '%s'\n"),
		    argv[0]);
		usage(stderr);
		rc = 2;
	} else
		rc = serve();
	config_free(&hz.cfg);
	log_close();
	return rc;
}
