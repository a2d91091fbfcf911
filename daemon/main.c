/*
 * hazardd: campus safety hazard tracking daemon.
 */
#include <locale.h>
#include <stdlib.h>

#include "hazardd.h"
#include "i18n.h"
#include "utf8.h"

/*
 * Takes the language of the user's LC_MESSAGES (po/, the text domain
 * hazardctl's) for what hazardd says to a person at a terminal: its
 * help, its commands' output and errors.  Nothing else of the locale:
 * dates, numbers and sorting stay the C locale's, and LC_CTYPE UTF-8,
 * whatever the user's (digests pad Chinese by its width, table.c).
 * The logs stay English (log_set_person()); under systemd the locale
 * is C and nothing changes.  The catalogs are under LOCALEDIR, or
 * $HAZARDD_LOCALEDIR, which the tests set to run a build that is not
 * installed (tests/e2e/lib.sh).
 */
static void
locale_init(void)
{
	const char	*dir;

	(void)utf8_locale(0);
	setlocale(LC_MESSAGES, "");
#ifdef ENABLE_NLS
	if ((dir = getenv("HAZARDD_LOCALEDIR")) == NULL || *dir == '\0')
		dir = LOCALEDIR;
	bindtextdomain(PACKAGE, dir);
	textdomain(PACKAGE);
#else
	(void)dir;
#endif
}

int
main(int argc, char *argv[])
{
	locale_init();
	return hazardd_main(argc, argv);
}
