-- offer_policies keeps every saved version of the offer policy (limits,
-- discount rate, authority matrix) as the JSON document offer.ParsePolicy
-- reads; like strategy_versions, at most one version is published (the
-- champion ProposeOffers uses). The author of a version may not publish it
-- (four eyes, checked by the use case).
--
-- offer_policy_experiments runs a challenger policy version on a share of
-- borrowers while the champion handles the rest; at most one runs at a
-- time. Which arm an offer came from is read from the offer's policy name
-- and version (negotiation_offers.policy_name, policy_version).
-- The other engine's tree has a file of the same name with the same columns.

-- +goose Up
CREATE TABLE offer_policies (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version > 0),
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    published_by TEXT NOT NULL DEFAULT '',
    published_at TIMESTAMP,
    retired_at   TIMESTAMP,
    UNIQUE (name, version)
);
CREATE UNIQUE INDEX offer_policies_published ON offer_policies (status) WHERE status = 'published';

CREATE TABLE offer_policy_experiments (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    champion_id   INTEGER NOT NULL REFERENCES offer_policies (id),
    challenger_id INTEGER NOT NULL REFERENCES offer_policies (id),
    share         REAL NOT NULL CHECK (share >= 0 AND share <= 1),
    status        TEXT NOT NULL CHECK (status IN ('active', 'stopped')),
    started_on    TEXT NOT NULL,
    stopped_on    TEXT,
    created_by    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX offer_policy_experiments_active ON offer_policy_experiments (status) WHERE status = 'active';

-- +goose Down
DROP TABLE offer_policy_experiments;
DROP TABLE offer_policies;
