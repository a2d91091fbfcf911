-- 006: what the figures read on a large database (a city's million
-- hazards) without scanning every hazard.
--
-- The digests read a window of reporting times, what was closed or
-- cancelled after an instant, and what is still open; each has an index
-- that holds just those rows.  hazards_figures covers every column the
-- figures need, so a year of reports is read from the index alone.

CREATE INDEX hazards_figures ON hazards (reported_at, kind, category,
    school_id, closed_at, cancelled_at, deadline);
CREATE INDEX hazards_by_closed ON hazards (closed_at, reported_at, kind,
    category, school_id) WHERE closed_at IS NOT NULL;
CREATE INDEX hazards_by_cancelled ON hazards (cancelled_at, reported_at,
    kind, category, school_id) WHERE cancelled_at IS NOT NULL;
CREATE INDEX hazards_open ON hazards (reported_at)
    WHERE closed_at IS NULL AND cancelled_at IS NULL;

-- The rate of a whole district, kept as it changes: per kind, category
-- and day of report (UTC days: reported_at / 86400, so that the tally
-- does not depend on the time zone), how many are identified (not
-- cancelled) and how many closed.  The triggers keep it exact; the
-- rate adds the days wholly in its range from here and reads the two
-- partial days at its ends from hazards_figures.

CREATE TABLE tally (
	kind		TEXT NOT NULL,
	category	TEXT NOT NULL,
	day		INTEGER NOT NULL,
	reported	INTEGER NOT NULL,	-- all, cancelled ones too
	identified	INTEGER NOT NULL,
	closed		INTEGER NOT NULL,
	PRIMARY KEY (kind, category, day)
) WITHOUT ROWID;

INSERT INTO tally (kind, category, day, reported, identified, closed)
    SELECT kind, category, reported_at / 86400, COUNT(*),
	SUM(cancelled_at IS NULL), SUM(closed_at IS NOT NULL)
    FROM hazards GROUP BY 1, 2, 3;

CREATE TRIGGER tally_insert AFTER INSERT ON hazards
BEGIN
	INSERT INTO tally (kind, category, day, reported, identified, closed)
	    VALUES (NEW.kind, NEW.category, NEW.reported_at / 86400, 1,
		NEW.cancelled_at IS NULL, NEW.closed_at IS NOT NULL)
	    ON CONFLICT (kind, category, day) DO UPDATE SET
		reported = reported + 1,
		identified = identified + excluded.identified,
		closed = closed + excluded.closed;
END;

CREATE TRIGGER tally_update AFTER UPDATE OF kind, category, reported_at,
    closed_at, cancelled_at ON hazards
BEGIN
	UPDATE tally SET
	    reported = reported - 1,
	    identified = identified - (OLD.cancelled_at IS NULL),
	    closed = closed - (OLD.closed_at IS NOT NULL)
	    WHERE kind = OLD.kind AND category = OLD.category
	    AND day = OLD.reported_at / 86400;
	INSERT INTO tally (kind, category, day, reported, identified, closed)
	    VALUES (NEW.kind, NEW.category, NEW.reported_at / 86400, 1,
		NEW.cancelled_at IS NULL, NEW.closed_at IS NOT NULL)
	    ON CONFLICT (kind, category, day) DO UPDATE SET
		reported = reported + 1,
		identified = identified + excluded.identified,
		closed = closed + excluded.closed;
END;
