-- 017: the office's rejection of a hazard's rectification, kept on the
-- hazard while it is open after it, so that a list page reads it by the
-- event's id: the ledger sets it on "reject" and clears it on the next
-- rectify, verify or cancel.  A lookup of the hazard's last report or
-- reject for each row instead made a list page of 500 open hazards on
-- the 1M set 1-5 ms slower (docs/BENCHMARKS.md, "5 December: a
-- hazard's rejection on every row").

-- The id of the event "reject" (events are never deleted or changed).
ALTER TABLE hazards ADD COLUMN rejected_event INTEGER;

-- The hazards rejected before: open, their last report or reject a reject.
UPDATE hazards SET rejected_event = (SELECT r.id FROM events r
    WHERE r.id = (SELECT MAX(e.id) FROM events e
    INDEXED BY events_by_hazard WHERE e.hazard_id = hazards.id
    AND e.action IN ('report', 'reject')) AND r.action = 'reject')
WHERE state = 'open';
