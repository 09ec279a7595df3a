package fieldwork

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/pii"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// MaxAttachments is the most files one outcome keeps.
const MaxAttachments = 5

// NewOutcome is the outcome of a visit as the pair records it at check-out,
// or (Corrects set) a correction of an entry already submitted.
type NewOutcome struct {
	Kind        visit.Kind        `json:"kind"`
	Note        string            `json:"note,omitempty"`
	MetWhom     string            `json:"met_whom,omitempty"`
	NewAddress  *borrower.Address `json:"new_address,omitempty"`
	Amount      money.Amount      `json:"amount,omitempty"`
	PaymentRef  string            `json:"payment_ref,omitempty"`
	PromiseDate date.Date         `json:"promise_date,omitempty"`
	Attachments []NewAttachment   `json:"attachments,omitempty"`
	// Corrects is the entry this one corrects (0: the visit's outcome).
	Corrects int64 `json:"corrects,omitempty"`
}

// NewAttachment is a photo or recording kept with an outcome.
type NewAttachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type,omitempty"`
	Data        []byte `json:"data"`
}

func (o NewOutcome) validate() error {
	var fe []errs.FieldError
	if utf8.RuneCountInString(o.Note) > MaxText {
		fe = append(fe, errs.FieldError{Field: "note", Message: fmt.Sprintf("at most %d characters", MaxText)})
	}
	if len(o.Attachments) > MaxAttachments {
		fe = append(fe, errs.FieldError{Field: "attachments", Message: fmt.Sprintf("at most %d files", MaxAttachments)})
	}
	for i, a := range o.Attachments {
		if strings.TrimSpace(a.Name) == "" || len(a.Data) == 0 || len(a.Data) > sqlstore.MaxAttachment {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("attachments[%d]", i),
				Message: fmt.Sprintf("needs a name and 1 byte to %d MiB", sqlstore.MaxAttachment>>20)})
		}
	}
	if len(fe) > 0 {
		return errs.Fields("The outcome is not valid.", fe...)
	}
	return nil
}

// masked returns o with the national ids and phone numbers typed into
// its free text masked (pii.MaskFreeText): what was said or the
// correction's reason, who was met, the new address's line and the
// attachments' names. Structured fields (kind, amount, payment reference,
// dates) and the rest of the address are kept as typed; an address line
// keeps its street and room numbers, only id and phone patterns are
// masked. Everything the outcome stores or passes on (the entry, the
// promise note, the round, the incident, the address change) is made from
// the masked copy.
func (o NewOutcome) masked() NewOutcome {
	o.Note, o.MetWhom = pii.MaskFreeText(o.Note), pii.MaskFreeText(o.MetWhom)
	if o.NewAddress != nil {
		a := *o.NewAddress
		a.Line = pii.MaskFreeText(a.Line)
		o.NewAddress = &a
	}
	if o.Attachments != nil {
		list := make([]NewAttachment, len(o.Attachments))
		for i, a := range o.Attachments {
			a.Name = pii.MaskFreeText(a.Name)
			list[i] = a
		}
		o.Attachments = list
	}
	return o
}

// OutcomeResult is what recording an outcome made: the visit as now, the
// entry, and the promise or negotiation round made from it.
type OutcomeResult struct {
	Visit      sqlstore.Visit      `json:"visit"`
	Entry      sqlstore.VisitEntry `json:"entry"`
	PromiseID  int64               `json:"promise_id,omitempty"`
	RoundID    int64               `json:"round_id,omitempty"`
	IncidentID int64               `json:"incident_id,omitempty"`
	// AddressChangeID is the borrower's address change a moved outcome
	// with a new address made.
	AddressChangeID int64 `json:"address_change_id,omitempty"`
}

