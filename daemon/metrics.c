/*
 * Metrics of the figures operators alert on: overdue hazards, a cycle
 * that stopped running, deliveries that keep failing, and imports.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "connguard.h"
#include "date.h"
#include "db.h"
#include "log.h"
#include "looplag.h"
#include "metrics.h"
#include "period.h"
#include "store.h"

static const char *const import_results[METRICS_IMPORT__MAX] = {
	"done", "invalid", "failed"
};

static struct {
	uint64_t	imports[METRICS_IMPORT__MAX];
	uint64_t	imported;
	uint64_t	skipped;
} counts;

/*
 * What the database tells (overdue hazards, the cycles' last runs,
 * deliveries), kept as text until the database or the day changes:
 * sixty scrapes at once, an anonymous client's doing, would otherwise
 * each read the tally of deadlines in the loop.
 */
static struct {
	struct evbuffer	*text;
	int64_t		 version[2];
	char		 today[DATE_LEN];
} fromdb;

void
metrics_import(enum metrics_import result, int64_t imported,
    int64_t skipped)
{
	if ((unsigned)result >= METRICS_IMPORT__MAX)
		return;
	counts.imports[result]++;
	counts.imported += (uint64_t)imported;
	counts.skipped += (uint64_t)skipped;
}

/* Writes the "# HELP" and "# TYPE" lines of a metric. */
static void
head(struct evbuffer *out, const char *name, const char *type,
    const char *help)
{
	evbuffer_add_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help,
	    name, type);
}

/* Overdue hazards by kind. */
static void
write_overdue(struct evbuffer *out, const char *today)
{
	int64_t	n[KIND__MAX];
	int	k;

	if (store_metrics_overdue(today, n) != STORE_OK)
		return;
	head(out, "hazardd_hazards_overdue", "gauge",
	    "Open hazards (not waiting for verification) whose deadline is "
	    "before today.");
	for (k = 0; k < KIND__MAX; k++)
		evbuffer_add_printf(out, "hazardd_hazards_overdue{kind=\"%s\"} "
		    "%" PRId64 "\n", hazard_kind_name(k), n[k]);
}

/* When each kind of the cycle last made a digest. */
static void
write_cycles(struct evbuffer *out)
{
	time_t	at[CYCLE__MAX];
	int	k;

	for (k = 0; k < CYCLE__MAX; k++)
		if (store_metrics_cycle_last(cycle_kind_name(k), &at[k]) !=
		    STORE_OK)
			return;
	head(out, "hazardd_cycle_last_run_timestamp_seconds", "gauge",
	    "When the latest digest of each cycle was made (0: never).");
	for (k = 0; k < CYCLE__MAX; k++)
		evbuffer_add_printf(out,
		    "hazardd_cycle_last_run_timestamp_seconds{kind=\"%s\"} "
		    "%lld\n", cycle_kind_name(k), (long long)at[k]);
}

/* Deliveries: attempts made, and those pending after a failure. */
static void
write_deliveries(struct evbuffer *out)
{
	int64_t	attempts, failing;

	if (store_metrics_deliveries(&attempts, &failing) != STORE_OK)
		return;
	head(out, "hazardd_delivery_attempts_total", "counter",
	    "Attempts to deliver digests, failed ones too.");
	evbuffer_add_printf(out, "hazardd_delivery_attempts_total %" PRId64
	    "\n", attempts);
	head(out, "hazardd_deliveries_failing", "gauge",
	    "Deliveries still pending after a failed attempt.");
	evbuffer_add_printf(out, "hazardd_deliveries_failing %" PRId64 "\n",
	    failing);
}

/* Imports since the start, and their rows. */
static void
write_imports(struct evbuffer *out)
{
	int	i;

	head(out, "hazardd_imports_total", "counter",
	    "Imports answered since the start, by result.");
	for (i = 0; i < METRICS_IMPORT__MAX; i++)
		evbuffer_add_printf(out, "hazardd_imports_total{result=\"%s\"} "
		    "%" PRIu64 "\n", import_results[i], counts.imports[i]);
	head(out, "hazardd_import_rows_total", "counter",
	    "Rows of the imports done since the start: imported, or "
	    "skipped as imported before.");
	evbuffer_add_printf(out,
	    "hazardd_import_rows_total{result=\"imported\"} %" PRIu64 "\n"
	    "hazardd_import_rows_total{result=\"skipped\"} %" PRIu64 "\n",
	    counts.imported, counts.skipped);
}

