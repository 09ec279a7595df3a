-- Second negotiation (二次协商) records (SQLite): affordability assessments,
-- the offers the engine proposed from them, their approvals, the rounds of
-- negotiation (协商记录) with their attachments, and agreements. The
-- PostgreSQL tree has a file of the same name with the same tables and
-- columns. Every table leads with borrower_id (DESIGN §8).
--
-- Assessments, approval decisions, rounds and attachments are evidence:
-- they are only ever added to. Triggers refuse UPDATE and DELETE on them.

-- +goose Up
-- negotiation_assessments: one row per assessment, versioned per case (a
-- new assessment is version n+1, the old ones stay). input is the
-- offer.Assessment as recorded, result the offer.Affordability with its
-- arithmetic steps.
CREATE TABLE negotiation_assessments (
    id                 INTEGER PRIMARY KEY,
    borrower_id        INTEGER NOT NULL,
    case_id            INTEGER NOT NULL,
    version            INTEGER NOT NULL CHECK (version > 0),
    input              TEXT NOT NULL,
    evidence           TEXT NOT NULL DEFAULT '',
    income_minor       INTEGER NOT NULL,
    disposable_minor   INTEGER NOT NULL,
    dsr                TEXT NOT NULL DEFAULT '',
    sustainable_minor  INTEGER NOT NULL,
    result             TEXT NOT NULL,
    assessed_by        TEXT NOT NULL,
    user_id            INTEGER NOT NULL DEFAULT 0,
    created_at         TIMESTAMP NOT NULL,
    UNIQUE (case_id, version)
);
CREATE INDEX negotiation_assessments_borrower ON negotiation_assessments (borrower_id, case_id, version);

-- negotiation_offers: the engine's offers as proposed from one assessment.
-- offer is the whole offer.Offer (schedule, waivers, concession, summary);
-- the columns beside it are what lists and the budget read. concession_minor
-- is what counts against the team's monthly restructuring budget.
CREATE TABLE negotiation_offers (
    id                       INTEGER PRIMARY KEY,
    borrower_id              INTEGER NOT NULL,
    case_id                  INTEGER NOT NULL,
    assessment_id            INTEGER NOT NULL REFERENCES negotiation_assessments (id),
    offer_key                TEXT NOT NULL,
    policy_name              TEXT NOT NULL,
    policy_version           INTEGER NOT NULL,
    as_of                    TEXT NOT NULL,
    kind                     TEXT NOT NULL,
    offer                    TEXT NOT NULL,
    total_payable_minor      INTEGER NOT NULL,
    waived_minor             INTEGER NOT NULL,
    concession_minor         INTEGER NOT NULL,
    annual_rate              TEXT NOT NULL,
    npv_minor                INTEGER NOT NULL,
    p_kept                   TEXT NOT NULL,
    expected_recovery_minor  INTEGER NOT NULL,
    affordable               INTEGER NOT NULL,
    approval_level           TEXT NOT NULL,
    limits                   TEXT NOT NULL,
    rank                     INTEGER NOT NULL,
    team_id                  INTEGER NOT NULL DEFAULT 0,
    status                   TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'accepted', 'expired')),
    proposed_by              TEXT NOT NULL,
    proposed_by_id           INTEGER NOT NULL DEFAULT 0,
    proposed_at              TIMESTAMP NOT NULL,
    decided_by               TEXT NOT NULL DEFAULT '',
    decided_by_id            INTEGER NOT NULL DEFAULT 0,
    decided_at               TIMESTAMP,
    decision_reason          TEXT NOT NULL DEFAULT '',
    updated_at               TIMESTAMP NOT NULL
);
CREATE INDEX negotiation_offers_borrower ON negotiation_offers (borrower_id, case_id, status);
CREATE INDEX negotiation_offers_case ON negotiation_offers (case_id, id);
CREATE INDEX negotiation_offers_pending ON negotiation_offers (status, proposed_at) WHERE status = 'proposed';
CREATE INDEX negotiation_offers_budget ON negotiation_offers (team_id, decided_at) WHERE decided_at IS NOT NULL;

-- negotiation_decisions: who proposed, approved or rejected which offer,
-- with which authority, when and why.
CREATE TABLE negotiation_decisions (
    id           INTEGER PRIMARY KEY,
    borrower_id  INTEGER NOT NULL,
    offer_id     INTEGER NOT NULL REFERENCES negotiation_offers (id),
    action       TEXT NOT NULL CHECK (action IN ('propose', 'approve', 'reject')),
    username     TEXT NOT NULL,
    user_id      INTEGER NOT NULL DEFAULT 0,
    level        TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    at           TIMESTAMP NOT NULL
);
CREATE INDEX negotiation_decisions_offer ON negotiation_decisions (offer_id, id);
CREATE INDEX negotiation_decisions_borrower ON negotiation_decisions (borrower_id);

