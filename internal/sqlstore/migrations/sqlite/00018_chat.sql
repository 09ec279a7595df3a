-- The borrower chatbot's storage (SQLite): one conversation per borrower
-- and channel with the dialogue state the bot carries between messages,
-- the turns of each conversation (for idempotent retries and to link each
-- turn to its contact log entries), and the bindings of a messaging
-- channel's borrower reference to a borrower. The messages themselves are
-- contact records (contact_attempts, channel bot). The PostgreSQL tree has
-- a file of the same name with the same tables and columns; every table
-- leads with borrower_id or the integration (DESIGN §8).

-- +goose Up
-- chat_conversations: channel is "portal" or the integration's channel
-- name; ref is the channel's reference of the borrower ('' for the portal);
-- state is bot.State as JSON; version counts saved turns (optimistic
-- concurrency: two messages at once cannot both move the same state).
CREATE TABLE chat_conversations (
    id           INTEGER PRIMARY KEY,
    borrower_id  INTEGER NOT NULL,
    channel      TEXT NOT NULL,
    ref          TEXT NOT NULL DEFAULT '',
    lang         TEXT NOT NULL DEFAULT 'zh',
    state        TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'handed_over')),
    version      INTEGER NOT NULL DEFAULT 0,
    last_in_at   TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (borrower_id, channel, ref)
);

-- chat_turns: one borrower message and the bot's answer. message_key is
-- the channel's message id (or a generated one): a retried message with
-- the same key gets the stored answer and nothing is done twice.
CREATE TABLE chat_turns (
    id              INTEGER PRIMARY KEY,
    borrower_id     INTEGER NOT NULL,
    conversation_id INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    message_key     TEXT NOT NULL,
    intent          TEXT NOT NULL DEFAULT '',
    action          TEXT NOT NULL DEFAULT '',
    inbound_id      INTEGER NOT NULL DEFAULT 0,
    outbound_id     INTEGER NOT NULL DEFAULT 0,
    reply           TEXT NOT NULL DEFAULT '{}',
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (conversation_id, message_key)
);
CREATE INDEX chat_turns_borrower ON chat_turns (borrower_id, conversation_id, seq);

-- chat_bindings: a messaging channel's borrower reference, bound to a
-- borrower once the loan number and the registered phone matched.
-- Failed verifications are counted; at the limit the reference is locked.
CREATE TABLE chat_bindings (
    id              INTEGER PRIMARY KEY,
    integration_id  INTEGER NOT NULL,
    channel         TEXT NOT NULL,
    ref             TEXT NOT NULL,
    borrower_id     INTEGER NOT NULL DEFAULT 0,
    loan_id         INTEGER NOT NULL DEFAULT 0,
    failures        INTEGER NOT NULL DEFAULT 0,
    verified_at     TIMESTAMP,
    last_failed_at  TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (integration_id, channel, ref)
);

-- +goose Down
-- Forward-only: restore from a backup instead.
