/*
 * Messages in the user's language.  _() marks a message and translates
 * it through gettext(3) when the build has NLS; N_() only marks a
 * message for xgettext, for tables translated where they are printed.
 */
#ifndef I18N_H
#define I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s)	gettext(s)
#else
#define _(s)	(s)
#endif
#define N_(s)	(s)

#endif
