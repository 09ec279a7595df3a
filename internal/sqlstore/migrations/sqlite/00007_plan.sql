-- Restructured loans and repayment plans (SQLite): an accepted offer
-- activated as a plan over one or more loans of a borrower. The loans'
-- original schedules (installments), payments and allocations are not
-- touched: the plan's schedule is in plan_installments, payments on a plan
-- loan after activation are applied to it (package plan), the waivers are
-- ledger adjustments by component, and plan_events keys what the nightly
-- monitoring did so that it does it once. The PostgreSQL tree has a file of
-- the same name with the same tables and columns. Every table leads with
-- borrower_id (DESIGN §8).

-- +goose Up
CREATE TABLE plans (
    id                  INTEGER PRIMARY KEY,
    borrower_id         INTEGER NOT NULL,
    agreement_id        INTEGER NOT NULL,
    case_id             INTEGER NOT NULL DEFAULT 0,
    offer_id            TEXT NOT NULL DEFAULT '',
    offer_kind          TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('active', 'in_grace', 'broken', 'completed', 'superseded')),
    start_on            TEXT NOT NULL,
    financed_minor      INTEGER NOT NULL,
    waived_principal_minor INTEGER NOT NULL DEFAULT 0,
    waived_interest_minor  INTEGER NOT NULL DEFAULT 0,
    waived_penalty_minor   INTEGER NOT NULL DEFAULT 0,
    waived_fees_minor      INTEGER NOT NULL DEFAULT 0,
    conditional         TEXT NOT NULL DEFAULT '[]',
    pre_dpd             INTEGER NOT NULL DEFAULT 0,
    grace_days          INTEGER NOT NULL,
    reset_after         INTEGER NOT NULL,
    revisit_months      INTEGER NOT NULL,
    revisit_months_good INTEGER NOT NULL,
    after_payment_id    INTEGER NOT NULL DEFAULT 0,
    checked_on          TEXT,
    last_revisit_on     TEXT,
    broken_on           TEXT,
    completed_on        TEXT,
    activated_by        TEXT NOT NULL DEFAULT '',
    accepted_at         TIMESTAMP NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX plans_agreement ON plans (borrower_id, agreement_id);
CREATE INDEX plans_borrower ON plans (borrower_id, status);
CREATE INDEX plans_case ON plans (case_id);
CREATE INDEX plans_open ON plans (id) WHERE status NOT IN ('completed', 'superseded');

CREATE TABLE plan_loans (
    borrower_id INTEGER NOT NULL,
    plan_id     INTEGER NOT NULL,
    loan_id     INTEGER NOT NULL,
    pos         INTEGER NOT NULL,
    PRIMARY KEY (borrower_id, plan_id, loan_id)
);
CREATE INDEX plan_loans_loan ON plan_loans (loan_id, plan_id);
CREATE INDEX plan_loans_plan ON plan_loans (plan_id, pos);

CREATE TABLE plan_installments (
    borrower_id  INTEGER NOT NULL,
    plan_id      INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    due_on       TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (borrower_id, plan_id, seq)
);
CREATE INDEX plan_installments_plan ON plan_installments (plan_id, seq);

CREATE TABLE plan_events (
    borrower_id INTEGER NOT NULL,
    plan_id     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    key         TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (borrower_id, plan_id, kind, key)
);
CREATE INDEX plan_events_plan ON plan_events (plan_id, kind);

CREATE TABLE ledger_adjustments (
    id              INTEGER PRIMARY KEY,
    borrower_id     INTEGER NOT NULL,
    loan_id         INTEGER NOT NULL,
    plan_id         INTEGER NOT NULL DEFAULT 0,
    kind            TEXT NOT NULL CHECK (kind IN ('waiver', 'waiver_conditional', 'restructure')),
    on_date         TEXT NOT NULL,
    principal_minor INTEGER NOT NULL DEFAULT 0,
    interest_minor  INTEGER NOT NULL DEFAULT 0,
    penalty_minor   INTEGER NOT NULL DEFAULT 0,
    fees_minor      INTEGER NOT NULL DEFAULT 0,
    note            TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX ledger_adjustments_borrower ON ledger_adjustments (borrower_id, loan_id);
CREATE INDEX ledger_adjustments_loan ON ledger_adjustments (loan_id, id);

-- +goose Down
-- Forward-only: restore from a backup instead.
