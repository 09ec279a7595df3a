package collect

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"accord/internal/auth"
	"accord/internal/calendar"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/outbox"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// CheckResult is the governor's answer about a proposed contact, without
// recording anything.
type CheckResult struct {
	Decision compliance.Decision `json:"decision"`
	// NextAllowed is when a contact refused only by time would first be
	// allowed.
	NextAllowed time.Time `json:"next_allowed,omitzero"`
	// ApprovalID is the approved request the contact would use.
	ApprovalID int64 `json:"approval_id,omitempty"`
}

// CheckContact asks the governor whether the contact req describes may
// happen (at req.StartedAt, now by default), with the borrower's facts and
// history as stored, and records nothing: the pre-dial check. It returns
// Forbidden unless by may record contacts or read compliance records.
func (s *Service) CheckContact(ctx context.Context, by Actor, req ContactRequest) (CheckResult, error) {
	if !by.User.Can(auth.PermContactLog) && !by.User.Can(auth.PermComplianceRead) {
		return CheckResult{}, errs.Errorf(errs.Forbidden, "Your role may not check contacts.")
	}
	if err := req.normalize(s.now()); err != nil {
		return CheckResult{}, err
	}
	var res CheckResult
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		// The scope first, on the records the request names: a refusal must
		// tell nothing about a case or borrower outside it.
		if err := s.mayContact(ctx, tx, by, req.BorrowerID, req.CaseID); err != nil {
			return err
		}
		if err := caseBorrower(ctx, tx, &req.BorrowerID, req.CaseID); err != nil {
			return err
		}
		r, err := s.contactRules(ctx, tx)
		if err != nil {
			return err
		}
		f, err := s.loadFacts(ctx, tx, r, req.BorrowerID, req.StartedAt)
		if err != nil {
			return err
		}
		rc, err := req.resolve(&f)
		if err != nil {
			return err
		}
		res, err = s.decideContact(ctx, tx, r, &f, by, &req, rc)
		return err
	})
	if err != nil {
		return CheckResult{}, fmt.Errorf("check contact with borrower %d: %w", req.BorrowerID, err)
	}
	return res, nil
}

// decideContact decides on req with the approvals already given.
func (s *Service) decideContact(ctx context.Context, tx *sqlstore.Tx, r govRules, f *borrowerFacts, by Actor,
	req *ContactRequest, rc contactRecipient) (CheckResult, error) {
	var res CheckResult
	if req.Direction == "inbound" {
		res.Decision = inboundDecision
		return res, nil
	}
	var approved []string
	ok, err := tx.MatchingApprovals(ctx, req.BorrowerID, req.Channel, req.Party, rc.address, req.StartedAt, sqlstore.ApprovalApproved)
	if err != nil {
		return res, err
	}
	if len(ok) > 0 {
		res.ApprovalID, approved = ok[0].ID, []string{ok[0].DecidedRole}
	}
	p := req.proposal(by.User, rc, approved)
	res.Decision = r.check(f, p)
	if !res.Decision.Allowed() && compliance.Waitable(res.Decision) {
		res.NextAllowed = r.nextAllowed(f, p, outbox.MaxHold)
	}
	return res, nil
}

// ContactPanel is what a collector sees before dialling or sending: for
// each of the borrower's numbers and emails and each registered contact,
// whether a call, an SMS or an email right now is allowed and why not.
type ContactPanel struct {
	BorrowerID   int64                     `json:"borrower_id"`
	CaseID       int64                     `json:"case_id,omitempty"`
	Name         string                    `json:"name"`
	Flags        []string                  `json:"flags"`
	Vulnerable   bool                      `json:"vulnerable"`
	Jurisdiction compliance.Jurisdiction   `json:"jurisdiction"`
	TimeZone     string                    `json:"time_zone"`
	LocalTime    time.Time                 `json:"local_time"`
	Day          calendar.Day              `json:"day"`
	Rows         []PanelRow                `json:"rows"`
	Recent       []sqlstore.ContactAttempt `json:"recent"`
	Approvals    []sqlstore.Approval       `json:"approvals"`
}

// PanelRow is one number, email or registered contact with the decision
// for each channel it can be reached on. Ref is what the contact form
// posts as "to".
type PanelRow struct {
	Ref          string       `json:"ref"`
	Kind         string       `json:"kind"`                 // phone, email, contact
	Label        string       `json:"label"`                // the masked number or address
	PhoneKind    string       `json:"phone_kind,omitempty"` // mobile, home, work: a phone's kind
	Name         string       `json:"name,omitempty"`
	Relationship string       `json:"relationship,omitempty"`
	Checks       []PanelCheck `json:"checks"`
}

// PanelCheck is the decision about one channel now.
type PanelCheck struct {
	Channel     compliance.Channel  `json:"channel"`
	Party       compliance.Party    `json:"party"`
	Purpose     string              `json:"purpose,omitempty"`
	Decision    compliance.Decision `json:"decision"`
	NextAllowed time.Time           `json:"next_allowed,omitzero"`
}

