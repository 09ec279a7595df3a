-- The contact governor's tables on SQLite (the PostgreSQL tree has a file of
-- the same name): the outbox, the contact log and its rule hits, approval
-- requests, the admin-edited holiday calendar, tenant policy per profile,
-- and the borrower facts the governor reads beyond the borrower row
-- (emails, consents, opt-outs, flags on registered contacts). Addresses and
-- numbers are encrypted (*_enc) with a keyed hash (*_hash) to find them and
-- a masked copy (*_masked) to show them.

-- +goose Up
-- messages is the outbox. dedup_key makes queueing idempotent. A sender
-- claims a due message (queued or held, not_before passed; or sending with
-- its lease_until passed after a crash) by setting status sending and
-- lease_until and counting attempts; attempts fences the claim.
CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    borrower_id  INTEGER NOT NULL REFERENCES borrowers (id),
    case_id      INTEGER NOT NULL DEFAULT 0,
    loan_id      INTEGER NOT NULL DEFAULT 0,
    channel      TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    to_enc       BLOB NOT NULL,
    to_hash      TEXT NOT NULL,
    to_masked    TEXT NOT NULL,
    template_id  TEXT NOT NULL DEFAULT '',
    lang         TEXT NOT NULL DEFAULT 'zh-CN',
    subject      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    purpose      TEXT NOT NULL DEFAULT '',
    by_org       TEXT NOT NULL DEFAULT 'system',
    user_id      INTEGER NOT NULL DEFAULT 0,
    dedup_key    TEXT NOT NULL UNIQUE,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'held', 'sending', 'sent', 'failed', 'blocked', 'cancelled')),
    not_before   TIMESTAMP NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    lease_until  TIMESTAMP,
    provider_id  TEXT NOT NULL DEFAULT '',
    decision     TEXT NOT NULL DEFAULT '{}',
    delivery     TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    sent_at      TIMESTAMP,
    delivered_at TIMESTAMP
);
CREATE INDEX messages_due ON messages (not_before) WHERE status IN ('queued', 'held');
CREATE INDEX messages_leased ON messages (lease_until) WHERE status = 'sending';
CREATE INDEX messages_borrower_id ON messages (borrower_id, created_at);
CREATE INDEX messages_provider_id ON messages (provider_id) WHERE provider_id <> '';

-- contact_attempts is the contact log: every call, message, letter, visit
-- and conversation, and every contact the governor refused (performed = 0:
-- a record of the refusal, not a contact, so it counts toward no cap).
-- content is what was said or written (the SMS or email text, the script
-- or transcript screened), kept as evidence with the decision. Rows
-- are kept until retain_until (at least 5 years, NIFA 2018 / R13): the
-- triggers refuse to delete them earlier, or to change what happened.
CREATE TABLE contact_attempts (
    id             INTEGER PRIMARY KEY,
    borrower_id    INTEGER NOT NULL REFERENCES borrowers (id),
    case_id        INTEGER NOT NULL DEFAULT 0,
    loan_id        INTEGER NOT NULL DEFAULT 0,
    contact_id     INTEGER NOT NULL DEFAULT 0,
    message_id     INTEGER UNIQUE,
    channel        TEXT NOT NULL,
    direction      TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    party          TEXT NOT NULL,
    relationship   TEXT NOT NULL DEFAULT '',
    address_enc    BLOB,
    address_hash   TEXT NOT NULL DEFAULT '',
    address_masked TEXT NOT NULL DEFAULT '',
    by_org         TEXT NOT NULL,
    agency_id      INTEGER NOT NULL DEFAULT 0,
    team_id        INTEGER NOT NULL DEFAULT 0,
    user_id        INTEGER NOT NULL DEFAULT 0,
    username       TEXT NOT NULL DEFAULT '',
    automated      INTEGER NOT NULL DEFAULT 0,
    purpose        TEXT NOT NULL DEFAULT '',
    started_at     TIMESTAMP NOT NULL,
    ended_at       TIMESTAMP,
    outcome        TEXT NOT NULL DEFAULT '',
    results        TEXT NOT NULL DEFAULT '[]',
    notes          TEXT NOT NULL DEFAULT '',
    content        TEXT NOT NULL DEFAULT '',
    recording_ref  TEXT NOT NULL DEFAULT '',
    performed      INTEGER NOT NULL,
    action         TEXT NOT NULL,
    rules          TEXT NOT NULL DEFAULT '[]',
    decision       TEXT NOT NULL DEFAULT '{}',
    route          TEXT NOT NULL DEFAULT '',
    approval_id    INTEGER NOT NULL DEFAULT 0,
    created_at     TIMESTAMP NOT NULL,
    retain_until   TIMESTAMP NOT NULL
);
CREATE INDEX contact_attempts_borrower ON contact_attempts (borrower_id, started_at);
CREATE INDEX contact_attempts_started_at ON contact_attempts (started_at);
CREATE INDEX contact_attempts_flagged ON contact_attempts (started_at) WHERE action <> 'allow';

-- contact_rule_hits lists the rules that fired on each attempt, for rule
-- hit rates by team, agency and collector.
CREATE TABLE contact_rule_hits (
    attempt_id INTEGER NOT NULL REFERENCES contact_attempts (id),
    rule       TEXT NOT NULL,
    severity   TEXT NOT NULL,
    PRIMARY KEY (attempt_id, rule)
) WITHOUT ROWID;
CREATE INDEX contact_rule_hits_rule ON contact_rule_hits (rule);

