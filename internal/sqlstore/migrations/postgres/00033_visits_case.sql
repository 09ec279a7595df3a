-- Visits by case: a visit request asks whether the case already has a
-- visit under way, the nightly run for every unassigned visit task, and the
-- case page lists its visits. Without this index each such question read
-- every visit of a state (2 ms a case on a 1M-loan book).

-- +goose Up
CREATE INDEX visits_case ON visits (case_id, id);

-- +goose Down
DROP INDEX visits_case;