/* Group commit: batches and the requests they held, by result. */
static void
write_commits(struct evbuffer *out)
{
	uint64_t	batches[2], requests[2];

	db_batch_counts(batches, requests);
	head(out, "hazardd_commit_batches_total", "counter",
	    "Transactions of grouped writes ended since the start: "
	    "committed, or failed (nothing of them stored).");
	evbuffer_add_printf(out,
	    "hazardd_commit_batches_total{result=\"committed\"} %" PRIu64 "\n"
	    "hazardd_commit_batches_total{result=\"failed\"} %" PRIu64 "\n",
	    batches[1], batches[0]);
	head(out, "hazardd_commit_batch_requests_total", "counter",
	    "Reports and actions those transactions held, by result.");
	evbuffer_add_printf(out,
	    "hazardd_commit_batch_requests_total{result=\"committed\"} %"
	    PRIu64 "\n"
	    "hazardd_commit_batch_requests_total{result=\"failed\"} %"
	    PRIu64 "\n", requests[1], requests[0]);
}

/* The checkpoint thread: its rounds by kind, the frames they copied. */
static void
write_checkpoints(struct evbuffer *out)
{
	uint64_t	rounds[2], frames, failed;

	db_checkpoint_counts(rounds, &frames, &failed);
	head(out, "hazardd_checkpoints_total", "counter",
	    "Checkpoints of the WAL since the start: by the checkpoint "
	    "thread, by the loop (the last frames of a long WAL, so that "
	    "it begins again), or failed.");
	evbuffer_add_printf(out,
	    "hazardd_checkpoints_total{result=\"thread\"} %" PRIu64 "\n"
	    "hazardd_checkpoints_total{result=\"loop\"} %" PRIu64 "\n"
	    "hazardd_checkpoints_total{result=\"failed\"} %" PRIu64 "\n",
	    rounds[0], rounds[1], failed);
	head(out, "hazardd_checkpoint_frames_total", "counter",
	    "WAL frames those checkpoints copied into the database file.");
	evbuffer_add_printf(out, "hazardd_checkpoint_frames_total %" PRIu64
	    "\n", frames);
}

static void
write_connections(struct evbuffer *out)
{
	head(out, "hazardd_connections_cut_total", "counter",
	    "Connections closed while their requests were still arriving, "
	    "because more bytes of such requests were held at once than "
	    "twice the largest body allowed (the slowest senders first).");
	evbuffer_add_printf(out, "hazardd_connections_cut_total %lu\n",
	    connguard_cut());
	head(out, "hazardd_output_queued_bytes", "gauge",
	    "Bytes of answers queued on the connections, not yet taken by "
	    "their clients.");
	evbuffer_add_printf(out, "hazardd_output_queued_bytes %zu\n",
	    connguard_queued());
	head(out, "hazardd_output_queued_max_bytes", "gauge",
	    "The most bytes of answers queued at once since the start "
	    "(exports wait past [server] max_output).");
	evbuffer_add_printf(out, "hazardd_output_queued_max_bytes %zu\n",
	    connguard_queued_max());
}

/* The figures of the database, from fromdb if they are still true. */
static void
write_fromdb(struct evbuffer *out, const char *today)
{
	int64_t	version[2];

	if (store_metrics_version(version) != STORE_OK) {
		write_overdue(out, today);
		write_cycles(out);
		write_deliveries(out);
		return;
	}
	if (fromdb.text == NULL && (fromdb.text = evbuffer_new()) == NULL)
		fatalx("evbuffer_new");
	if (memcmp(version, fromdb.version, sizeof(version)) != 0 ||
	    strcmp(today, fromdb.today) != 0 ||
	    evbuffer_get_length(fromdb.text) == 0) {
		evbuffer_drain(fromdb.text, evbuffer_get_length(fromdb.text));
		write_overdue(fromdb.text, today);
		write_cycles(fromdb.text);
		write_deliveries(fromdb.text);
		memcpy(fromdb.version, version, sizeof(version));
		snprintf(fromdb.today, sizeof(fromdb.today), "%s", today);
	}
	evbuffer_add(out, evbuffer_pullup(fromdb.text, -1),
	    evbuffer_get_length(fromdb.text));
}

void
metrics_write(struct evbuffer *out, const char *today)
{
	write_fromdb(out, today);
	write_imports(out);
	write_commits(out);
	write_checkpoints(out);
	write_connections(out);
	looplag_metrics(out);
}
