package collect

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/casework"
	"accord/internal/classify"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// CasePage is a case as the case page shows it: the borrower (masked), the
// case's loans with their overdue breakdown, the timeline, the tasks, the
// suggested script for the segment and the factors of its queue value.
type CasePage struct {
	Case      sqlstore.Case        `json:"case"`
	Borrower  borrower.Borrower    `json:"borrower"`
	Loans     []LoanSummary        `json:"loans"`
	Events    []sqlstore.CaseEvent `json:"events"`
	Tasks     []sqlstore.Task      `json:"tasks"`
	Owner     string               `json:"owner"`
	Script    Script               `json:"script"`
	Factors   []casework.Factor    `json:"ev_factors"` // the rules of thumb behind the expected value, unless ValuedBy
	ValuedBy  *ScoreValue          `json:"ev_score,omitempty"`
	CanWork   bool                 `json:"can_work"`   // may log notes and contacts
	CanManage bool                 `json:"can_manage"` // may reassign
	Targets   []Target             `json:"-"`          // who a manager may reassign to
}

// ScoreValue is the cure score an open case's expected value was reckoned
// from (casework.ScoredEV): its model, a cure model in use, the night it
// was made and its probability.
type ScoreValue struct {
	ModelID int64     `json:"model_id"`
	AsOf    date.Date `json:"as_of"`
	Chance  float64   `json:"chance"`
}

// Target is a collector or agency a case can be given to.
type Target struct {
	Value string // "collector:12", "agency:3"
	Label string
}

func ownerValue(k casework.OwnerKind, id int64) string {
	return string(k) + ":" + strconv.FormatInt(id, 10)
}

// targets lists the active collectors and whitelisted agencies.
func targets(ctx context.Context, tx *sqlstore.Tx) ([]Target, error) {
	active := true
	cols, err := tx.Collectors(ctx, sqlstore.CollectorFilter{Active: &active})
	if err != nil {
		return nil, err
	}
	var out []Target
	for _, c := range cols {
		out = append(out, Target{Value: ownerValue(casework.ToCollector, c.ID),
			Label: fmt.Sprintf("%s · %s (%d/%d)", c.Team, c.Name, c.Load, c.Capacity)})
	}
	ags, err := tx.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range ags {
		if a.Whitelisted {
			out = append(out, Target{Value: ownerValue(casework.ToAgency, a.ID),
				Label: fmt.Sprintf("委外 %s (%d/%d)", a.Name, a.Load, a.Capacity)})
		}
	}
	return out, nil
}

// Script is the suggested call script for a case's segment, filled in.
type Script struct {
	classify.Script
	TextZH string `json:"text_zh"`
	TextEN string `json:"text_en"`
}

func notFoundErr(err error) bool { return errs.CodeOf(err) == errs.NotFound }

// Case returns case id for the case page. It returns NotFound if there is
// no such case or it is outside by's scope.
func (s *Service) Case(ctx context.Context, by Actor, id int64) (CasePage, error) {
	if err := mayWorkCases(by); err != nil {
		return CasePage{}, err
	}
	var p CasePage
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.scopeOf(ctx, tx, by)
		if err != nil {
			return err
		}
		if err := reachCase(ctx, tx, sc, id); err != nil {
			return err
		}
		c, err := tx.Case(ctx, id)
		if err != nil {
			return err
		}
		tasks, _, err := tx.Tasks(ctx, sqlstore.TaskFilter{CaseID: &id, Limit: 200})
		if err != nil {
			return err
		}
		p = CasePage{Case: c, Tasks: tasks, CanWork: by.User.Can(auth.PermCaseWork), CanManage: by.User.Can(auth.PermCaseManage)}
		return s.fillCasePage(ctx, tx, by, &p)
	})
	if err != nil {
		return CasePage{}, fmt.Errorf("load case %d: %w", id, err)
	}
	return p, nil
}

