/*
 * The metrics of /metrics beyond the HTTP layer's (http_metrics) and the
 * hazards by kind and state: overdue hazards, the cycle's latest runs,
 * deliveries, and imports.
 */
#ifndef HAZARDD_METRICS_H
#define HAZARDD_METRICS_H

#include <stdint.h>

#include <event2/buffer.h>

/* What became of an import. */
enum metrics_import {
	METRICS_IMPORT_DONE,	/* imported (maybe nothing new) */
	METRICS_IMPORT_INVALID,	/* refused: the file has bad rows */
	METRICS_IMPORT_FAILED,	/* refused: too large, not CSV, 503 */
	METRICS_IMPORT__MAX
};

/* Counts an import, and for a done one its rows imported and skipped. */
void	metrics_import(enum metrics_import, int64_t imported,
	    int64_t skipped);

/*
 * Writes these metrics in Prometheus text format; today is the local
 * date, for overdue.  What the database cannot tell now is left out
 * (and logged).
 */
void	metrics_write(struct evbuffer *out, const char *today);

#endif
