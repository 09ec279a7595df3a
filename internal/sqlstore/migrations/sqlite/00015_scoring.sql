-- Scoring (issue 9) on SQLite. The PostgreSQL tree has a file of the same
-- name with the same tables and columns.
--
-- score_models keeps every trained model version per target (cure30,
-- roll30, ew90): the model document (internal/model's JSON, with its
-- feature spec, coefficients or points, PSI bins and metrics) and the
-- lifecycle trained → approved → champion or challenger → retired. A
-- version is approved by a user other than its trainer (four eyes,
-- checked by the use case); at most one champion and one challenger per
-- target (the partial unique index); share is the challenger's share of
-- borrowers.
--
-- borrower_scores is what the nightly run scored: one row per borrower,
-- target and date, with the model and arm used and the top reasons (JSON
-- [{feature, effect, zh, en}]). score_stability is the population
-- stability index (PSI) of the score (name 'score') and of each feature
-- against the model's training population, per night.
--
-- early_warnings are the signals on current borrowers (features.Detect): a
-- borrower's repayment habit breaking from their own baseline, each with
-- its explanation and evidence (JSON). A signal is stored when it first
-- fires, not again for the same borrower within 30 days.

-- +goose Up
CREATE TABLE score_models (
    id            INTEGER PRIMARY KEY,
    target        TEXT NOT NULL,
    version       INTEGER NOT NULL CHECK (version > 0),
    kind          TEXT NOT NULL,
    trained_as_of TEXT NOT NULL,
    body          TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '{}',
    status        TEXT NOT NULL CHECK (status IN ('trained', 'approved', 'champion', 'challenger', 'retired')),
    share         REAL NOT NULL DEFAULT 0 CHECK (share >= 0 AND share <= 1),
    trained_by    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    approved_by   TEXT NOT NULL DEFAULT '',
    approved_at   TIMESTAMP,
    promoted_by   TEXT NOT NULL DEFAULT '',
    promoted_at   TIMESTAMP,
    retired_at    TIMESTAMP,
    UNIQUE (target, version)
);
CREATE UNIQUE INDEX score_models_in_use ON score_models (target, status) WHERE status IN ('champion', 'challenger');

CREATE TABLE borrower_scores (
    borrower_id INTEGER NOT NULL,
    target      TEXT NOT NULL,
    as_of       TEXT NOT NULL,
    model_id    INTEGER NOT NULL REFERENCES score_models (id),
    arm         TEXT NOT NULL,
    probability REAL NOT NULL,
    points      REAL NOT NULL DEFAULT 0,
    reasons     TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (borrower_id, target, as_of)
) WITHOUT ROWID;
CREATE INDEX borrower_scores_as_of ON borrower_scores (as_of, target);

CREATE TABLE score_stability (
    model_id INTEGER NOT NULL REFERENCES score_models (id),
    as_of    TEXT NOT NULL,
    name     TEXT NOT NULL,
    psi      REAL NOT NULL,
    rows     INTEGER NOT NULL,
    PRIMARY KEY (model_id, as_of, name)
) WITHOUT ROWID;

CREATE TABLE early_warnings (
    borrower_id INTEGER NOT NULL,
    as_of       TEXT NOT NULL,
    code        TEXT NOT NULL,
    zh          TEXT NOT NULL,
    en          TEXT NOT NULL,
    evidence    TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (borrower_id, as_of, code)
) WITHOUT ROWID;
CREATE INDEX early_warnings_as_of ON early_warnings (as_of);

-- +goose Down
DROP TABLE early_warnings;
DROP TABLE score_stability;
DROP TABLE borrower_scores;
DROP TABLE score_models;
