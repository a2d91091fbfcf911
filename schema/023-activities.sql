-- 023: the activity ledger: the safety activities a school or the
-- office records (drills, safety lessons, responsibility agreements,
-- inspections, trainings, warnings sent by other channels), which the
-- district's self-assessment counts beside its hazards.  An activity is
-- never changed nor deleted: one recorded wrongly is corrected by
-- another.  Its type and subtype are codes of daemon/activity.c's
-- vocabulary; its date is the local day it took place.

CREATE TABLE activities (
	id		INTEGER PRIMARY KEY,
	school_id	INTEGER NOT NULL REFERENCES schools(id),
	type		TEXT NOT NULL,
	subtype		TEXT,
	date		TEXT NOT NULL,		-- YYYY-MM-DD, local
	count		INTEGER NOT NULL CHECK (count > 0),
	note		TEXT,
	token_id	INTEGER REFERENCES tokens(id),
	recorded_by	TEXT NOT NULL,
	recorded_at	INTEGER NOT NULL,
	idem_key	TEXT,		-- an import's row's; NULL: none
	UNIQUE (school_id, idem_key)
);
CREATE INDEX activities_by_date ON activities (date, id);
CREATE INDEX activities_by_school ON activities (school_id, date, id);

CREATE TRIGGER activities_append_only_update BEFORE UPDATE ON activities
BEGIN
	SELECT RAISE(ABORT, 'activities are never changed');
END;
CREATE TRIGGER activities_append_only_delete BEFORE DELETE ON activities
BEGIN
	SELECT RAISE(ABORT, 'activities are never deleted');
END;

-- An activity recorded is an event of the audit trail (action
-- 'activity', the activity's fields in changes), as every change to a
-- hazard is: an event has a hazard or an activity, and a state only if
-- it has a hazard.  SQLite cannot drop a NOT NULL from a column, so
-- the trail is copied into a table that allows it (51 s for the 3.9
-- million events of the 1M set, once), and its indexes and triggers
-- are made again.
CREATE TABLE events_new (
	id		INTEGER PRIMARY KEY,
	hazard_id	INTEGER REFERENCES hazards(id),
	at		INTEGER NOT NULL,
	token_id	INTEGER REFERENCES tokens(id),
	actor		TEXT NOT NULL,
	role		TEXT NOT NULL CHECK (role IN ('office', 'school',
			    'system')),
	action		TEXT NOT NULL,
	from_state	TEXT,
	to_state	TEXT,
	note		TEXT,
	changes		TEXT,
	activity_id	INTEGER REFERENCES activities(id),
	CHECK ((hazard_id IS NULL) = (activity_id IS NOT NULL)),
	CHECK ((to_state IS NULL) = (hazard_id IS NULL))
);
INSERT INTO events_new (id, hazard_id, at, token_id, actor, role, action,
    from_state, to_state, note, changes)
    SELECT id, hazard_id, at, token_id, actor, role, action, from_state,
        to_state, note, changes FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;

CREATE INDEX events_by_hazard ON events (hazard_id, id);
CREATE INDEX events_by_action ON events (action, at);
CREATE INDEX events_by_activity ON events (activity_id)
    WHERE activity_id IS NOT NULL;

CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
-- As schema/018-search.sql has it.
CREATE TRIGGER hazards_search_note AFTER INSERT ON events
    WHEN NEW.action IN ('rectify', 'reject') AND NEW.note IS NOT NULL
BEGIN
	UPDATE hazards_search SET notes = (SELECT group_concat(e.note,
	    char(10)) FROM events e INDEXED BY events_by_hazard
	    WHERE e.hazard_id = NEW.hazard_id
	    AND e.action IN ('rectify', 'reject') AND e.note IS NOT NULL)
	    WHERE rowid = NEW.hazard_id;
END;
