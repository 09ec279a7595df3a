-- When the debt a plan finances was read (issue 7): the proposal time of the
-- offer it came from (the activation for offers stored before 00026). A
-- payment the plan's debt counted (id <= after_payment_id) and reversed
-- after it was never paid: the plan owes it beside its schedule
-- (plan.State.Reinstated). NULL for plans stored before: their created_at.

-- +goose Up
ALTER TABLE plans ADD COLUMN debt_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE plans DROP COLUMN debt_at;
