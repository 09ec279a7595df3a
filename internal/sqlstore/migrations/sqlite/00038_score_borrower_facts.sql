-- The nightly scoring's cache of the ledger facts becomes one row per
-- borrower instead of one per loan (issue 9). The PostgreSQL tree has a
-- file of the same name with the same table.
--
-- score_borrower_facts holds, for every borrower with a loan, the facts the
-- features and the ledger replay read packed in one value (body): the
-- borrower's monthly income and, for each loan, its terms, schedule and
-- every payment (sqlstore.packBorrowerFacts). The night reads one row per
-- borrower in one range scan instead of a join of the loans, the borrowers
-- and a cached row per loan, which was most of its time. body is NULL until
-- a night caches it and again whenever something it holds changes: the
-- triggers below clear it and add one to version when a payment or an
-- installment of the borrower's loans, a loan's terms or owner, or the
-- borrower's income is inserted, changed or deleted, by whatever writer,
-- and a new loan adds the borrower's row. A night caches what it read from
-- the ledger tables only where version is still the one it read before
-- reading them (sqlstore.CacheScoringFacts), so a cached copy is never
-- older than the ledger, on either engine, without a watch.
--
-- done_on is the day all the borrower's loans were paid off, as the replay
-- of the cached facts under the ledger policy policy_key (a fingerprint)
-- found it with every payment known: the night leaves such a borrower out
-- (it replaced score_loan_facts.paid_off_on of migration 00029).
--
-- The ledger watch of migration 00034 stays: the triggers still note the
-- changed loans in score_facts_changes while a watch runs, for the aging.

-- +goose Up
CREATE TABLE score_borrower_facts (
    borrower_id INTEGER PRIMARY KEY REFERENCES borrowers (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL DEFAULT 0,
    body        BLOB,
    done_on     TEXT,
    policy_key  INTEGER
);
INSERT INTO score_borrower_facts (borrower_id) SELECT DISTINCT borrower_id FROM loans;

DROP TRIGGER loans_score_facts_terms;
DROP TRIGGER payments_score_facts_insert;
DROP TRIGGER payments_score_facts_update;
DROP TRIGGER payments_score_facts_delete;
DROP TRIGGER installments_score_facts_insert;
DROP TRIGGER installments_score_facts_update;
DROP TRIGGER installments_score_facts_delete;
DROP TABLE score_loan_facts;

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
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_insert AFTER INSERT ON installments
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1
        WHERE borrower_id = (SELECT borrower_id FROM loans WHERE id = NEW.loan_id);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_update AFTER UPDATE ON installments
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1
        WHERE borrower_id IN (SELECT borrower_id FROM loans WHERE id IN (OLD.loan_id, NEW.loan_id));
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_delete AFTER DELETE ON installments
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1
        WHERE borrower_id = (SELECT borrower_id FROM loans WHERE id = OLD.loan_id);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER loans_score_facts_insert AFTER INSERT ON loans
BEGIN
    INSERT INTO score_borrower_facts (borrower_id) VALUES (NEW.borrower_id)
        ON CONFLICT (borrower_id) DO UPDATE SET body = NULL, done_on = NULL, version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER loans_score_facts_terms AFTER UPDATE OF borrower_id, product_code, principal_minor, disbursed_on,
    penalty_rate_daily, late_fee_minor ON loans
    WHEN OLD.borrower_id IS NOT NEW.borrower_id OR OLD.product_code IS NOT NEW.product_code
        OR OLD.principal_minor IS NOT NEW.principal_minor OR OLD.disbursed_on IS NOT NEW.disbursed_on
        OR OLD.penalty_rate_daily IS NOT NEW.penalty_rate_daily OR OLD.late_fee_minor IS NOT NEW.late_fee_minor
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1 WHERE borrower_id = OLD.borrower_id;
    INSERT INTO score_borrower_facts (borrower_id) VALUES (NEW.borrower_id)
        ON CONFLICT (borrower_id) DO UPDATE SET body = NULL, done_on = NULL, version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER loans_score_facts_delete AFTER DELETE ON loans
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1 WHERE borrower_id = OLD.borrower_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER borrowers_score_facts_income AFTER UPDATE OF monthly_income_minor ON borrowers
    WHEN OLD.monthly_income_minor IS NOT NEW.monthly_income_minor
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1 WHERE borrower_id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER borrowers_score_facts_income;
DROP TRIGGER loans_score_facts_delete;
DROP TRIGGER loans_score_facts_terms;
DROP TRIGGER loans_score_facts_insert;
DROP TRIGGER installments_score_facts_delete;
DROP TRIGGER installments_score_facts_update;
DROP TRIGGER installments_score_facts_insert;
DROP TRIGGER payments_score_facts_delete;
DROP TRIGGER payments_score_facts_update;
DROP TRIGGER payments_score_facts_insert;
DROP TABLE score_borrower_facts;

CREATE TABLE score_loan_facts (
    loan_id     INTEGER PRIMARY KEY REFERENCES loans (id) ON DELETE CASCADE,
    body        BLOB NOT NULL,
    paid_off_on TEXT,
    policy_key  INTEGER
);
-- +goose StatementBegin
CREATE TRIGGER loans_score_facts_terms AFTER UPDATE OF borrower_id, principal_minor, annual_rate, term_months, method,
    disbursed_on, penalty_rate_daily, late_fee_minor ON loans
    WHEN OLD.borrower_id IS NOT NEW.borrower_id OR OLD.principal_minor IS NOT NEW.principal_minor
        OR OLD.annual_rate IS NOT NEW.annual_rate OR OLD.term_months IS NOT NEW.term_months OR OLD.method IS NOT NEW.method
        OR OLD.disbursed_on IS NOT NEW.disbursed_on OR OLD.penalty_rate_daily IS NOT NEW.penalty_rate_daily
        OR OLD.late_fee_minor IS NOT NEW.late_fee_minor
BEGIN
    UPDATE score_loan_facts SET paid_off_on = NULL, policy_key = NULL WHERE loan_id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_insert AFTER INSERT ON payments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = NEW.loan_id;
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_update AFTER UPDATE ON payments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id IN (OLD.loan_id, NEW.loan_id);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payments_score_facts_delete AFTER DELETE ON payments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = OLD.loan_id;
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_insert AFTER INSERT ON installments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = NEW.loan_id;
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_update AFTER UPDATE ON installments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id IN (OLD.loan_id, NEW.loan_id);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT NEW.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER installments_score_facts_delete AFTER DELETE ON installments
BEGIN
    DELETE FROM score_loan_facts WHERE loan_id = OLD.loan_id;
    INSERT OR IGNORE INTO score_facts_changes (loan_id) SELECT OLD.loan_id WHERE EXISTS (SELECT 1 FROM score_passes);
END;
-- +goose StatementEnd
