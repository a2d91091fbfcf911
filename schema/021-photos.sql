-- 021: photos as evidence, before the rectification and after it.  The
-- bytes are a file beside the database, named by their SHA-256
-- (daemon/photostore.c), written and flushed before this row commits:
-- a row always has its file; a file without a row (a crash between
-- the two) is swept when hazardd starts.  The same bytes sent twice
-- share one file.  A photo is evidence: never changed nor deleted.

CREATE TABLE photos (
	id		INTEGER PRIMARY KEY,
	hazard_id	INTEGER NOT NULL REFERENCES hazards(id),
	stage		TEXT NOT NULL CHECK (stage IN ('before', 'after')),
	type		TEXT NOT NULL CHECK (type IN ('image/jpeg',
			    'image/png', 'image/webp')),
	size		INTEGER NOT NULL CHECK (size > 0),
	sha256		TEXT NOT NULL CHECK (length(sha256) = 64),
	at		INTEGER NOT NULL,
	token_id	INTEGER REFERENCES tokens(id),
	event_id	INTEGER NOT NULL REFERENCES events(id)
);
CREATE INDEX photos_by_hazard ON photos (hazard_id, id);
CREATE INDEX photos_by_sha256 ON photos (sha256);

CREATE TRIGGER photos_never_changed BEFORE UPDATE ON photos
BEGIN
	SELECT RAISE(ABORT, 'a photo is evidence: it is never changed');
END;
CREATE TRIGGER photos_never_deleted BEFORE DELETE ON photos
BEGIN
	SELECT RAISE(ABORT, 'a photo is evidence: it is never deleted');
END;
