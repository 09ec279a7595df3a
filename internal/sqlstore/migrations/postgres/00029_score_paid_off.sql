-- The nightly scoring skips borrowers whose loans were all paid off by the
-- night (issue 9). The SQLite tree has a file of the same name, which says
-- what the columns mean.

-- +goose Up
ALTER TABLE score_loan_facts ADD COLUMN paid_off_on DATE;
ALTER TABLE score_loan_facts ADD COLUMN policy_key BIGINT;

-- +goose StatementBegin
CREATE FUNCTION score_loan_facts_forget_paid_off() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_loan_facts SET paid_off_on = NULL, policy_key = NULL WHERE loan_id = NEW.id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER loans_score_facts_terms AFTER UPDATE OF borrower_id, principal_minor, annual_rate, term_months, method,
    disbursed_on, penalty_rate_daily, late_fee_minor ON loans FOR EACH ROW
    WHEN (OLD.borrower_id IS DISTINCT FROM NEW.borrower_id OR OLD.principal_minor IS DISTINCT FROM NEW.principal_minor
        OR OLD.annual_rate IS DISTINCT FROM NEW.annual_rate OR OLD.term_months IS DISTINCT FROM NEW.term_months
        OR OLD.method IS DISTINCT FROM NEW.method OR OLD.disbursed_on IS DISTINCT FROM NEW.disbursed_on
        OR OLD.penalty_rate_daily IS DISTINCT FROM NEW.penalty_rate_daily OR OLD.late_fee_minor IS DISTINCT FROM NEW.late_fee_minor)
    EXECUTE FUNCTION score_loan_facts_forget_paid_off();

-- +goose Down
DROP TRIGGER loans_score_facts_terms ON loans;
DROP FUNCTION score_loan_facts_forget_paid_off();
ALTER TABLE score_loan_facts DROP COLUMN policy_key;
ALTER TABLE score_loan_facts DROP COLUMN paid_off_on;
