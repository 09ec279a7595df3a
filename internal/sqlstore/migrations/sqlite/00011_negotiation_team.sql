-- negotiation_offer_policies keeps, for every stored offer, the offer
-- policy document that produced it (policy_id is its offer_policies.id, 0
-- for the policy configured in code), so that approving the offer applies
-- the authority and limits it was made under, whatever is published since;
-- experiment_id is the offer policy experiment whose arm chose it (0: none),
-- which the experiment's results count.
--
-- team_negotiation_settings is each team's negotiation configuration,
-- versioned (a change adds a version; the highest is in force): the offer
-- policy version its cases use (policy_id; 0 follows the published version,
-- and the running offer policy experiment when experiment = 1) and its
-- monthly restructuring budget share (budget_share, a decimal string; ''
-- takes the lender's default).
--
-- support_programme_versions keeps every saved version of the support
-- programme's educational messages (a JSON document: day after enrolment,
-- zh and en text); the newest is in force. support_messages records which
-- message of an enrolment was queued, one row per (borrower, enrolment
-- date, day), which makes the nightly step idempotent.
-- The other engine's tree has a file of the same name with the same columns.

-- +goose Up
CREATE TABLE negotiation_offer_policies (
    offer_id    INTEGER PRIMARY KEY REFERENCES negotiation_offers (id),
    borrower_id INTEGER NOT NULL,
    policy_id   INTEGER NOT NULL DEFAULT 0,
    experiment_id INTEGER NOT NULL DEFAULT 0,
    body        TEXT NOT NULL
);

CREATE TABLE team_negotiation_settings (
    id           INTEGER PRIMARY KEY,
    team_id      INTEGER NOT NULL REFERENCES teams (id),
    version      INTEGER NOT NULL CHECK (version > 0),
    policy_id    INTEGER NOT NULL DEFAULT 0,
    experiment   INTEGER NOT NULL DEFAULT 1,
    budget_share TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (team_id, version)
);

CREATE TABLE support_programme_versions (
    id         INTEGER PRIMARY KEY,
    version    INTEGER NOT NULL UNIQUE CHECK (version > 0),
    body       TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE support_messages (
    id          INTEGER PRIMARY KEY,
    borrower_id INTEGER NOT NULL,
    case_id     INTEGER NOT NULL,
    enrolled_on TEXT NOT NULL,
    day         INTEGER NOT NULL,
    as_of       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (borrower_id, enrolled_on, day)
);
CREATE INDEX case_events_support ON case_events (borrower_id, id) WHERE code = 'support.enrolled';

-- +goose Down
DROP INDEX case_events_support;
DROP TABLE support_messages;
DROP TABLE support_programme_versions;
DROP TABLE team_negotiation_settings;
DROP TABLE negotiation_offer_policies;
