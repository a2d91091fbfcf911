/*
 * The command line of one command: its options, its operands, and the
 * global options wherever they stand.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "date.h"
#include "table.h"
#include "utf8.h"
#include "wire.h"

#define SYNOPSIS_COLS	79
/* Continuation lines of a synopsis start under the command. */
#define SYNOPSIS_INDENT	"                 "

/* Returns 1 if the n bytes at s are the word w. */
static int
is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && strncmp(s, w, n) == 0;
}

/* The length of the name in "--name=value"; *value is NULL without '='. */
static size_t
split(const char *arg, const char **value)
{
	const char	*eq;

	if ((eq = strchr(arg, '=')) == NULL) {
		*value = NULL;
		return strlen(arg);
	}
	*value = eq + 1;
	return (size_t)(eq - arg);
}

/* The value of an option: after '=', or the next argument, or NULL. */
static const char *
take_value(int argc, char **argv, int *i, const char *value)
{
	if (value != NULL)
		return value;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

const struct global_opt args_globals[] = {
	/* The help names DEFAULT_SERVER as it is: xgettext sees no macro. */
	{ { "server", "URL", 0, N_("the server; else $HAZARD_SERVER, the "
	    "config file, http://127.0.0.1:8470") },
	    offsetof(struct ctl, opt_server) },
	{ { "token", "T", 0, N_("the token; else $HAZARD_TOKEN, the config "
	    "file") }, offsetof(struct ctl, opt_token) },
	{ { "json", NULL, 0, N_("print the server's JSON, not tables") },
	    offsetof(struct ctl, json) },
	{ { "config", "FILE", 0, N_("else $HAZARDCTL_CONFIG, or "
	    "~/.config/hazardctl/config") }, offsetof(struct ctl, opt_config) },
	{ { "help", NULL, 0, N_("this help, or with a command its own "
	    "(also -h)") }, offsetof(struct ctl, help) },
	{ { "version", NULL, 0, N_("print the version") }, GLOBAL_MAIN },
	{ { NULL, NULL, 0, NULL }, 0 }
};

/* Takes a global option into ctl. */
int
args_global(struct ctl *ctl, int argc, char **argv, int *i)
{
	const struct global_opt	*g;
	const char		*arg = argv[*i], *name, *value;
	const char		**dst;
	size_t			 n;

	if (strcmp(arg, "-h") == 0) {
		ctl->help = 1;
		return 1;
	}
	if (strncmp(arg, "--", 2) != 0)
		return 0;
	name = arg + 2;
	n = split(name, &value);
	for (g = args_globals; g->opt.name != NULL; g++)
		if (g->off != GLOBAL_MAIN && is(name, n, g->opt.name))
			break;
	if (g->opt.name == NULL)
		return 0;
	if (g->opt.arg == NULL) {
		if (value != NULL) {
			fprintf(stderr, _("hazardctl: --%.*s takes no value; "
			    "see hazardctl --help\n"), (int)n, name);
			return -1;
		}
		*(int *)(void *)((char *)ctl + g->off) = 1;
		return 1;
	}
	dst = (const char **)(void *)((char *)ctl + g->off);
	if ((*dst = take_value(argc, argv, i, value)) == NULL) {
		fprintf(stderr, _("hazardctl: --%.*s needs a value; "
		    "see hazardctl --help\n"), (int)n, name);
		return -1;
	}
	return 1;
}

/* Prints the reason for a usage error and where to look. */
int
args_usage(const struct cmd *cmd, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, _("hazardctl: %s: "), cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, _("; see hazardctl %s --help\n"), cmd->name);
	return EXIT_USAGE;
}

