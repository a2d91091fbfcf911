-- 012: a robot's parts are counted as each is taken, not only at the end
-- of an attempt, so that a restart does not send them again; the count
-- holds only for the robot and format it was made with (a digest split
-- for WeCom is cut elsewhere for DingTalk), named here by a SHA-256 of
-- the format and the URL (not the URL, which carries the access token).

ALTER TABLE deliveries ADD COLUMN parts_for TEXT;
