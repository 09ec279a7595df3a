package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"accord/internal/money"
	"accord/internal/offer"
)

// Assessment is one stored affordability assessment (还款能力评估) of a case.
// Assessments are versioned per case: a new one is the next version and the
// old ones stay as they were (the database refuses to change or delete
// them).
type Assessment struct {
	ID         int64               `json:"id"`
	BorrowerID int64               `json:"borrower_id"`
	CaseID     int64               `json:"case_id"`
	Version    int                 `json:"version"`
	Input      offer.Assessment    `json:"input"`
	Evidence   string              `json:"evidence,omitempty"` // the negotiator's note on the evidence seen
	Result     offer.Affordability `json:"result"`             // disposable income, DSR, sustainable payment and the steps
	AssessedBy string              `json:"assessed_by"`
	UserID     int64               `json:"user_id,omitempty"`
	CreatedAt  time.Time           `json:"created_at"`
}

const assessmentCols = `id, borrower_id, case_id, version, input, evidence, result, assessed_by, user_id, created_at`

type assessmentRow struct {
	a             *Assessment
	input, result string
}

func (r *assessmentRow) dest() []any {
	a := r.a
	return []any{num(&a.ID), num(&a.BorrowerID), num(&a.CaseID), num(&a.Version), &r.input, &a.Evidence, &r.result,
		&a.AssessedBy, num(&a.UserID), instant{&a.CreatedAt}}
}

func (r *assessmentRow) decode() error {
	if err := fromJSON(r.input, &r.a.Input); err != nil {
		return err
	}
	return fromJSON(r.result, &r.a.Result)
}

// CreateAssessment stores a as the next version of its case's assessment
// and sets its ID and Version; CreatedAt is the transaction's time when
// zero.
func (tx *Tx) CreateAssessment(ctx context.Context, a *Assessment) error {
	input, err := toJSON(a.Input)
	if err != nil {
		return err
	}
	result, err := toJSON(a.Result)
	if err != nil {
		return err
	}
	dsr := ""
	if a.Result.DebtServiceRatio != nil {
		dsr = a.Result.DebtServiceRatio.String()
	}
	a.CreatedAt = tx.at(a.CreatedAt)
	err = tx.get(ctx, "Assessment", `INSERT INTO negotiation_assessments (borrower_id, case_id, version, input, evidence,
		income_minor, disposable_minor, dsr, sustainable_minor, result, assessed_by, user_id, created_at)
		SELECT ?, ?, COALESCE(MAX(version), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM negotiation_assessments WHERE case_id = ?
		RETURNING id, version`,
		[]any{a.BorrowerID, a.CaseID, input, a.Evidence, int64(a.Result.Income), int64(a.Result.Disposable), dsr,
			int64(a.Result.Sustainable), result, a.AssessedBy, a.UserID, ts(a.CreatedAt), a.CaseID},
		&a.ID, num(&a.Version))
	if err != nil {
		return fmt.Errorf("create assessment of case %d: %w", a.CaseID, err)
	}
	return nil
}

// Assessment returns the assessment with id. It returns a NotFound error if
// there is none.
func (tx *Tx) Assessment(ctx context.Context, id int64) (Assessment, error) {
	var a Assessment
	r := assessmentRow{a: &a}
	err := tx.get(ctx, fmt.Sprintf("Assessment %d", id), "SELECT "+assessmentCols+
		" FROM negotiation_assessments WHERE id = ?", []any{id}, r.dest()...)
	if err != nil {
		return a, err
	}
	return a, r.decode()
}

// LatestAssessment returns the newest version of case caseID's assessment.
// It returns a NotFound error if the case has none.
func (tx *Tx) LatestAssessment(ctx context.Context, caseID int64) (Assessment, error) {
	var a Assessment
	r := assessmentRow{a: &a}
	err := tx.get(ctx, fmt.Sprintf("Assessment of case %d", caseID), "SELECT "+assessmentCols+
		" FROM negotiation_assessments WHERE case_id = ? ORDER BY version DESC LIMIT 1", []any{caseID}, r.dest()...)
	if err != nil {
		return a, err
	}
	return a, r.decode()
}

// Assessments returns every version of case caseID's assessment, newest
// first.
func (tx *Tx) Assessments(ctx context.Context, caseID int64) ([]Assessment, error) {
	rows, err := tx.query(ctx, "SELECT "+assessmentCols+
		" FROM negotiation_assessments WHERE case_id = ? ORDER BY version DESC", caseID)
	if err != nil {
		return nil, fmt.Errorf("assessments of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []Assessment
	for rows.Next() {
		var a Assessment
		r := assessmentRow{a: &a}
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, interpretError(err)
		}
		if err := r.decode(); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, interpretError(rows.Err())
}

// at returns t as stored (UTC, to the microsecond), or the transaction's
// time when t is zero: callers pass their business clock's time.
func (tx *Tx) at(t time.Time) time.Time {
	if t.IsZero() {
		return truncated(tx.now)
	}
	return truncated(t.UTC())
}

// pkeptString formats a chance kept (4 places) for storage.
func pkeptString(p float64) string { return strconv.FormatFloat(p, 'f', 4, 64) }

// concessionOf is what an offer counts against a team's restructuring
// budget: every amount it waives, immediately or on condition.
func concessionOf(o offer.Offer) money.Amount { return o.Waived.Total() }
