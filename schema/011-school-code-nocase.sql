-- 011: school codes are unique without regard to case.  'SA' and 'sa'
-- were two schools to the database and one to a person who reads a
-- digest or types a code.  The codes are ASCII (letters, digits, '-' and
-- '_'), which is what NOCASE folds.
--
-- A database that already holds two codes that differ only in case
-- cannot take this index: hazardd then refuses to start and names them
-- (db.c asks before the migration runs), and one of each is renamed by
-- hand, e.g. UPDATE schools SET code = 'SA-2' WHERE code = 'sa'.  A code
-- is only the name clients use: hazards and tokens keep the school's id.

CREATE UNIQUE INDEX schools_code_nocase ON schools (code COLLATE NOCASE);
