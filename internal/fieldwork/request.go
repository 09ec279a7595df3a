package fieldwork

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/pii"
	"accord/internal/route"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// Where a visit request comes from.
const (
	SourceStrategy  = "strategy"  // the strategy's field_visit treatment
	SourceCollector = "collector" // a person asked for it with a purpose
)

// MaxText is the longest purpose, target, note or reason accepted, in
// characters.
const MaxText = 2000

// active lists the states of a visit that is still going.
var active = []string{string(visit.Requested), string(visit.Approved), string(visit.Noticed), string(visit.Planned),
	string(visit.CheckedIn)}

// NewRequest is a visit a collector asks for.
type NewRequest struct {
	CaseID      int64  `json:"case_id"`
	Purpose     string `json:"purpose"`                // why (required)
	Target      string `json:"target,omitempty"`       // the amount to ask for, or the negotiation to open
	AddressKind string `json:"address_kind,omitempty"` // which of the borrower's addresses: home (default), work …
	// The time the borrower said suits them, local "HH:MM" (both or
	// neither), and on which weekdays (empty: any).
	PrefFrom     string         `json:"pref_from,omitempty"`
	PrefUntil    string         `json:"pref_until,omitempty"`
	PrefWeekdays []time.Weekday `json:"pref_weekdays,omitempty"`
	DurationMin  int            `json:"duration_min,omitempty"` // expected time on site; the service default when 0
}

func (r NewRequest) validate() error {
	var fe []errs.FieldError
	add := func(f, m string) { fe = append(fe, errs.FieldError{Field: f, Message: m}) }
	if r.CaseID <= 0 {
		add("case_id", "is required")
	}
	if utf8.RuneCountInString(r.Purpose) > MaxText {
		add("purpose", fmt.Sprintf("at most %d characters", MaxText))
	}
	if utf8.RuneCountInString(r.Target) > MaxText {
		add("target", fmt.Sprintf("at most %d characters", MaxText))
	}
	if (r.PrefFrom == "") != (r.PrefUntil == "") {
		add("pref_until", "give both ends of the time that suits the borrower, or neither")
	} else if r.PrefFrom != "" {
		f, err1 := route.ParseClock(r.PrefFrom)
		u, err2 := route.ParseClock(r.PrefUntil)
		switch {
		case err1 != nil:
			add("pref_from", "must be HH:MM")
		case err2 != nil:
			add("pref_until", "must be HH:MM")
		case u <= f:
			add("pref_until", "must be after pref_from")
		}
	}
	for _, d := range r.PrefWeekdays {
		if d < time.Sunday || d > time.Saturday {
			add("pref_weekdays", "days are 0 (Sunday) to 6 (Saturday)")
			break
		}
	}
	if r.DurationMin < 0 || r.DurationMin > 480 {
		add("duration_min", "must be between 0 and 480")
	}
	if len(fe) > 0 {
		return errs.Fields("The visit request is not valid.", fe...)
	}
	return nil
}

// RequestVisit asks for a visit on case r.CaseID, which by must be allowed
// to work. The borrower must be eligible (visit.Eligible: a purpose, an
// address with coordinates, no vulnerability, dispute, cease or lost
// contact, the policy's thresholds); the case must have no visit going
// on. The visit carries its expected value and cost for the approver. It
// returns Invalid naming the fields, Forbidden, NotFound (also outside by's
// scope), Conflict with the eligibility reasons, or collect.ErrCaseClosed.
func (s *Service) RequestVisit(ctx context.Context, by collect.Actor, r NewRequest) (sqlstore.Visit, error) {
	if err := may(by, auth.PermVisitRequest, "ask for field visits"); err != nil {
		return sqlstore.Visit{}, err
	}
	if err := r.validate(); err != nil {
		return sqlstore.Visit{}, err
	}
	p, err := s.Policy(ctx)
	if err != nil {
		return sqlstore.Visit{}, err
	}
	var v sqlstore.Visit
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		c, err := s.collect.WorkableCase(ctx, tx, by, r.CaseID)
		if err != nil {
			return err
		}
		v, err = s.newVisit(ctx, tx, c, r, SourceCollector, by.User.Username, p)
		if err != nil {
			return err
		}
		if err := tx.CreateVisit(ctx, &v); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, "visit.request", v, map[string]any{"source": v.Source,
			"expected_value": v.ExpectedMinor, "cost": v.CostMinor})
	})
	if err != nil {
		return sqlstore.Visit{}, fmt.Errorf("request visit on case %d: %w", r.CaseID, err)
	}
	return v, nil
}

