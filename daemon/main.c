/*
 * hazardd: campus safety hazard tracking daemon.
 */
#include "hazardd.h"
#include "utf8.h"

int
main(int argc, char *argv[])
{
	/* Digests pad Chinese by its width on a terminal (table.c). */
	(void)utf8_locale(0);
	return hazardd_main(argc, argv);
}
