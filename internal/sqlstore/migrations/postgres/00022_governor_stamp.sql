-- The contact governor's change stamp (issue 11) on PostgreSQL. The SQLite
-- tree has a file of the same name with the same table; see it for why.

-- +goose Up
CREATE TABLE governor_stamps (
    name  TEXT PRIMARY KEY,
    stamp TEXT NOT NULL
);
INSERT INTO governor_stamps (name, stamp) VALUES ('contact_rules', md5(random()::text || clock_timestamp()::text));

-- +goose StatementBegin
CREATE FUNCTION governor_stamp_contact_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE governor_stamps SET stamp = md5(random()::text || clock_timestamp()::text) WHERE name = 'contact_rules';
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER calendar_days_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_days
    FOR EACH STATEMENT EXECUTE FUNCTION governor_stamp_contact_rules();
CREATE TRIGGER contact_policies_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contact_policies
    FOR EACH STATEMENT EXECUTE FUNCTION governor_stamp_contact_rules();

-- +goose Down
DROP TRIGGER contact_policies_stamp ON contact_policies;
DROP TRIGGER calendar_days_stamp ON calendar_days;
DROP FUNCTION governor_stamp_contact_rules();
DROP TABLE governor_stamps;
