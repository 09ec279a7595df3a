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

-- +goose Down
DROP TRIGGER installments_score_facts_delete;
DROP TRIGGER installments_score_facts_update;
DROP TRIGGER installments_score_facts_insert;
DROP TRIGGER payments_score_facts_delete;
DROP TRIGGER payments_score_facts_update;
DROP TRIGGER payments_score_facts_insert;
DROP TABLE score_loan_facts;
