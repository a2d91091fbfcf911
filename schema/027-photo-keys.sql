-- 027: the idempotency keys of photos.  hazardctl sends a key with each
-- photo (Idempotency-Key), the same key when it sends the same photo
-- again (a retry after a lost answer, its offline queue after it was
-- killed); the daemon answers a key the hazard already has a photo for
-- with that photo instead of storing the bytes twice.  A key is unique
-- per hazard; photos from before have none.  tests/e2e/rejected.sh
-- drops photos and applies the migrations from 017 again: 021 makes
-- the table anew, without the column; tests/e2e/chain.sh and bench/gen
-- apply those from 023 on again over the column.  SQL has no ADD COLUMN
-- IF NOT EXISTS, so the migration is a step in C (db_photo_keys() in
-- daemon/db.c), which does, once:
--
--	ALTER TABLE photos ADD COLUMN idem_key TEXT;
--	CREATE UNIQUE INDEX IF NOT EXISTS photos_by_key ON photos
--	    (hazard_id, idem_key) WHERE idem_key IS NOT NULL;

SELECT 1;
