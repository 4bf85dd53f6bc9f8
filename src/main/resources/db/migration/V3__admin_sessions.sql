-- Admin sessions outlive restarts and hold on every node sharing this database.

-- The secret that signs admin session cookies and CSRF tokens when ADMIN_SESSION_SECRET is not
-- set: made at random by the first node that starts, and read by every other one. One row only
-- (id is always 1), so that two nodes starting at once cannot both insert one: the loser's insert
-- fails on the key and it reads the winner's secret.
CREATE TABLE admin_secret (
    id         INTEGER     PRIMARY KEY,
    secret     VARCHAR(128) NOT NULL,
    created_at BIGINT      NOT NULL
);

-- Sessions logged out before they expired: the SHA-256 of the cookie (hex), never the cookie,
-- so that reading this table does not give anyone a session. Rows are deleted once expired.
CREATE TABLE admin_revoked_sessions (
    session_hash VARCHAR(64) PRIMARY KEY,
    expires_at   BIGINT      NOT NULL
);
CREATE INDEX admin_revoked_sessions_by_expiry ON admin_revoked_sessions (expires_at);
