-- 020: a school's department (the office that answers for it: a
-- district's education bureau section, a private school's sponsor), and
-- its retirement.  A retired school (closed, merged) keeps its records,
-- which the office still lists, exports and counts, but leaves the
-- digests and the notices and cannot report; it can be brought back,
-- which clears retired_at.

ALTER TABLE schools ADD COLUMN department TEXT;
ALTER TABLE schools ADD COLUMN retired_at INTEGER;
