/*
 * The command line of one command: its options, its operands, and the
 * global options wherever they stand.
 */
#ifndef HAZARDCTL_ARGS_H
#define HAZARDCTL_ARGS_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "hazardctl.h"

#define ARGS_MAX_OPTS	16
#define ARGS_MAX_OPERANDS 4
#define ARGS_MAX_MULTI	256

struct args {
	const struct cmd	*cmd;
	/* The values of the options, by index in cmd->opts. */
	const char		*val[ARGS_MAX_OPTS];
	/* An OPT_DATE value as the wire has it, YYYY-MM-DD. */
	char			 date[ARGS_MAX_OPTS][11];
	const char		*operand[ARGS_MAX_OPERANDS];
	int			 noperands;
	/* Every value of the command's OPT_MULTI option, in order. */
	const char		*multi[ARGS_MAX_MULTI];
	int			 nmulti;
};

/*
 * A global option, before or after the command: its row of the help,
 * and where args_global() puts it in struct ctl: the const char * of its
 * value, or the int of a flag.  GLOBAL_MAIN: main() takes it, before the
 * command only (--version).
 */
struct global_opt {
	struct opt	 opt;
	size_t		 off;
};
#define GLOBAL_MAIN	((size_t)-1)

/* The global options, ending with a NULL name. */
extern const struct global_opt args_globals[];

/*
 * If argv[*i] is a global option (or -h, for --help), takes it (and its
 * value) into ctl and advances *i.  Returns 1 if it took one, 0 if argv[*i] is no global
 * option, or -1 with the reason printed (a missing value).
 */
int	args_global(struct ctl *, int argc, char **argv, int *i);

/*
 * Parses what follows the command's name and checks it against the
 * command's options and operands; a date is taken as 2026-12-01,
 * 2026-12-1, 2026/12/01 or 2026/12/1 and kept as 2026-12-01.  Returns 0,
 * or EXIT_USAGE with the reason printed.  With --help among the
 * arguments only the global options are taken and nothing is checked.
 */
int	args_parse(struct args *, const struct cmd *, struct ctl *,
	    int argc, char **argv);

/* The value of option name, "1" for a flag given, or NULL. */
const char *args_get(const struct args *, const char *name);

/*
 * Operand n as a hazard or token id (a whole number from 1) in *id.
 * Returns 0, or EXIT_USAGE with the reason printed.
 */
int	args_id(const struct args *, int n, long long *id);

/*
 * A new JSON object with a string member for every OPT_WIRE option given
 * (its name with '_' for '-'): the body of a request or its query
 * parameters.
 */
json_t	*args_object(const struct args *);

/*
 * Prints "hazardctl: CMD: REASON; see hazardctl CMD --help".  Returns
 * EXIT_USAGE.
 */
int	args_usage(const struct cmd *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Prints the synopsis of cmd, wrapped, to fp. */
void	args_synopsis(const struct cmd *, FILE *fp);

/* Prints the help of cmd, with its options, to fp. */
void	args_help(const struct cmd *, FILE *fp);

#endif
