-- Pre-delinquency reminders (issue 9, early warning) on PostgreSQL. The
-- SQLite tree has a file of the same name with the same table.
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
    borrower_id BIGINT NOT NULL,
    as_of       DATE NOT NULL,
    codes       TEXT NOT NULL,
    message_id  BIGINT NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (borrower_id, as_of)
);

-- +goose Down
DROP TABLE pre_delinquency_reminders;
