-- The nightly scoring's copy of each loan's ledger facts (issue 9) on
-- SQLite. The PostgreSQL tree has a file of the same name with the same
-- table.
--
-- score_loan_facts holds, per loan, its schedule and every payment on it
-- (reversed ones with the time of their reversal) packed into one value, so
-- that the night's scoring reads one row per loan instead of some twenty;
-- the features are still computed by replaying the ledger as of the night
-- from these facts, so they are the same as from the rows. A row is written
-- only inside a write transaction that read the loan's rows (see
-- sqlstore.CacheScoringLoans), and the triggers below delete it whenever a
-- payment or an installment of the loan is inserted, changed or deleted,
-- by whatever writer; a loan without a row is read from the ledger tables.
--
-- borrower_scores becomes a rowid table: a night appends its scores in
-- (as_of, target, borrower) order instead of inserting one row into every
-- leaf of a table clustered by borrower (which rewrote the whole history
-- each night); the unique index keeps the upsert's key and the lookups by
-- borrower. PostgreSQL's tables are heaps already.

-- +goose Up
CREATE TABLE score_loan_facts (
    loan_id INTEGER PRIMARY KEY REFERENCES loans (id) ON DELETE CASCADE,
    body    BLOB NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_insert AFTER INSERT ON payments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = NEW.loan_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_update AFTER UPDATE ON payments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id IN (OLD.loan_id, NEW.loan_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_delete AFTER DELETE ON payments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = OLD.loan_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_insert AFTER INSERT ON installments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = NEW.loan_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_update AFTER UPDATE ON installments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id IN (OLD.loan_id, NEW.loan_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_delete AFTER DELETE ON installments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = OLD.loan_id;
END;
-- +goose StatementEnd

CREATE TABLE borrower_scores_by_night (
    borrower_id INTEGER NOT NULL,
    target      TEXT NOT NULL,
    as_of       TEXT NOT NULL,
    model_id    INTEGER NOT NULL REFERENCES score_models (id),
    arm         TEXT NOT NULL,
    probability REAL NOT NULL,
    points      REAL NOT NULL DEFAULT 0,
    reasons     TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO borrower_scores_by_night (borrower_id, target, as_of, model_id, arm, probability, points, reasons)
    SELECT borrower_id, target, as_of, model_id, arm, probability, points, reasons FROM borrower_scores
    ORDER BY as_of, target, borrower_id;
DROP TABLE borrower_scores;
ALTER TABLE borrower_scores_by_night RENAME TO borrower_scores;
CREATE UNIQUE INDEX borrower_scores_key ON borrower_scores (borrower_id, target, as_of);
CREATE INDEX borrower_scores_as_of ON borrower_scores (as_of, target);

-- +goose Down
CREATE TABLE borrower_scores_clustered (
    borrower_id INTEGER NOT NULL,
    target      TEXT NOT NULL,
    as_of       TEXT NOT NULL,
    model_id    INTEGER NOT NULL REFERENCES score_models (id),
    arm         TEXT NOT NULL,
    probability REAL NOT NULL,
    points      REAL NOT NULL DEFAULT 0,
    reasons     TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (borrower_id, target, as_of)
) WITHOUT ROWID;
INSERT INTO borrower_scores_clustered SELECT borrower_id, target, as_of, model_id, arm, probability, points, reasons
    FROM borrower_scores;
DROP TABLE borrower_scores;
ALTER TABLE borrower_scores_clustered RENAME TO borrower_scores;
CREATE INDEX borrower_scores_as_of ON borrower_scores (as_of, target);
DROP TRIGGER installments_score_facts_delete;
DROP TRIGGER installments_score_facts_update;
DROP TRIGGER installments_score_facts_insert;
DROP TRIGGER payments_score_facts_delete;
DROP TRIGGER payments_score_facts_update;
DROP TRIGGER payments_score_facts_insert;
DROP TABLE score_loan_facts;
