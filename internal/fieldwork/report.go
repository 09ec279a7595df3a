package fieldwork

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// RecoveryDays is how long after a visit its borrower's payments count as
// recovered by it.
const RecoveryDays = 30

// ReportRow is the visits of one pair or one region in a period.
type ReportRow struct {
	Key          string         `json:"key"` // the pair's id or the region
	Label        string         `json:"label"`
	Planned      int            `json:"planned"` // planned for a day in the period (made or not)
	Made         int            `json:"made"`    // done, with an outcome
	Outcomes     map[string]int `json:"outcomes"`
	TravelKm     float64        `json:"travel_km"`      // pairs: from the day plans in force
	Cost         money.Amount   `json:"cost"`           // the visits' estimated cost
	CostPerVisit money.Amount   `json:"cost_per_visit"` // Cost ÷ Made, half-up
	Recovered    money.Amount   `json:"recovered"`      // paid within RecoveryDays after each visit made
	Incidents    int            `json:"incidents"`
	Complaints   int            `json:"complaints"`
	Flagged      int            `json:"flagged_checkins"`
}

// Comparison sets the visited cases of one bucket, tier and segment
// against the cases of the same group that were not visited: the share of
// the overdue amount each recovered in RecoveryDays (after the visit; after
// the period's start for the others, whose overdue is today's).
type Comparison struct {
	Bucket        string          `json:"bucket"`
	Tier          string          `json:"tier"`
	Segment       string          `json:"segment"`
	Visited       int             `json:"visited"`
	VisitedRate   decimal.Decimal `json:"visited_rate"`
	Unvisited     int             `json:"unvisited"`
	UnvisitedRate decimal.Decimal `json:"unvisited_rate"`
}

// Report is the visit report of a period.
type Report struct {
	From       date.Date    `json:"from"`
	To         date.Date    `json:"to"`
	ByPair     []ReportRow  `json:"by_pair"`
	ByRegion   []ReportRow  `json:"by_region"`
	Comparison []Comparison `json:"comparison"`
}

// Report returns the visit report of the days from to to (both included,
// at most a year): per pair and per region, and the comparison with
// similar unvisited cases. by needs visit:approve or dashboard:read.
func (s *Service) Report(ctx context.Context, by collect.Actor, from, to date.Date) (Report, error) {
	if !by.User.Can(auth.PermVisitApprove) && !by.User.Can(auth.PermDashboardRead) {
		return Report{}, errs.Errorf(errs.Forbidden, "Your role may not read the visit report.")
	}
	if from == 0 || to == 0 || to.Before(from) || to.Sub(from) > 366 {
		return Report{}, errs.Field("to", "give a period of at most a year, from no later than to")
	}
	rep := Report{From: from, To: to, ByPair: []ReportRow{}, ByRegion: []ReportRow{}, Comparison: []Comparison{}}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		all, _, err := tx.Visits(ctx, sqlstore.VisitFilter{Limit: -1})
		if err != nil {
			return err
		}
		var list []sqlstore.Visit
		for _, v := range all {
			if v.PlannedOn != 0 && !v.PlannedOn.Before(from) && !to.Before(v.PlannedOn) {
				list = append(list, v)
			}
		}
		return s.fillReport(ctx, tx, &rep, list)
	})
	if err != nil {
		return Report{}, fmt.Errorf("visit report: %w", err)
	}
	return rep, nil
}

