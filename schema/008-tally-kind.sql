-- 008: the rate of a whole kind (no category) adds a few rows a day:
-- tally_kind holds, per kind and UTC day of report, the sums of tally's
-- categories, kept by the same triggers' rule.

CREATE TABLE tally_kind (
	kind		TEXT NOT NULL,
	day		INTEGER NOT NULL,
	identified	INTEGER NOT NULL,
	closed		INTEGER NOT NULL,
	PRIMARY KEY (kind, day)
) WITHOUT ROWID;

INSERT INTO tally_kind (kind, day, identified, closed)
    SELECT kind, day, SUM(identified), SUM(closed) FROM tally GROUP BY 1, 2;

CREATE TRIGGER tally_kind_insert AFTER INSERT ON hazards
BEGIN
	INSERT INTO tally_kind (kind, day, identified, closed)
	    VALUES (NEW.kind, NEW.reported_at / 86400,
		NEW.cancelled_at IS NULL, NEW.closed_at IS NOT NULL)
	    ON CONFLICT (kind, day) DO UPDATE SET
		identified = identified + excluded.identified,
		closed = closed + excluded.closed;
END;

CREATE TRIGGER tally_kind_update AFTER UPDATE OF kind, reported_at,
    closed_at, cancelled_at ON hazards
BEGIN
	UPDATE tally_kind SET
	    identified = identified - (OLD.cancelled_at IS NULL),
	    closed = closed - (OLD.closed_at IS NOT NULL)
	    WHERE kind = OLD.kind AND day = OLD.reported_at / 86400;
	INSERT INTO tally_kind (kind, day, identified, closed)
	    VALUES (NEW.kind, NEW.reported_at / 86400,
		NEW.cancelled_at IS NULL, NEW.closed_at IS NOT NULL)
	    ON CONFLICT (kind, day) DO UPDATE SET
		identified = identified + excluded.identified,
		closed = closed + excluded.closed;
END;