-- negotiation_rounds: one conversation of the negotiation (协商记录).
CREATE TABLE negotiation_rounds (
    id            INTEGER PRIMARY KEY,
    borrower_id   INTEGER NOT NULL,
    case_id       INTEGER NOT NULL,
    held_at       TIMESTAMP NOT NULL,
    place_kind    TEXT NOT NULL CHECK (place_kind IN ('phone', 'branch', 'home_visit', 'online', 'other')),
    place         TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL,
    participants  TEXT NOT NULL,
    situation     TEXT NOT NULL DEFAULT '',
    offers_made   TEXT NOT NULL,
    counter_offer TEXT NOT NULL DEFAULT '',
    key_points    TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    user_id       INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX negotiation_rounds_borrower ON negotiation_rounds (borrower_id, case_id, held_at);
CREATE INDEX negotiation_rounds_case ON negotiation_rounds (case_id, held_at);

-- negotiation_attachments: files of a round, stored in the database with
-- their SHA-256 (the store caps their size).
CREATE TABLE negotiation_attachments (
    id            INTEGER PRIMARY KEY,
    borrower_id   INTEGER NOT NULL,
    round_id      INTEGER NOT NULL REFERENCES negotiation_rounds (id),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size >= 0),
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX negotiation_attachments_round ON negotiation_attachments (round_id, id);
CREATE INDEX negotiation_attachments_borrower ON negotiation_attachments (borrower_id);

-- negotiation_agreements: an approved offer put to the borrower, with its
-- printable text in Chinese and English, and how it was accepted: a
-- one-time code sent by SMS (only its salted SHA-256 is kept) or a signed
-- copy (only its SHA-256 is kept here; the file goes in as an attachment
-- of a round if it is to be kept).
CREATE TABLE negotiation_agreements (
    id               INTEGER PRIMARY KEY,
    borrower_id      INTEGER NOT NULL,
    case_id          INTEGER NOT NULL,
    offer_id         INTEGER NOT NULL UNIQUE REFERENCES negotiation_offers (id),
    loan_ids         TEXT NOT NULL,
    offer            TEXT NOT NULL,
    text_zh          TEXT NOT NULL,
    text_en          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'cancelled')),
    method           TEXT NOT NULL DEFAULT '',
    code_hash        TEXT NOT NULL DEFAULT '',
    code_salt        TEXT NOT NULL DEFAULT '',
    code_expires_at  TIMESTAMP,
    code_attempts    INTEGER NOT NULL DEFAULT 0,
    codes_sent       INTEGER NOT NULL DEFAULT 0,
    message_id       INTEGER NOT NULL DEFAULT 0,
    signed_sha256    TEXT NOT NULL DEFAULT '',
    accepted_at      TIMESTAMP,
    created_by       TEXT NOT NULL,
    created_by_id    INTEGER NOT NULL DEFAULT 0,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX negotiation_agreements_borrower ON negotiation_agreements (borrower_id, case_id);
CREATE INDEX negotiation_agreements_case ON negotiation_agreements (case_id, id);

-- +goose StatementBegin
CREATE TRIGGER negotiation_assessments_fixed BEFORE UPDATE ON negotiation_assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments are evidence: add a new version instead');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER negotiation_assessments_kept BEFORE DELETE ON negotiation_assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments are evidence: add a new version instead');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER negotiation_decisions_fixed BEFORE UPDATE ON negotiation_decisions
BEGIN
    SELECT RAISE(ABORT, 'approval decisions are evidence and cannot be changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER negotiation_decisions_kept BEFORE DELETE ON negotiation_decisions
BEGIN
    SELECT RAISE(ABORT, 'approval decisions are evidence and cannot be changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER negotiation_rounds_fixed BEFORE UPDATE ON negotiation_rounds
BEGIN
    SELECT RAISE(ABORT, 'negotiation rounds are only added to, never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER negotiation_rounds_kept BEFORE DELETE ON negotiation_rounds
BEGIN
    SELECT RAISE(ABORT, 'negotiation rounds are only added to, never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER negotiation_attachments_fixed BEFORE UPDATE ON negotiation_attachments
BEGIN
    SELECT RAISE(ABORT, 'negotiation rounds are only added to, never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER negotiation_attachments_kept BEFORE DELETE ON negotiation_attachments
BEGIN
    SELECT RAISE(ABORT, 'negotiation rounds are only added to, never changed');
END;
-- +goose StatementEnd

-- +goose Down
-- Forward-only: restore from a backup instead.
