package collect

import (
	"context"
	"fmt"

	"accord/internal/sqlstore"
)

// PromiseStats are the promises to pay due in the dashboard's month that
// were judged, credited to a collector or team: kept, partly kept and
// broken, and the promise-kept rate kept ÷ (kept + partly + broken), -1
// when none was judged.
type PromiseStats struct {
	Kept   int     `json:"kept"`
	Partly int     `json:"partly_kept"`
	Broken int     `json:"broken"`
	Rate   float64 `json:"rate"`
}

func (p *PromiseStats) add(o sqlstore.PromiseOutcome) {
	p.Kept, p.Partly, p.Broken = p.Kept+o.Kept, p.Partly+o.Partly, p.Broken+o.Broken
}

func (p *PromiseStats) rate() {
	p.Rate = -1
	if n := p.Kept + p.Partly + p.Broken; n > 0 {
		p.Rate = float64(p.Kept) / float64(n)
	}
}

// KeptPct is the promise-kept rate for display: "66.7%", or "—".
func (p PromiseStats) KeptPct() string {
	if p.Rate < 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", p.Rate*100)
}

// Judged is how many promises were judged.
func (p PromiseStats) Judged() int { return p.Kept + p.Partly + p.Broken }

// dashPromises fills the promise-kept rates of the collectors and teams
// over the promises due this month.
func dashPromises(ctx context.Context, tx *sqlstore.Tx, d *Dashboard) error {
	outs, err := tx.PromiseOutcomes(ctx, d.MonthStart, d.AsOf)
	if err != nil {
		return err
	}
	byCol, byTeam := map[int64]PromiseStats{}, map[int64]PromiseStats{}
	for _, o := range outs {
		c, t := byCol[o.CollectorID], byTeam[o.TeamID]
		c.add(o)
		t.add(o)
		byCol[o.CollectorID], byTeam[o.TeamID] = c, t
	}
	for i := range d.Collectors {
		d.Collectors[i].Promises = byCol[d.Collectors[i].ID]
		d.Collectors[i].Promises.rate()
	}
	for i := range d.Teams {
		d.Teams[i].Promises = byTeam[d.Teams[i].ID]
		d.Teams[i].Promises.rate()
	}
	for i := range d.Agencies {
		d.Agencies[i].Promises.rate()
	}
	return nil
}
