-- The nightly scoring caches the facts of the loans it read from the ledger
-- tables from what its workers read, instead of reading them again in the
-- writer's transaction (issue 9: that second read was a quarter of a night
-- at 4% of loans changed). A worker's copy is exact unless a payment or an
-- installment of the loan changed after the worker's snapshot, so while a
-- pass runs (a row in score_passes) the triggers also note every loan
-- whose ledger facts change in score_facts_changes, and the writer leaves
-- those loans uncached (sqlstore.CacheScoringFacts; the next night reads
-- them again). Outside a pass nothing is noted, so bulk loads pay nothing.
-- The PostgreSQL tree has a file of the same name.

-- +goose Up
CREATE TABLE score_passes (
    id         INTEGER PRIMARY KEY,
    started_at TIMESTAMP NOT NULL
);
CREATE TABLE score_facts_changes (
    loan_id INTEGER PRIMARY KEY
);
DROP TRIGGER payments_score_facts_insert;
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_insert AFTER INSERT ON payments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = NEW.loan_id;
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
DROP TRIGGER payments_score_facts_update;
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_update AFTER UPDATE ON payments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id IN (OLD.loan_id, NEW.loan_id);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
DROP TRIGGER payments_score_facts_delete;
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_delete AFTER DELETE ON payments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = OLD.loan_id;
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
DROP TRIGGER installments_score_facts_insert;
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_insert AFTER INSERT ON installments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = NEW.loan_id;
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
DROP TRIGGER installments_score_facts_update;
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_update AFTER UPDATE ON installments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id IN (OLD.loan_id, NEW.loan_id);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
DROP TRIGGER installments_score_facts_delete;
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_delete AFTER DELETE ON installments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = OLD.loan_id;
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER payments_score_facts_insert;
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_insert AFTER INSERT ON payments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = NEW.loan_id;
END;
-- +goose StatementEnd
DROP TRIGGER payments_score_facts_update;
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_update AFTER UPDATE ON payments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id IN (OLD.loan_id, NEW.loan_id);
END;
-- +goose StatementEnd
DROP TRIGGER payments_score_facts_delete;
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_delete AFTER DELETE ON payments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = OLD.loan_id;
END;
-- +goose StatementEnd
DROP TRIGGER installments_score_facts_insert;
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_insert AFTER INSERT ON installments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = NEW.loan_id;
END;
-- +goose StatementEnd
DROP TRIGGER installments_score_facts_update;
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_update AFTER UPDATE ON installments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id IN (OLD.loan_id, NEW.loan_id);
END;
-- +goose StatementEnd
DROP TRIGGER installments_score_facts_delete;
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_delete AFTER DELETE ON installments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = OLD.loan_id;
END;
-- +goose StatementEnd
DROP TABLE score_facts_changes;
DROP TABLE score_passes;