// RecordOutcome records the outcome of checked-in visit id by by, one of
// its pair's agents, and finishes the visit. The outcome must carry what
// its kind needs (visit.Outcome.Validate). A promise becomes a real promise
// record (negotiation.RecordPromise, channel visit) and a negotiation a
// negotiation round held at the visit's address (negotiation.AddRound),
// both in the outcome's one transaction; a new address learned (moved)
// replaces the borrower's address of its kind, the old one kept in the
// borrower's address changes; an incident reaches the
// supervisor at once (an open incident). Notes are masked
// (pii.MaskFreeText); attachments are kept with their SHA-256; entries are
// never changed: with o.Corrects a later correction of a done visit's
// entry is a new entry pointing at the old one (no promise or round is
// made again). It returns Invalid naming the fields, Forbidden, NotFound or
// Conflict.
func (s *Service) RecordOutcome(ctx context.Context, by collect.Actor, id int64, o NewOutcome) (OutcomeResult, error) {
	if err := o.validate(); err != nil {
		return OutcomeResult{}, err
	}
	o = o.masked()
	p, err := s.Policy(ctx)
	if err != nil {
		return OutcomeResult{}, err
	}
	vo := visit.Outcome{Kind: o.Kind, Note: o.Note, MetWhom: o.MetWhom, NewAddress: o.NewAddress, Amount: o.Amount,
		PaymentRef: o.PaymentRef, PromiseDate: o.PromiseDate}
	if err := vo.Validate(s.Today()); err != nil {
		return OutcomeResult{}, err
	}
	var res OutcomeResult
	// One transaction: the promise or round, the entry and the visit are
	// kept together or not at all, so a retry after a failure cannot make
	// a second promise.
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		v, _, err := s.workVisit(ctx, tx, by, id)
		if err != nil {
			return err
		}
		if err := s.outcomeState(ctx, tx, v, o); err != nil {
			return err
		}
		if o.Corrects == 0 {
			if err := s.follow(ctx, tx, by, v, o, &res); err != nil {
				return err
			}
		}
		e, err := entryOf(v, o, by, res)
		if err != nil {
			return err
		}
		if err := tx.AddVisitEntry(ctx, &e); err != nil {
			return err
		}
		res.Entry = e
		if o.Kind == visit.Moved && o.NewAddress != nil {
			ch, err := s.recordMove(ctx, tx, by, v, e, *o.NewAddress)
			if err != nil {
				return err
			}
			res.AddressChangeID = ch.ID
		}
		if o.Corrects == 0 {
			d := domain(v)
			if err := d.Finish(vo, s.now().UTC(), s.zone, p); err != nil {
				return err
			}
			apply(&v, d)
			v.CheckedOutAt = v.DoneAt
			if err := tx.UpdateVisit(ctx, &v); err != nil {
				return err
			}
			if err := s.closeVisitTasks(ctx, tx, v, string(o.Kind)); err != nil {
				return err
			}
			// The visit was made: its cost counts on the case, and so in the
			// experiment arm the case is in (as calls and messages do).
			if err := tx.AddCaseCost(ctx, v.CaseID, money.Amount(v.CostMinor)); err != nil {
				return err
			}
		}
		if o.Kind == visit.Incident && o.Corrects == 0 {
			inc := sqlstore.VisitIncident{BorrowerID: v.BorrowerID, VisitID: v.ID, Kind: "incident", Note: e.Note,
				ReportedBy: by.User.Username}
			if err := tx.AddIncident(ctx, &inc); err != nil {
				return err
			}
			res.IncidentID = inc.ID
		}
		res.Visit = v
		sums := make([]string, len(e.Attachments))
		for i, a := range e.Attachments {
			sums[i] = a.SHA256
		}
		return s.audit(ctx, tx, by, "visit.outcome", v, map[string]any{"entry_id": e.ID, "kind": e.Kind,
			"corrects": e.CorrectsID, "promise_id": e.PromiseID, "round_id": e.RoundID, "attachments_sha256": sums,
			"incident_id": res.IncidentID, "case_cost_added": costAdded(v, o)})
	})
	if err != nil {
		return OutcomeResult{}, fmt.Errorf("outcome of visit %d: %w", id, err)
	}
	for i := range res.Entry.Attachments {
		res.Entry.Attachments[i].Data = nil
	}
	return res, nil
}

// costAdded is what recording o added to the case's cost.
func costAdded(v sqlstore.Visit, o NewOutcome) int64 {
	if o.Corrects != 0 {
		return 0
	}
	return v.CostMinor
}

