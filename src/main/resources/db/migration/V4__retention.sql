-- Retention deletes old meeting log entries and long-inactive rooms in batches every hour. Without
-- these indexes every batch would scan its whole table: the meeting log grows by two rows per
-- join and leave, and the rooms by one row per room name ever used.
CREATE INDEX meeting_log_by_age ON meeting_log (at);
CREATE INDEX rooms_by_last_active ON rooms (last_active);
