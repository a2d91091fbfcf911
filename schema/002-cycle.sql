-- 002: the cycle of daily track, weekly summary and monthly dispatch.

-- Facts about the database itself.  `created_at` (Unix seconds) keeps
-- the daemon from making up periods that ended before it existed.
CREATE TABLE meta (
	key		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
);
INSERT INTO meta (key, value)
    VALUES ('created_at', CAST(strftime('%s', 'now') AS TEXT));

-- One row per run of a period: the digest it made, as text and JSON.
-- A period runs once on its own; each run by hand adds a revision.
CREATE TABLE digests (
	id		INTEGER PRIMARY KEY,
	kind		TEXT NOT NULL CHECK (kind IN
			    ('daily', 'weekly', 'monthly')),
	period		TEXT NOT NULL,
	revision	INTEGER NOT NULL CHECK (revision >= 1),
	trigger		TEXT NOT NULL CHECK (trigger IN
			    ('schedule', 'catchup', 'manual')),
	made_at		INTEGER NOT NULL,
	since		INTEGER NOT NULL,	-- the window it covers
	until		INTEGER NOT NULL,
	language	TEXT NOT NULL,
	text		TEXT NOT NULL,
	json		TEXT NOT NULL,
	written		INTEGER NOT NULL DEFAULT 0,	-- in the outbox
	UNIQUE (kind, period, revision)
);

-- Escalations and dispatches are events of the audit trail
-- (action 'escalate', role 'system', note the month's period).
CREATE INDEX events_by_action ON events (action, at);