func (s *Service) fillCasePage(ctx context.Context, tx *sqlstore.Tx, by Actor, p *CasePage) error {
	c := &p.Case
	b, err := tx.Borrower(ctx, c.BorrowerID)
	if err != nil {
		return err
	}
	p.Borrower = mask(b)
	loans, _, err := tx.Loans(ctx, sqlstore.LoanFilter{BorrowerID: &c.BorrowerID, Limit: 200})
	if err != nil {
		return err
	}
	for _, l := range loans {
		if slices.Contains(c.LoanIDs, l.Loan.ID) {
			p.Loans = append(p.Loans, LoanSummary{Loan: l.Loan, Position: l.Position, Bucket: l.Bucket})
		}
	}
	if p.Events, err = tx.CaseEvents(ctx, c.ID); err != nil {
		return err
	}
	if p.Owner, err = ownerName(ctx, tx, c.Owner); err != nil {
		return err
	}
	if p.CanManage {
		if p.Targets, err = targets(ctx, tx); err != nil {
			return err
		}
	}
	cfg := s.cycle
	p.Script = script(c, b.Name, by.User.DisplayName, cfg.Texts)
	if p.ValuedBy, err = scoreValue(ctx, tx, c, s.Today()); err != nil {
		return err
	}
	if p.ValuedBy == nil {
		_, p.Factors = cfg.EV.ExpectedValue(evFacts(c, s.Today()))
	}
	if c.Status == casework.Open {
		return s.gradeReasons(ctx, tx, c, cfg)
	}
	return nil
}

// gradeReasons fills the reasons behind an open case's tier and segment,
// computed as the nightly run does, as of today: they change every day
// with the DPD, so they are not stored.
func (s *Service) gradeReasons(ctx context.Context, tx *sqlstore.Tx, c *sqlstore.Case, cfg CycleConfig) error {
	asOf := s.Today()
	r := &caseRun{s: s, cfg: cfg, asOf: asOf, cache: newSignalCache()}
	ch, err := tx.LoadCaseChunk(ctx, []int64{c.BorrowerID}, sqlstore.CaseChunkWindow{AsOf: asOf,
		Recent: asOf.AddDays(1 - cfg.RecentDays), Contacts: asOf.AddDays(1 - cfg.ContactDays)})
	if err != nil {
		return err
	}
	b := c.BorrowerID
	w := &caseWork{c: *c, before: *c, borrower: ch.Borrowers[b], loans: ch.Loans[b], known: ch.CasePayments[c.ID],
		contacts: ch.Contacts[c.ID]}
	sigs, err := r.signals(ctx, tx, []*caseWork{w})
	if err != nil {
		return err
	}
	_, tierReasons := cfg.Classify.Tiers.Tier(c.DPD, c.Overdue)
	a := cfg.Classify.Segments.Assess(r.segmentSignals(w, sigs), asOf)
	c.Reasons = append(tierReasons, a.Reasons...)
	return nil
}

// ownerName returns the name of a collector or agency, or "".
func ownerName(ctx context.Context, tx *sqlstore.Tx, o casework.Owner) (string, error) {
	switch o.Kind {
	case casework.ToCollector:
		c, err := tx.Collector(ctx, o.ID)
		if notFoundErr(err) {
			return o.String(), nil
		}
		return c.Name, err
	case casework.ToAgency:
		a, err := tx.Agency(ctx, o.ID)
		if notFoundErr(err) {
			return o.String(), nil
		}
		return a.Name, err
	}
	return "", nil
}

// script fills the segment's script for case c.
func script(c *sqlstore.Case, name, collector string, t TemplateTexts) Script {
	sc := Script{Script: classify.ScriptFor(c.Segment)}
	if collector == "" {
		collector = t.Collector
	}
	v := strategy.Vars{"name": name, "amount": c.Overdue.String(), "balance": c.Balance.String(), "dpd": strconv.Itoa(c.DPD),
		"lender": t.Lender, "hotline": t.Hotline, "collector": collector, "pay_channel": t.PayChannel,
		"due_date": "", "product": ""}
	for _, f := range []struct {
		src string
		dst *string
	}{{sc.ZH, &sc.TextZH}, {sc.EN, &sc.TextEN}} {
		txt, err := strategy.ParseText(f.src)
		if err == nil {
			*f.dst, _ = txt.Render(v)
		}
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	return sc
}

// evFacts is what the queue value of case c is built from on asOf.
func evFacts(c *sqlstore.Case, asOf date.Date) casework.EVFacts {
	days := casework.NeverContacted
	if !c.LastConnectedOn.IsZero() {
		days = asOf.Sub(c.LastConnectedOn)
	}
	return casework.EVFacts{CaseID: c.ID, Balance: c.Balance, Bucket: c.Bucket, Segment: string(c.Segment),
		PromisesKept: c.PromisesKept, PromisesBroken: c.PromisesBroken, OpenPromise: !c.PromiseDue.IsZero(),
		DaysSinceContact: days, Paid30d: c.Paid30d}
}

// Cases lists the cases f selects that by may see (their scope, filtered
// in SQL): everything for case managers; otherwise the cases their
// collector or agency owns or has open tasks on.
func (s *Service) Cases(ctx context.Context, by Actor, f sqlstore.CaseFilter) ([]sqlstore.Case, int, error) {
	if err := mayWorkCases(by); err != nil {
		return nil, 0, err
	}
	var list []sqlstore.Case
	var total int
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.scopeOf(ctx, tx, by)
		if err != nil || sc.None() {
			return err
		}
		f.Scope = &sc
		list, total, err = tx.Cases(ctx, f)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list cases: %w", err)
	}
	return list, total, nil
}

