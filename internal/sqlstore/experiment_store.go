package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/strategy"
)

// ExperimentCase is one case's record in an experiment: the arm, when it
// entered and its bucket rank then, and its outcome since. The counters are
// measured from the case's values on entry (Start*), so a case that entered
// late is judged only on what happened under the experiment.
type ExperimentCase struct {
	ExperimentID   int64        `json:"experiment_id"`
	CaseID         int64        `json:"case_id"`
	BorrowerID     int64        `json:"borrower_id"`
	Arm            string       `json:"arm"`
	EnteredOn      date.Date    `json:"entered_on"`
	StartRank      int          `json:"start_rank"`
	MaxRank        int          `json:"max_rank"`
	Cured          bool         `json:"cured"`
	StartRecovered money.Amount `json:"start_recovered"`
	Recovered      money.Amount `json:"recovered"`
	StartAttempts  int          `json:"start_attempts"`
	Contacts       int          `json:"contacts"`
	StartCost      money.Amount `json:"start_cost"`
	Cost           money.Amount `json:"cost"`
	UpdatedOn      date.Date    `json:"updated_on"`
}

// Outcome returns the case's result for strategy.Compare.
func (e ExperimentCase) Outcome() strategy.Outcome {
	return strategy.Outcome{Arm: e.Arm, Cured: e.Cured, RolledForward: e.MaxRank > e.StartRank, Recovered: e.Recovered,
		Contacts: e.Contacts, Cost: e.Cost}
}

const experimentCaseCols = `experiment_id, case_id, borrower_id, arm, entered_on, start_rank, max_rank, cured,
	start_recovered, recovered_minor, start_attempts, contacts, start_cost, cost_minor, updated_on`

func experimentCaseDest(e *ExperimentCase) []any {
	return []any{num(&e.ExperimentID), num(&e.CaseID), num(&e.BorrowerID), &e.Arm, &e.EnteredOn, num(&e.StartRank),
		num(&e.MaxRank), &e.Cured, num(&e.StartRecovered), num(&e.Recovered), num(&e.StartAttempts), num(&e.Contacts),
		num(&e.StartCost), num(&e.Cost), &e.UpdatedOn}
}

// SaveExperimentCases inserts or replaces rows, keyed by experiment and case.
func (tx *Tx) SaveExperimentCases(ctx context.Context, rows []ExperimentCase) error {
	err := tx.insertRowsThen(ctx, "INSERT INTO experiment_cases ("+experimentCaseCols+") VALUES ",
		` ON CONFLICT (experiment_id, case_id) DO UPDATE SET max_rank = excluded.max_rank, cured = excluded.cured,
		recovered_minor = excluded.recovered_minor, contacts = excluded.contacts, cost_minor = excluded.cost_minor,
		updated_on = excluded.updated_on`, 15, len(rows), 500, func(i int, a []any) []any {
			e := &rows[i]
			return append(a, e.ExperimentID, e.CaseID, e.BorrowerID, e.Arm, e.EnteredOn, e.StartRank, e.MaxRank, e.Cured,
				int64(e.StartRecovered), int64(e.Recovered), e.StartAttempts, e.Contacts, int64(e.StartCost), int64(e.Cost), e.UpdatedOn)
		})
	if err != nil {
		return fmt.Errorf("save experiment cases: %w", err)
	}
	return nil
}

