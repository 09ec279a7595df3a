-- A payment no longer takes a borrower's packed facts out of the nightly
-- scoring's cache (issue 9). The PostgreSQL tree has a file of the same
-- name with the same behaviour.
--
-- Most of a night's changes are payments: the triggers of migration 00038
-- cleared the whole body of a borrower who paid, so the night read every
-- loan, installment and payment of that borrower again from the ledger
-- tables. A payment changes only the payments: the payments triggers now
-- keep the body and set payments_stale, and the night reads the cached
-- loans, terms and schedules from the body and only the payments of its
-- loans from the ledger tables (sqlstore.refreshPayments), then caches the
-- borrower again, which sets payments_stale back to 0. version still goes
-- up by one on every change, and done_on is still cleared, so the version
-- rule of sqlstore.CacheScoringFacts holds as before. Installments, loans
-- and incomes clear the body as before; a body cleared wins over
-- payments_stale.

-- +goose Up
ALTER TABLE score_borrower_facts ADD COLUMN payments_stale INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER payments_score_facts_insert;
DROP TRIGGER payments_score_facts_update;
DROP TRIGGER payments_score_facts_delete;

-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_insert AFTER INSERT ON payments
BEGIN
    UPDATE score_borrower_facts SET payments_stale = 1, done_on = NULL, version = version + 1
        WHERE borrower_id = (SELECT borrower_id FROM loans WHERE id = NEW.loan_id);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_update AFTER UPDATE ON payments
BEGIN
    UPDATE score_borrower_facts SET payments_stale = 1, done_on = NULL, version = version + 1
        WHERE borrower_id IN (SELECT borrower_id FROM loans WHERE id IN (OLD.loan_id, NEW.loan_id));
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_delete AFTER DELETE ON payments
BEGIN
    UPDATE score_borrower_facts SET payments_stale = 1, done_on = NULL, version = version + 1
        WHERE borrower_id = (SELECT borrower_id FROM loans WHERE id = OLD.loan_id);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER payments_score_facts_insert;
DROP TRIGGER payments_score_facts_update;
DROP TRIGGER payments_score_facts_delete;
UPDATE score_borrower_facts SET body = NULL WHERE payments_stale = 1;
ALTER TABLE score_borrower_facts DROP COLUMN payments_stale;

-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_insert AFTER INSERT ON payments
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1
        WHERE borrower_id = (SELECT borrower_id FROM loans WHERE id = NEW.loan_id);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_update AFTER UPDATE ON payments
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1
        WHERE borrower_id IN (SELECT borrower_id FROM loans WHERE id IN (OLD.loan_id, NEW.loan_id));
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_delete AFTER DELETE ON payments
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1
        WHERE borrower_id = (SELECT borrower_id FROM loans WHERE id = OLD.loan_id);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
