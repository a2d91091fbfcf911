-- 009: hazards_by_kind (kind, school_id, category) is read by nothing
-- now that the figures come from the tallies, and it misleads the
-- planner: a list filtered by kind read every hazard of that kind and
-- sorted them (0.25 s on a million), where walking hazards_by_time
-- backwards stops at the page's last row.  It also cost every report a
-- write at a random place in a large index.

DROP INDEX hazards_by_kind;
