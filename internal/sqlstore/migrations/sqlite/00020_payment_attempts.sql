-- Early-warning facts (issue 9) on SQLite. The PostgreSQL tree has a file of
-- the same name with the same tables and columns.
--
-- payment_attempts are collection attempts the lender's payment system
-- reports, above all auto-debits (代扣, channel withholding) that failed:
-- the ledger keeps only money received, so a failed withholding was
-- nowhere. external_id makes recording idempotent.
--
-- contact_changes record each change of a borrower's registered phone
-- numbers (an import or an edit that adds, removes or replaces one), with
-- how many numbers were added and removed; the numbers themselves stay in
-- borrower_phones, encrypted.

-- +goose Up
CREATE TABLE payment_attempts (
    id           INTEGER PRIMARY KEY,
    external_id  TEXT NOT NULL UNIQUE,
    borrower_id  INTEGER NOT NULL,
    loan_id      INTEGER NOT NULL REFERENCES loans (id),
    attempted_on TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    channel      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('failed', 'succeeded')),
    reason       TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX payment_attempts_borrower ON payment_attempts (borrower_id, attempted_on);
CREATE INDEX payment_attempts_day ON payment_attempts (attempted_on);

CREATE TABLE contact_changes (
    id          INTEGER PRIMARY KEY,
    borrower_id INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    added       INTEGER NOT NULL,
    removed     INTEGER NOT NULL,
    changed_at  TIMESTAMP NOT NULL
);
CREATE INDEX contact_changes_borrower ON contact_changes (borrower_id, changed_at);
CREATE INDEX contact_changes_at ON contact_changes (changed_at);

-- +goose Down
DROP TABLE contact_changes;
DROP TABLE payment_attempts;
