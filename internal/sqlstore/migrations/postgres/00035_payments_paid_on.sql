-- Payments by the day they were paid: the nightly early-warning scan asks
-- which borrowers paid that day, and reports ask for a range of days.
-- Without this index each such question read the whole payments index
-- (about 1 s a night on the 1M-loan book).

-- +goose Up
CREATE INDEX payments_paid_on ON payments (paid_on, loan_id);

-- +goose Down
DROP INDEX payments_paid_on;
