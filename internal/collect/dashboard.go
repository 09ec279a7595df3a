package collect

import (
	"context"
	"fmt"
	"time"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// Dashboard is the collections dashboard as of a date: flow (roll) rates
// month over month, the bucket transition matrix of the month, cure rates,
// recovery rates by bucket, and cases and amounts collected per collector,
// agency and team. Rates are fractions (0.125 is 12.5%); -1 means there was
// nothing to divide by.
type Dashboard struct {
	AsOf       date.Date      `json:"as_of"`
	MonthStart date.Date      `json:"month_start"`
	Buckets    []string       `json:"buckets"`
	Flow       []FlowRow      `json:"flow_rates"`
	Matrix     Matrix         `json:"matrix"`
	Cure       []CureRow      `json:"cure"`
	Recovery   []RecoveryRow  `json:"recovery"`
	Collectors []CollectorRow `json:"collectors"`
	Agencies   []CollectorRow `json:"agencies"`
	Teams      []CollectorRow `json:"teams"`
	// PlanRecovery is what was paid under repayment plans this month and
	// in all, by the plans' offer kind.
	PlanRecovery []PlanKindRow `json:"plan_recovery"`
}

// FlowRow is one month's flow rates (迁徙率): Rates[i] is the balance in
// bucket i+1 at this month's end over the balance in bucket i at the last
// month's end, the share that rolled forward. Outstanding is the balance
// per bucket at the month's end.
type FlowRow struct {
	Month       string         `json:"month"`
	AsOf        date.Date      `json:"as_of"`
	Outstanding []money.Amount `json:"outstanding"`
	Rates       []float64      `json:"rates"`
}

// Matrix counts the loans that changed bucket during the month by where
// they started (rows) and ended (columns); Start is the loans in each bucket
// at the month's start.
type Matrix struct {
	From  date.Date `json:"from"`
	To    date.Date `json:"to"`
	Cells [][]int   `json:"cells"`
	Start []int     `json:"start"`
}

// CureRow is one month's cases: open at its start, opened, cured (出催),
// closed otherwise, and the cure rate = cured ÷ (open at start + opened).
type CureRow struct {
	Month       string  `json:"month"`
	OpenAtStart int     `json:"open_at_start"`
	Opened      int     `json:"opened"`
	Cured       int     `json:"cured"`
	ClosedOther int     `json:"closed_other"`
	Rate        float64 `json:"rate"`
}

// RecoveryRow is one bucket's recovery rate (回款率) this month: amounts
// collected on its cases ÷ the bucket's overdue amount at the month's start.
type RecoveryRow struct {
	Bucket    string       `json:"bucket"`
	Overdue   money.Amount `json:"overdue_at_start"`
	Collected money.Amount `json:"collected"`
	Payments  int          `json:"payments"`
	Rate      float64      `json:"rate"`
}

// CollectorRow is a collector, agency or team with its open cases, what
// was collected on its cases this month and, for collectors and teams, how
// the promises to pay they took that fell due this month were kept.
type CollectorRow struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	Team      string       `json:"team,omitempty"`
	Open      int          `json:"open"`
	Capacity  int          `json:"capacity"`
	Payments  int          `json:"payments"`
	Collected money.Amount `json:"collected"`
	Promises  PromiseStats `json:"promises"` // promises due this month, judged (collectors and teams)
	Plans     PlanStats    `json:"plans"`    // repayment plans on its cases (collectors and teams)
}

// DashboardMonths is how many months the dashboard looks back.
const DashboardMonths = 6