/* Takes the command's option at argv[*i]. */
static int
take_option(struct args *a, int argc, char **argv, int *i)
{
	const struct opt	*o;
	const char		*arg = argv[*i], *name = arg + 2, *value;
	size_t			 n;
	int			 k;

	if (strncmp(arg, "--", 2) != 0)
		return args_usage(a->cmd, _("unknown option %s"), arg);
	n = split(name, &value);
	for (k = 0; a->cmd->opts[k].name != NULL; k++)
		if (is(name, n, a->cmd->opts[k].name))
			break;
	if (k >= ARGS_MAX_OPTS)
		abort();	/* a command with too many options */
	o = &a->cmd->opts[k];
	if (o->name == NULL)
		return args_usage(a->cmd, _("unknown option --%.*s"), (int)n,
		    name);
	if (o->arg == NULL) {
		if (value != NULL)
			return args_usage(a->cmd, _("--%s takes no value"),
			    o->name);
		a->val[k] = "1";
		return 0;
	}
	if ((a->val[k] = take_value(argc, argv, i, value)) == NULL)
		return args_usage(a->cmd, _("--%s needs a value (%s)"),
		    o->name, o->arg);
	if (o->flags & OPT_MULTI) {
		if (a->nmulti == ARGS_MAX_MULTI)
			return args_usage(a->cmd, _("--%s given more than %d "
			    "times"), o->name, ARGS_MAX_MULTI);
		a->multi[a->nmulti++] = a->val[k];
	}
	return 0;
}

/* Returns 1 if value is one of the words of "a|b|c". */
static int
is_choice(const char *choices, const char *value)
{
	const char	*p = choices;
	size_t		 n;

	for (;;) {
		n = strcspn(p, "|");
		if (is(p, n, value))
			return 1;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

/* Returns 1 if s is a whole number from 1. */
static int
is_count(const char *s)
{
	char		*end;
	long long	 v;

	if (*s < '1' || *s > '9')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0' && v >= 1;
}

/*
 * Writes the words of "a|b|c" as people name them in their language
 * into buf: "a, b or c".
 */
static void
choice_names(const char *choices, char *buf, size_t len)
{
	const char	*p = choices;
	char		 word[64];
	size_t		 n;

	buf[0] = '\0';
	for (;;) {
		n = strcspn(p, "|");
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    buf[0] == '\0' ? "" : p[n] == '\0' ? _(" or ") : _(", "),
		    _(wire_label(word)));
		if (p[n] == '\0')
			return;
		p += n + 1;
	}
}

/*
 * Checks the value *v of option o; the value of an OPT_ENUM option may
 * be given in Chinese (待整改), and becomes the word of the wire; a date
 * is written into date, normalised.
 */
static int
check_value(const struct cmd *cmd, const struct opt *o, const char **v,
    char date[DATE_LEN])
{
	char	names[256];

	if (utf8_count(*v, strlen(*v)) < 0)
		return args_usage(cmd, _("--%s: not valid UTF-8"), o->name);
	if ((o->flags & OPT_ENUM) && is_choice(o->arg, wire_word(*v)))
		*v = wire_word(*v);
	else if (o->flags & OPT_ENUM) {
		choice_names(o->arg, names, sizeof(names));
		return args_usage(cmd, _("--%s must be one of %s, not '%s'"),
		    o->name, names, *v);
	}
	if ((o->flags & OPT_DATE) && date_normalise(*v, date) == -1)
		return args_usage(cmd, _("--%s: '%s' is not a calendar date "
		    "(YYYY-MM-DD or YYYY/M/D)"), o->name, *v);
	if ((o->flags & OPT_NUMBER) && strcmp(*v, "0") != 0 && !is_count(*v))
		return args_usage(cmd, _("--%s must be a whole number from 0, "
		    "not '%s'"), o->name, *v);
	if ((o->flags & OPT_COUNT) && !is_count(*v))
		return args_usage(cmd, _("--%s must be a whole number from 1, "
		    "not '%s'"), o->name, *v);
	return 0;
}

/* Checks that exactly one of the OPT_ONEOF options is given. */
static int
check_oneof(const struct args *a)
{
	const struct opt	*opts = a->cmd->opts;
	char			 names[128] = "";
	int			 k, n = 0, given = 0;

	for (k = 0; opts[k].name != NULL; k++) {
		if (!(opts[k].flags & OPT_ONEOF))
			continue;
		n++;
		given += a->val[k] != NULL;
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
		    "%s--%s", n > 1 ? _(" or ") : "", opts[k].name);
	}
	if (n > 0 && given != 1)
		return args_usage(a->cmd, _("give one of %s"), names);
	return 0;
}