// ContactPanel returns the contact panel of borrower id and case caseID
// (either may be 0: the case names its borrower) for by, now. Addresses are
// masked. It returns NotFound for an unknown borrower or case and Forbidden
// unless by may record contacts or read compliance records.
func (s *Service) ContactPanel(ctx context.Context, by Actor, id, caseID int64) (ContactPanel, error) {
	if !by.User.Can(auth.PermContactLog) && !by.User.Can(auth.PermComplianceRead) {
		return ContactPanel{}, errs.Errorf(errs.Forbidden, "Your role may not see the contact panel.")
	}
	now := s.now().UTC().Truncate(time.Second)
	var p ContactPanel
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		// The scope first, on the records the request names: a refusal must
		// tell nothing about a case or borrower outside it.
		if err := s.mayContact(ctx, tx, by, id, caseID); err != nil {
			return err
		}
		if err := caseBorrower(ctx, tx, &id, caseID); err != nil {
			return err
		}
		r, err := s.contactRules(ctx, tx)
		if err != nil {
			return err
		}
		f, err := s.loadFacts(ctx, tx, r, id, now)
		if err != nil {
			return err
		}
		p = ContactPanel{BorrowerID: id, CaseID: caseID, Name: pii.MaskName(f.b.Name), Flags: nonNilList(f.b.Flags),
			Vulnerable: compliance.Vulnerable(f.b.Flags), Jurisdiction: r.j, TimeZone: f.b.TimeZone, LocalTime: now}
		if loc, err := time.LoadLocation(f.b.TimeZone); err == nil {
			p.LocalTime = now.In(loc)
			p.Day = r.cal.Day(date.FromTime(p.LocalTime))
		}
		if p.Rows, err = s.panelRows(ctx, tx, r, &f, by, caseID, now); err != nil {
			return err
		}
		if p.Recent, _, err = tx.ContactAttempts(ctx, sqlstore.ContactAttemptFilter{BorrowerID: &id, Masked: true, Limit: 10}); err != nil {
			return err
		}
		p.Approvals, _, err = tx.Approvals(ctx, sqlstore.ApprovalFilter{BorrowerID: &id, Limit: 10})
		for i := range p.Approvals {
			p.Approvals[i].Address = ""
		}
		return err
	})
	if err != nil {
		return ContactPanel{}, fmt.Errorf("contact panel of borrower %d: %w", id, err)
	}
	return p, nil
}

func (s *Service) panelRows(ctx context.Context, tx *sqlstore.Tx, r govRules, f *borrowerFacts, by Actor, caseID int64,
	now time.Time) ([]PanelRow, error) {
	var rows []PanelRow
	add := func(row PanelRow, party compliance.Party, purpose string, channels ...compliance.Channel) error {
		for _, ch := range channels {
			req := ContactRequest{BorrowerID: f.b.ID, CaseID: caseID, Channel: ch, Direction: "outbound", Party: party,
				To: row.Ref, Purpose: purpose, StartedAt: now}
			rc, err := req.resolve(f)
			if err != nil {
				return err
			}
			res, err := s.decideContact(ctx, tx, r, f, by, &req, rc)
			if err != nil {
				return err
			}
			row.Checks = append(row.Checks, PanelCheck{Channel: ch, Party: req.Party, Purpose: purpose,
				Decision: res.Decision, NextAllowed: res.NextAllowed})
		}
		rows = append(rows, row)
		return nil
	}
	for i, ph := range f.b.Phones {
		ref := "phone:" + strconv.Itoa(i+1)
		if err := add(PanelRow{Ref: ref, Kind: "phone", Label: pii.MaskPhone(ph.Number), PhoneKind: ph.Kind},
			compliance.ToBorrower, compliance.PurposeCollection, compliance.Call, compliance.SMS); err != nil {
			return nil, err
		}
	}
	for i, e := range f.emails {
		ref := "email:" + strconv.Itoa(i+1)
		if err := add(PanelRow{Ref: ref, Kind: "email", Label: maskEmail(e)},
			compliance.ToBorrower, compliance.PurposeCollection, compliance.Email); err != nil {
			return nil, err
		}
	}
	for _, c := range f.contacts {
		ref := "contact:" + strconv.FormatInt(c.ID, 10)
		if err := add(PanelRow{Ref: ref, Kind: "contact", Label: pii.MaskPhone(c.Phone), Name: pii.MaskName(c.Name),
			Relationship: c.Relationship}, compliance.ToContact, compliance.PurposeLocate, compliance.Call); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// maskEmail keeps the first character of the local part and the domain.
func maskEmail(e string) string {
	for i, r := range e {
		if r == '@' {
			if i == 0 {
				return "***" + e[i:]
			}
			first := []rune(e[:i])[0]
			return string(first) + "***" + e[i:]
		}
	}
	return "***"
}