-- +goose StatementBegin
CREATE TRIGGER contact_attempts_keep BEFORE DELETE ON contact_attempts
WHEN OLD.retain_until > strftime('%Y-%m-%d %H:%M:%S', 'now')
BEGIN
    SELECT RAISE(ABORT, 'contact attempts are kept for at least 5 years');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_attempts_fixed BEFORE UPDATE ON contact_attempts
WHEN NEW.retain_until < OLD.retain_until OR NEW.borrower_id <> OLD.borrower_id OR NEW.started_at <> OLD.started_at
  OR NEW.channel <> OLD.channel OR NEW.party <> OLD.party OR NEW.performed <> OLD.performed
  OR NEW.action <> OLD.action OR NEW.decision <> OLD.decision OR NEW.by_org <> OLD.by_org
  OR NEW.content <> OLD.content
BEGIN
    SELECT RAISE(ABORT, 'a contact attempt''s facts and decision cannot be changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_rule_hits_keep BEFORE DELETE ON contact_rule_hits
WHEN (SELECT retain_until FROM contact_attempts WHERE id = OLD.attempt_id) > strftime('%Y-%m-%d %H:%M:%S', 'now')
BEGIN
    SELECT RAISE(ABORT, 'contact attempts are kept for at least 5 years');
END;
-- +goose StatementEnd

-- contact_approvals are requests for a contact the governor allows only
-- after a named role approves it. An approved request is used once, by the
-- contact it was made for, before it expires.
CREATE TABLE contact_approvals (
    id             INTEGER PRIMARY KEY,
    borrower_id    INTEGER NOT NULL REFERENCES borrowers (id),
    case_id        INTEGER NOT NULL DEFAULT 0,
    contact_id     INTEGER NOT NULL DEFAULT 0,
    channel        TEXT NOT NULL,
    party          TEXT NOT NULL,
    address_enc    BLOB,
    address_hash   TEXT NOT NULL DEFAULT '',
    address_masked TEXT NOT NULL DEFAULT '',
    purpose        TEXT NOT NULL DEFAULT '',
    text           TEXT NOT NULL DEFAULT '',
    rules          TEXT NOT NULL DEFAULT '[]',
    required_roles TEXT NOT NULL DEFAULT '[]',
    decision       TEXT NOT NULL DEFAULT '{}',
    status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'used')),
    requested_by   INTEGER NOT NULL DEFAULT 0,
    requested_name TEXT NOT NULL DEFAULT '',
    decided_by     INTEGER NOT NULL DEFAULT 0,
    decided_name   TEXT NOT NULL DEFAULT '',
    decided_role   TEXT NOT NULL DEFAULT '',
    decided_at     TIMESTAMP,
    note           TEXT NOT NULL DEFAULT '',
    attempt_id     INTEGER NOT NULL DEFAULT 0,
    expires_at     TIMESTAMP NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX contact_approvals_borrower ON contact_approvals (borrower_id, status);
CREATE INDEX contact_approvals_pending ON contact_approvals (created_at) WHERE status = 'pending';

-- calendar_days holds the holiday calendar as admins edit it: a year listed
-- here replaces that year of the calendar built into the binary.
CREATE TABLE calendar_days (
    on_date    TEXT PRIMARY KEY,
    year       INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('holiday', 'adjusted_workday')),
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX calendar_days_year ON calendar_days (year);

-- contact_policies holds the tenant's settings per profile (CN, US, UK),
-- stricter than the law only, and which profile is in force.
CREATE TABLE contact_policies (
    jurisdiction TEXT PRIMARY KEY,
    policy       TEXT NOT NULL DEFAULT '{}',
    active       INTEGER NOT NULL DEFAULT 0,
    updated_at   TIMESTAMP NOT NULL,
    updated_by   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE borrower_emails (
    borrower_id    INTEGER NOT NULL REFERENCES borrowers (id) ON DELETE CASCADE,
    pos            INTEGER NOT NULL,
    address_enc    BLOB NOT NULL,
    address_hash   TEXT NOT NULL,
    address_masked TEXT NOT NULL,
    PRIMARY KEY (borrower_id, pos)
) WITHOUT ROWID;
CREATE INDEX borrower_emails_hash ON borrower_emails (address_hash);

-- borrower_consents are structured, recorded borrower agreements (R17).
CREATE TABLE borrower_consents (
    id             INTEGER PRIMARY KEY,
    borrower_id    INTEGER NOT NULL REFERENCES borrowers (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    contact_window TEXT NOT NULL DEFAULT '',
    attempt_limit  INTEGER NOT NULL DEFAULT 0,
    channel        TEXT NOT NULL DEFAULT '',
    given_at       TIMESTAMP,
    expires_at     TIMESTAMP NOT NULL,
    revoked_at     TIMESTAMP,
    evidence       TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX borrower_consents_borrower ON borrower_consents (borrower_id);

CREATE TABLE borrower_opt_outs (
    id             INTEGER PRIMARY KEY,
    borrower_id    INTEGER NOT NULL REFERENCES borrowers (id) ON DELETE CASCADE,
    channel        TEXT NOT NULL,
    address_enc    BLOB,
    address_masked TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX borrower_opt_outs_borrower ON borrower_opt_outs (borrower_id);

-- contact_flags holds flags on a registered contact, such as
-- debt_related_approved (a legal determination makes them a debt-related
-- third party).
CREATE TABLE contact_flags (
    contact_id INTEGER PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
    flags      TEXT NOT NULL DEFAULT '[]',
    updated_at TIMESTAMP NOT NULL
);

-- +goose Down
-- Forward-only: restore from a backup instead.
