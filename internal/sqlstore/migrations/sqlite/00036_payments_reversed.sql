-- Reversed payments by loan: the nightly plan monitoring reads, for each
-- plan's loans, the payments after the plan's debt was counted and the
-- reversed ones before it (sqlstore.PlanPayments). The reversed ones are
-- few; without this index finding them read every payment of every plan
-- loan (about 1 s a night with 50,000 plans on the 1M-loan book).

-- +goose Up
CREATE INDEX payments_reversed ON payments (loan_id) WHERE reversed;

-- +goose Down
DROP INDEX payments_reversed;
