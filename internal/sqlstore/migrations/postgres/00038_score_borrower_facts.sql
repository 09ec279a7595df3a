-- The nightly scoring's cache of the ledger facts becomes one row per
-- borrower instead of one per loan (issue 9); the SQLite file of the same
-- name says what the columns mean and why. Here the triggers are
-- statement-level where the ledger tables' were (transition tables), and
-- row-level where a column list or a WHEN condition is needed.

-- +goose Up
CREATE TABLE score_borrower_facts (
    borrower_id BIGINT PRIMARY KEY REFERENCES borrowers (id) ON DELETE CASCADE,
    version     BIGINT NOT NULL DEFAULT 0,
    body        BYTEA,
    done_on     DATE,
    policy_key  BIGINT
);
INSERT INTO score_borrower_facts (borrower_id) SELECT DISTINCT borrower_id FROM loans;

DROP TRIGGER loans_score_facts_terms ON loans;
DROP FUNCTION score_loan_facts_forget_paid_off();
DROP TRIGGER installments_score_facts_truncate ON installments;
DROP TRIGGER installments_score_facts_delete ON installments;
DROP TRIGGER installments_score_facts_update ON installments;
DROP TRIGGER installments_score_facts_insert ON installments;
DROP TRIGGER payments_score_facts_truncate ON payments;
DROP TRIGGER payments_score_facts_delete ON payments;
DROP TRIGGER payments_score_facts_update ON payments;
DROP TRIGGER payments_score_facts_insert ON payments;
DROP FUNCTION score_loan_facts_forget_all();
DROP FUNCTION score_loan_facts_forget_both();
DROP FUNCTION score_loan_facts_forget_old();
DROP FUNCTION score_loan_facts_forget_new();
DROP TABLE score_loan_facts;

-- +goose StatementBegin
CREATE FUNCTION score_borrower_facts_forget_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1
        WHERE borrower_id IN (SELECT l.borrower_id FROM loans l WHERE l.id IN (SELECT loan_id FROM new_rows));
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT DISTINCT loan_id FROM new_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_borrower_facts_forget_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1
        WHERE borrower_id IN (SELECT l.borrower_id FROM loans l WHERE l.id IN (SELECT loan_id FROM old_rows));
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT DISTINCT loan_id FROM old_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_borrower_facts_forget_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1
        WHERE borrower_id IN (SELECT l.borrower_id FROM loans l
            WHERE l.id IN (SELECT loan_id FROM old_rows UNION SELECT loan_id FROM new_rows));
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT loan_id FROM old_rows UNION SELECT loan_id FROM new_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_borrower_facts_forget_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1;
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT id FROM loans ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_borrower_facts_new_loans() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO score_borrower_facts (borrower_id) SELECT DISTINCT borrower_id FROM new_rows ORDER BY borrower_id
        ON CONFLICT (borrower_id) DO UPDATE SET body = NULL, done_on = NULL, version = score_borrower_facts.version + 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_borrower_facts_old_loans() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1
        WHERE borrower_id IN (SELECT borrower_id FROM old_rows);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_borrower_facts_loan_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1 WHERE borrower_id = OLD.borrower_id;
    INSERT INTO score_borrower_facts (borrower_id) VALUES (NEW.borrower_id)
        ON CONFLICT (borrower_id) DO UPDATE SET body = NULL, done_on = NULL, version = score_borrower_facts.version + 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_borrower_facts_income() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_borrower_facts SET body = NULL, done_on = NULL, version = version + 1 WHERE borrower_id = NEW.id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER payments_score_facts_insert AFTER INSERT ON payments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_forget_new();
CREATE TRIGGER payments_score_facts_update AFTER UPDATE ON payments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_forget_both();
CREATE TRIGGER payments_score_facts_delete AFTER DELETE ON payments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_forget_old();
CREATE TRIGGER payments_score_facts_truncate AFTER TRUNCATE ON payments
    FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_forget_all();
CREATE TRIGGER installments_score_facts_insert AFTER INSERT ON installments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_forget_new();
CREATE TRIGGER installments_score_facts_update AFTER UPDATE ON installments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_forget_both();
CREATE TRIGGER installments_score_facts_delete AFTER DELETE ON installments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_forget_old();
CREATE TRIGGER installments_score_facts_truncate AFTER TRUNCATE ON installments
    FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_forget_all();
CREATE TRIGGER loans_score_facts_insert AFTER INSERT ON loans
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_new_loans();
CREATE TRIGGER loans_score_facts_delete AFTER DELETE ON loans
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_borrower_facts_old_loans();
CREATE TRIGGER loans_score_facts_terms AFTER UPDATE OF borrower_id, product_code, principal_minor, disbursed_on,
    penalty_rate_daily, late_fee_minor ON loans FOR EACH ROW
    WHEN (OLD.borrower_id IS DISTINCT FROM NEW.borrower_id OR OLD.product_code IS DISTINCT FROM NEW.product_code
        OR OLD.principal_minor IS DISTINCT FROM NEW.principal_minor OR OLD.disbursed_on IS DISTINCT FROM NEW.disbursed_on
        OR OLD.penalty_rate_daily IS DISTINCT FROM NEW.penalty_rate_daily OR OLD.late_fee_minor IS DISTINCT FROM NEW.late_fee_minor)
    EXECUTE FUNCTION score_borrower_facts_loan_terms();