// outcomeState checks that v may take o: checked in for an outcome, done
// (and the entry corrected its own) for a correction.
func (s *Service) outcomeState(ctx context.Context, tx *sqlstore.Tx, v sqlstore.Visit, o NewOutcome) error {
	if o.Corrects == 0 {
		if v.State != string(visit.CheckedIn) {
			return errs.Errorf(errs.Conflict, "Visit %d is %s: check in before recording the outcome.", v.ID, v.State)
		}
		return nil
	}
	if v.State != string(visit.Done) {
		return errs.Errorf(errs.Conflict, "Visit %d has no outcome to correct yet.", v.ID)
	}
	list, err := tx.VisitEntries(ctx, v.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(list, func(e sqlstore.VisitEntry) bool { return e.ID == o.Corrects }) {
		return errs.Field("corrects", "entry %d is not an entry of visit %d", o.Corrects, v.ID)
	}
	return nil
}

// follow makes the promise or the negotiation round an outcome asks for,
// in the outcome's transaction tx.
func (s *Service) follow(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, v sqlstore.Visit, o NewOutcome, res *OutcomeResult) error {
	switch o.Kind {
	case visit.Promise:
		pr, err := s.neg.RecordPromiseIn(ctx, tx, by, v.CaseID, negotiation.NewPromise{Amount: o.Amount, Due: o.PromiseDate,
			Channel: "visit", Note: o.Note})
		if err != nil {
			return err
		}
		res.PromiseID = pr.ID
	case visit.Negotiation:
		parts := slices.DeleteFunc(append([]string{}, v.CheckInAgents...), func(s string) bool { return s == "" })
		if len(parts) == 0 {
			parts = []string{by.User.Username}
		}
		r, err := s.neg.AddRoundIn(ctx, tx, by, v.CaseID, negotiation.NewRound{PlaceKind: "home_visit", Place: v.AddressLine,
			Channel: "visit", Participants: append(parts, "borrower"), Situation: o.Note, KeyPoints: o.Note, Outcome: "follow_up"})
		if err != nil {
			return err
		}
		res.RoundID = r.ID
	}
	return nil
}

// entryOf is the entry of outcome o (masked already) of visit v.
func entryOf(v sqlstore.Visit, o NewOutcome, by collect.Actor, res OutcomeResult) (sqlstore.VisitEntry, error) {
	e := sqlstore.VisitEntry{BorrowerID: v.BorrowerID, VisitID: v.ID, Kind: string(o.Kind), Note: o.Note,
		MetWhom: o.MetWhom, AmountMinor: int64(o.Amount), PaymentRef: o.PaymentRef, PromiseOn: o.PromiseDate,
		PromiseID: res.PromiseID, RoundID: res.RoundID, CorrectsID: o.Corrects, RecordedBy: by.User.Username}
	if o.NewAddress != nil {
		b, err := json.Marshal(o.NewAddress)
		if err != nil {
			return e, err
		}
		e.NewAddress = string(b)
	}
	for _, a := range o.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		e.Attachments = append(e.Attachments, sqlstore.VisitAttachment{Name: a.Name, ContentType: ct, Data: a.Data})
	}
	return e, nil
}

// Attachment returns attachment id of a visit, with its bytes, if by may
// see the visit. It returns NotFound (also outside by's reach).
func (s *Service) Attachment(ctx context.Context, by collect.Actor, id int64) (sqlstore.VisitAttachment, error) {
	var a sqlstore.VisitAttachment
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if a, err = tx.VisitAttachment(ctx, id); err != nil {
			return err
		}
		if _, err := s.reachVisit(ctx, tx, by, a.VisitID); errs.CodeOf(err) == errs.NotFound {
			return errs.Errorf(errs.NotFound, "Attachment %d not found.", id)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return sqlstore.VisitAttachment{}, fmt.Errorf("visit attachment %d: %w", id, err)
	}
	return a, nil
}

// ReportComplaint records a complaint about visit id (the borrower or a
// neighbour called); it reaches the supervisor as an open incident. by
// needs visit:request or visit:approve and to see the visit.
func (s *Service) ReportComplaint(ctx context.Context, by collect.Actor, id int64, note string) (sqlstore.VisitIncident, error) {
	if !by.User.Can(auth.PermVisitRequest) && !by.User.Can(auth.PermVisitApprove) {
		return sqlstore.VisitIncident{}, errs.Errorf(errs.Forbidden, "Your role may not record complaints about visits.")
	}
	if strings.TrimSpace(note) == "" || utf8.RuneCountInString(note) > MaxText {
		return sqlstore.VisitIncident{}, errs.Field("note", "say what the complaint is (at most %d characters)", MaxText)
	}
	var inc sqlstore.VisitIncident
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		v, err := s.reachVisit(ctx, tx, by, id)
		if err != nil {
			return err
		}
		inc = sqlstore.VisitIncident{BorrowerID: v.BorrowerID, VisitID: v.ID, Kind: "complaint", Note: pii.MaskFreeText(note),
			ReportedBy: by.User.Username}
		if err := tx.AddIncident(ctx, &inc); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, "visit.complaint", v, map[string]any{"incident_id": inc.ID})
	})
	if err != nil {
		return sqlstore.VisitIncident{}, fmt.Errorf("complaint about visit %d: %w", id, err)
	}
	return inc, nil
}

// Incidents returns the incidents and complaints (open ones only when
// openOnly), newest first. by needs visit:approve.
func (s *Service) Incidents(ctx context.Context, by collect.Actor, openOnly bool) ([]sqlstore.VisitIncident, error) {
	if err := may(by, auth.PermVisitApprove, "see visit incidents"); err != nil {
		return nil, err
	}
	var out []sqlstore.VisitIncident
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		out, err = tx.Incidents(ctx, openOnly, 0)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list incidents: %w", err)
	}
	return out, nil
}

// AcknowledgeIncident marks incident id seen. by needs visit:approve. It
// returns NotFound for an unknown or already acknowledged incident.
func (s *Service) AcknowledgeIncident(ctx context.Context, by collect.Actor, id int64) error {
	if err := may(by, auth.PermVisitApprove, "acknowledge visit incidents"); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.AcknowledgeIncident(ctx, id, by.User.Username); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "visit.incident_ack", "visit_incident", fmt.Sprint(id), nil))
	})
	if err != nil {
		return fmt.Errorf("acknowledge incident %d: %w", id, err)
	}
	return nil
}
