-- A payment no longer takes a borrower's packed facts out of the nightly
-- scoring's cache (issue 9): the payments triggers keep the body and set
-- payments_stale and, when the borrower's row holds a body, note the
-- payment in score_payment_changes; the night reads only the noted
-- payments from the ledger tables. The SQLite tree has a file of the same
-- name that says why. A TRUNCATE of payments still clears every body.

-- +goose Up
ALTER TABLE score_borrower_facts ADD COLUMN payments_stale SMALLINT NOT NULL DEFAULT 0;
CREATE TABLE score_payment_changes (
    borrower_id BIGINT NOT NULL REFERENCES borrowers (id) ON DELETE CASCADE,
    payment_id  BIGINT NOT NULL,
    PRIMARY KEY (borrower_id, payment_id)
);

-- +goose StatementBegin
CREATE FUNCTION score_borrower_facts_payments_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_borrower_facts SET payments_stale = 1, done_on = NULL, version = version + 1
        WHERE borrower_id IN (SELECT l.borrower_id FROM loans l WHERE l.id IN (SELECT loan_id FROM new_rows));
    INSERT INTO score_payment_changes (borrower_id, payment_id)
        SELECT DISTINCT f.borrower_id, x.id FROM new_rows x JOIN loans l ON l.id = x.loan_id
        JOIN score_borrower_facts f ON f.borrower_id = l.borrower_id WHERE f.body IS NOT NULL
        ON CONFLICT DO NOTHING;
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT DISTINCT loan_id FROM new_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_borrower_facts_payments_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_borrower_facts SET payments_stale = 1, done_on = NULL, version = version + 1
        WHERE borrower_id IN (SELECT l.borrower_id FROM loans l WHERE l.id IN (SELECT loan_id FROM old_rows));
    INSERT INTO score_payment_changes (borrower_id, payment_id)
        SELECT DISTINCT f.borrower_id, x.id FROM old_rows x JOIN loans l ON l.id = x.loan_id
        JOIN score_borrower_facts f ON f.borrower_id = l.borrower_id WHERE f.body IS NOT NULL
        ON CONFLICT DO NOTHING;
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT DISTINCT loan_id FROM old_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_borrower_facts_payments_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_borrower_facts SET payments_stale = 1, done_on = NULL, version = version + 1
        WHERE borrower_id IN (SELECT l.borrower_id FROM loans l
            WHERE l.id IN (SELECT loan_id FROM old_rows UNION SELECT loan_id FROM new_rows));
    INSERT INTO score_payment_changes (borrower_id, payment_id)
        SELECT DISTINCT f.borrower_id, x.id FROM old_rows x JOIN loans l ON l.id = x.loan_id
        JOIN score_borrower_facts f ON f.borrower_id = l.borrower_id WHERE f.body IS NOT NULL
        ON CONFLICT DO NOTHING;
    INSERT INTO score_payment_changes (borrower_id, payment_id)
        SELECT DISTINCT f.borrower_id, x.id FROM new_rows x JOIN loans l ON l.id = x.loan_id
        JOIN score_borrower_facts f ON f.borrower_id = l.borrower_id WHERE f.body IS NOT NULL
        ON CONFLICT DO NOTHING;
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT loan_id FROM old_rows UNION SELECT loan_id FROM new_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
DROP TRIGGER payments_score_facts_insert ON payments;
DROP TRIGGER payments_score_facts_update ON payments;
DROP TRIGGER payments_score_facts_delete ON payments;
CREATE TRIGGER payments_score_facts_insert AFTER INSERT ON payments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_payments_new();
CREATE TRIGGER payments_score_facts_update AFTER UPDATE ON payments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_payments_both();
CREATE TRIGGER payments_score_facts_delete AFTER DELETE ON payments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_payments_old();

-- +goose Down
DROP TRIGGER payments_score_facts_insert ON payments;
DROP TRIGGER payments_score_facts_update ON payments;
DROP TRIGGER payments_score_facts_delete ON payments;
CREATE TRIGGER payments_score_facts_insert AFTER INSERT ON payments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_forget_new();
CREATE TRIGGER payments_score_facts_update AFTER UPDATE ON payments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_forget_both();
CREATE TRIGGER payments_score_facts_delete AFTER DELETE ON payments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_forget_old();
DROP FUNCTION score_borrower_facts_payments_both();
DROP FUNCTION score_borrower_facts_payments_old();
DROP FUNCTION score_borrower_facts_payments_new();
UPDATE score_borrower_facts SET body = NULL WHERE payments_stale = 1;
ALTER TABLE score_borrower_facts DROP COLUMN payments_stale;
DROP TABLE score_payment_changes;
