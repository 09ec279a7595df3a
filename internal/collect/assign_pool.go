package collect

import (
	"context"

	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/sqlstore"
)

// assignPool is the collectors and agencies of one nightly run, loaded
// once, with their open-case loads kept up to date chunk by chunk.
type assignPool struct {
	collectors []casework.Collector
	agencies   []casework.Agency
	colLoad    map[int64]int // open cases held now
	agLoad     map[int64]int
	teamOf     map[int64]int64  // collector id → team id
	names      map[int64]string // collector id → name
	commission map[int64]sqlstore.Agency
}

// loadAssignPool reads every collector and agency. An agency outside its
// contract dates on asOf counts as not whitelisted.
func loadAssignPool(ctx context.Context, tx *sqlstore.Tx, asOf date.Date) (*assignPool, error) {
	cols, err := tx.Collectors(ctx, sqlstore.CollectorFilter{})
	if err != nil {
		return nil, err
	}
	ags, err := tx.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	p := &assignPool{colLoad: map[int64]int{}, agLoad: map[int64]int{}, teamOf: map[int64]int64{}, names: map[int64]string{},
		commission: map[int64]sqlstore.Agency{}}
	for _, c := range cols {
		p.collectors = append(p.collectors, c.Collector)
		p.colLoad[c.ID], p.teamOf[c.ID], p.names[c.ID] = c.Load, c.TeamID, c.Name
	}
	for _, a := range ags {
		g := a.Agency
		if (!a.ContractStart.IsZero() && asOf.Before(a.ContractStart)) || (!a.ContractEnd.IsZero() && asOf.After(a.ContractEnd)) {
			g.Whitelisted = false
		}
		p.agencies = append(p.agencies, g)
		p.agLoad[a.ID], p.commission[a.ID] = a.Load, a
	}
	return p, nil
}

// assign runs casework.Assign over the open cases of one chunk. Loads
// passed to Assign exclude the chunk's own cases, as it expects; the
// running loads then count the result.
func (p *assignPool) assign(views []casework.CaseView, cfg casework.Config, asOf date.Date) []casework.Assignment {
	if len(views) == 0 {
		return nil
	}
	cols := make([]casework.Collector, len(p.collectors))
	copy(cols, p.collectors)
	ags := make([]casework.Agency, len(p.agencies))
	copy(ags, p.agencies)
	mine := map[casework.Owner]int{}
	for _, v := range views {
		mine[v.Owner]++
	}
	for i := range cols {
		cols[i].Load = p.colLoad[cols[i].ID] - mine[casework.Owner{Kind: casework.ToCollector, ID: cols[i].ID}]
	}
	for i := range ags {
		ags[i].Load = p.agLoad[ags[i].ID] - mine[casework.Owner{Kind: casework.ToAgency, ID: ags[i].ID}]
	}
	out := casework.Assign(views, cols, ags, cfg, asOf)
	for _, a := range out {
		p.move(a.From, a.To)
	}
	return out
}

// move counts a case leaving from and joining to.
func (p *assignPool) move(from, to casework.Owner) {
	if from == to {
		return
	}
	p.release(from)
	switch to.Kind {
	case casework.ToCollector:
		p.colLoad[to.ID]++
	case casework.ToAgency:
		p.agLoad[to.ID]++
	}
}

// release counts a case leaving o, as when it closes.
func (p *assignPool) release(o casework.Owner) {
	switch o.Kind {
	case casework.ToCollector:
		p.colLoad[o.ID]--
	case casework.ToAgency:
		p.agLoad[o.ID]--
	}
}

// team returns the team of the collector owning o, or 0.
func (p *assignPool) team(o casework.Owner) int64 {
	if o.Kind != casework.ToCollector {
		return 0
	}
	return p.teamOf[o.ID]
}
