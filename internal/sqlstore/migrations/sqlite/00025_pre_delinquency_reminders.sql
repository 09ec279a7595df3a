-- Pre-delinquency reminders (issue 9, early warning) on SQLite. The
-- PostgreSQL tree has a file of the same name with the same table.
--
-- pre_delinquency_reminders records, per borrower and night, the polite
-- reminder the nightly step sent a current borrower (no open case) after an
-- early warning: the warning codes that caused it, the outbox message and
-- what the contact governor made of it at queueing (queued, held, blocked,
-- no_mobile). One row per borrower and night makes re-running a night
-- add nothing; the latest queued or held row spaces reminders by the
-- lender's interval.

-- +goose Up
CREATE TABLE pre_delinquency_reminders (
    borrower_id INTEGER NOT NULL,
    as_of       TEXT NOT NULL,
    codes       TEXT NOT NULL,
    message_id  INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (borrower_id, as_of)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE pre_delinquency_reminders;
