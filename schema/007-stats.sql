-- 007: the statistics by school and by category without reading every
-- hazard.  tally_school keeps, per school, kind and category, how many
-- hazards were reported, how many are identified (not cancelled) and
-- how many closed; the open ones are read from hazards_open, which now
-- holds what they are counted by.

CREATE TABLE tally_school (
	school_id	INTEGER NOT NULL,
	kind		TEXT NOT NULL,
	category	TEXT NOT NULL,
	reported	INTEGER NOT NULL,
	identified	INTEGER NOT NULL,
	closed		INTEGER NOT NULL,
	PRIMARY KEY (school_id, kind, category)
) WITHOUT ROWID;

INSERT INTO tally_school (school_id, kind, category, reported, identified,
    closed)
    SELECT school_id, kind, category, COUNT(*), SUM(cancelled_at IS NULL),
	SUM(closed_at IS NOT NULL)
    FROM hazards GROUP BY 1, 2, 3;

CREATE TRIGGER tally_school_insert AFTER INSERT ON hazards
BEGIN
	INSERT INTO tally_school (school_id, kind, category, reported,
	    identified, closed)
	    VALUES (NEW.school_id, NEW.kind, NEW.category, 1,
		NEW.cancelled_at IS NULL, NEW.closed_at IS NOT NULL)
	    ON CONFLICT (school_id, kind, category) DO UPDATE SET
		reported = reported + 1,
		identified = identified + excluded.identified,
		closed = closed + excluded.closed;
END;

CREATE TRIGGER tally_school_update AFTER UPDATE OF school_id, kind,
    category, closed_at, cancelled_at ON hazards
BEGIN
	UPDATE tally_school SET
	    reported = reported - 1,
	    identified = identified - (OLD.cancelled_at IS NULL),
	    closed = closed - (OLD.closed_at IS NOT NULL)
	    WHERE school_id = OLD.school_id AND kind = OLD.kind
	    AND category = OLD.category;
	INSERT INTO tally_school (school_id, kind, category, reported,
	    identified, closed)
	    VALUES (NEW.school_id, NEW.kind, NEW.category, 1,
		NEW.cancelled_at IS NULL, NEW.closed_at IS NOT NULL)
	    ON CONFLICT (school_id, kind, category) DO UPDATE SET
		reported = reported + 1,
		identified = identified + excluded.identified,
		closed = closed + excluded.closed;
END;

DROP INDEX hazards_open;
CREATE INDEX hazards_open ON hazards (reported_at, school_id, kind,
    category, deadline) WHERE closed_at IS NULL AND cancelled_at IS NULL;
