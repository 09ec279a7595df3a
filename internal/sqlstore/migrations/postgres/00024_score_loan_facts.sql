-- The nightly scoring's copy of each loan's ledger facts (issue 9) on
-- PostgreSQL. The SQLite tree has a file of the same name with the same
-- table; see it for why. The triggers here are per statement, over the
-- statement's rows (transition tables), so that bulk loads pay one DELETE
-- per statement rather than one per row.

-- +goose Up
CREATE TABLE score_loan_facts (
    loan_id BIGINT PRIMARY KEY REFERENCES loans (id) ON DELETE CASCADE,
    body    BYTEA NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION score_loan_facts_forget_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts f USING new_rows n WHERE f.loan_id = n.loan_id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_loan_facts_forget_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts f USING old_rows o WHERE f.loan_id = o.loan_id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_loan_facts_forget_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts f USING old_rows o WHERE f.loan_id = o.loan_id;
    DELETE FROM score_loan_facts f USING new_rows n WHERE f.loan_id = n.loan_id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION score_loan_facts_forget_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts;
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

-- +goose Down
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
