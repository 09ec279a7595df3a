-- The last payment in the book when an offer was proposed (issue 7): the
-- offer's debt counts the payments up to it, and the plan of its
-- agreement counts the later ones (posted while the offer was approved and
-- accepted) as plan payments, so that no payment is counted twice. 0 for
-- offers stored before: their plan counts the payments after its activation.

-- +goose Up
ALTER TABLE negotiation_offers ADD COLUMN paid_through BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE negotiation_offers DROP COLUMN paid_through;