CREATE TRIGGER borrowers_score_facts_income AFTER UPDATE OF monthly_income_minor ON borrowers FOR EACH ROW
    WHEN (OLD.monthly_income_minor IS DISTINCT FROM NEW.monthly_income_minor)
    EXECUTE FUNCTION score_borrower_facts_income();

-- +goose Down
DROP TRIGGER borrowers_score_facts_income ON borrowers;
DROP TRIGGER loans_score_facts_terms ON loans;
DROP TRIGGER loans_score_facts_delete ON loans;
DROP TRIGGER loans_score_facts_insert ON loans;
DROP TRIGGER installments_score_facts_truncate ON installments;
DROP TRIGGER installments_score_facts_delete ON installments;
DROP TRIGGER installments_score_facts_update ON installments;
DROP TRIGGER installments_score_facts_insert ON installments;
DROP TRIGGER payments_score_facts_truncate ON payments;
DROP TRIGGER payments_score_facts_delete ON payments;
DROP TRIGGER payments_score_facts_update ON payments;
DROP TRIGGER payments_score_facts_insert ON payments;
DROP FUNCTION score_borrower_facts_income();
DROP FUNCTION score_borrower_facts_loan_terms();
DROP FUNCTION score_borrower_facts_old_loans();
DROP FUNCTION score_borrower_facts_new_loans();
DROP FUNCTION score_borrower_facts_forget_all();
DROP FUNCTION score_borrower_facts_forget_both();
DROP FUNCTION score_borrower_facts_forget_old();
DROP FUNCTION score_borrower_facts_forget_new();
DROP TABLE score_borrower_facts;

CREATE TABLE score_loan_facts (
    loan_id     BIGINT PRIMARY KEY REFERENCES loans (id) ON DELETE CASCADE,
    body        BYTEA NOT NULL,
    paid_off_on DATE,
    policy_key  BIGINT
);
-- +goose StatementBegin
CREATE FUNCTION score_loan_facts_forget_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts f USING new_rows n WHERE f.loan_id = n.loan_id;
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT DISTINCT loan_id FROM new_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_loan_facts_forget_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts f USING old_rows o WHERE f.loan_id = o.loan_id;
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT DISTINCT loan_id FROM old_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_loan_facts_forget_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts f USING old_rows o WHERE f.loan_id = o.loan_id;
    DELETE FROM score_loan_facts f USING new_rows n WHERE f.loan_id = n.loan_id;
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT loan_id FROM old_rows UNION SELECT loan_id FROM new_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_loan_facts_forget_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts;
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT id FROM loans ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_loan_facts_forget_paid_off() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_loan_facts SET paid_off_on = NULL, policy_key = NULL WHERE loan_id = NEW.id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER payments_score_facts_insert AFTER INSERT ON payments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_loan_facts_forget_new();
CREATE TRIGGER payments_score_facts_update AFTER UPDATE ON payments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_loan_facts_forget_both();
CREATE TRIGGER payments_score_facts_delete AFTER DELETE ON payments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_loan_facts_forget_old();
CREATE TRIGGER payments_score_facts_truncate AFTER TRUNCATE ON payments
    FOR EACH STATEMENT EXECUTE FUNCTION score_loan_facts_forget_all();
CREATE TRIGGER installments_score_facts_insert AFTER INSERT ON installments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_loan_facts_forget_new();
CREATE TRIGGER installments_score_facts_update AFTER UPDATE ON installments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_loan_facts_forget_both();
CREATE TRIGGER installments_score_facts_delete AFTER DELETE ON installments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_loan_facts_forget_old();
CREATE TRIGGER installments_score_facts_truncate AFTER TRUNCATE ON installments
    FOR EACH STATEMENT EXECUTE FUNCTION score_loan_facts_forget_all();
CREATE TRIGGER loans_score_facts_terms AFTER UPDATE OF borrower_id, principal_minor, annual_rate, term_months, method,
    disbursed_on, penalty_rate_daily, late_fee_minor ON loans FOR EACH ROW
    WHEN (OLD.borrower_id IS DISTINCT FROM NEW.borrower_id OR OLD.principal_minor IS DISTINCT FROM NEW.principal_minor
        OR OLD.annual_rate IS DISTINCT FROM NEW.annual_rate OR OLD.term_months IS DISTINCT FROM NEW.term_months
        OR OLD.method IS DISTINCT FROM NEW.method OR OLD.disbursed_on IS DISTINCT FROM NEW.disbursed_on
        OR OLD.penalty_rate_daily IS DISTINCT FROM NEW.penalty_rate_daily OR OLD.late_fee_minor IS DISTINCT FROM NEW.late_fee_minor)
    EXECUTE FUNCTION score_loan_facts_forget_paid_off();
