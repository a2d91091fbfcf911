-- 003: early-warning notices from the office (typhoon, exam week,
-- festival) to all schools or some, and each school's acknowledgement.

CREATE TABLE warnings (
	id		INTEGER PRIMARY KEY,
	title		TEXT NOT NULL,
	body		TEXT NOT NULL,
	token_id	INTEGER REFERENCES tokens(id),
	issuer		TEXT NOT NULL,
	issued_at	INTEGER NOT NULL,
	all_schools	INTEGER NOT NULL CHECK (all_schools IN (0, 1))
);

-- The schools a warning goes to (every school at the time of issue
-- when it is for all), and when each acknowledged it.
CREATE TABLE warning_targets (
	warning_id	INTEGER NOT NULL REFERENCES warnings(id),
	school_id	INTEGER NOT NULL REFERENCES schools(id),
	acked_at	INTEGER,
	acked_by	TEXT,
	PRIMARY KEY (warning_id, school_id)
);
CREATE INDEX warning_targets_by_school ON warning_targets (school_id);
