/*
 * The daemon as a whole: options, start-up order, the event loop.
 */
#ifndef HAZARDD_HAZARDD_H
#define HAZARDD_HAZARDD_H

/* Runs hazardd with the command line of main().  Returns the exit code. */
int	hazardd_main(int argc, char *argv[]);

#endif
