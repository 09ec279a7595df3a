package collect

import (
	"context"
	"fmt"
	"time"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// ComplianceOverview is the compliance console for a period [From, To):
// the contacts the governor blocked, warned about or held for approval,
// with their rules; how often each rule fired by team, agency and
// collector; and the approval requests waiting.
type ComplianceOverview struct {
	From         time.Time                 `json:"from"`
	To           time.Time                 `json:"to"`
	Flagged      []sqlstore.ContactAttempt `json:"flagged"`
	FlaggedTotal int                       `json:"flagged_total"`
	ByTeam       []sqlstore.RuleHits       `json:"by_team"`
	ByAgency     []sqlstore.RuleHits       `json:"by_agency"`
	ByCollector  []sqlstore.RuleHits       `json:"by_collector"`
	Pending      []sqlstore.Approval       `json:"pending"`
}

// mayReadCompliance returns Forbidden unless by holds compliance:read.
func mayReadCompliance(by Actor) error {
	if !by.User.Can(auth.PermComplianceRead) {
		return errs.Errorf(errs.Forbidden, "Your role may not read compliance records.")
	}
	return nil
}

// ComplianceOverview returns the console's view of [from, to), with a page
// of the flagged contacts (newest first). Addresses are masked. It returns
// Forbidden unless by holds compliance:read and Invalid for an empty
// period.
func (s *Service) ComplianceOverview(ctx context.Context, by Actor, from, to time.Time, limit, offset int) (ComplianceOverview, error) {
	if err := mayReadCompliance(by); err != nil {
		return ComplianceOverview{}, err
	}
	if !from.Before(to) {
		return ComplianceOverview{}, errs.Field("to", "must be after from")
	}
	o := ComplianceOverview{From: from, To: to}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		flagged := true
		var err error
		o.Flagged, o.FlaggedTotal, err = tx.ContactAttempts(ctx, sqlstore.ContactAttemptFilter{Flagged: &flagged, From: &from,
			To: &to, Masked: true, Limit: limit, Offset: offset})
		if err != nil {
			return err
		}
		for group, dst := range map[string]*[]sqlstore.RuleHits{"team": &o.ByTeam, "agency": &o.ByAgency, "collector": &o.ByCollector} {
			if *dst, err = tx.RuleHitsBy(ctx, group, from, to); err != nil {
				return err
			}
		}
		pending := sqlstore.ApprovalPending
		o.Pending, _, err = tx.Approvals(ctx, sqlstore.ApprovalFilter{Status: &pending, Limit: 100})
		for i := range o.Pending {
			o.Pending[i].Address = ""
		}
		return err
	})
	if err != nil {
		return ComplianceOverview{}, fmt.Errorf("compliance overview: %w", err)
	}
	return o, nil
}

// ScreenText screens text with the governor's lexicon, as every outbound
// message, template, note and transcript is screened: the template
// checker. It returns Forbidden unless by may read compliance records or
// record contacts (collectors check their own wording).
func (s *Service) ScreenText(by Actor, text string) (compliance.Screening, error) {
	if !by.User.Can(auth.PermComplianceRead) && !by.User.Can(auth.PermContactLog) {
		return compliance.Screening{}, errs.Errorf(errs.Forbidden, "Your role may not use the template checker.")
	}
	if len(text) > 20000 {
		return compliance.Screening{}, errs.Field("text", "is longer than 20000 bytes")
	}
	return builtinLexicon().Screen(text), nil
}

// ContactLog returns a page of the contact log entries f selects, newest
// first, addresses masked, with the total. Compliance staff see the whole
// log; people who record contacts see one borrower's or one case's. It
// returns Forbidden otherwise.
func (s *Service) ContactLog(ctx context.Context, by Actor, f sqlstore.ContactAttemptFilter) ([]sqlstore.ContactAttempt, int, error) {
	scoped := f.BorrowerID != nil || f.CaseID != nil
	if !by.User.Can(auth.PermComplianceRead) && !(scoped && by.User.Can(auth.PermContactLog)) {
		return nil, 0, errs.Errorf(errs.Forbidden, "Your role may not read the contact log.")
	}
	f.Masked = true
	var list []sqlstore.ContactAttempt
	var total int
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		list, total, err = tx.ContactAttempts(ctx, f)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read contact log: %w", err)
	}
	return list, total, nil
}
