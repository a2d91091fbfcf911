-- 025: the idempotency keys of the actions on hazards (rectify, verify,
-- reject, cancel, assess).  A client sends a random key with an action
-- (Idempotency-Key), and keeps it with the request in its queue while
-- the server cannot be reached; the daemon remembers the key, the token
-- that sent it, the action and its answer, so that the same request
-- sent again (a replay after a lost answer, after the office rejected
-- the rectification since, or twice) gets the first answer instead of
-- acting again.  A key is kept for a bounded time (ACTION_KEY_DAYS in
-- daemon/ledger.c); the index on "at" finds the old ones.  IF NOT
-- EXISTS: tests/e2e/rejected.sh applies the migrations from 017 again.

CREATE TABLE IF NOT EXISTS action_keys (
	token_id	INTEGER NOT NULL REFERENCES tokens(id),
	key		TEXT NOT NULL,
	hazard_id	INTEGER NOT NULL REFERENCES hazards(id),
	action		TEXT NOT NULL,
	status		INTEGER NOT NULL,
	answer		TEXT NOT NULL,	-- the first answer's JSON
	at		INTEGER NOT NULL,
	PRIMARY KEY (token_id, key)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS action_keys_at ON action_keys (at);