// newVisit builds a requested visit for case c after the eligibility
// rules, or returns why not.
func (s *Service) newVisit(ctx context.Context, tx *sqlstore.Tx, c sqlstore.Case, r NewRequest, source, by string,
	p visit.Policy) (sqlstore.Visit, error) {
	going, _, err := tx.Visits(ctx, sqlstore.VisitFilter{CaseID: c.ID, States: active, Limit: 1})
	if err != nil {
		return sqlstore.Visit{}, err
	}
	if len(going) > 0 {
		return sqlstore.Visit{}, errs.Errorf(errs.Conflict, "Case %d already has visit %d (%s).", c.ID, going[0].ID, going[0].State)
	}
	b, err := tx.Borrower(ctx, c.BorrowerID)
	if err != nil {
		return sqlstore.Visit{}, err
	}
	addr := pickAddress(b.Addresses, r.AddressKind)
	pairs, err := tx.Pairs(ctx, true, "")
	if err != nil {
		return sqlstore.Visit{}, err
	}
	now := s.now().UTC()
	cand := visit.Candidate{Recommended: source == SourceStrategy, Purpose: r.Purpose, Address: addr, Flags: b.Flags,
		DPD: c.DPD, Overdue: c.Overdue}
	var oneWay float64
	if addr != nil {
		oneWay = nearestBaseKm(pairs, *addr)
	}
	d, err := visit.Request(cand, by, now, visit.Estimate(c.Overdue, zeroRate, oneWay, p), p)
	if err != nil {
		return sqlstore.Visit{}, err
	}
	v := sqlstore.Visit{BorrowerID: c.BorrowerID, CaseID: c.ID, State: string(d.State), Source: source,
		Purpose: pii.MaskFreeText(strings.TrimSpace(r.Purpose)), Target: pii.MaskFreeText(strings.TrimSpace(r.Target)),
		RequestedBy: by, RequestedAt: now, AddressKind: addr.Kind, AddressLine: addr.Line, AddressCity: addr.City,
		Region: addr.Region, Lat: addr.Lat, Lon: addr.Lon, TimeZone: b.TimeZone, DurationMin: r.DurationMin,
		PrefFrom: r.PrefFrom, PrefUntil: r.PrefUntil, PrefWeekdays: r.PrefWeekdays}
	if v.DurationMin == 0 {
		v.DurationMin = int(s.duration / time.Minute)
	}
	if v.TimeZone == "" {
		v.TimeZone = s.zone.String()
	}
	setEconomics(&v, d.Economics)
	return v, nil
}

// pickAddress returns the borrower's address of kind (home when ""), or
// the first one, or nil.
func pickAddress(list []borrower.Address, kind string) *borrower.Address {
	if kind == "" {
		kind = "home"
	}
	if i := slices.IndexFunc(list, func(a borrower.Address) bool { return a.Kind == kind }); i >= 0 {
		return &list[i]
	}
	if len(list) > 0 {
		return &list[0]
	}
	return nil
}

// nearestBaseKm is the road km from the nearest active pair's base of the
// address's region (any pair when none serves it) to a, or 0 without pairs.
func nearestBaseKm(pairs []sqlstore.FieldPair, a borrower.Address) float64 {
	best := -1.0
	for _, regional := range []bool{true, false} {
		for _, p := range pairs {
			if regional && p.Region != "" && a.Region != "" && p.Region != a.Region {
				continue
			}
			km := route.RoadKm(route.Point{Lat: p.BaseLat, Lon: p.BaseLon}, route.Point{Lat: a.Lat, Lon: a.Lon})
			if best < 0 || km < best {
				best = km
			}
		}
		if best >= 0 {
			return best
		}
	}
	return 0
}
