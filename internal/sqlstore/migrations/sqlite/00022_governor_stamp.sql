-- The contact governor's change stamp (issue 11) on SQLite. The PostgreSQL
-- tree has a file of the same name with the same table.
--
-- governor_stamps holds one row, 'contact_rules', whose stamp changes
-- whenever the data the contact rules are built from changes: the holiday
-- calendar (calendar_days) or the contact policies (contact_policies).
-- collect caches the built rules per process and rebuilds them only when
-- the stamp differs, so every node of a cluster sees an edit at its next
-- decision. Triggers, not the store methods, change it, so that any writer
-- (a restore, an admin's SQL) is seen too. The stamp is random rather than
-- a counter: a rolled-back edit can then never leave a stamp that a later
-- edit reuses.

-- +goose Up
CREATE TABLE governor_stamps (
    name  TEXT PRIMARY KEY,
    stamp TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO governor_stamps (name, stamp) VALUES ('contact_rules', lower(hex(randomblob(16))));

-- +goose StatementBegin
CREATE TRIGGER calendar_days_stamp_insert AFTER INSERT ON calendar_days
BEGIN
    UPDATE governor_stamps SET stamp = lower(hex(randomblob(16))) WHERE name = 'contact_rules';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER calendar_days_stamp_update AFTER UPDATE ON calendar_days
BEGIN
    UPDATE governor_stamps SET stamp = lower(hex(randomblob(16))) WHERE name = 'contact_rules';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER calendar_days_stamp_delete AFTER DELETE ON calendar_days
BEGIN
    UPDATE governor_stamps SET stamp = lower(hex(randomblob(16))) WHERE name = 'contact_rules';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_policies_stamp_insert AFTER INSERT ON contact_policies
BEGIN
    UPDATE governor_stamps SET stamp = lower(hex(randomblob(16))) WHERE name = 'contact_rules';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_policies_stamp_update AFTER UPDATE ON contact_policies
BEGIN
    UPDATE governor_stamps SET stamp = lower(hex(randomblob(16))) WHERE name = 'contact_rules';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_policies_stamp_delete AFTER DELETE ON contact_policies
BEGIN
    UPDATE governor_stamps SET stamp = lower(hex(randomblob(16))) WHERE name = 'contact_rules';
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER contact_policies_stamp_delete;
DROP TRIGGER contact_policies_stamp_update;
DROP TRIGGER contact_policies_stamp_insert;
DROP TRIGGER calendar_days_stamp_delete;
DROP TRIGGER calendar_days_stamp_update;
DROP TRIGGER calendar_days_stamp_insert;
DROP TABLE governor_stamps;
