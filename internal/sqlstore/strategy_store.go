package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/strategy"
)

// The statuses of a strategy version: a draft can be published; publishing
// one retires the version published before.
const (
	StrategyDraft     = "draft"
	StrategyPublished = "published"
	StrategyRetired   = "retired"
)

// StrategyVersion is one saved version of a strategy. Definition is the JSON
// document as the supervisor saved it (strategy.ParseDefinition reads it).
type StrategyVersion struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Version     int             `json:"version"`
	Definition  json.RawMessage `json:"definition"`
	Status      string          `json:"status"`
	CreatedBy   string          `json:"created_by"`
	CreatedAt   time.Time       `json:"created_at"`
	PublishedBy string          `json:"published_by,omitempty"`
	PublishedAt time.Time       `json:"published_at,omitzero"`
	RetiredAt   time.Time       `json:"retired_at,omitzero"`
}

const strategyCols = "id, name, version, definition, status, created_by, created_at, published_by, published_at, retired_at"

func scanStrategy(scan func(...any) error) (StrategyVersion, error) {
	var v StrategyVersion
	var def string
	err := scan(&v.ID, &v.Name, num(&v.Version), &def, &v.Status, &v.CreatedBy, instant{&v.CreatedAt}, &v.PublishedBy,
		instant{&v.PublishedAt}, instant{&v.RetiredAt})
	v.Definition = json.RawMessage(def)
	return v, err
}

// noRow turns sql.ErrNoRows into a NotFound error naming what and
// interprets any other error.
func noRow(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what)
	}
	return interpretError(err)
}

// CreateStrategyVersion stores v as the next version of its name (1 for a
// new name) with status draft, and sets ID, Version, Status and CreatedAt.
// The caller has compiled the definition.
func (tx *Tx) CreateStrategyVersion(ctx context.Context, v *StrategyVersion) error {
	if err := tx.get(ctx, "Strategy", "SELECT COALESCE(MAX(version), 0) + 1 FROM strategy_versions WHERE name = ?",
		[]any{v.Name}, num(&v.Version)); err != nil {
		return fmt.Errorf("next version of %s: %w", v.Name, err)
	}
	v.Status, v.CreatedAt = StrategyDraft, tx.now
	err := tx.get(ctx, "Strategy", `INSERT INTO strategy_versions (name, version, definition, status, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, []any{v.Name, v.Version, string(v.Definition), v.Status, v.CreatedBy,
		ts(v.CreatedAt)}, &v.ID)
	return conflict(err, "Strategy %s version %d already exists; try again.", v.Name, v.Version)
}

// StrategyVersion returns version id. It returns a NotFound error if there
// is none.
func (tx *Tx) StrategyVersion(ctx context.Context, id int64) (StrategyVersion, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+strategyCols+" FROM strategy_versions WHERE id = ?"), id)
	v, err := scanStrategy(row.Scan)
	return v, noRow(err, fmt.Sprintf("Strategy version %d", id))
}

// PublishedStrategy returns the published version. It returns a NotFound
// error if none has been published.
func (tx *Tx) PublishedStrategy(ctx context.Context) (StrategyVersion, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+strategyCols+" FROM strategy_versions WHERE status = ?"),
		StrategyPublished)
	v, err := scanStrategy(row.Scan)
	return v, noRow(err, "Published strategy")
}

// StrategyVersions returns the newest versions first, at most limit
// (DefaultLimit when 0).
func (tx *Tx) StrategyVersions(ctx context.Context, limit int) ([]StrategyVersion, error) {
	rows, err := tx.query(ctx, "SELECT "+strategyCols+" FROM strategy_versions ORDER BY id DESC"+page(limit, 0))
	if err != nil {
		return nil, fmt.Errorf("list strategies: %w", err)
	}
	defer rows.Close()
	var out []StrategyVersion
	for rows.Next() {
		v, err := scanStrategy(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan strategy: %w", err)
		}
		out = append(out, v)
	}
	return out, interpretError(rows.Err())
}

// PublishStrategyVersion publishes version id, retiring the version that
// was published, and returns it. It returns a NotFound error if there is no
// such version and a Conflict error if it is retired.
func (tx *Tx) PublishStrategyVersion(ctx context.Context, id int64, by string) (StrategyVersion, error) {
	v, err := tx.StrategyVersion(ctx, id)
	if err != nil {
		return v, err
	}
	switch v.Status {
	case StrategyPublished:
		return v, nil
	case StrategyRetired:
		return v, errs.Errorf(errs.Conflict, "Strategy version %d is retired; save it as a new version to publish it again.", id)
	}
	if _, err := tx.exec(ctx, "UPDATE strategy_versions SET status = ?, retired_at = ? WHERE status = ?",
		StrategyRetired, ts(tx.now), StrategyPublished); err != nil {
		return v, fmt.Errorf("retire published strategy: %w", err)
	}
	if _, err := tx.exec(ctx, "UPDATE strategy_versions SET status = ?, published_by = ?, published_at = ? WHERE id = ?",
		StrategyPublished, by, ts(tx.now), id); err != nil {
		return v, fmt.Errorf("publish strategy %d: %w", id, err)
	}
	v.Status, v.PublishedBy, v.PublishedAt = StrategyPublished, by, tx.now
	return v, nil
}

// The statuses of an experiment.
const (
	ExperimentActive  = "active"
	ExperimentStopped = "stopped"
)

// Experiment is a strategy.Experiment as stored (Spec returns it).
type Experiment struct {
	ID              int64     `json:"id"`
	Champion        int64     `json:"champion"`         // strategy version id
	Challenger      int64     `json:"challenger"`       // strategy version id
	ChallengerShare float64   `json:"challenger_share"` // 0 to 1
	Name            string    `json:"name"`
	Status          string    `json:"status"`
	StartedOn       date.Date `json:"started_on"`
	StoppedOn       date.Date `json:"stopped_on,omitzero"`
	CreatedBy       string    `json:"created_by"`
	CreatedAt       time.Time `json:"created_at"`
}

// Spec returns the experiment as package strategy splits and checks it.
func (e Experiment) Spec() strategy.Experiment {
	return strategy.Experiment{ID: e.ID, Champion: e.Champion, Challenger: e.Challenger, ChallengerShare: e.ChallengerShare}
}

const experimentCols = "id, name, champion_id, challenger_id, share, status, started_on, stopped_on, created_by, created_at"

func scanExperiment(scan func(...any) error) (Experiment, error) {
	var e Experiment
	err := scan(&e.ID, &e.Name, &e.Champion, &e.Challenger, &e.ChallengerShare, &e.Status, &e.StartedOn, &e.StoppedOn,
		&e.CreatedBy, instant{&e.CreatedAt})
	return e, err
}

// CreateExperiment stores e as active and sets its ID. It returns a
// Conflict error if another experiment is active and an Invalid error if a
// version does not exist.
func (tx *Tx) CreateExperiment(ctx context.Context, e *Experiment) error {
	e.Status, e.CreatedAt = ExperimentActive, tx.now
	err := tx.get(ctx, "Experiment", `INSERT INTO experiments (name, champion_id, challenger_id, share, status, started_on,
		created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, []any{e.Name, e.Champion, e.Challenger,
		e.ChallengerShare, e.Status, e.StartedOn, e.CreatedBy, ts(e.CreatedAt)}, &e.ID)
	return conflict(err, "Another experiment is running; stop it first.")
}

// Experiment returns experiment id. It returns a NotFound error if there is
// none.
func (tx *Tx) Experiment(ctx context.Context, id int64) (Experiment, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+experimentCols+" FROM experiments WHERE id = ?"), id)
	e, err := scanExperiment(row.Scan)
	return e, noRow(err, fmt.Sprintf("Experiment %d", id))
}

