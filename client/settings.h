/*
 * Where hazardctl finds its server and its token: the options, then the
 * environment, then its config file.
 */
#ifndef HAZARDCTL_SETTINGS_H
#define HAZARDCTL_SETTINGS_H

#include "hazardctl.h"

/*
 * Reads the config file (--config, $HAZARDCTL_CONFIG, or the default one
 * if it exists) and resolves ctl->server and ctl->token.  Returns 0, or
 * EXIT_USAGE with the reason printed.
 */
int	settings_resolve(struct ctl *);

/* Frees what settings_resolve() kept. */
void	settings_free(struct ctl *);

#endif
