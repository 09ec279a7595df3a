-- The nightly scoring skips borrowers whose loans were all paid off by the
-- night (issue 9). The PostgreSQL tree has a file of the same name.
--
-- score_loan_facts.paid_off_on is the day a cached loan was paid off, as the
-- replay of its cached facts with the ledger policy policy_key (a
-- fingerprint) found it on a night when every payment was known and none
-- had been reversed later: the facts do not change while the row exists (the
-- triggers of 00024 delete it), and a paid-off loan stays paid off under
-- the same facts and policy, so a later night need not replay it. A change
-- of the loan's terms clears it (trigger below).

-- +goose Up
ALTER TABLE score_loan_facts ADD COLUMN paid_off_on TEXT;
ALTER TABLE score_loan_facts ADD COLUMN policy_key INTEGER;

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

-- +goose Down
DROP TRIGGER loans_score_facts_terms;
ALTER TABLE score_loan_facts DROP COLUMN policy_key;
ALTER TABLE score_loan_facts DROP COLUMN paid_off_on;
