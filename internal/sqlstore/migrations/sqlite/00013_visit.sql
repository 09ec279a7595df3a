-- Field visits (上门催收, issue 8) (SQLite). The PostgreSQL tree has a file
-- of the same name with the same tables and columns. Tables about one
-- borrower lead with borrower_id (DESIGN §8). Outcomes (visit_entries) and
-- their files (visit_attachments) are evidence: the database refuses
-- UPDATE and DELETE; a correction is a new entry pointing at the old one.

-- +goose Up
-- field_pairs: two field agents (usernames) who visit together, their base,
-- hours (local HH:MM), speed, region, daily capacity and the recording
-- device bound to their visits.
CREATE TABLE field_pairs (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    agent1           TEXT NOT NULL,
    agent2           TEXT NOT NULL CHECK (agent2 <> agent1),
    base_lat         REAL NOT NULL,
    base_lon         REAL NOT NULL,
    day_from         TEXT NOT NULL,
    day_until        TEXT NOT NULL,
    speed_kmh        REAL NOT NULL,
    region           TEXT NOT NULL DEFAULT '',
    capacity         INTEGER NOT NULL CHECK (capacity >= 1),
    recording_device TEXT NOT NULL DEFAULT '',
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

-- visits: one visit from request to outcome. source is strategy (task_id
-- is the strategy's visit task) or collector. Money in fen; dates
-- 'YYYY-MM-DD'; local clock times 'HH:MM'.
CREATE TABLE visits (
    id                  INTEGER PRIMARY KEY,
    borrower_id         INTEGER NOT NULL,
    case_id             INTEGER NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('requested', 'approved', 'rejected', 'noticed', 'planned',
                            'checked_in', 'done', 'cancelled')),
    source              TEXT NOT NULL CHECK (source IN ('strategy', 'collector')),
    task_id             INTEGER UNIQUE,
    rule                TEXT NOT NULL DEFAULT '',
    purpose             TEXT NOT NULL DEFAULT '',
    target              TEXT NOT NULL DEFAULT '',
    requested_by        TEXT NOT NULL,
    requested_at        TIMESTAMP NOT NULL,
    address_kind        TEXT NOT NULL DEFAULT '',
    address_line        TEXT NOT NULL,
    address_city        TEXT NOT NULL DEFAULT '',
    region              TEXT NOT NULL DEFAULT '',
    lat                 REAL NOT NULL,
    lon                 REAL NOT NULL,
    time_zone           TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    overdue_minor       INTEGER NOT NULL DEFAULT 0,
    recovery_rate       TEXT NOT NULL DEFAULT '0',
    expected_minor      INTEGER NOT NULL DEFAULT 0,
    road_km             TEXT NOT NULL DEFAULT '0',
    cost_minor          INTEGER NOT NULL DEFAULT 0,
    duration_min        INTEGER NOT NULL DEFAULT 45,
    pref_from           TEXT NOT NULL DEFAULT '',
    pref_until          TEXT NOT NULL DEFAULT '',
    pref_weekdays       TEXT NOT NULL DEFAULT '[]',
    decided_by          TEXT NOT NULL DEFAULT '',
    decided_at          TIMESTAMP,
    decision_note       TEXT NOT NULL DEFAULT '',
    notice_sent_at      TIMESTAMP,
    notice_message_id   INTEGER NOT NULL DEFAULT 0,
    notice_for          TEXT NOT NULL DEFAULT '',
    pair_id             INTEGER NOT NULL DEFAULT 0,
    planned_on          TEXT,
    slot_from           TEXT NOT NULL DEFAULT '',
    slot_until          TEXT NOT NULL DEFAULT '',
    planned_start       TIMESTAMP,
    recording_device    TEXT NOT NULL DEFAULT '',
    checked_in_at       TIMESTAMP,
    checkin_lat         REAL NOT NULL DEFAULT 0,
    checkin_lon         REAL NOT NULL DEFAULT 0,
    checkin_distance_m  REAL NOT NULL DEFAULT 0,
    checkin_flagged     INTEGER NOT NULL DEFAULT 0,
    checkin_agents      TEXT NOT NULL DEFAULT '[]',
    checked_out_at      TIMESTAMP,
    done_at             TIMESTAMP,
    outcome_kind        TEXT NOT NULL DEFAULT '',
    cancelled_at        TIMESTAMP,
    cancel_reason       TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX visits_borrower ON visits (borrower_id, case_id, id);
CREATE INDEX visits_state ON visits (state, id);
CREATE INDEX visits_planned ON visits (planned_on, pair_id) WHERE planned_on IS NOT NULL;

-- visit_day_plans: a pair's planned day, each (re-)plan a new version; the
-- highest version is the plan in force. stops and left_out are JSON; svg
-- is the map drawn from the coordinates.
CREATE TABLE visit_day_plans (
    id          INTEGER PRIMARY KEY,
    pair_id     INTEGER NOT NULL REFERENCES field_pairs (id),
    plan_on     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    stops       TEXT NOT NULL,
    left_out    TEXT NOT NULL,
    travel_km   REAL NOT NULL,
    back_at     TEXT NOT NULL,
    value_minor INTEGER NOT NULL DEFAULT 0,
    svg         TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    planned_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (pair_id, plan_on, version)
);

-- visit_entries: outcomes and corrections, append-only.
CREATE TABLE visit_entries (
    id            INTEGER PRIMARY KEY,
    borrower_id   INTEGER NOT NULL,
    visit_id      INTEGER NOT NULL REFERENCES visits (id),
    kind          TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    met_whom      TEXT NOT NULL DEFAULT '',
    new_address   TEXT NOT NULL DEFAULT '',
    amount_minor  INTEGER NOT NULL DEFAULT 0,
    payment_ref   TEXT NOT NULL DEFAULT '',
    promise_on    TEXT,
    promise_id    INTEGER NOT NULL DEFAULT 0,
    round_id      INTEGER NOT NULL DEFAULT 0,
    corrects_id   INTEGER NOT NULL DEFAULT 0,
    recorded_by   TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX visit_entries_visit ON visit_entries (visit_id, id);
CREATE INDEX visit_entries_borrower ON visit_entries (borrower_id);

-- visit_attachments: photos and recordings of an entry with their SHA-256.
CREATE TABLE visit_attachments (
    id           INTEGER PRIMARY KEY,
    borrower_id  INTEGER NOT NULL,
    visit_id     INTEGER NOT NULL,
    entry_id     INTEGER NOT NULL REFERENCES visit_entries (id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size >= 0),
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX visit_attachments_visit ON visit_attachments (visit_id, id);

-- visit_incidents: conflicts, safety incidents and complaints about a
-- visit; they reach the supervisor at once (open until acknowledged).
CREATE TABLE visit_incidents (
    id              INTEGER PRIMARY KEY,
    borrower_id     INTEGER NOT NULL,
    visit_id        INTEGER NOT NULL REFERENCES visits (id),
    kind            TEXT NOT NULL CHECK (kind IN ('incident', 'complaint')),
    note            TEXT NOT NULL,
    reported_by     TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    acknowledged_by TEXT NOT NULL DEFAULT '',
    acknowledged_at TIMESTAMP
);
CREATE INDEX visit_incidents_open ON visit_incidents (acknowledged_at, id);

-- +goose StatementBegin
CREATE TRIGGER visit_entries_fixed BEFORE UPDATE ON visit_entries
BEGIN
    SELECT RAISE(ABORT, 'visit outcomes are only added to, never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER visit_entries_kept BEFORE DELETE ON visit_entries
BEGIN
    SELECT RAISE(ABORT, 'visit outcomes are only added to, never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER visit_attachments_fixed BEFORE UPDATE ON visit_attachments
BEGIN
    SELECT RAISE(ABORT, 'visit attachments are only added to, never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER visit_attachments_kept BEFORE DELETE ON visit_attachments
BEGIN
    SELECT RAISE(ABORT, 'visit attachments are only added to, never changed');
END;
-- +goose StatementEnd

-- +goose Down
-- Forward-only: restore from a backup instead.
