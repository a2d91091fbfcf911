-- 026: the office's dashboard without reading what it does not show.
--
-- The schools worst first (stats?by=school&sort=rate&limit=N) without
-- reading every school's categories and every open hazard.
-- tally_school_kind holds, per kind and school, how many hazards are
-- identified (not cancelled) and how many closed: the sums of
-- tally_school's categories (007), kept by the same rule.  The rates of
-- hazards of all the schools are then its 'hazard' rows, one a school;
-- the whole rows of the few schools whose rate is no better than the
-- Nth worst's are read alone, their open and overdue hazards from
-- hazards_open_school, the open hazards by school (store_stats_worst()
-- in store_figures.c).  The triggers keep the tally exact;
-- tests/check_figures.c compares it with a scan on random histories.
-- Made again whole if it exists (tests/e2e/rejected.sh replays the
-- migrations from 016 on).

CREATE TABLE IF NOT EXISTS tally_school_kind (
	kind		TEXT NOT NULL,
	school_id	INTEGER NOT NULL,
	identified	INTEGER NOT NULL,
	closed		INTEGER NOT NULL,
	PRIMARY KEY (kind, school_id)
) WITHOUT ROWID;

DELETE FROM tally_school_kind;
INSERT INTO tally_school_kind (kind, school_id, identified, closed)
    SELECT kind, school_id, SUM(identified), SUM(closed) FROM tally_school
    GROUP BY 1, 2;

DROP TRIGGER IF EXISTS tally_school_kind_insert;
DROP TRIGGER IF EXISTS tally_school_kind_update;

CREATE TRIGGER tally_school_kind_insert AFTER INSERT ON hazards
BEGIN
	INSERT INTO tally_school_kind (kind, school_id, identified, closed)
	    VALUES (NEW.kind, NEW.school_id, NEW.cancelled_at IS NULL,
		NEW.closed_at IS NOT NULL)
	    ON CONFLICT (kind, school_id) DO UPDATE SET
		identified = identified + excluded.identified,
		closed = closed + excluded.closed;
END;

-- An update takes the hazard out of its old row and puts it into its
-- new one.  An update that changes none of what the tally counts it by
-- (the ledger writes every column) leaves the table alone.

CREATE TRIGGER tally_school_kind_update AFTER UPDATE OF kind, school_id,
    closed_at, cancelled_at ON hazards
    WHEN OLD.kind IS NOT NEW.kind OR OLD.school_id IS NOT NEW.school_id
    OR (OLD.closed_at IS NULL) IS NOT (NEW.closed_at IS NULL)
    OR (OLD.cancelled_at IS NULL) IS NOT (NEW.cancelled_at IS NULL)
BEGIN
	UPDATE tally_school_kind SET
	    identified = identified - (OLD.cancelled_at IS NULL),
	    closed = closed - (OLD.closed_at IS NOT NULL)
	    WHERE kind = OLD.kind AND school_id = OLD.school_id;
	INSERT INTO tally_school_kind (kind, school_id, identified, closed)
	    VALUES (NEW.kind, NEW.school_id, NEW.cancelled_at IS NULL,
		NEW.closed_at IS NOT NULL)
	    ON CONFLICT (kind, school_id) DO UPDATE SET
		identified = identified + excluded.identified,
		closed = closed + excluded.closed;
END;

CREATE INDEX IF NOT EXISTS hazards_open_school ON hazards (school_id,
    state, deadline) WHERE closed_at IS NULL AND cancelled_at IS NULL;

-- The rate as of an instant (024) goes back from the present through
-- what tally_done says was done after the instant's day: a range of
-- this index, where the table's own order makes it read every day of
-- the range asked (the rate now: all of a kind's days, for nothing).
-- The trend (stats?by=month), the rate as of each month's end, reads
-- it once, from the first month's end on, for all the months.
CREATE INDEX IF NOT EXISTS tally_done_by_done ON tally_done (kind,
    done_day, day, closed, cancelled);

-- The counts of the day (/v1/today) read the kind of each hazard
-- rectified that day by its id from hazards_kinds, every hazard's kind
-- by id, not from the hazards' rows: the hazards of a day's
-- rectifications are recent ones, a few pages of this index and
-- thousands of the table's.
CREATE INDEX IF NOT EXISTS hazards_kinds ON hazards (id, kind);
