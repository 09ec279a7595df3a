-- The nightly scoring caches the facts of the loans it read from the ledger
-- tables from what its workers read; see the SQLite file of the same name.
-- Here the trigger functions of migration 00024 also note, while a pass
-- runs, the loans whose ledger facts a statement changes.

-- +goose Up
CREATE TABLE score_passes (
    id         BIGSERIAL PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE score_facts_changes (
    loan_id BIGINT PRIMARY KEY
);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION score_loan_facts_forget_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts f USING new_rows n WHERE f.loan_id = n.loan_id;
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT DISTINCT loan_id FROM new_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION score_loan_facts_forget_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts f USING old_rows o WHERE f.loan_id = o.loan_id;
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT DISTINCT loan_id FROM old_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION score_loan_facts_forget_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts f USING old_rows o WHERE f.loan_id = o.loan_id;
    DELETE FROM score_loan_facts f USING new_rows n WHERE f.loan_id = n.loan_id;
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT loan_id FROM old_rows UNION SELECT loan_id FROM new_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION score_loan_facts_forget_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts;
    IF EXISTS (SELECT 1 FROM score_passes) THEN
        INSERT INTO score_facts_changes (loan_id) SELECT id FROM loans ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION score_loan_facts_forget_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts f USING new_rows n WHERE f.loan_id = n.loan_id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION score_loan_facts_forget_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts f USING old_rows o WHERE f.loan_id = o.loan_id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION score_loan_facts_forget_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts f USING old_rows o WHERE f.loan_id = o.loan_id;
    DELETE FROM score_loan_facts f USING new_rows n WHERE f.loan_id = n.loan_id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION score_loan_facts_forget_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM score_loan_facts;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
DROP TABLE score_facts_changes;
DROP TABLE score_passes;
