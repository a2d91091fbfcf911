-- 001: the closed loop of a hazard.
--
-- Times are Unix seconds (UTC); dates (deadline) are 'YYYY-MM-DD' in the
-- configured time zone, so that they compare as strings.  Nothing here is
-- ever deleted: the triggers at the end keep the audit trail append-only.

-- The schools of the district; `code` is what clients name them by.
CREATE TABLE schools (
	id		INTEGER PRIMARY KEY,
	code		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL,
	created_at	INTEGER NOT NULL
);

-- API tokens.  Only the SHA-256 of a token is kept.  An office token
-- has no school; a school token has exactly one.
CREATE TABLE tokens (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL,
	role		TEXT NOT NULL CHECK (role IN ('office', 'school')),
	school_id	INTEGER REFERENCES schools(id),
	hash		BLOB NOT NULL UNIQUE,
	created_at	INTEGER NOT NULL,
	revoked_at	INTEGER,
	CHECK ((role = 'school') = (school_id IS NOT NULL))
);

-- Hazard points (kind 'hazard') and inspection findings (kind 'finding').
CREATE TABLE hazards (
	id		INTEGER PRIMARY KEY,
	kind		TEXT NOT NULL CHECK (kind IN ('hazard', 'finding')),
	school_id	INTEGER NOT NULL REFERENCES schools(id),
	category	TEXT NOT NULL,
	grade		TEXT NOT NULL CHECK (grade IN ('general', 'major')),
	title		TEXT NOT NULL,
	description	TEXT,
	location	TEXT,
	responsible	TEXT,
	department	TEXT,
	deadline	TEXT,
	plan		TEXT,
	assessment	TEXT,
	funds		TEXT,
	contingency	TEXT,
	state		TEXT NOT NULL CHECK (state IN
			    ('open', 'rectified', 'closed', 'cancelled')),
	escalation	INTEGER NOT NULL DEFAULT 0,
	idem_key	TEXT,		-- NULL when the client sent none
	reported_by	INTEGER REFERENCES tokens(id),
	reported_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL,
	closed_at	INTEGER,
	cancelled_at	INTEGER,
	UNIQUE (school_id, idem_key)
);
CREATE INDEX hazards_by_time ON hazards (reported_at, id);
CREATE INDEX hazards_by_school ON hazards (school_id, reported_at, id);
CREATE INDEX hazards_by_kind ON hazards (kind, school_id, category);
CREATE INDEX hazards_open_deadline ON hazards (deadline)
    WHERE state IN ('open', 'rectified');

-- The audit trail: one row for every change, written in the same
-- transaction as the change.  `changes` is a JSON object
-- {"field": [old, new], ...} for assessments.
CREATE TABLE events (
	id		INTEGER PRIMARY KEY,
	hazard_id	INTEGER NOT NULL REFERENCES hazards(id),
	at		INTEGER NOT NULL,
	token_id	INTEGER REFERENCES tokens(id),
	actor		TEXT NOT NULL,
	role		TEXT NOT NULL CHECK (role IN ('office', 'school',
			    'system')),
	action		TEXT NOT NULL,
	from_state	TEXT,
	to_state	TEXT NOT NULL,
	note		TEXT,
	changes		TEXT
);
CREATE INDEX events_by_hazard ON events (hazard_id, id);

CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER hazards_never_deleted BEFORE DELETE ON hazards
BEGIN
	SELECT RAISE(ABORT, 'hazards are never deleted; cancel them');
END;
