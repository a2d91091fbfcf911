-- 024: the rate of the district as of any moment without reading what
-- was closed or cancelled since.  tally_done holds, per kind, UTC day of
-- report and UTC day of the closing or the cancellation (a hazard's
-- closed_at and cancelled_at are the times of its verify and cancel
-- events), how many hazards were closed and cancelled then.  The rate
-- as of an instant takes the present from tally_kind and puts back what
-- tally_done says was done after the instant's day, and what was done
-- later in that day itself from hazards_by_closed and
-- hazards_by_cancelled (store_figures.c).  The triggers keep it exact;
-- tests/check_figures.c compares it with a scan of the events on random
-- histories.  Made again whole if it exists (tests/e2e/rejected.sh
-- replays the migrations from 016 on).

CREATE TABLE IF NOT EXISTS tally_done (
	kind		TEXT NOT NULL,
	day		INTEGER NOT NULL,	-- reported_at / 86400
	done_day	INTEGER NOT NULL,	-- closed_at or cancelled_at / 86400
	closed		INTEGER NOT NULL,
	cancelled	INTEGER NOT NULL,
	PRIMARY KEY (kind, day, done_day)
) WITHOUT ROWID;

DELETE FROM tally_done;
INSERT INTO tally_done (kind, day, done_day, closed, cancelled)
    SELECT kind, day, done_day, SUM(closed), SUM(cancelled) FROM (
	SELECT kind, reported_at / 86400 day, closed_at / 86400 done_day,
	    1 closed, 0 cancelled FROM hazards WHERE closed_at IS NOT NULL
	UNION ALL
	SELECT kind, reported_at / 86400, cancelled_at / 86400, 0, 1
	    FROM hazards WHERE cancelled_at IS NOT NULL)
    GROUP BY 1, 2, 3;

DROP TRIGGER IF EXISTS tally_done_insert;
DROP TRIGGER IF EXISTS tally_done_leave;
DROP TRIGGER IF EXISTS tally_done_enter;

CREATE TRIGGER tally_done_insert AFTER INSERT ON hazards
    WHEN NEW.closed_at IS NOT NULL OR NEW.cancelled_at IS NOT NULL
BEGIN
	INSERT INTO tally_done (kind, day, done_day, closed, cancelled)
	    VALUES (NEW.kind, NEW.reported_at / 86400,
		COALESCE(NEW.closed_at, NEW.cancelled_at) / 86400,
		NEW.closed_at IS NOT NULL, NEW.closed_at IS NULL)
	    ON CONFLICT (kind, day, done_day) DO UPDATE SET
		closed = closed + excluded.closed,
		cancelled = cancelled + excluded.cancelled;
END;

-- An update takes the hazard out of its old row and puts it into its
-- new one; the two triggers give the same sums in either order.  A
-- hazard both closed and cancelled (none is) would count as closed.  An
-- update that changes none of the four (the ledger writes every column)
-- leaves the table alone.

CREATE TRIGGER tally_done_leave AFTER UPDATE OF kind, reported_at,
    closed_at, cancelled_at ON hazards
    WHEN (OLD.closed_at IS NOT NULL OR OLD.cancelled_at IS NOT NULL)
    AND (OLD.kind IS NOT NEW.kind OR OLD.reported_at IS NOT NEW.reported_at
    OR OLD.closed_at IS NOT NEW.closed_at
    OR OLD.cancelled_at IS NOT NEW.cancelled_at)
BEGIN
	UPDATE tally_done SET
	    closed = closed - (OLD.closed_at IS NOT NULL),
	    cancelled = cancelled - (OLD.closed_at IS NULL)
	    WHERE kind = OLD.kind AND day = OLD.reported_at / 86400
	    AND done_day = COALESCE(OLD.closed_at, OLD.cancelled_at) / 86400;
END;

CREATE TRIGGER tally_done_enter AFTER UPDATE OF kind, reported_at,
    closed_at, cancelled_at ON hazards
    WHEN (NEW.closed_at IS NOT NULL OR NEW.cancelled_at IS NOT NULL)
    AND (OLD.kind IS NOT NEW.kind OR OLD.reported_at IS NOT NEW.reported_at
    OR OLD.closed_at IS NOT NEW.closed_at
    OR OLD.cancelled_at IS NOT NEW.cancelled_at)
BEGIN
	INSERT INTO tally_done (kind, day, done_day, closed, cancelled)
	    VALUES (NEW.kind, NEW.reported_at / 86400,
		COALESCE(NEW.closed_at, NEW.cancelled_at) / 86400,
		NEW.closed_at IS NOT NULL, NEW.closed_at IS NULL)
	    ON CONFLICT (kind, day, done_day) DO UPDATE SET
		closed = closed + excluded.closed,
		cancelled = cancelled + excluded.cancelled;
END;
