-- Recordings of meetings: one row per recording, from the moment it starts. The file itself is on
-- disk (RECORDINGS_DIR/<id>.mp4); a row says "ready" only once that file is complete, so nothing
-- is ever listed half-made. Times are epoch milliseconds; participants are the nicknames of
-- everyone who was in the room while it was recorded, one per line.
CREATE TABLE recordings (
    id           VARCHAR(32)   PRIMARY KEY,
    room         VARCHAR(200)  NOT NULL,
    started_by   VARCHAR(200)  NOT NULL,
    stopped_by   VARCHAR(200),
    started_at   BIGINT        NOT NULL,
    stopped_at   BIGINT,
    duration_ms  BIGINT,
    size_bytes   BIGINT,
    participants VARCHAR(8000) NOT NULL,
    state        VARCHAR(16)   NOT NULL,
    progress     INTEGER       NOT NULL,
    note         VARCHAR(400)
);
CREATE INDEX recordings_by_age ON recordings (started_at);
CREATE INDEX recordings_by_room_state ON recordings (room, state);
