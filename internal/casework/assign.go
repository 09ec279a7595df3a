package casework

import (
	"cmp"
	"slices"

	"accord/internal/date"
)

// Assignment is who owns a case after Assign and why. From is the owner
// before; To equals From when the case stays. RecallOn is set for a new
// agency placement.
type Assignment struct {
	CaseID   int64     `json:"case_id"`
	From     Owner     `json:"from"`
	To       Owner     `json:"to"`
	RecallOn date.Date `json:"recall_on,omitzero"`
	Reason   Reason    `json:"reason"`
}

// Changed reports whether the case changes owner.
func (a Assignment) Changed() bool { return a.From != a.To }

// Assign decides the owner of every case as of asOf and returns one
// Assignment per case, in the order of cases. The rules, in order:
//
//  1. A locked case (manual assignment) stays.
//  2. A case with an agency stays there until its recall date, or until the
//     agency leaves the whitelist; then it is recalled.
//  3. A case with a collector stays with them (continuity) while they are
//     active, still match its bucket, language, region and queue, and the
//     case has made progress within cfg.RotateAfterDays; otherwise it moves
//     (rotation, so no one sits on a case: 养案).
//  4. A case the strategy wants placed goes to the eligible whitelisted
//     agency with the lowest load ratio (then lowest commission, then id),
//     within its capacity; without one it stays with, or goes to, a
//     collector.
//  5. Every other case that needs an owner goes to the eligible collector
//     with the lowest load ratio (load ÷ capacity; then lowest load, then
//     id), never above capacity. A rotating case never goes back to the
//     collector it leaves, unless no one else is eligible. A case no one can
//     take is left unassigned, with the reason.
//
// Cases that need an owner are served largest balance first (then by case
// id), so when capacity runs short the largest debts are covered. The result
// depends only on the arguments.
func Assign(cases []CaseView, collectors []Collector, agencies []Agency, cfg Config, asOf date.Date) []Assignment {
	a := newAssigner(collectors, agencies, cfg, asOf)
	out := make([]Assignment, len(cases))
	var pending []int
	moves := make([]move, len(cases))
	for i := range cases {
		c := &cases[i]
		m, keep := a.review(c)
		if keep != nil {
			out[i] = *keep
			a.take(keep.To)
			continue
		}
		moves[i] = m
		pending = append(pending, i)
	}
	slices.SortFunc(pending, func(x, y int) int {
		if c := cmp.Compare(cases[y].Balance, cases[x].Balance); c != 0 {
			return c
		}
		return cmp.Compare(cases[x].CaseID, cases[y].CaseID)
	})
	for _, i := range pending {
		out[i] = a.place(&cases[i], moves[i])
		a.take(out[i].To)
	}
	return out
}

// why is the cause of a move.
type why int

const (
	whyNew      why = iota // no owner yet
	whyInactive            // the collector is gone or inactive
	whySkills              // the collector no longer matches the case
	whyStale               // no progress for too long
	whyRecall              // the agency placement ended
	whyRemoved             // the agency left the whitelist
	whyPlace               // the strategy wants an agency
)

type move struct {
	why       why
	staleDays int
}

type assigner struct {
	cfg        Config
	asOf       date.Date
	collectors []Collector
	agencies   []Agency
	colLoad    []int
	agLoad     []int
	colIdx     map[int64]int
	agIdx      map[int64]int
	eligible   map[skillKey][]int // indexes of active collectors that match the key
}

func newAssigner(cols []Collector, ags []Agency, cfg Config, asOf date.Date) *assigner {
	a := &assigner{cfg: cfg, asOf: asOf, collectors: cols, agencies: ags,
		colLoad: make([]int, len(cols)), agLoad: make([]int, len(ags)),
		colIdx: make(map[int64]int, len(cols)), agIdx: make(map[int64]int, len(ags)), eligible: map[skillKey][]int{}}
	for i, c := range cols {
		a.colLoad[i], a.colIdx[c.ID] = c.Load, i
	}
	for i, g := range ags {
		a.agLoad[i], a.agIdx[g.ID] = g.Load, i
	}
	return a
}

