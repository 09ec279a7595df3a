-- Promises to pay as records (SQLite): several per case, each matched to
-- payments first in, first out, and judged the day after its date. The
-- PostgreSQL tree has a file of the same name with the same tables and
-- columns. Both tables lead with borrower_id (DESIGN §8). The case keeps
-- its kept/broken counters (read by the segment and the strategy) and its
-- promise_due/promise_amount_minor columns, now a copy of the earliest open
-- promise that package negotiation keeps in step.

-- +goose Up
-- promises: collector_id and team_id are who took it (or the case's
-- collector when the taker is not one), for the promise-kept rates.
CREATE TABLE promises (
    id            INTEGER PRIMARY KEY,
    borrower_id   INTEGER NOT NULL,
    case_id       INTEGER NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    due_on        TEXT NOT NULL,
    channel       TEXT NOT NULL,
    taken_by      TEXT NOT NULL DEFAULT '',
    collector_id  INTEGER NOT NULL DEFAULT 0,
    team_id       INTEGER NOT NULL DEFAULT 0,
    made_on       TEXT NOT NULL,
    made_at       TIMESTAMP NOT NULL,
    contact_id    INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL CHECK (status IN ('open', 'kept', 'partly_kept', 'broken', 'cancelled')),
    paid_minor    INTEGER NOT NULL DEFAULT 0,
    judged_on     TEXT,
    cancel_reason TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX promises_borrower ON promises (borrower_id, status, due_on);
CREATE INDEX promises_case ON promises (case_id, due_on);
CREATE INDEX promises_open_due ON promises (due_on, borrower_id) WHERE status = 'open';
CREATE INDEX promises_judged ON promises (judged_on, collector_id) WHERE judged_on IS NOT NULL;

-- promise_matches: which part of which payment went to which promise, so
-- that matching a payment twice adds nothing and a reversed payment can be
-- taken back.
CREATE TABLE promise_matches (
    borrower_id  INTEGER NOT NULL,
    payment_id   INTEGER NOT NULL,
    promise_id   INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    paid_on      TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (borrower_id, payment_id, promise_id)
) WITHOUT ROWID;
CREATE INDEX promise_matches_payment ON promise_matches (payment_id);
CREATE INDEX promise_matches_promise ON promise_matches (promise_id);

-- promise_broken_on is the last day one of the case's promises was judged
-- broken or partly kept: the strategy's days_since_broken_promise.
ALTER TABLE cases ADD COLUMN promise_broken_on TEXT;

-- The single promise slot of open cases becomes a promise record, with
-- what the case's loans received since it was made (up to its amount).
INSERT INTO promises (borrower_id, case_id, amount_minor, due_on, channel, taken_by, collector_id, team_id, made_on,
    made_at, status, paid_minor, created_at, updated_at)
SELECT c.borrower_id, c.id, c.promise_amount_minor, c.promise_due, 'call', '',
    CASE WHEN c.owner_kind = 'collector' THEN c.owner_id ELSE 0 END,
    COALESCE((SELECT k.team_id FROM collectors k WHERE c.owner_kind = 'collector' AND k.id = c.owner_id), 0),
    COALESCE(c.promise_made_on, c.promise_due), c.updated_at, 'open',
    MIN(c.promise_amount_minor, COALESCE((SELECT SUM(p.amount_minor) FROM payments p JOIN case_loans cl ON cl.loan_id = p.loan_id
        WHERE cl.case_id = c.id AND p.reversed = 0 AND p.paid_on >= COALESCE(c.promise_made_on, c.promise_due)
        AND p.paid_on <= c.promise_due), 0)),
    c.updated_at, c.updated_at
FROM cases c
WHERE c.status = 'open' AND c.promise_due IS NOT NULL AND c.promise_amount_minor > 0;

-- +goose Down
-- Forward-only: restore from a backup instead.
