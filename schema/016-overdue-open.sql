-- 016: a hazard waiting for the office's verification is not overdue.
-- The school meets its deadline when it reports the rectification; what
-- waits after that is the office's.  tally_deadline now counts only the
-- open hazards per deadline (013 counted the rectified ones too), and
-- the index of the hazards not closed holds the state, so that the
-- statistics tell the overdue ones apart without reading the table.

DROP TRIGGER tally_deadline_insert;
DROP TRIGGER tally_deadline_leave;
DROP TRIGGER tally_deadline_enter;

DELETE FROM tally_deadline;
INSERT INTO tally_deadline (kind, deadline, n)
    SELECT kind, deadline, COUNT(*) FROM hazards
    WHERE state = 'open' AND deadline IS NOT NULL
    GROUP BY 1, 2;

CREATE TRIGGER tally_deadline_insert AFTER INSERT ON hazards
    WHEN NEW.state = 'open' AND NEW.deadline IS NOT NULL
BEGIN
	INSERT INTO tally_deadline (kind, deadline, n)
	    VALUES (NEW.kind, NEW.deadline, 1)
	    ON CONFLICT (kind, deadline) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tally_deadline_leave AFTER UPDATE OF kind, state, deadline
    ON hazards
    WHEN OLD.state = 'open' AND OLD.deadline IS NOT NULL
BEGIN
	UPDATE tally_deadline SET n = n - 1
	    WHERE kind = OLD.kind AND deadline = OLD.deadline;
	DELETE FROM tally_deadline
	    WHERE kind = OLD.kind AND deadline = OLD.deadline AND n = 0;
END;

CREATE TRIGGER tally_deadline_enter AFTER UPDATE OF kind, state, deadline
    ON hazards
    WHEN NEW.state = 'open' AND NEW.deadline IS NOT NULL
BEGIN
	INSERT INTO tally_deadline (kind, deadline, n)
	    VALUES (NEW.kind, NEW.deadline, 1)
	    ON CONFLICT (kind, deadline) DO UPDATE SET n = n + 1;
END;

DROP INDEX hazards_open;
CREATE INDEX hazards_open ON hazards (reported_at, school_id, kind,
    category, deadline, state) WHERE closed_at IS NULL AND cancelled_at IS NULL;