/* The number of operands of cmd, and the name of operand n in *name. */
static int
operand_count(const struct cmd *cmd, int n, const char **name, size_t *len)
{
	const char	*p = cmd->operands;
	int		 count = 0;
	size_t		 wlen;

	while (p != NULL && *p != '\0') {
		wlen = strcspn(p, " ");
		if (count == n) {
			*name = p;
			*len = wlen;
		}
		count++;
		p += wlen;
		p += strspn(p, " ");
	}
	return count;
}

/* Checks the parsed options and operands against the command. */
static int
check(struct args *a)
{
	const struct opt	*opts = a->cmd->opts;
	const char		*name = NULL;
	size_t			 len = 0;
	int			 k, rc, want;

	for (k = 0; opts[k].name != NULL; k++) {
		if (a->val[k] == NULL) {
			if (opts[k].flags & OPT_REQUIRED)
				return args_usage(a->cmd, _("--%s is required"),
				    opts[k].name);
			continue;
		}
		if ((rc = check_value(a->cmd, &opts[k], &a->val[k],
		    a->date[k])) != 0)
			return rc;
		if (opts[k].flags & OPT_DATE)
			a->val[k] = a->date[k];
	}
	if ((rc = check_oneof(a)) != 0)
		return rc;
	want = operand_count(a->cmd, a->noperands, &name, &len);
	if (a->noperands < want)
		return args_usage(a->cmd, _("missing %.*s"), (int)len, name);
	if (a->noperands > want)
		return args_usage(a->cmd, _("unexpected argument '%s'"),
		    a->operand[want]);
	for (k = 0; k < a->noperands; k++)
		if (utf8_count(a->operand[k], strlen(a->operand[k])) < 0)
			return args_usage(a->cmd, _("'%s' is not valid UTF-8"),
			    a->operand[k]);
	return 0;
}

/* Returns 1 if --help or -h stands among the options of argv. */
static int
asks_help(int argc, char **argv)
{
	int	i;

	for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

/* Parses the arguments after the command's name. */
int
args_parse(struct args *a, const struct cmd *cmd, struct ctl *ctl, int argc,
    char **argv)
{
	int	i, rc, options = 1;

	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	if (asks_help(argc, argv)) {
		ctl->help = 1;
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0) {
			options = 0;
			continue;
		}
		if (!options || argv[i][0] != '-' || argv[i][1] == '\0') {
			if (a->noperands == ARGS_MAX_OPERANDS)
				return args_usage(cmd,
				    _("unexpected argument '%s'"), argv[i]);
			a->operand[a->noperands++] = argv[i];
			continue;
		}
		if ((rc = args_global(ctl, argc, argv, &i)) == -1)
			return EXIT_USAGE;
		if (rc == 0 && (rc = take_option(a, argc, argv, &i)) != 0)
			return rc;
	}
	return check(a);
}

/* The value of option name. */
const char *
args_get(const struct args *a, const char *name)
{
	int	k;

	for (k = 0; a->cmd->opts[k].name != NULL; k++)
		if (strcmp(a->cmd->opts[k].name, name) == 0)
			return a->val[k];
	return NULL;
}

/* Operand n as an id. */
int
args_id(const struct args *a, int n, long long *id)
{
	const char	*s = a->operand[n];

	if (!is_count(s))
		return args_usage(a->cmd, _("the id must be a whole number "
		    "from 1, not '%s'"), s);
	*id = strtoll(s, NULL, 10);
	return 0;
}

