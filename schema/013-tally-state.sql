-- 013: what /metrics tells of the hazards without reading them.  Its
-- counts by kind and state, and of the overdue ones, scanned the hazards
-- table on the loop (0.6 to 0.8 s a scrape on a million; /metrics needs
-- no token).  tally_state holds how many hazards there are of each kind
-- and state; tally_deadline, per kind and deadline, how many are open or
-- rectified (the hazards that can be overdue).  Overdue is then the sum
-- of the deadlines before today: a row per day of deadlines still open,
-- whatever the number of hazards.  The triggers keep both exact, and
-- drop a deadline's row when it has no hazard left.

CREATE TABLE tally_state (
	kind		TEXT NOT NULL,
	state		TEXT NOT NULL,
	n		INTEGER NOT NULL,
	PRIMARY KEY (kind, state)
) WITHOUT ROWID;

CREATE TABLE tally_deadline (
	kind		TEXT NOT NULL,
	deadline	TEXT NOT NULL,
	n		INTEGER NOT NULL,
	PRIMARY KEY (kind, deadline)
) WITHOUT ROWID;

INSERT INTO tally_state (kind, state, n)
    SELECT kind, state, COUNT(*) FROM hazards GROUP BY 1, 2;

INSERT INTO tally_deadline (kind, deadline, n)
    SELECT kind, deadline, COUNT(*) FROM hazards
    WHERE state IN ('open', 'rectified') AND deadline IS NOT NULL
    GROUP BY 1, 2;

CREATE TRIGGER tally_state_insert AFTER INSERT ON hazards
BEGIN
	INSERT INTO tally_state (kind, state, n) VALUES (NEW.kind, NEW.state, 1)
	    ON CONFLICT (kind, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tally_state_update AFTER UPDATE OF kind, state ON hazards
BEGIN
	UPDATE tally_state SET n = n - 1
	    WHERE kind = OLD.kind AND state = OLD.state;
	INSERT INTO tally_state (kind, state, n) VALUES (NEW.kind, NEW.state, 1)
	    ON CONFLICT (kind, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tally_deadline_insert AFTER INSERT ON hazards
    WHEN NEW.state IN ('open', 'rectified') AND NEW.deadline IS NOT NULL
BEGIN
	INSERT INTO tally_deadline (kind, deadline, n)
	    VALUES (NEW.kind, NEW.deadline, 1)
	    ON CONFLICT (kind, deadline) DO UPDATE SET n = n + 1;
END;

-- An update takes the hazard out of its old row and puts it into its
-- new one; the two triggers give the same sums in either order.

CREATE TRIGGER tally_deadline_leave AFTER UPDATE OF kind, state, deadline
    ON hazards
    WHEN OLD.state IN ('open', 'rectified') AND OLD.deadline IS NOT NULL
BEGIN
	UPDATE tally_deadline SET n = n - 1
	    WHERE kind = OLD.kind AND deadline = OLD.deadline;
	DELETE FROM tally_deadline
	    WHERE kind = OLD.kind AND deadline = OLD.deadline AND n = 0;
END;

CREATE TRIGGER tally_deadline_enter AFTER UPDATE OF kind, state, deadline
    ON hazards
    WHEN NEW.state IN ('open', 'rectified') AND NEW.deadline IS NOT NULL
BEGIN
	INSERT INTO tally_deadline (kind, deadline, n)
	    VALUES (NEW.kind, NEW.deadline, 1)
	    ON CONFLICT (kind, deadline) DO UPDATE SET n = n + 1;
END;