// ActiveExperiment returns the running experiment. It returns a NotFound
// error if none runs.
func (tx *Tx) ActiveExperiment(ctx context.Context) (Experiment, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+experimentCols+" FROM experiments WHERE status = ?"),
		ExperimentActive)
	e, err := scanExperiment(row.Scan)
	return e, noRow(err, "Active experiment")
}

// Experiments returns every experiment, newest first.
func (tx *Tx) Experiments(ctx context.Context) ([]Experiment, error) {
	rows, err := tx.query(ctx, "SELECT "+experimentCols+" FROM experiments ORDER BY id DESC")
	if err != nil {
		return nil, fmt.Errorf("list experiments: %w", err)
	}
	defer rows.Close()
	var out []Experiment
	for rows.Next() {
		e, err := scanExperiment(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan experiment: %w", err)
		}
		out = append(out, e)
	}
	return out, interpretError(rows.Err())
}

// StopExperiment stops experiment id as of on. It returns a NotFound error
// if there is no such experiment and a Conflict error if it has stopped.
func (tx *Tx) StopExperiment(ctx context.Context, id int64, on date.Date) error {
	res, err := tx.exec(ctx, "UPDATE experiments SET status = ?, stopped_on = ? WHERE id = ? AND status = ?",
		ExperimentStopped, on, id, ExperimentActive)
	if err != nil {
		return fmt.Errorf("stop experiment %d: %w", id, err)
	}
	if err := affected(res, fmt.Sprintf("Experiment %d", id)); err != nil {
		if _, err2 := tx.Experiment(ctx, id); err2 != nil {
			return err2
		}
		return errs.Errorf(errs.Conflict, "Experiment %d has already stopped.", id)
	}
	return nil
}
