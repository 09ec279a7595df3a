-- Accord's schema on SQLite. The PostgreSQL tree has a file of the same name
-- with the same tables and columns. Conventions: money in *_minor integer fen;
-- instants as TIMESTAMP text in UTC ("2026-01-15 02:00:00.5+00:00", which the
-- driver reads back as a time); calendar dates as TEXT 'YYYY-MM-DD'; rates
-- as TEXT decimals; JSON as TEXT. Large tables are keyed by borrower or loan id.

-- +goose Up
CREATE TABLE borrowers (
    id                   INTEGER PRIMARY KEY,
    external_id          TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    national_id_enc      BLOB,
    national_id_hash     TEXT NOT NULL DEFAULT '',
    national_id_masked   TEXT NOT NULL DEFAULT '',
    time_zone            TEXT NOT NULL,
    language             TEXT NOT NULL,
    employer             TEXT NOT NULL DEFAULT '',
    monthly_income_minor INTEGER NOT NULL DEFAULT 0,
    addresses            TEXT NOT NULL DEFAULT '[]',
    flags                TEXT NOT NULL DEFAULT '[]',
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE INDEX borrowers_name ON borrowers (name);
CREATE INDEX borrowers_national_id_hash ON borrowers (national_id_hash);

CREATE TABLE borrower_phones (
    borrower_id   INTEGER NOT NULL REFERENCES borrowers (id) ON DELETE CASCADE,
    pos           INTEGER NOT NULL,
    number_enc    BLOB NOT NULL,
    number_hash   TEXT NOT NULL,
    number_masked TEXT NOT NULL,
    kind          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (borrower_id, pos)
) WITHOUT ROWID;
CREATE INDEX borrower_phones_number_hash ON borrower_phones (number_hash);

CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY,
    external_id   TEXT UNIQUE,
    borrower_id   INTEGER NOT NULL REFERENCES borrowers (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    relationship  TEXT NOT NULL,
    phone_enc     BLOB,
    phone_hash    TEXT NOT NULL DEFAULT '',
    phone_masked  TEXT NOT NULL DEFAULT '',
    consent_basis TEXT NOT NULL DEFAULT '',
    consent_at    TIMESTAMP,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX contacts_borrower_id ON contacts (borrower_id);
CREATE INDEX contacts_phone_hash ON contacts (phone_hash);

CREATE TABLE products (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    method             TEXT NOT NULL,
    annual_rate        TEXT NOT NULL,
    term_months        INTEGER NOT NULL,
    penalty_rate_daily TEXT NOT NULL,
    late_fee_minor     INTEGER NOT NULL DEFAULT 0
);

-- next_due is the earliest due date with anything unpaid (NULL when nothing
-- is left to pay), or an earlier date: it may lag behind payments but never
-- runs ahead of them. The nightly run ages only loans WHERE next_due < as-of
-- OR status = 'delinquent', through the two indexes below.
CREATE TABLE loans (
    id                 INTEGER PRIMARY KEY,
    external_id        TEXT NOT NULL UNIQUE,
    borrower_id        INTEGER NOT NULL REFERENCES borrowers (id),
    product_code       TEXT NOT NULL,
    principal_minor    INTEGER NOT NULL,
    annual_rate        TEXT NOT NULL,
    term_months        INTEGER NOT NULL,
    method             TEXT NOT NULL,
    disbursed_on       TEXT NOT NULL,
    penalty_rate_daily TEXT NOT NULL,
    late_fee_minor     INTEGER NOT NULL DEFAULT 0,
    status             TEXT NOT NULL,
    next_due           TEXT,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX loans_borrower_id ON loans (borrower_id);
CREATE INDEX loans_next_due ON loans (next_due);
CREATE INDEX loans_delinquent ON loans (id) WHERE status = 'delinquent';

CREATE TABLE installments (
    loan_id         INTEGER NOT NULL REFERENCES loans (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    due_date        TEXT NOT NULL,
    principal_minor INTEGER NOT NULL,
    interest_minor  INTEGER NOT NULL,
    PRIMARY KEY (loan_id, seq)
) WITHOUT ROWID;

CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    external_id     TEXT UNIQUE,
    loan_id         INTEGER NOT NULL REFERENCES loans (id),
    amount_minor    INTEGER NOT NULL,
    paid_on         TEXT NOT NULL,
    channel         TEXT NOT NULL DEFAULT '',
    received_at     TIMESTAMP NOT NULL,
    reversed        INTEGER NOT NULL DEFAULT 0,
    reversed_at     TIMESTAMP,
    reversal_reason TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX payments_loan_id ON payments (loan_id, paid_on);

-- allocations are replaced wholesale for a loan whenever it is re-allocated;
-- line keeps the order the replay produced. payment_id is 0 for lines paid
-- out of credit held on the loan, so it has no foreign key.
CREATE TABLE allocations (
    loan_id      INTEGER NOT NULL,
    line         INTEGER NOT NULL,
    payment_id   INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    component    TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    PRIMARY KEY (loan_id, line)
) WITHOUT ROWID;

CREATE TABLE loan_positions (
    loan_id                     INTEGER PRIMARY KEY REFERENCES loans (id) ON DELETE CASCADE,
    borrower_id                 INTEGER NOT NULL,
    as_of                       TEXT NOT NULL,
    dpd                         INTEGER NOT NULL,
    bucket                      TEXT NOT NULL,
    oldest_unpaid_due           TEXT,
    next_due                    TEXT,
    paid_off_on                 TEXT,
    outstanding_principal_minor INTEGER NOT NULL,
    overdue_principal_minor     INTEGER NOT NULL,
    overdue_interest_minor      INTEGER NOT NULL,
    penalty_due_minor           INTEGER NOT NULL,
    fees_due_minor              INTEGER NOT NULL,
    above_cap_minor             INTEGER NOT NULL,
    penalty_accrued_minor       INTEGER NOT NULL,
    credit_minor                INTEGER NOT NULL,
    overdue_installments        INTEGER NOT NULL,
    paid_installments           INTEGER NOT NULL
);
CREATE INDEX loan_positions_borrower_id ON loan_positions (borrower_id);
CREATE INDEX loan_positions_bucket ON loan_positions (bucket, dpd);

CREATE TABLE bucket_transitions (
    loan_id           INTEGER NOT NULL,
    on_date           TEXT NOT NULL,
    from_bucket       TEXT NOT NULL,
    to_bucket         TEXT NOT NULL,
    outstanding_minor INTEGER NOT NULL,
    PRIMARY KEY (loan_id, on_date)
) WITHOUT ROWID;
CREATE INDEX bucket_transitions_on_date ON bucket_transitions (on_date);

CREATE TABLE portfolio_snapshots (
    as_of             TEXT NOT NULL,
    bucket            TEXT NOT NULL,
    loans             INTEGER NOT NULL,
    outstanding_minor INTEGER NOT NULL,
    overdue_minor     INTEGER NOT NULL,
    PRIMARY KEY (as_of, bucket)
) WITHOUT ROWID;

CREATE TABLE runs (
    as_of       TEXT PRIMARY KEY,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    summary     TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    roles         TEXT NOT NULL DEFAULT '[]',
    team_id       INTEGER NOT NULL DEFAULT 0,
    agency_id     INTEGER NOT NULL DEFAULT 0,
    language      TEXT NOT NULL DEFAULT 'zh-CN',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    hash       BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    prefix       TEXT NOT NULL,
    hash         BLOB NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

-- audit_events is append-only and hash-chained; seq is assigned by the store
-- (last + 1 under the audit_head row lock), never by an autoincrement, so a
-- rolled-back transaction cannot leave a gap. audit_head holds the newest
-- event's seq and hash, which also reveals events cut off the end.
CREATE TABLE audit_events (
    seq            INTEGER PRIMARY KEY,
    at             TIMESTAMP NOT NULL,
    actor_user_id  INTEGER NOT NULL DEFAULT 0,
    actor_username TEXT NOT NULL,
    actor_role     TEXT NOT NULL DEFAULT '',
    action         TEXT NOT NULL,
    entity_type    TEXT NOT NULL DEFAULT '',
    entity_id      TEXT NOT NULL DEFAULT '',
    summary        TEXT,
    request_id     TEXT NOT NULL DEFAULT '',
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id, seq);
CREATE INDEX audit_events_actor ON audit_events (actor_user_id, seq);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code  INTEGER NOT NULL,
    response     TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

CREATE TABLE imports (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    filename   TEXT NOT NULL DEFAULT '',
    rows       INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    actor      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX imports_sha256 ON imports (kind, sha256);

-- +goose Down
-- Forward-only: restore from a backup instead.
