-- Hardening on SQLite (the PostgreSQL tree has a file of the same name):
-- login throttling shared by every node, API token expiry, and the audit
-- chain's HMAC, keyed outside the database.

-- +goose Up
-- login_throttle counts failed sign-ins per key: "user:<name as typed,
-- lower case>" or "addr:<client address>". failures counts within the
-- window that began at window_start; locked_until is set when the limit is
-- reached. A successful sign-in deletes the user's row; `accord user
-- unlock` deletes it too. refused counts attempts refused while locked
-- since refused_logged_at, when one was last audited: at most one audit
-- event a minute per key, so a flood cannot flood the audit log.
CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    refused      INTEGER NOT NULL DEFAULT 0,
    refused_logged_at TIMESTAMP
);
CREATE INDEX login_throttle_window ON login_throttle (window_start);

-- expires_at: a token is refused from then on. NULL only for tokens issued
-- before this migration, which get 90 days from now below.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%d %H:%M:%f+00:00', 'now', '+90 days') WHERE expires_at IS NULL;

-- mac is the hex HMAC-SHA256, under the audit key kept beside the PII key,
-- of the event's seq and hash; '' for events written before the key existed.
ALTER TABLE audit_events ADD COLUMN mac TEXT NOT NULL DEFAULT '';

-- +goose Down
-- Forward-only: restore from a backup instead.
