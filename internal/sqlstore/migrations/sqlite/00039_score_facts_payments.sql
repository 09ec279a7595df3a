-- A payment no longer takes a borrower's packed facts out of the nightly
-- scoring's cache (issue 9). The PostgreSQL tree has a file of the same
-- name with the same behaviour.
--
-- Most of a night's changes are payments: the triggers of migration 00038
-- cleared the whole body of a borrower who paid, so the night read every
-- loan, installment and payment of that borrower again from the ledger
-- tables. A payment changes only the payments: the payments triggers now
-- keep the body, set payments_stale and, when the borrower's row holds a
-- body, note the payment's id in score_payment_changes (under the
-- borrower of the loan before and after an update). The night reads the
-- cached loans, terms, schedules and payments from the body and only the
-- noted payments from the ledger tables, by id (a payment no longer there,
-- or now on another borrower's loan, is dropped from the copy): see
-- sqlstore.mergePaymentChanges. Caching the borrower again sets
-- payments_stale back to 0 and drops its notes. version still goes up by
-- one on every change, and done_on is still cleared, so the version rule
-- of sqlstore.CacheScoringFacts holds as before: a body with
-- payments_stale set has every payment change since it was read noted
-- (the notes are made whenever a body is there, and a body is only ever
-- stored by a night whose read saw no later change). Installments, loans
-- and incomes clear the body as before; a body cleared wins over
-- payments_stale, and its notes, harmless, are dropped when it is cached
-- again.

-- +goose Up
ALTER TABLE score_borrower_facts ADD COLUMN payments_stale INTEGER NOT NULL DEFAULT 0;
CREATE TABLE score_payment_changes (
    borrower_id INTEGER NOT NULL REFERENCES borrowers (id) ON DELETE CASCADE,
    payment_id  INTEGER NOT NULL,
    PRIMARY KEY (borrower_id, payment_id)
) WITHOUT ROWID;

DROP TRIGGER payments_score_facts_insert;
DROP TRIGGER payments_score_facts_update;
DROP TRIGGER payments_score_facts_delete;

-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_insert AFTER INSERT ON payments
BEGIN
    UPDATE score_borrower_facts SET payments_stale = 1, done_on = NULL, version = version + 1
        WHERE borrower_id = (SELECT borrower_id FROM loans WHERE id = NEW.loan_id);
    INSERT OR IGNORE INTO score_payment_changes (borrower_id, payment_id)
        SELECT f.borrower_id, NEW.id FROM loans l JOIN score_borrower_facts f ON f.borrower_id = l.borrower_id
        WHERE l.id = NEW.loan_id AND f.body IS NOT NULL;
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_update AFTER UPDATE ON payments
BEGIN
    UPDATE score_borrower_facts SET payments_stale = 1, done_on = NULL, version = version + 1
        WHERE borrower_id IN (SELECT borrower_id FROM loans WHERE id IN (OLD.loan_id, NEW.loan_id));
    INSERT OR IGNORE INTO score_payment_changes (borrower_id, payment_id)
        SELECT f.borrower_id, OLD.id FROM loans l JOIN score_borrower_facts f ON f.borrower_id = l.borrower_id
        WHERE l.id = OLD.loan_id AND f.body IS NOT NULL;
    INSERT OR IGNORE INTO score_payment_changes (borrower_id, payment_id)
        SELECT f.borrower_id, NEW.id FROM loans l JOIN score_borrower_facts f ON f.borrower_id = l.borrower_id
        WHERE l.id = NEW.loan_id AND f.body IS NOT NULL;
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_delete AFTER DELETE ON payments
BEGIN
    UPDATE score_borrower_facts SET payments_stale = 1, done_on = NULL, version = version + 1
        WHERE borrower_id = (SELECT borrower_id FROM loans WHERE id = OLD.loan_id);
    INSERT OR IGNORE INTO score_payment_changes (borrower_id, payment_id)
        SELECT f.borrower_id, OLD.id FROM loans l JOIN score_borrower_facts f ON f.borrower_id = l.borrower_id
        WHERE l.id = OLD.loan_id AND f.body IS NOT NULL;
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER payments_score_facts_insert;
DROP TRIGGER payments_score_facts_update;
DROP TRIGGER payments_score_facts_delete;
UPDATE score_borrower_facts SET body = NULL WHERE payments_stale = 1;
ALTER TABLE score_borrower_facts DROP COLUMN payments_stale;
DROP TABLE score_payment_changes;

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
