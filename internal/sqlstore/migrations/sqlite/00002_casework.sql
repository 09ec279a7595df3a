-- The daily collections cycle on SQLite: cases and their timeline, teams,
-- collectors and agencies, strategy versions and experiments, tasks. The
-- PostgreSQL tree has a file of the same name with the same tables and
-- columns. Every row the nightly run writes has a deterministic key (one
-- open case per borrower, UNIQUE dedup keys on events and tasks), so a
-- re-run of a date, or a re-run after a crash, adds nothing.

-- +goose Up
CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

-- collectors are the people cases are assigned to. user_id links the
-- console user (0 for a synthetic collector without a sign-in); skills are
-- JSON lists, an empty list meaning any value.
CREATE TABLE collectors (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL DEFAULT 0,
    name       TEXT NOT NULL,
    team_id    INTEGER NOT NULL REFERENCES teams (id),
    languages  TEXT NOT NULL DEFAULT '[]',
    regions    TEXT NOT NULL DEFAULT '[]',
    buckets    TEXT NOT NULL DEFAULT '[]',
    queues     TEXT NOT NULL DEFAULT '[]',
    capacity   INTEGER NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX collectors_user_id ON collectors (user_id) WHERE user_id <> 0;
CREATE INDEX collectors_team_id ON collectors (team_id);

-- agencies are outside collection agencies (委外机构): only whitelisted ones
-- get placements, within capacity, at most the strategy's commission rate,
-- and only between contract_start and contract_end when those are set.
CREATE TABLE agencies (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    whitelisted    INTEGER NOT NULL DEFAULT 0,
    capacity       INTEGER NOT NULL,
    commission     TEXT NOT NULL,
    regions        TEXT NOT NULL DEFAULT '[]',
    buckets        TEXT NOT NULL DEFAULT '[]',
    contract_start TEXT,
    contract_end   TEXT,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

-- strategy_versions keeps every saved version; at most one is published
-- (the champion). definition is the JSON document supervisors edit.
CREATE TABLE strategy_versions (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    definition   TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    published_by TEXT NOT NULL DEFAULT '',
    published_at TIMESTAMP,
    retired_at   TIMESTAMP,
    UNIQUE (name, version)
);
CREATE UNIQUE INDEX strategy_versions_published ON strategy_versions (status) WHERE status = 'published';

-- experiments split borrowers between a champion and a challenger version;
-- at most one runs at a time.
CREATE TABLE experiments (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    champion_id   INTEGER NOT NULL REFERENCES strategy_versions (id),
    challenger_id INTEGER NOT NULL REFERENCES strategy_versions (id),
    share         REAL NOT NULL,
    status        TEXT NOT NULL,
    started_on    TEXT NOT NULL,
    stopped_on    TEXT,
    created_by    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX experiments_active ON experiments (status) WHERE status = 'active';

-- cases: one open case per borrower (cases_open_borrower). Most columns are
-- what the nightly run derived, kept so that the console, the strategy
-- preview and the queues read them without recomputing; the reasons behind
-- the tier and segment are recomputed when a case is shown (they change
-- every day with the DPD) and kept in the timeline when the grade changes.
CREATE TABLE cases (
    id                   INTEGER PRIMARY KEY,
    borrower_id          INTEGER NOT NULL,
    status               TEXT NOT NULL,
    close_reason         TEXT NOT NULL DEFAULT '',
    opened_on            TEXT NOT NULL,
    closed_on            TEXT,
    bucket               TEXT NOT NULL,
    bucket_rank          INTEGER NOT NULL,
    max_bucket_rank      INTEGER NOT NULL,
    dpd                  INTEGER NOT NULL,
    tier                 TEXT NOT NULL,
    segment              TEXT NOT NULL,
    overdue_minor        INTEGER NOT NULL,
    balance_minor        INTEGER NOT NULL,
    paid_30d_minor       INTEGER NOT NULL DEFAULT 0,
    recovered_minor      INTEGER NOT NULL DEFAULT 0,
    cost_minor           INTEGER NOT NULL DEFAULT 0,
    ev_minor             INTEGER NOT NULL DEFAULT 0,
    strategy_id          INTEGER NOT NULL DEFAULT 0,
    experiment_id        INTEGER NOT NULL DEFAULT 0,
    arm                  TEXT NOT NULL DEFAULT '',
    rule                 TEXT NOT NULL DEFAULT '',
    rule_since           TEXT,
    queue                TEXT NOT NULL DEFAULT '',
    owner_kind           TEXT NOT NULL DEFAULT '',
    owner_id             INTEGER NOT NULL DEFAULT 0,
    owner_since          TEXT,
    placed_on            TEXT,
    recall_on            TEXT,
    locked               INTEGER NOT NULL DEFAULT 0,
    last_contact_at      TIMESTAMP,
    last_connected_on    TEXT,
    last_progress_on     TEXT,
    attempts             INTEGER NOT NULL DEFAULT 0,
    connected            INTEGER NOT NULL DEFAULT 0,
    attempts_7d          INTEGER NOT NULL DEFAULT 0,
    connected_7d         INTEGER NOT NULL DEFAULT 0,
    promises_kept        INTEGER NOT NULL DEFAULT 0,
    promises_broken      INTEGER NOT NULL DEFAULT 0,
    promise_made_on      TEXT,
    promise_due          TEXT,
    promise_amount_minor INTEGER NOT NULL DEFAULT 0,
    hardship             TEXT NOT NULL DEFAULT '',
    flags                TEXT NOT NULL DEFAULT '[]',
    language             TEXT NOT NULL DEFAULT '',
    region               TEXT NOT NULL DEFAULT '',
    products             TEXT NOT NULL DEFAULT '[]',
    loans                INTEGER NOT NULL DEFAULT 0,
    has_phone            INTEGER NOT NULL DEFAULT 0,
    worked_on            TEXT,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX cases_open_borrower ON cases (borrower_id) WHERE status = 'open';
CREATE INDEX cases_borrower_id ON cases (borrower_id, id);
CREATE INDEX cases_owner ON cases (owner_id, owner_kind) WHERE status = 'open';
CREATE INDEX cases_closed_on ON cases (closed_on) WHERE status = 'closed';

CREATE TABLE case_loans (
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    loan_id  INTEGER NOT NULL,
    added_on TEXT NOT NULL,
    PRIMARY KEY (case_id, loan_id)
) WITHOUT ROWID;
CREATE INDEX case_loans_loan_id ON case_loans (loan_id);

-- case_events is the case timeline. Events the nightly run writes carry a
-- dedup_key ("case:12:closed:2026-03-02"); people's notes have none.
CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    borrower_id INTEGER NOT NULL,
    on_date     TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    kind        TEXT NOT NULL,
    code        TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL DEFAULT '',
    zh          TEXT NOT NULL DEFAULT '',
    en          TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '{}',
    dedup_key   TEXT UNIQUE
);
CREATE INDEX case_events_case ON case_events (case_id, on_date);
CREATE INDEX case_events_contacts ON case_events (borrower_id, on_date) WHERE kind = 'contact';

-- case_payments attributes each payment on a case's loans to the case's
-- bucket and owner when the nightly run first saw it: the source of amounts
-- collected per collector, team and bucket.
CREATE TABLE case_payments (
    payment_id   INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL,
    borrower_id  INTEGER NOT NULL,
    loan_id      INTEGER NOT NULL,
    paid_on      TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    bucket       TEXT NOT NULL,
    owner_kind   TEXT NOT NULL DEFAULT '',
    owner_id     INTEGER NOT NULL DEFAULT 0,
    team_id      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX case_payments_paid_on ON case_payments (paid_on);
CREATE INDEX case_payments_borrower ON case_payments (borrower_id, case_id);

-- tasks are work for people: calls in a queue, negotiation offers, visit
-- recommendations, legal referrals, agency placements. dedup_key
-- ("case:12:call:early:2026-03-02") makes creating them idempotent.
CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    borrower_id   INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    queue         TEXT NOT NULL DEFAULT '',
    priority      INTEGER NOT NULL DEFAULT 5,
    due_on        TEXT NOT NULL,
    status        TEXT NOT NULL,
    assignee_kind TEXT NOT NULL DEFAULT '',
    assignee_id   INTEGER NOT NULL DEFAULT 0,
    rule          TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL DEFAULT '',
    dedup_key     TEXT NOT NULL UNIQUE,
    created_on    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    closed_at     TIMESTAMP
);
CREATE INDEX tasks_open_case ON tasks (case_id) WHERE status = 'open';
CREATE INDEX tasks_open_borrower ON tasks (borrower_id) WHERE status = 'open';
CREATE INDEX tasks_open_queue ON tasks (queue, priority) WHERE status = 'open';

-- experiment_cases is each case's outcome in an experiment, measured from
-- the day it entered (start_*); experiment_days the daily totals per arm.
CREATE TABLE experiment_cases (
    experiment_id   INTEGER NOT NULL,
    case_id         INTEGER NOT NULL,
    borrower_id     INTEGER NOT NULL,
    arm             TEXT NOT NULL,
    entered_on      TEXT NOT NULL,
    start_rank      INTEGER NOT NULL,
    max_rank        INTEGER NOT NULL,
    cured           INTEGER NOT NULL DEFAULT 0,
    start_recovered INTEGER NOT NULL DEFAULT 0,
    recovered_minor INTEGER NOT NULL DEFAULT 0,
    start_attempts  INTEGER NOT NULL DEFAULT 0,
    contacts        INTEGER NOT NULL DEFAULT 0,
    start_cost      INTEGER NOT NULL DEFAULT 0,
    cost_minor      INTEGER NOT NULL DEFAULT 0,
    updated_on      TEXT NOT NULL,
    PRIMARY KEY (experiment_id, case_id)
) WITHOUT ROWID;

CREATE TABLE experiment_days (
    experiment_id   INTEGER NOT NULL,
    as_of           TEXT NOT NULL,
    arm             TEXT NOT NULL,
    cases           INTEGER NOT NULL,
    cured           INTEGER NOT NULL,
    rolled_forward  INTEGER NOT NULL,
    recovered_minor INTEGER NOT NULL,
    contacts        INTEGER NOT NULL,
    cost_minor      INTEGER NOT NULL,
    PRIMARY KEY (experiment_id, as_of, arm)
) WITHOUT ROWID;

-- The casework step of the nightly run walks delinquent borrowers in id
-- order; this keeps that walk off the current loans.
CREATE INDEX loan_positions_delinquent_borrower ON loan_positions (borrower_id) WHERE dpd > 0;

-- +goose Down
-- Forward-only: restore from a backup instead.
