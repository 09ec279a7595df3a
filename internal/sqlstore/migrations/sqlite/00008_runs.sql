-- Each nightly run (accord run) is recorded in runs, keyed by its as-of
-- date: status is running while it runs (and stays so after a crash),
-- then ok or failed; error is what stopped a failed run. Rows from before
-- this migration finished (ok) or were left running by a crash. The other
-- engine's tree has a file of the same name with the same columns.

-- +goose Up
ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'running';
ALTER TABLE runs ADD COLUMN error TEXT NOT NULL DEFAULT '';
UPDATE runs SET status = 'ok' WHERE finished_at IS NOT NULL;

-- +goose Down
ALTER TABLE runs DROP COLUMN error;
ALTER TABLE runs DROP COLUMN status;
