-- The early-warning score (ew90) of every current borrower moves by less
-- than 0.01 percentage point on most nights. Storing it every night wrote
-- about 360,000 rows a night on a 1M-loan book (130 M a year), each also
-- into its borrower's place in the (borrower, target, date) key, and
-- nothing reads that history day by day. From this migration on an ew90
-- score is stored when it moves (scoring.Moved) or its model or arm
-- changes; score_last is the last one stored per borrower, which the night
-- compares against and which stands for the score on the nights in
-- between.

-- +goose Up
CREATE TABLE score_last (
    target      TEXT NOT NULL,
    borrower_id BIGINT NOT NULL,
    as_of       DATE NOT NULL,
    model_id    BIGINT NOT NULL,
    arm         TEXT NOT NULL,
    probability DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (target, borrower_id)
);
INSERT INTO score_last (target, borrower_id, as_of, model_id, arm, probability)
SELECT s.target, s.borrower_id, s.as_of, s.model_id, s.arm, s.probability FROM borrower_scores s
WHERE s.target = 'ew90' AND s.as_of = (SELECT MAX(x.as_of) FROM borrower_scores x WHERE x.borrower_id = s.borrower_id AND x.target = 'ew90');

-- +goose Down
DROP TABLE score_last;