// take counts a case against o's load.
func (a *assigner) take(o Owner) {
	switch o.Kind {
	case ToCollector:
		if i, ok := a.colIdx[o.ID]; ok {
			a.colLoad[i]++
		}
	case ToAgency:
		if i, ok := a.agIdx[o.ID]; ok {
			a.agLoad[i]++
		}
	}
}

// review decides whether c keeps its owner (rules 1–3). It returns the
// assignment when it does, and otherwise why it moves.
func (a *assigner) review(c *CaseView) (move, *Assignment) {
	keep := func(r Reason) (move, *Assignment) {
		return move{}, &Assignment{CaseID: c.CaseID, From: c.Owner, To: c.Owner, Reason: r}
	}
	if c.Locked && !c.Owner.IsZero() {
		return keep(reasonLocked())
	}
	switch c.Owner.Kind {
	case ToAgency:
		i, ok := a.agIdx[c.Owner.ID]
		switch {
		case !ok || !a.agencies[i].Whitelisted:
			return move{why: whyRemoved}, nil
		case !c.RecallOn.IsZero() && !a.asOf.Before(c.RecallOn):
			return move{why: whyRecall}, nil
		}
		return keep(reasonAgencyKept(a.agencies[i], c.RecallOn))
	case ToCollector:
		i, ok := a.colIdx[c.Owner.ID]
		switch {
		case !ok || !a.collectors[i].Active:
			return move{why: whyInactive}, nil
		case !a.skillsMatch(&a.collectors[i], c):
			return move{why: whySkills}, nil
		}
		days := a.daysWithoutProgress(c)
		if a.cfg.RotateAfterDays > 0 && days >= a.cfg.RotateAfterDays {
			return move{why: whyStale, staleDays: days}, nil
		}
		if c.Placement != nil {
			return move{why: whyPlace}, nil
		}
		return keep(reasonContinuity(a.collectors[i], days))
	}
	return move{why: whyNew}, nil
}

// daysWithoutProgress counts from the later of the last progress and the
// day the owner got the case.
func (a *assigner) daysWithoutProgress(c *CaseView) int {
	since := c.OwnerSince
	if c.LastProgress.After(since) {
		since = c.LastProgress
	}
	if since.IsZero() {
		return 0
	}
	return a.asOf.Sub(since)
}

// place finds a new owner for c (rules 4–5).
func (a *assigner) place(c *CaseView, m move) Assignment {
	as := Assignment{CaseID: c.CaseID, From: c.Owner}
	cause, noAgency := a.cause(c, m), false
	if c.Placement != nil {
		if g := a.pickAgency(c); g >= 0 {
			as.To, as.RecallOn = Owner{ToAgency, a.agencies[g].ID}, a.asOf.AddDays(c.Placement.Days)
			as.Reason = reasonToAgency(cause, m.why, a.agencies[g], as.RecallOn)
			return as
		}
		if m.why == whyPlace {
			// Stay with the current collector, who still qualifies.
			as.To = c.Owner
			as.Reason = reasonNoAgency(cause)
			return as
		}
		cause, noAgency = withNoAgency(cause), true
	}
	exclude := int64(-1)
	if m.why == whyStale {
		exclude = c.Owner.ID
	}
	if k := a.pickCollector(c, exclude); k >= 0 {
		as.To = Owner{ToCollector, a.collectors[k].ID}
		as.Reason = reasonToCollector(cause, m.why, noAgency, a.collectors[k], a.colLoad[k])
		return as
	}
	if m.why == whyStale {
		as.To = c.Owner
		as.Reason = reasonNoAlternative(cause)
		return as
	}
	as.Reason = reasonUnassigned(cause)
	return as
}
