-- A message's one-time secret (a sign-in or agreement acceptance code),
-- kept apart from its text and encrypted with the PII key like the
-- address (to_enc). The body holds the mark {secret} where the code goes;
-- the sender puts the code in only as it hands the message to the
-- provider, and the secret is cleared once the message is final (sent,
-- failed, blocked, cancelled), so the code is never in the database in
-- clear, nor in the contact log. The PostgreSQL tree has a file of the
-- same name.

-- +goose Up
ALTER TABLE messages ADD COLUMN secret_enc BLOB;

-- +goose Down
ALTER TABLE messages DROP COLUMN secret_enc;