// ExperimentCases returns experiment id's cases among caseIDs, by case id.
func (tx *Tx) ExperimentCases(ctx context.Context, id int64, caseIDs []int64) (map[int64]ExperimentCase, error) {
	out := make(map[int64]ExperimentCase, len(caseIDs))
	for start := 0; start < len(caseIDs); start += 1000 {
		part := caseIDs[start:min(start+1000, len(caseIDs))]
		rows, err := tx.query(ctx, "SELECT "+experimentCaseCols+" FROM experiment_cases WHERE experiment_id = ? AND case_id IN ("+
			placeholders(len(part))+")", append([]any{id}, int64Args(part)...)...)
		if err != nil {
			return nil, fmt.Errorf("load experiment cases: %w", err)
		}
		for rows.Next() {
			var e ExperimentCase
			if err := rows.Scan(experimentCaseDest(&e)...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan experiment case: %w", err)
			}
			out[e.CaseID] = e
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
	}
	return out, nil
}

// ExperimentOutcomes calls fn with every case of experiment id, in case
// order, without holding them all in memory.
func (tx *Tx) ExperimentOutcomes(ctx context.Context, id int64, fn func(ExperimentCase) error) error {
	rows, err := tx.query(ctx, "SELECT "+experimentCaseCols+" FROM experiment_cases WHERE experiment_id = ? ORDER BY case_id", id)
	if err != nil {
		return fmt.Errorf("list experiment %d cases: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var e ExperimentCase
		if err := rows.Scan(experimentCaseDest(&e)...); err != nil {
			return fmt.Errorf("scan experiment case: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return interpretError(rows.Err())
}

// ExperimentDay is one arm's totals on a date.
type ExperimentDay struct {
	AsOf          date.Date    `json:"as_of"`
	Arm           string       `json:"arm"`
	Cases         int          `json:"cases"`
	Cured         int          `json:"cured"`
	RolledForward int          `json:"rolled_forward"`
	Recovered     money.Amount `json:"recovered"`
	Contacts      int          `json:"contacts"`
	Cost          money.Amount `json:"cost"`
}

// SnapshotExperiment stores experiment id's totals per arm as of asOf,
// computed from its cases; doing it again replaces them.
func (tx *Tx) SnapshotExperiment(ctx context.Context, id int64, asOf date.Date) error {
	rows, err := tx.query(ctx, `SELECT arm, COUNT(*), CAST(SUM(CASE WHEN cured THEN 1 ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN max_rank > start_rank THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(recovered_minor) AS BIGINT),
		CAST(SUM(contacts) AS BIGINT), CAST(SUM(cost_minor) AS BIGINT)
		FROM experiment_cases WHERE experiment_id = ? GROUP BY arm ORDER BY arm`, id)
	if err != nil {
		return fmt.Errorf("total experiment %d: %w", id, err)
	}
	var days []ExperimentDay
	for rows.Next() {
		d := ExperimentDay{AsOf: asOf}
		if err := rows.Scan(&d.Arm, num(&d.Cases), num(&d.Cured), num(&d.RolledForward), num(&d.Recovered), num(&d.Contacts),
			num(&d.Cost)); err != nil {
			rows.Close()
			return fmt.Errorf("scan experiment total: %w", err)
		}
		days = append(days, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return interpretError(err)
	}
	err = tx.insertRowsThen(ctx, `INSERT INTO experiment_days (experiment_id, as_of, arm, cases, cured, rolled_forward,
		recovered_minor, contacts, cost_minor) VALUES `, ` ON CONFLICT (experiment_id, as_of, arm) DO UPDATE SET
		cases = excluded.cases, cured = excluded.cured, rolled_forward = excluded.rolled_forward,
		recovered_minor = excluded.recovered_minor, contacts = excluded.contacts, cost_minor = excluded.cost_minor`,
		9, len(days), 100, func(i int, a []any) []any {
			d := days[i]
			return append(a, id, asOf, d.Arm, d.Cases, d.Cured, d.RolledForward, int64(d.Recovered), d.Contacts, int64(d.Cost))
		})
	if err != nil {
		return fmt.Errorf("snapshot experiment %d: %w", id, err)
	}
	return nil
}

// ExperimentDays returns experiment id's daily totals by date and arm.
func (tx *Tx) ExperimentDays(ctx context.Context, id int64) ([]ExperimentDay, error) {
	rows, err := tx.query(ctx, `SELECT as_of, arm, cases, cured, rolled_forward, recovered_minor, contacts, cost_minor
		FROM experiment_days WHERE experiment_id = ? ORDER BY as_of, arm`, id)
	if err != nil {
		return nil, fmt.Errorf("list experiment %d days: %w", id, err)
	}
	defer rows.Close()
	var out []ExperimentDay
	for rows.Next() {
		var d ExperimentDay
		if err := rows.Scan(&d.AsOf, &d.Arm, num(&d.Cases), num(&d.Cured), num(&d.RolledForward), num(&d.Recovered),
			num(&d.Contacts), num(&d.Cost)); err != nil {
			return nil, fmt.Errorf("scan experiment day: %w", err)
		}
		out = append(out, d)
	}
	return out, interpretError(rows.Err())
}
