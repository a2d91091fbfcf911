-- 018: a list's search (GET /v1/hazards?search=): an FTS5 index of each
-- hazard's title, description and location and of the notes of its
-- rectifications and rejections (what the school did, why the office
-- found it not enough), with rowid the hazard's id.  The trigram
-- tokenizer indexes every three characters, so that Chinese text, which
-- has no spaces between its words, is found by any part of three
-- characters or more without a word segmenter.  The index keeps a copy
-- of its text (SQLite 3.40 has no contentless table that can forget a
-- row) and is kept by the triggers below; hazards are never deleted.

-- Made anew if a database is migrated again from before (a test sets
-- user_version back to replay 017).
DROP TABLE IF EXISTS hazards_search;
DROP TRIGGER IF EXISTS hazards_search_insert;
DROP TRIGGER IF EXISTS hazards_search_update;
DROP TRIGGER IF EXISTS hazards_search_note;
DROP INDEX IF EXISTS hazards_by_deadline;
DROP INDEX IF EXISTS hazards_school_deadline;

CREATE VIRTUAL TABLE hazards_search USING fts5(title, description,
    location, notes, tokenize = 'trigram');

-- The notes of a hazard as the index holds them, one a line.
INSERT INTO hazards_search (rowid, title, description, location, notes)
    SELECT h.id, h.title, h.description, h.location,
        (SELECT group_concat(e.note, char(10)) FROM events e
        INDEXED BY events_by_hazard WHERE e.hazard_id = h.id
        AND e.action IN ('rectify', 'reject') AND e.note IS NOT NULL)
    FROM hazards h;

CREATE TRIGGER hazards_search_insert AFTER INSERT ON hazards
BEGIN
	INSERT INTO hazards_search (rowid, title, description, location)
	    VALUES (NEW.id, NEW.title, NEW.description, NEW.location);
END;

CREATE TRIGGER hazards_search_update
    AFTER UPDATE OF title, description, location ON hazards
    WHEN OLD.title IS NOT NEW.title OR OLD.description IS NOT
        NEW.description OR OLD.location IS NOT NEW.location
BEGIN
	UPDATE hazards_search SET title = NEW.title,
	    description = NEW.description, location = NEW.location
	    WHERE rowid = NEW.id;
END;

CREATE TRIGGER hazards_search_note AFTER INSERT ON events
    WHEN NEW.action IN ('rectify', 'reject') AND NEW.note IS NOT NULL
BEGIN
	UPDATE hazards_search SET notes = (SELECT group_concat(e.note,
	    char(10)) FROM events e INDEXED BY events_by_hazard
	    WHERE e.hazard_id = NEW.hazard_id
	    AND e.action IN ('rectify', 'reject') AND e.note IS NOT NULL)
	    WHERE rowid = NEW.hazard_id;
END;

-- A list in the order of deadlines (?sort=deadline) walks this index,
-- with the filters' columns in it as in hazards_by_time (010), and the
-- time of the report for since and until.  One of
-- the open hazards only (overdue, due within, state open or rectified:
-- hazardctl list --overdue, the longest overdue first) walks the index
-- of their deadlines, hazards_open_deadline (001), instead; a school's
-- list walks hazards_school_deadline.
CREATE INDEX hazards_by_deadline ON hazards (deadline, id, kind, state,
    grade, category, school_id, reported_at);
-- A school's, in the order of deadlines: its own hazards only.
CREATE INDEX hazards_school_deadline ON hazards (school_id, deadline, id);
