package negotiation

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/offer"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// NewAssessment is an affordability assessment as the negotiator records
// it: the engine's offer.Assessment and a note on the evidence seen
// (payslips, bank statements …), masked like every free text.
type NewAssessment struct {
	offer.Assessment
	Evidence string `json:"evidence,omitempty"`
}

// Assess records a new version of case caseID's affordability assessment:
// the inputs, the evidence note, and what offer.Assess derives from them
// against the case's debt and the offer policy the case's offers would use
// now (policyFor: expense defaults and sustainable share) — disposable
// income, DSR, sustainable payment and the arithmetic steps. Earlier versions stay as they were. by must be
// allowed to work the case. It returns an Invalid error naming the fields
// as the request names them ("monthly_income", "evidence"), Forbidden, NotFound (also
// outside by's scope) or collect.ErrCaseClosed.
func (s *Service) Assess(ctx context.Context, by collect.Actor, caseID int64, in NewAssessment) (sqlstore.Assessment, error) {
	if err := mayNegotiate(by); err != nil {
		return sqlstore.Assessment{}, err
	}
	var a sqlstore.Assessment
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		c, res, err := s.affordability(ctx, tx, by, caseID, in)
		if err != nil {
			return err
		}
		a = sqlstore.Assessment{BorrowerID: c.BorrowerID, CaseID: c.ID, Input: in.Assessment,
			Evidence: pii.MaskFreeText(in.Evidence), Result: res,
			AssessedBy: by.User.Username, UserID: by.User.ID, CreatedAt: s.now()}
		if err := tx.CreateAssessment(ctx, &a); err != nil {
			return err
		}
		if err := s.notePlanCase(ctx, tx, by, c); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "assessment.create", "case", strconv.FormatInt(c.ID, 10),
			map[string]any{"assessment_id": a.ID, "version": a.Version, "income": a.Result.Income,
				"disposable": a.Result.Disposable, "sustainable": a.Result.Sustainable}))
	})
	if err != nil {
		return sqlstore.Assessment{}, fmt.Errorf("assess case %d: %w", caseID, err)
	}
	return a, nil
}

// PreviewAssessment computes what Assess would record for in on case
// caseID — disposable income, DSR, sustainable payment and the steps —
// without saving anything: the desk's live numbers while the form is
// filled. It returns the errors of Assess.
func (s *Service) PreviewAssessment(ctx context.Context, by collect.Actor, caseID int64, in NewAssessment) (offer.Affordability, error) {
	if err := mayNegotiate(by); err != nil {
		return offer.Affordability{}, err
	}
	var res offer.Affordability
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) (err error) {
		_, res, err = s.affordability(ctx, tx, by, caseID, in)
		return err
	})
	if err != nil {
		return offer.Affordability{}, fmt.Errorf("preview assessment of case %d: %w", caseID, err)
	}
	return res, nil
}

// affordability checks in and derives its affordability against case
// caseID's debt under the offer policy the case's offers would use now.
func (s *Service) affordability(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, caseID int64, in NewAssessment) (sqlstore.Case, offer.Affordability, error) {
	c, err := s.negotiableCase(ctx, tx, by, caseID) // the scope first: outside it, all reads as missing
	if err != nil {
		return c, offer.Affordability{}, err
	}
	if err := in.Validate(); err != nil {
		return c, offer.Affordability{}, unprefixed(err, "assessment.")
	}
	if utf8.RuneCountInString(in.Evidence) > MaxNote {
		return c, offer.Affordability{}, errs.Fields("The assessment is not valid.",
			errs.FieldError{Field: "evidence", Message: fmt.Sprintf("at most %d characters", MaxNote)})
	}
	d, err := s.caseDebt(ctx, tx, c)
	if err != nil {
		return c, offer.Affordability{}, err
	}
	_, team, err := credit(ctx, tx, by.User.ID, c)
	if err != nil {
		return c, offer.Affordability{}, err
	}
	pol, err := s.policyFor(ctx, tx, c.BorrowerID, team) // the policy the case's offers will use
	if err != nil {
		return c, offer.Affordability{}, err
	}
	return c, offer.Assess(in.Assessment, d, pol.policy), nil
}

// Assessments returns every version of case caseID's assessment, newest
// first, if by may see the case. It returns NotFound (also outside by's
// scope).
func (s *Service) Assessments(ctx context.Context, by collect.Actor, caseID int64) ([]sqlstore.Assessment, error) {
	var out []sqlstore.Assessment
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		if _, err := s.collect.VisibleCase(ctx, tx, by, caseID); err != nil {
			return err
		}
		var err error
		out, err = tx.Assessments(ctx, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list assessments of case %d: %w", caseID, err)
	}
	return out, nil
}

// unprefixed drops prefix from the field names of an Invalid error: the
// engine names an assessment's fields "assessment.x", the request "x".
func unprefixed(err error, prefix string) error {
	fs := errs.FieldsOf(err)
	if len(fs) == 0 || errs.CodeOf(err) != errs.Invalid {
		return err
	}
	out := make([]errs.FieldError, len(fs))
	for i, f := range fs {
		f.Field = strings.TrimPrefix(f.Field, prefix)
		out[i] = f
	}
	return errs.Fields(errs.MessageOf(err), out...)
}
