-- Covering indexes for a team's restructuring budget (issue 7), which
-- ApproveOffer reads under its lock on every approval that waives
-- something: TeamOutstanding sums balance_minor over the open cases of the
-- team's collectors, TeamConcessions sums concession_minor over the team's
-- offers decided this month. Without these, each sum fetched every row
-- from the table: tens of thousands of row reads per approval for a team
-- of a 1M-loan book, growing with the month's approvals. The PostgreSQL
-- tree has a file of the same name with the same indexes.

-- +goose Up
CREATE INDEX cases_open_owner_balance ON cases (owner_kind, owner_id, balance_minor) WHERE status = 'open';
DROP INDEX negotiation_offers_budget;
CREATE INDEX negotiation_offers_budget ON negotiation_offers (team_id, decided_at, status, concession_minor)
    WHERE decided_at IS NOT NULL;

-- +goose Down
DROP INDEX negotiation_offers_budget;
CREATE INDEX negotiation_offers_budget ON negotiation_offers (team_id, decided_at) WHERE decided_at IS NOT NULL;
DROP INDEX cases_open_owner_balance;