func (s *Service) fillReport(ctx context.Context, tx *sqlstore.Tx, rep *Report, list []sqlstore.Visit) error {
	pairs, err := tx.Pairs(ctx, false, "")
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, p := range pairs {
		names[p.ID] = p.Name
	}
	var ids []int64
	for _, v := range list {
		ids = append(ids, v.BorrowerID)
	}
	pays, err := tx.PaymentsOf(ctx, ids, rep.From, rep.To.AddDays(RecoveryDays))
	if err != nil {
		return err
	}
	incidents, err := tx.Incidents(ctx, false, 0)
	if err != nil {
		return err
	}
	byPair, byRegion := map[string]*ReportRow{}, map[string]*ReportRow{}
	row := func(m map[string]*ReportRow, key, label string) *ReportRow {
		if r, ok := m[key]; ok {
			return r
		}
		r := &ReportRow{Key: key, Label: label, Outcomes: map[string]int{}}
		m[key] = r
		return r
	}
	groups := map[[3]string]*[2]int64{} // overdue, recovered of visited cases
	counts := map[[3]string]int{}
	for _, v := range list {
		rec := recovered(pays, v)
		for _, r := range []*ReportRow{row(byPair, strconv.FormatInt(v.PairID, 10), names[v.PairID]), row(byRegion, v.Region, v.Region)} {
			r.Planned++
			if v.State == string(visit.Done) {
				r.Made++
				r.Outcomes[v.OutcomeKind]++
				r.Cost += money.Amount(v.CostMinor)
				r.Recovered += rec
			}
			if v.CheckInFlagged {
				r.Flagged++
			}
			for _, inc := range incidents {
				if inc.VisitID == v.ID {
					if inc.Kind == "complaint" {
						r.Complaints++
					} else {
						r.Incidents++
					}
				}
			}
		}
		if v.State == string(visit.Done) {
			c, err := tx.Case(ctx, v.CaseID)
			if err != nil {
				return err
			}
			k := [3]string{c.Bucket, string(c.Tier), string(c.Segment)}
			if groups[k] == nil {
				groups[k] = &[2]int64{}
			}
			groups[k][0] += v.OverdueMinor
			groups[k][1] += int64(rec)
			counts[k]++
		}
	}
	plans := map[string]float64{}
	for d := rep.From; !rep.To.Before(d); d++ {
		dps, err := tx.DayPlans(ctx, d, 0)
		if err != nil {
			return err
		}
		for _, dp := range dps {
			plans[strconv.FormatInt(dp.PairID, 10)] += dp.TravelKm
		}
	}
	for k, r := range byPair {
		r.TravelKm = km(plans[k])
	}
	rep.ByPair, rep.ByRegion = rows(byPair), rows(byRegion)
	return s.compare(ctx, tx, rep, groups, counts)
}

func (s *Service) compare(ctx context.Context, tx *sqlstore.Tx, rep *Report, groups map[[3]string]*[2]int64, counts map[[3]string]int) error {
	others, err := tx.UnvisitedRecovery(ctx, rep.From, rep.From.AddDays(RecoveryDays-1))
	if err != nil {
		return err
	}
	for k, g := range groups {
		c := Comparison{Bucket: k[0], Tier: k[1], Segment: k[2], Visited: counts[k], VisitedRate: rate(g[1], g[0])}
		for _, o := range others {
			if o.Bucket == k[0] && o.Tier == k[1] && o.Segment == k[2] {
				c.Unvisited, c.UnvisitedRate = o.Cases, rate(o.PaidMinor, o.OverdueMinor)
			}
		}
		rep.Comparison = append(rep.Comparison, c)
	}
	slices.SortFunc(rep.Comparison, func(a, b Comparison) int {
		return cmp.Or(cmp.Compare(a.Bucket, b.Bucket), cmp.Compare(a.Tier, b.Tier), cmp.Compare(a.Segment, b.Segment))
	})
	return nil
}

// recovered is what v's borrower paid from the day of the visit through
// RecoveryDays−1 days after; nothing for a visit not made.
func recovered(pays []sqlstore.BorrowerPayment, v sqlstore.Visit) money.Amount {
	if v.State != string(visit.Done) {
		return 0
	}
	var sum int64
	for _, p := range pays {
		if p.BorrowerID == v.BorrowerID && !p.PaidOn.Before(v.PlannedOn) && p.PaidOn.Before(v.PlannedOn.AddDays(RecoveryDays)) {
			sum += p.AmountMinor
		}
	}
	return money.Amount(sum)
}

// rate is paid ÷ owed to 4 places, half-up (0 when nothing was owed).
func rate(paid, owed int64) decimal.Decimal {
	if owed <= 0 {
		return decimal.Zero
	}
	p, _ := decimal.New(paid, 0)
	o, _ := decimal.New(owed, 0)
	r, err := p.Quo(o)
	if err != nil {
		return decimal.Zero
	}
	return r.Round(4)
}

func rows(m map[string]*ReportRow) []ReportRow {
	out := make([]ReportRow, 0, len(m))
	for _, r := range m {
		if r.Made > 0 {
			r.CostPerVisit = money.Amount((int64(r.Cost)*2 + int64(r.Made)) / (2 * int64(r.Made)))
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b ReportRow) int { return cmp.Compare(a.Key, b.Key) })
	return out
}
