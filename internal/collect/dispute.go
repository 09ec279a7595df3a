package collect

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// What the investigation of a borrower's dispute found (异议核实结果).
const (
	DisputeUpheld    = "upheld"    // the borrower was right (异议成立)
	DisputeRejected  = "rejected"  // the debt stands as recorded (异议不成立)
	DisputeCorrected = "corrected" // the record was wrong in part and was corrected (已更正)
)

// DisputeOutcomes lists the outcomes, in display order.
var DisputeOutcomes = []string{DisputeUpheld, DisputeRejected, DisputeCorrected}

// ErrNoOpenDispute is returned when a dispute outcome is recorded for a
// borrower with no open dispute (not flagged disputed, or already resolved).
var ErrNoOpenDispute = errs.Errorf(errs.Conflict, "The borrower has no open dispute.")

// DisputeOutcome is a recorded dispute outcome: the borrower's flags after
// it and the case timeline entries it added.
type DisputeOutcome struct {
	BorrowerID int64    `json:"borrower_id"`
	Outcome    string   `json:"outcome"`
	Note       string   `json:"note"` // masked: national ids and phone numbers never stored in full
	Flags      []string `json:"flags"`
	CaseIDs    []int64  `json:"case_ids"` // the open cases whose timeline has the entry
}

// RecordDisputeOutcome records the outcome of the investigation of
// borrower id's open dispute: it sets dispute_resolved, which lifts the
// governor's suspension (CN-DISPUTE, UK-DISPUTE), and in the same
// transaction adds an entry to the timeline of each of the borrower's open
// cases and an audit event with the outcome and the masked note. An
// upheld dispute is recorded as such; whether the debt is then written off
// or closed is a separate decision this does not take. A later dispute
// opens it again (compliance.FlagsAfter). The US verification of a written
// dispute (verification_sent, US-DISPUTE) is a different record and is not
// set here.
//
// It returns Forbidden unless by holds dispute:resolve, an Invalid error
// naming outcome or note, NotFound for a borrower outside by's scope or
// missing, and ErrNoOpenDispute (Conflict) when nothing is open; nothing
// is written then.
func (s *Service) RecordDisputeOutcome(ctx context.Context, by Actor, id int64, outcome, note string) (DisputeOutcome, error) {
	if !by.User.Can(auth.PermDisputeResolve) {
		return DisputeOutcome{}, errs.Errorf(errs.Forbidden, "Your role may not record dispute outcomes.")
	}
	outcome, note = strings.TrimSpace(outcome), strings.TrimSpace(note)
	if err := validDisputeOutcome(outcome, note); err != nil {
		return DisputeOutcome{}, err
	}
	res := DisputeOutcome{BorrowerID: id, Outcome: outcome, Note: pii.MaskFreeText(note)}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		return s.recordDisputeOutcome(ctx, tx, by, &res)
	})
	if err != nil {
		return DisputeOutcome{}, fmt.Errorf("record dispute outcome of borrower %d: %w", id, err)
	}
	return res, nil
}

func validDisputeOutcome(outcome, note string) error {
	var fields []errs.FieldError
	if !slices.Contains(DisputeOutcomes, outcome) {
		fields = append(fields, errs.FieldError{Field: "outcome", Message: "must be one of " + strings.Join(DisputeOutcomes, ", ")})
	}
	if note == "" || utf8.RuneCountInString(note) > MaxNote {
		fields = append(fields, errs.FieldError{Field: "note", Message: fmt.Sprintf("say what the investigation found, in 1 to %d characters", MaxNote)})
	}
	if len(fields) > 0 {
		return errs.Fields("The dispute outcome is not valid.", fields...)
	}
	return nil
}

func (s *Service) recordDisputeOutcome(ctx context.Context, tx *sqlstore.Tx, by Actor, res *DisputeOutcome) error {
	sc, err := s.scopeOf(ctx, tx, by)
	if err != nil {
		return err
	}
	if err := reachBorrower(ctx, tx, sc, res.BorrowerID); err != nil {
		return err
	}
	b, err := tx.Borrower(ctx, res.BorrowerID)
	if err != nil {
		return err
	}
	if !DisputeOpen(b.Flags) {
		return ErrNoOpenDispute
	}
	after := append(slices.Clone(b.Flags), compliance.FlagDisputeResolved)
	if _, err := tx.UpdateBorrower(ctx, b.ID, sqlstore.BorrowerUpdate{Flags: &after}); err != nil {
		return err
	}
	res.Flags = after
	if res.CaseIDs, err = s.disputeTimeline(ctx, tx, by, res); err != nil {
		return err
	}
	bid := strconv.FormatInt(b.ID, 10)
	if err := tx.AppendAudit(ctx, s.event(by, "borrower.flags", "borrower", bid,
		map[string]any{"before": nonNilList(b.Flags), "after": after, "added": []string{compliance.FlagDisputeResolved},
			"source": "dispute_outcome"})); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, s.event(by, "dispute.outcome", "borrower", bid,
		map[string]any{"outcome": res.Outcome, "note": res.Note, "case_ids": res.CaseIDs}))
}

// disputeTimeline adds the outcome to the timeline of each of the
// borrower's open cases and returns their ids.
func (s *Service) disputeTimeline(ctx context.Context, tx *sqlstore.Tx, by Actor, res *DisputeOutcome) ([]int64, error) {
	open := casework.Open
	cases, _, err := tx.Cases(ctx, sqlstore.CaseFilter{BorrowerID: &res.BorrowerID, Status: &open, Limit: 1000})
	if err != nil {
		return nil, err
	}
	label := disputeOutcomeLabels[res.Outcome]
	ids, evs := []int64{}, make([]sqlstore.CaseEvent, 0, len(cases))
	for _, c := range cases {
		ids = append(ids, c.ID)
		evs = append(evs, sqlstore.CaseEvent{CaseID: c.ID, BorrowerID: res.BorrowerID, On: s.Today(), At: s.now().UTC(),
			Kind: sqlstore.EventNote, Code: "dispute." + res.Outcome, Actor: by.User.Username,
			ZH: "异议核实结果：" + label[0] + "。" + res.Note, EN: "Dispute outcome: " + label[1] + ". " + res.Note})
	}
	if _, err := tx.AddCaseEvents(ctx, evs); err != nil {
		return nil, err
	}
	return ids, nil
}

// disputeOutcomeLabels names each outcome in Chinese and English.
var disputeOutcomeLabels = map[string][2]string{
	DisputeUpheld:    {"异议成立", "upheld, the borrower was right"},
	DisputeRejected:  {"异议不成立", "rejected, the debt stands"},
	DisputeCorrected: {"记录已更正", "corrected, the record was fixed"},
}

// DisputeOpen reports whether flags show a dispute whose outcome is not
// recorded yet: the borrower is disputed and not dispute_resolved.
func DisputeOpen(flags []string) bool {
	return slices.Contains(flags, compliance.FlagDisputed) && !slices.Contains(flags, compliance.FlagDisputeResolved)
}
