-- The borrower self-service portal (SQLite; the PostgreSQL tree has a file
-- of the same name with the same tables and columns): one-time sign-in
-- codes kept only as salted hashes, short-lived portal sessions (their
-- cookie token kept only as a SHA-256), the requests borrowers make there,
-- and payments through the payment gateway: orders and the gateway's
-- signed callbacks, unique by nonce (a replay) and the order by the
-- gateway's transaction id (a payment is posted once).

-- +goose Up
-- portal_challenges: one row per code asked for. borrower_id is 0 when the
-- loan number and phone did not match (no code is sent, but the attempt
-- counts against the phone's and the address's limits all the same).
-- phone_hash is a SHA-256 of the number as typed after normalising, never
-- the number.
CREATE TABLE portal_challenges (
    id          INTEGER PRIMARY KEY,
    borrower_id INTEGER NOT NULL DEFAULT 0,
    loan_id     INTEGER NOT NULL DEFAULT 0,
    phone_hash  TEXT NOT NULL,
    addr        TEXT NOT NULL DEFAULT '',
    code_hash   TEXT NOT NULL DEFAULT '',
    code_salt   TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL CHECK (status IN ('open', 'used', 'locked', 'unmatched')),
    message_id  INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX portal_challenges_phone ON portal_challenges (phone_hash, created_at);
CREATE INDEX portal_challenges_addr ON portal_challenges (addr, created_at);

CREATE TABLE portal_sessions (
    id           INTEGER PRIMARY KEY,
    hash         TEXT NOT NULL UNIQUE,
    borrower_id  INTEGER NOT NULL,
    loan_id      INTEGER NOT NULL,
    challenge_id INTEGER NOT NULL,
    csrf_token   TEXT NOT NULL,
    addr         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX portal_sessions_borrower ON portal_sessions (borrower_id);
CREATE INDEX portal_sessions_expires ON portal_sessions (expires_at);

-- portal_requests: what a borrower asked for on the portal (or through the
-- bot): a dispute, a complaint, a stop-contact request, a plan.
CREATE TABLE portal_requests (
    id          INTEGER PRIMARY KEY,
    borrower_id INTEGER NOT NULL,
    case_id     INTEGER NOT NULL DEFAULT 0,
    loan_id     INTEGER NOT NULL DEFAULT 0,
    kind        TEXT NOT NULL CHECK (kind IN ('dispute', 'complaint', 'stop_contact', 'plan', 'promise')),
    channel     TEXT NOT NULL DEFAULT 'portal',
    note        TEXT NOT NULL DEFAULT '',
    flags_added TEXT NOT NULL DEFAULT '[]',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX portal_requests_borrower ON portal_requests (borrower_id, created_at);

-- payment_orders: a payment the borrower started through the gateway.
-- order_id is ours (sent to the gateway), txn_id the gateway's transaction
-- id once paid: unique, so one transaction posts one payment.
CREATE TABLE payment_orders (
    id            INTEGER PRIMARY KEY,
    order_id      TEXT NOT NULL UNIQUE,
    borrower_id   INTEGER NOT NULL,
    loan_id       INTEGER NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    status        TEXT NOT NULL CHECK (status IN ('created', 'paid', 'failed')),
    gateway_no    TEXT NOT NULL DEFAULT '',
    pay_url       TEXT NOT NULL DEFAULT '',
    txn_id        TEXT UNIQUE,
    payment_id    INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    paid_at       TIMESTAMP
);
CREATE INDEX payment_orders_borrower ON payment_orders (borrower_id, created_at);

-- gateway_callbacks: every callback whose signature checked out, unique by
-- its nonce: the same nonce again is a replay. outcome: accepted (being
-- posted), posted, duplicate
-- (the transaction was posted before), refused (amount mismatch, unknown
-- order …).
CREATE TABLE gateway_callbacks (
    id           INTEGER PRIMARY KEY,
    nonce        TEXT NOT NULL UNIQUE,
    order_id     TEXT NOT NULL,
    txn_id       TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('accepted', 'posted', 'duplicate', 'refused')),
    reason       TEXT NOT NULL DEFAULT '',
    received_at  TIMESTAMP NOT NULL
);
CREATE INDEX gateway_callbacks_order ON gateway_callbacks (order_id);

-- +goose Down
DROP TABLE gateway_callbacks;
DROP TABLE payment_orders;
DROP TABLE portal_requests;
DROP TABLE portal_sessions;
DROP TABLE portal_challenges;
