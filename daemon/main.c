/*
 * hazardd: campus safety hazard tracking daemon.
 */
#include "hazardd.h"

int
main(int argc, char *argv[])
{
	return hazardd_main(argc, argv);
}
