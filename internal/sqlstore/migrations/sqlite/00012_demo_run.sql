-- demo_runs marks a demo load (accord demo) in progress: where the
-- database stood when it began — the audit chain's head, the tables that
-- were empty, and the highest id of the others — so that a demo that fails
-- or crashes partway can be taken back completely (sqlstore.Tx.UndoDemo),
-- and so that the audit anchor outside the database is not advanced past
-- the head of before the demo until the demo has finished. At most one row.
-- The other engine's tree has a file of the same name with the same columns.

-- +goose Up
CREATE TABLE demo_runs (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    started_at TIMESTAMP NOT NULL,
    audit_seq  BIGINT NOT NULL,
    audit_hash TEXT NOT NULL,
    mark       TEXT NOT NULL
);

-- +goose Down
DROP TABLE demo_runs;
