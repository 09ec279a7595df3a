-- The last four digits of each borrower phone, for the console's search by
-- phone tail (尾号). They are not new information: number_masked already
-- shows them in clear to every role (pii.MaskPhone keeps the last four), so
-- the tail is derived from it as a stored generated column. That keeps every
-- write path (single upserts, COPY bulk loads) right without code, and adding
-- the column computes it for every existing row (the backfill). Masks of four
-- digits or fewer are all stars and get no tail.

-- +goose Up
ALTER TABLE borrower_phones ADD COLUMN number_tail TEXT
    GENERATED ALWAYS AS (CASE WHEN length(number_masked) > 4 THEN right(number_masked, 4) ELSE '' END) STORED;
CREATE INDEX borrower_phones_number_tail ON borrower_phones (number_tail, borrower_id);

-- +goose Down
DROP INDEX borrower_phones_number_tail;
ALTER TABLE borrower_phones DROP COLUMN number_tail;
