-- The page's own id for a chat line, so that a line sent again after its ack was lost (the
-- connection dropped in between) is stored once. NULL for lines from clients that send none;
-- a unique index lets any number of NULLs through on H2 and PostgreSQL alike.
ALTER TABLE messages ADD COLUMN line_id VARCHAR(64);
CREATE UNIQUE INDEX messages_by_line ON messages (line_id, room);
