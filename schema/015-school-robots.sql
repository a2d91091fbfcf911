-- 015: a school's own group robot, and the notices it is sent: the
-- morning's list of what the school must do, an early warning when it
-- is issued, a rectification the office rejected.  A notice is made
-- once (its school, kind and what it is about are unique) in the
-- transaction of what caused it, and delivered as a digest is: a row of
-- deliveries, tried again with back-off until the robot takes it.  The
-- robot's URL carries its access token: only the office reads it.

ALTER TABLE schools ADD COLUMN robot_url TEXT;
ALTER TABLE schools ADD COLUMN robot_secret TEXT;
ALTER TABLE schools ADD COLUMN robot_format TEXT;

CREATE TABLE notices (
	id		INTEGER PRIMARY KEY,
	school_id	INTEGER NOT NULL REFERENCES schools(id),
	kind		TEXT NOT NULL
			    CHECK (kind IN ('morning', 'warning', 'rejection')),
	about		TEXT NOT NULL,	-- the period, warning or event
	made_at		INTEGER NOT NULL,
	title		TEXT NOT NULL,
	body		TEXT NOT NULL,	-- markdown, every field escaped
	UNIQUE (school_id, kind, about)
);

-- A delivery is of a digest (to the command or the office's robot) or
-- of a notice (to its school's robot): the table is made again, as
-- SQLite cannot change a CHECK.
CREATE TABLE deliveries_new (
	id		INTEGER PRIMARY KEY,
	digest_id	INTEGER REFERENCES digests(id),
	notice_id	INTEGER REFERENCES notices(id),
	channel		TEXT NOT NULL
			    CHECK (channel IN ('command', 'webhook', 'school')),
	state		TEXT NOT NULL CHECK (state IN ('pending', 'done')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	last_error	TEXT,
	next_try	INTEGER NOT NULL,
	done_at		INTEGER,
	parts_done	INTEGER NOT NULL DEFAULT 0,
	parts_for	TEXT,
	CHECK ((digest_id IS NULL) = (channel = 'school')),
	CHECK ((notice_id IS NULL) = (channel <> 'school')),
	UNIQUE (digest_id, channel),
	UNIQUE (notice_id)
);
INSERT INTO deliveries_new (id, digest_id, channel, state, attempts,
    last_error, next_try, done_at, parts_done, parts_for)
    SELECT id, digest_id, channel, state, attempts, last_error, next_try,
    done_at, parts_done, parts_for FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (state, next_try);
