/*
 * Where hazardctl finds its server and its token: the options, then the
 * environment, then its config file:
 *
 *	; ~/.config/hazardctl/config
 *	[hazardctl]
 *	server = https://hazard.example.edu.cn
 *	token = ...
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "settings.h"
#include "xmalloc.h"

/* Takes one "key = value" of the config file; other sections are not ours. */
static int
on_key(void *arg, const char *section, const char *name, const char *value)
{
	struct ctl	*ctl = arg;
	char		**dst;

	if (section[0] != '\0' && strcasecmp(section, "hazardctl") != 0)
		return 1;
	if (strcasecmp(name, "server") == 0)
		dst = &ctl->file_server;
	else if (strcasecmp(name, "token") == 0)
		dst = &ctl->file_token;
	else
		return 0;
	free(*dst);
	*dst = xstrdup(value);
	return 1;
}

/*
 * Reads the config file path.  A missing file is fine unless it was
 * named.  Returns 0, or EXIT_USAGE with the reason printed.
 */
static int
read_file(struct ctl *ctl, const char *path, int named)
{
	int	line;

	errno = 0;
	if ((line = ini_parse(path, on_key, ctl)) == 0)
		return 0;
	if (line == -1 && errno == ENOENT && !named)
		return 0;
	if (line == -1)
		fprintf(stderr, _("hazardctl: cannot read config file %s: "
		    "%s\n"), path, strerror(errno));
	else if (line == -2)
		fputs(_("hazardctl: out of memory\n"), stderr);
	else
		fprintf(stderr, _("hazardctl: %s line %d: expected "
		    "\"server = URL\" or \"token = TOKEN\"\n"), path, line);
	return EXIT_USAGE;
}

/* The first of a, b and c that is set and not empty, or NULL. */
static const char *
first(const char *a, const char *b, const char *c)
{
	if (a != NULL && *a != '\0')
		return a;
	if (b != NULL && *b != '\0')
		return b;
	if (c != NULL && *c != '\0')
		return c;
	return NULL;
}

/* Reads the named or the default config file. */
static int
read_config(struct ctl *ctl)
{
	const char	*named, *dir;
	char		*path;
	int		 rc;

	if ((named = first(ctl->opt_config, getenv("HAZARDCTL_CONFIG"),
	    NULL)) != NULL)
		return read_file(ctl, named, 1);
	if ((dir = first(getenv("XDG_CONFIG_HOME"), NULL, NULL)) != NULL)
		xasprintf(&path, "%s/hazardctl/config", dir);
	else if ((dir = first(getenv("HOME"), NULL, NULL)) != NULL)
		xasprintf(&path, "%s/.config/hazardctl/config", dir);
	else
		return 0;
	rc = read_file(ctl, path, 0);
	free(path);
	return rc;
}

/* Returns 1 if the token can go in a header: printable ASCII, no spaces. */
static int
token_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f)
			return 0;
	return 1;
}

/* Reads the config file and resolves the server and the token. */
int
settings_resolve(struct ctl *ctl)
{
	int	rc;

	if ((rc = read_config(ctl)) != 0)
		return rc;
	ctl->server = first(ctl->opt_server, getenv("HAZARD_SERVER"),
	    ctl->file_server);
	if (ctl->server == NULL)
		ctl->server = DEFAULT_SERVER;
	ctl->token = first(ctl->opt_token, getenv("HAZARD_TOKEN"),
	    ctl->file_token);
	if (strncasecmp(ctl->server, "http://", 7) != 0 &&
	    strncasecmp(ctl->server, "https://", 8) != 0) {
		fprintf(stderr, _("hazardctl: server '%s' is not an http:// "
		    "or https:// URL; check --server, $HAZARD_SERVER or the "
		    "config file\n"), ctl->server);
		return EXIT_USAGE;
	}
	if (ctl->token != NULL && !token_ok(ctl->token)) {
		fputs(_("hazardctl: the token has spaces or control "
		    "characters; check --token or $HAZARD_TOKEN\n"), stderr);
		return EXIT_USAGE;
	}
	return 0;
}

/* Frees the values read from the config file. */
void
settings_free(struct ctl *ctl)
{
	free(ctl->file_server);
	free(ctl->file_token);
	ctl->file_server = ctl->file_token = NULL;
}