// Dashboard returns the dashboard as of asOf; a zero asOf means the date of
// the latest nightly run. It returns Forbidden unless by may read it.
func (s *Service) Dashboard(ctx context.Context, by Actor, asOf date.Date) (Dashboard, error) {
	if !by.User.Can(auth.PermDashboardRead) {
		return Dashboard{}, errs.Errorf(errs.Forbidden, "Your role may not see the dashboard.")
	}
	d := Dashboard{Buckets: s.BucketNames()}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		if asOf.IsZero() {
			snap, err := tx.LatestSnapshot(ctx)
			switch {
			case notFoundErr(err):
				asOf = s.Today()
			case err != nil:
				return err
			default:
				asOf = snap.AsOf
			}
		}
		d.AsOf, d.MonthStart = asOf, monthStart(asOf, 0)
		steps := []func(context.Context, *sqlstore.Tx, *Dashboard) error{dashFlow, dashMatrix, dashCure, dashRecovery, dashPeople,
			dashPromises, dashPlans}
		for _, step := range steps {
			if err := step(ctx, tx, &d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Dashboard{}, fmt.Errorf("load dashboard: %w", err)
	}
	return d, nil
}

// monthStart returns the first day of the month k months before d's.
func monthStart(d date.Date, k int) date.Date {
	y, m, _ := d.Parts()
	return date.FromTime(time.Date(y, m-time.Month(k), 1, 0, 0, 0, 0, time.UTC))
}

func rate(num, den int64) float64 {
	if den <= 0 {
		return -1
	}
	return float64(num) / float64(den)
}

// monthEnds returns, for each of the last DashboardMonths months and the one
// before, the latest snapshot in it, oldest first; months without one are
// left out.
func monthEnds(ctx context.Context, tx *sqlstore.Tx, asOf date.Date) ([]sqlstore.Snapshot, error) {
	rows, err := tx.Snapshots(ctx, monthStart(asOf, DashboardMonths), asOf)
	if err != nil {
		return nil, err
	}
	var out []sqlstore.Snapshot
	for _, r := range rows {
		n := len(out)
		if n > 0 && out[n-1].AsOf == r.AsOf {
			out[n-1].Buckets = append(out[n-1].Buckets, r)
			continue
		}
		if n > 0 && monthStart(out[n-1].AsOf, 0) == monthStart(r.AsOf, 0) {
			out[n-1] = sqlstore.Snapshot{AsOf: r.AsOf, Buckets: []sqlstore.SnapshotRow{r}}
			continue
		}
		out = append(out, sqlstore.Snapshot{AsOf: r.AsOf, Buckets: []sqlstore.SnapshotRow{r}})
	}
	return out, nil
}

func dashFlow(ctx context.Context, tx *sqlstore.Tx, d *Dashboard) error {
	ends, err := monthEnds(ctx, tx, d.AsOf)
	if err != nil {
		return err
	}
	byBucket := func(s sqlstore.Snapshot) []money.Amount {
		out := make([]money.Amount, len(d.Buckets))
		for _, r := range s.Buckets {
			for i, b := range d.Buckets {
				if b == r.Bucket {
					out[i] = r.Outstanding
				}
			}
		}
		return out
	}
	for i, s := range ends {
		row := FlowRow{Month: s.AsOf.String()[:7], AsOf: s.AsOf, Outstanding: byBucket(s), Rates: make([]float64, len(d.Buckets)-1)}
		for j := range row.Rates {
			row.Rates[j] = -1
			if i > 0 {
				prev := byBucket(ends[i-1])
				row.Rates[j] = rate(int64(row.Outstanding[j+1]), int64(prev[j]))
			}
		}
		d.Flow = append(d.Flow, row)
	}
	return nil
}

func dashMatrix(ctx context.Context, tx *sqlstore.Tx, d *Dashboard) error {
	d.Matrix = Matrix{From: d.MonthStart, To: d.AsOf, Cells: make([][]int, len(d.Buckets)), Start: make([]int, len(d.Buckets))}
	for i := range d.Matrix.Cells {
		d.Matrix.Cells[i] = make([]int, len(d.Buckets))
	}
	cells, err := tx.TransitionMatrix(ctx, d.MonthStart, d.AsOf)
	if err != nil {
		return err
	}
	idx := map[string]int{}
	for i, b := range d.Buckets {
		idx[b] = i
	}
	for _, c := range cells {
		f, ok1 := idx[c.From]
		t, ok2 := idx[c.To]
		if ok1 && ok2 {
			d.Matrix.Cells[f][t] += c.Loans
		}
	}
	start, err := tx.Snapshots(ctx, d.MonthStart.AddDays(-7), d.MonthStart.AddDays(-1))
	if err != nil {
		return err
	}
	var last date.Date
	for _, r := range start {
		last = r.AsOf
	}
	for _, r := range start {
		if i, ok := idx[r.Bucket]; ok && r.AsOf == last {
			d.Matrix.Start[i] = r.Loans
		}
	}
	return nil
}

func dashCure(ctx context.Context, tx *sqlstore.Tx, d *Dashboard) error {
	for k := DashboardMonths - 1; k >= 0; k-- {
		from := monthStart(d.AsOf, k)
		to := monthStart(d.AsOf, k-1).AddDays(-1)
		if to.After(d.AsOf) {
			to = d.AsOf
		}
		f, err := tx.CaseFlow(ctx, from, to)
		if err != nil {
			return err
		}
		d.Cure = append(d.Cure, CureRow{Month: from.String()[:7], OpenAtStart: f.OpenAtStart, Opened: f.Opened, Cured: f.Cured,
			ClosedOther: f.ClosedOther, Rate: rate(int64(f.Cured), int64(f.OpenAtStart+f.Opened))})
	}
	return nil
}

func dashRecovery(ctx context.Context, tx *sqlstore.Tx, d *Dashboard) error {
	start, err := tx.Snapshots(ctx, d.MonthStart.AddDays(-7), d.MonthStart.AddDays(-1))
	if err != nil {
		return err
	}
	var last date.Date
	for _, r := range start {
		last = r.AsOf
	}
	overdue := map[string]money.Amount{}
	for _, r := range start {
		if r.AsOf == last {
			overdue[r.Bucket] = r.Overdue
		}
	}
	got, err := tx.CollectedBy(ctx, d.MonthStart, d.AsOf, sqlstore.ByBucket)
	if err != nil {
		return err
	}
	coll := map[string]sqlstore.Collected{}
	for _, c := range got {
		coll[c.Key] = c
	}
	for _, b := range d.Buckets[1:] {
		r := RecoveryRow{Bucket: b, Overdue: overdue[b], Collected: coll[b].Amount, Payments: coll[b].Payments}
		r.Rate = rate(int64(r.Collected), int64(r.Overdue))
		d.Recovery = append(d.Recovery, r)
	}
	return nil
}

func dashPeople(ctx context.Context, tx *sqlstore.Tx, d *Dashboard) error {
	byOwner, err := tx.CollectedBy(ctx, d.MonthStart, d.AsOf, sqlstore.ByOwner)
	if err != nil {
		return err
	}
	got := map[casework.Owner]sqlstore.Collected{}
	for _, c := range byOwner {
		got[casework.Owner{Kind: casework.OwnerKind(c.Key), ID: c.OwnerID}] = c
	}
	cols, err := tx.Collectors(ctx, sqlstore.CollectorFilter{})
	if err != nil {
		return err
	}
	teams, err := tx.Teams(ctx)
	if err != nil {
		return err
	}
	teamRow := map[int64]*CollectorRow{}
	for _, t := range teams {
		d.Teams = append(d.Teams, CollectorRow{ID: t.ID, Name: t.Name})
	}
	for i := range d.Teams {
		teamRow[d.Teams[i].ID] = &d.Teams[i]
	}
	for _, c := range cols {
		g := got[casework.Owner{Kind: casework.ToCollector, ID: c.ID}]
		d.Collectors = append(d.Collectors, CollectorRow{ID: c.ID, Name: c.Name, Team: c.Team, Open: c.Load,
			Capacity: c.Capacity, Payments: g.Payments, Collected: g.Amount})
		if t := teamRow[c.TeamID]; t != nil {
			t.Open += c.Load
			t.Capacity += c.Capacity
		}
	}
	byTeam, err := tx.CollectedBy(ctx, d.MonthStart, d.AsOf, sqlstore.ByTeam)
	if err != nil {
		return err
	}
	for _, c := range byTeam {
		if t := teamRow[c.OwnerID]; t != nil {
			t.Payments, t.Collected = c.Payments, c.Amount
		}
	}
	ags, err := tx.Agencies(ctx)
	if err != nil {
		return err
	}
	for _, a := range ags {
		g := got[casework.Owner{Kind: casework.ToAgency, ID: a.ID}]
		d.Agencies = append(d.Agencies, CollectorRow{ID: a.ID, Name: a.Name, Open: a.Load, Capacity: a.Capacity,
			Payments: g.Payments, Collected: g.Amount})
	}
	return nil
}

// PlanStats counts the repayment plans (not superseded) on the cases a
// collector or team owns, by status as monitoring last set it. Rate, the
// plan-kept rate, is (active + completed) ÷ all: the share of plans neither
// broken nor in grace; -1 with no plan.
type PlanStats struct {
	Plans     int     `json:"plans"`
	Active    int     `json:"active"`
	InGrace   int     `json:"in_grace"`
	Completed int     `json:"completed"`
	Broken    int     `json:"broken"`
	Rate      float64 `json:"rate"`
}

func (p *PlanStats) add(c sqlstore.PlanCount) {
	p.Plans += c.Plans
	switch c.Status {
	case plan.Active:
		p.Active += c.Plans
	case plan.InGrace:
		p.InGrace += c.Plans
	case plan.Completed:
		p.Completed += c.Plans
	case plan.Broken:
		p.Broken += c.Plans
	}
}

// KeptPct is Rate as a percentage, "—" with no plan.
func (p PlanStats) KeptPct() string {
	if p.Rate < 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", p.Rate*100)
}

// Kept is how many plans are active or completed.
func (p PlanStats) Kept() int { return p.Active + p.Completed }

// PlanKindRow is what was paid under plans of one offer kind: this month
// (from the month's start to the as-of date) and since the plans began.
type PlanKindRow struct {
	Kind          string       `json:"kind"`
	MonthPayments int          `json:"month_payments"`
	Month         money.Amount `json:"month"`
	Payments      int          `json:"payments"`
	Total         money.Amount `json:"total"`
}

// dashPlans fills the collectors' and teams' plan stats (after dashPeople)
// and the plan recovery by offer kind.
func dashPlans(ctx context.Context, tx *sqlstore.Tx, d *Dashboard) error {
	counts, err := tx.PlanCountsByOwner(ctx)
	if err != nil {
		return err
	}
	cols, err := tx.Collectors(ctx, sqlstore.CollectorFilter{})
	if err != nil {
		return err
	}
	teamOf := map[int64]int64{}
	for _, c := range cols {
		teamOf[c.ID] = c.TeamID
	}
	colRow, teamRow := map[int64]*CollectorRow{}, map[int64]*CollectorRow{}
	for i := range d.Collectors {
		colRow[d.Collectors[i].ID] = &d.Collectors[i]
	}
	for i := range d.Teams {
		teamRow[d.Teams[i].ID] = &d.Teams[i]
	}
	for _, c := range counts {
		if casework.OwnerKind(c.OwnerKind) != casework.ToCollector {
			continue
		}
		if r := colRow[c.OwnerID]; r != nil {
			r.Plans.add(c)
		}
		if r := teamRow[teamOf[c.OwnerID]]; r != nil {
			r.Plans.add(c)
		}
	}
	for _, rows := range [][]CollectorRow{d.Collectors, d.Teams} {
		for i := range rows {
			p := &rows[i].Plans
			p.Rate = rate(int64(p.Kept()), int64(p.Plans))
		}
	}
	month, err := tx.PlanRecoveryByKind(ctx, d.MonthStart, d.AsOf)
	if err != nil {
		return err
	}
	total, err := tx.PlanRecoveryByKind(ctx, date.Of(1970, 1, 1), d.AsOf)
	if err != nil {
		return err
	}
	at := map[string]int{}
	for _, r := range total {
		at[r.Kind] = len(d.PlanRecovery)
		d.PlanRecovery = append(d.PlanRecovery, PlanKindRow{Kind: r.Kind, Payments: r.Payments, Total: money.Amount(r.Amount)})
	}
	for _, r := range month {
		i, ok := at[r.Kind]
		if !ok {
			continue // paid this month is paid to date
		}
		d.PlanRecovery[i].MonthPayments, d.PlanRecovery[i].Month = r.Payments, money.Amount(r.Amount)
	}
	return nil
}
