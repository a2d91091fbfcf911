-- The audit trail proves itself: each event stores
-- hash = SHA-256(the previous event's hash || the event in a canonical
-- encoding), the encoding defined in daemon/chain.h and docs/SECURITY.md.
-- The events made before this migration are chained after this file by
-- db_chain_events() (daemon/db_chain.c), in C, in their id order, with
-- the same function as the ledger's writes (chain_hash()), in the same
-- transaction as this file.  The triggers that forbid UPDATE and DELETE
-- stay as they are: that step drops the one on UPDATE for its own
-- updates and puts back the very text it read.
ALTER TABLE events ADD COLUMN hash BLOB;
