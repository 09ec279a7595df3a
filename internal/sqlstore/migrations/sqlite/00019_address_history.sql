-- borrower_address_changes: addresses learned about a borrower after the
-- import, e.g. a field visit that found the borrower had moved. Each row
-- keeps the new address and the one it replaced on the borrower (JSON, ''
-- when none), where it came from and who recorded it. Evidence: the
-- database refuses UPDATE and DELETE.

-- +goose Up
CREATE TABLE borrower_address_changes (
    id           INTEGER PRIMARY KEY,
    borrower_id  INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    address      TEXT NOT NULL,
    previous     TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL,
    visit_id     INTEGER NOT NULL DEFAULT 0,
    entry_id     INTEGER NOT NULL DEFAULT 0,
    recorded_by  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX borrower_address_changes_borrower ON borrower_address_changes (borrower_id, id);

-- +goose StatementBegin
CREATE TRIGGER borrower_address_changes_fixed BEFORE UPDATE ON borrower_address_changes
BEGIN
    SELECT RAISE(ABORT, 'address changes are only added to, never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER borrower_address_changes_kept BEFORE DELETE ON borrower_address_changes
BEGIN
    SELECT RAISE(ABORT, 'address changes are only added to, never changed');
END;
-- +goose StatementEnd

-- +goose Down
-- Forward-only: restore from a backup instead.
