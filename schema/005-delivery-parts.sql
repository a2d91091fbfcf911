-- 005: a digest delivered to a robot goes in parts; the parts already
-- sent are not sent again when a later part fails and is retried.

ALTER TABLE deliveries ADD COLUMN parts_done INTEGER NOT NULL DEFAULT 0;