/* The OPT_WIRE options given, as a JSON object of strings. */
json_t *
args_object(const struct args *a)
{
	json_t	*obj;
	char	 name[64], *p;
	int	 k;

	obj = json_object();
	for (k = 0; a->cmd->opts[k].name != NULL; k++) {
		if (!(a->cmd->opts[k].flags & OPT_WIRE) || a->val[k] == NULL)
			continue;
		snprintf(name, sizeof(name), "%s", a->cmd->opts[k].name);
		for (p = name; (p = strchr(p, '-')) != NULL; p++)
			*p = '_';
		json_object_set_new(obj, name, json_string(a->val[k]));
	}
	return obj;
}

/* Prints word after a space, or on a new line if it would pass the edge. */
static void
wrap(FILE *fp, size_t *col, const char *word)
{
	size_t	w = utf8_width(word);

	if (*col + 1 + w > SYNOPSIS_COLS) {
		fprintf(fp, "\n%s", SYNOPSIS_INDENT);
		*col = strlen(SYNOPSIS_INDENT);
	} else {
		fputc(' ', fp);
		(*col)++;
	}
	fputs(word, fp);
	*col += w;
}

/* Writes "--name ARG" of o into buf. */
static void
opt_words(const struct opt *o, char *buf, size_t len)
{
	snprintf(buf, len, "--%s%s%s", o->name, o->arg != NULL ? " " : "",
	    o->arg != NULL ? o->arg : "");
}

/* Prints the synopsis of cmd. */
void
args_synopsis(const struct cmd *cmd, FILE *fp)
{
	const struct opt	*o;
	char			 one[128], group[384] = "", word[512];
	size_t			 col;

	fprintf(fp, "%s hazardctl %s", _("usage:"), cmd->name);
	col = utf8_width(_("usage:")) + strlen(" hazardctl ") +
	    strlen(cmd->name);
	if (cmd->operands != NULL)
		wrap(fp, &col, cmd->operands);
	for (o = cmd->opts; o->name != NULL; o++) {
		opt_words(o, one, sizeof(one));
		if (o->flags & OPT_ONEOF) {
			/* "(--school CODE | --office)" */
			snprintf(group + strlen(group),
			    sizeof(group) - strlen(group), "%s%s",
			    group[0] == '\0' ? "(" : " | ", one);
			if (o[1].name != NULL && (o[1].flags & OPT_ONEOF))
				continue;
			snprintf(word, sizeof(word), "%s)", group);
			group[0] = '\0';
		} else if (o->flags & OPT_REQUIRED)
			snprintf(word, sizeof(word), "%s", one);
		else
			snprintf(word, sizeof(word), "[%s]", one);
		wrap(fp, &col, word);
	}
	fputc('\n', fp);
}

/* Prints the help of cmd: synopsis, what it does, its options. */
void
args_help(const struct cmd *cmd, FILE *fp)
{
	const struct opt	*o;
	struct table		*t;
	const char		*help = _(cmd->help);
	char			 word[256];

	args_synopsis(cmd, fp);
	fprintf(fp, "\n%c", toupper((unsigned char)help[0]));
	/* TRANSLATORS: the rest of a command's help, made a sentence. */
	fprintf(fp, _("%s.\n"), help + 1);
	if (cmd->detail != NULL)
		fprintf(fp, "%s\n", _(cmd->detail));
	if (cmd->opts[0].name != NULL) {
		fprintf(fp, "\n%s\n", _("options:"));
		t = table_new(2, NULL);
		for (o = cmd->opts; o->name != NULL; o++) {
			opt_words(o, word, sizeof(word));
			table_addf(t, "  %s", word);
			table_add(t, _(o->help));
		}
		table_print(t, fp);
		table_free(t);
	}
	fprintf(fp, "\n%s", _("Global options --server URL, --token T, "
	    "--json and --config FILE may stand\nbefore or after the "
	    "command; see hazardctl --help.\n"));
}
