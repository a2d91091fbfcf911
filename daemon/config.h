/*
 * The INI configuration file, parsed with inih into struct config.
 */
#ifndef HAZARDD_CONFIG_H
#define HAZARDD_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "category.h"

#define CONFIG_DEFAULT_PATH	SYSCONFDIR "/hazardd/hazardd.conf"

/* A line of the deprecated [departments]: a category's department. */
struct config_department {
	char	*category;
	char	*name;
	int	 line;
};

/* A time of the cycle: [wday or mday] HH:MM. */
struct config_when {
	int	day;		/* weekly: 1 Mon..7 Sun; monthly: 1-28 */
	int	hour;
	int	minute;
};

struct config {
	/* [server] */
	char			*listen;	/* as written: host:port */
	char			*listen_host;	/* host, brackets removed */
	int			 listen_port;
	long			 max_body;
	long			 max_import;	/* POST /v1/import */
	long			 max_photo;	/* a photo's body */
	int			 max_photos_per_hazard;	/* photos per hazard */
	long			 max_output;	/* answers queued, all together */
	int			 timeout;	/* seconds; idle or slow */
	char			*metrics_token;	/* "": /metrics is public */
	char			*metrics_listen; /* "": /metrics on listen */
	char			*metrics_host;	/* host, brackets removed */
	int			 metrics_port;
	/* [storage] */
	char			*database;
	int			 check_at_start; /* enum db_check */
	int			 list_scan;	/* hazards a list page examines */
	/* [schedule] */
	char			*timezone;
	struct config_when	 daily;
	struct config_when	 weekly;
	struct config_when	 monthly;
	/* [policy] */
	int			 due_soon_days;
	int			 escalate_after_days;
	int			 default_deadline_days;	/* 0: none */
	int			 rectify_needs_photo;	/* an "after" photo */
	/* [deliver] */
	char			*outbox;
	char			*language;
	char			*command;
	char			*webhook;
	char			*webhook_format;
	char			*webhook_secret;
	int			 retry_base;	/* seconds before a 2nd try */
	int			 robot_rows;	/* rows a robot's section shows */
	int			 command_timeout; /* seconds */
	/* [categories]: the default set unless the file has the section */
	struct categories	 categories;
	int			 has_categories;
	/* [departments], deprecated: applied to the categories at the end */
	struct config_department *departments;
	size_t			 ndepartments;
	/* [log] */
	int			 debug;

	/* Every problem found, one per line; NULL when there is none. */
	char			*errors;
	/* What is accepted but should change, one per line, or NULL. */
	char			*warnings;
	/* The same lines in the user's language, for a person (po/). */
	char			*errors_said;
	char			*warnings_said;
};

/* Fills cfg with the defaults. */
void	config_defaults(struct config *cfg);

/*
 * Reads the file at path over the defaults.  Returns 0, or -1 with every
 * problem in cfg->errors ("FILE:LINE: message" lines).
 */
int	config_load(struct config *cfg, const char *path);

/* As config_load, from an open stream; name is used in messages. */
int	config_load_stream(struct config *cfg, const char *name, FILE *f);

/* As config_load, from a string (for tests); name is used in messages. */
int	config_load_string(struct config *cfg, const char *name,
	    const char *text);

/* Frees what cfg holds, not cfg itself. */
void	config_free(struct config *cfg);

/* The department of the category whose code is category, or NULL. */
const char *config_department(const struct config *cfg,
	    const char *category);

#endif
