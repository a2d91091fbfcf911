-- 004: delivering each digest through the configured channels.  A row
-- is made with its digest, in the same transaction; it stays pending,
-- tried again with back-off across restarts, until it is done.

CREATE TABLE deliveries (
	id		INTEGER PRIMARY KEY,
	digest_id	INTEGER NOT NULL REFERENCES digests(id),
	channel		TEXT NOT NULL CHECK (channel IN ('command', 'webhook')),
	state		TEXT NOT NULL CHECK (state IN ('pending', 'done')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	last_error	TEXT,
	next_try	INTEGER NOT NULL,
	done_at		INTEGER,
	UNIQUE (digest_id, channel)
);
CREATE INDEX deliveries_due ON deliveries (state, next_try);