// Workbench is a collector's day: their open cases in queue order (highest
// expected value first), how many they have not opened today, and the open
// tasks waiting in the queues they work.
type Workbench struct {
	Owner      casework.Owner  `json:"owner"`
	Name       string          `json:"name"`
	Cases      []sqlstore.Case `json:"cases"`
	Total      int             `json:"total"`
	NotWorked  int             `json:"not_worked_today"`
	QueueTasks []sqlstore.Task `json:"queue_tasks"`
	Today      date.Date       `json:"today"`
}

// Workbench returns by's queue, at most limit cases. A user who is neither
// a collector nor an agency agent gets an empty workbench.
func (s *Service) Workbench(ctx context.Context, by Actor, limit int) (Workbench, error) {
	wb := Workbench{Today: s.Today()}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.ownScope(ctx, tx, by)
		if err != nil || sc.None() {
			return err
		}
		wb.Owner = sc.Owner
		if wb.Name, err = ownerName(ctx, tx, sc.Owner); err != nil {
			return err
		}
		st := casework.Open
		if wb.Cases, wb.Total, err = tx.Cases(ctx, sqlstore.CaseFilter{Owner: &sc.Owner, Status: &st, OrderByEV: true, Limit: limit}); err != nil {
			return err
		}
		for _, c := range wb.Cases {
			if c.WorkedOn.Before(wb.Today) {
				wb.NotWorked++
			}
		}
		open := sqlstore.TaskOpen
		for _, q := range sc.Queues {
			tasks, _, err := tx.Tasks(ctx, sqlstore.TaskFilter{Queue: &q, Status: &open, Assignee: &casework.Owner{}, Limit: 50})
			if err != nil {
				return err
			}
			wb.QueueTasks = append(wb.QueueTasks, tasks...)
		}
		return nil
	})
	if err != nil {
		return Workbench{}, fmt.Errorf("load workbench: %w", err)
	}
	return wb, nil
}

// ownScope is the scope of by's own collector or agency, ignoring
// case:manage, for a supervisor who also works cases.
func (s *Service) ownScope(ctx context.Context, tx *sqlstore.Tx, by Actor) (sqlstore.Scope, error) {
	if !by.User.Can(auth.PermCaseWork) {
		return sqlstore.Scope{}, errs.Errorf(errs.Forbidden, "Your role may not work cases.")
	}
	u := by
	u.User.Roles = []auth.Role{auth.Collector}
	return s.scopeOf(ctx, tx, u)
}

// NextCase hands by the open case with the highest expected value among
// those they own that nobody opened from the queue today and whose
// borrower the contact governor allows calling now, and marks it opened
// today; cases passed over stay in the queue. It returns a NotFound error
// when there is none left (ErrNoContactableCase when some are left but none
// may be called now).
func (s *Service) NextCase(ctx context.Context, by Actor) (int64, error) {
	if !by.User.Can(auth.PermCaseWork) {
		return 0, errs.Errorf(errs.Forbidden, "Your role may not work cases.")
	}
	var id int64
	// The presses made meanwhile share one write transaction (txBatcher);
	// each runs in it as in a transaction of its own.
	err := s.nextBatch.run(ctx, s.db, &batchReq{
		plan: func(ctx context.Context, tx *sqlstore.Tx, m *nextMemo) error { return s.planNextCase(ctx, tx, m, by) },
		fn: func(ctx context.Context, tx *sqlstore.Tx, m *nextMemo) (err error) {
			id, err = s.nextCase(ctx, tx, m, by)
			return err
		}})
	return id, err
}
