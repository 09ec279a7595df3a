package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
)

// The statuses of a run.
const (
	RunRunning = "running" // started and not finished: still running, or crashed
	RunOK      = "ok"
	RunFailed  = "failed"
)

// Run is one nightly run, keyed by its as-of date. FinishedAt is zero while
// it runs (or after it crashed); Summary is what it did, as JSON (as far as
// it got, for a failed run); Error is what stopped a failed run.
type Run struct {
	AsOf       date.Date       `json:"as_of"`
	StartedAt  time.Time       `json:"started_at"`
	FinishedAt time.Time       `json:"finished_at,omitzero"`
	Status     string          `json:"status"`
	Summary    json.RawMessage `json:"summary"`
	Error      string          `json:"error,omitempty"`
}

const runCols = "as_of, started_at, finished_at, status, summary, error"

// StartRun records that the run for asOf started now: a new row, or, for a
// re-run after a crash or on purpose, the old row restarted (running, its
// error cleared). It returns the run as it stood before (zero if there was
// none), so the caller can tell a re-run from a first run.
func (tx *Tx) StartRun(ctx context.Context, asOf date.Date) (Run, error) {
	prev, err := tx.Run(ctx, asOf)
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		return prev, err
	}
	_, err = tx.exec(ctx, `INSERT INTO runs (as_of, started_at, finished_at, status, summary, error) VALUES (?, ?, NULL, ?, '{}', '')
		ON CONFLICT (as_of) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL, status = excluded.status, error = ''`,
		asOf, ts(tx.now), RunRunning)
	if err != nil {
		return prev, fmt.Errorf("start run %s: %w", asOf, err)
	}
	return prev, nil
}

// FinishRun records that the run for asOf finished now with summary. It
// returns a NotFound error if the run was never started.
func (tx *Tx) FinishRun(ctx context.Context, asOf date.Date, summary json.RawMessage) error {
	return tx.endRun(ctx, asOf, RunOK, summary, "")
}

// FailRun records that the run for asOf stopped now on cause, having done
// what summary says. It returns a NotFound error if the run was never
// started.
func (tx *Tx) FailRun(ctx context.Context, asOf date.Date, summary json.RawMessage, cause string) error {
	if cause == "" {
		cause = "unknown error"
	}
	return tx.endRun(ctx, asOf, RunFailed, summary, cause)
}

func (tx *Tx) endRun(ctx context.Context, asOf date.Date, status string, summary json.RawMessage, cause string) error {
	if len(summary) == 0 {
		summary = json.RawMessage("{}")
	}
	res, err := tx.exec(ctx, "UPDATE runs SET finished_at = ?, status = ?, summary = ?, error = ? WHERE as_of = ?",
		ts(tx.now), status, string(summary), cause, asOf)
	if err != nil {
		return fmt.Errorf("finish run %s: %w", asOf, err)
	}
	return affected(res, "Run "+asOf.String())
}

// Run returns the run for asOf. It returns a NotFound error if there is none.
func (tx *Tx) Run(ctx context.Context, asOf date.Date) (Run, error) {
	var r Run
	var summary string
	err := tx.get(ctx, "Run "+asOf.String(), "SELECT "+runCols+" FROM runs WHERE as_of = ?",
		[]any{asOf}, &r.AsOf, instant{&r.StartedAt}, instant{&r.FinishedAt}, &r.Status, &summary, &r.Error)
	r.Summary = json.RawMessage(summary)
	return r, err
}

// Runs returns the latest runs, newest first, at most limit (DefaultLimit
// when 0).
func (tx *Tx) Runs(ctx context.Context, limit int) ([]Run, error) {
	rows, err := tx.query(ctx, "SELECT "+runCols+" FROM runs ORDER BY as_of DESC"+page(limit, 0))
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var list []Run
	for rows.Next() {
		var r Run
		var summary string
		if err := rows.Scan(&r.AsOf, instant{&r.StartedAt}, instant{&r.FinishedAt}, &r.Status, &summary, &r.Error); err != nil {
			return nil, fmt.Errorf("scan run: %w", err)
		}
		r.Summary = json.RawMessage(summary)
		list = append(list, r)
	}
	return list, interpretError(rows.Err())
}
