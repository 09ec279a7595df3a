package casework

import (
	"slices"
	"strings"
)

// pickCollector returns the index of the eligible collector with the lowest
// load ratio, or -1.
func (a *assigner) pickCollector(c *CaseView, exclude int64) int {
	best := -1
	for _, k := range a.eligibleFor(c) {
		col := &a.collectors[k]
		if col.ID == exclude || a.colLoad[k] >= col.Capacity {
			continue
		}
		if best < 0 || a.lessLoaded(k, best) {
			best = k
		}
	}
	return best
}

// lessLoaded orders collectors by load ÷ capacity, then load, then id.
func (a *assigner) lessLoaded(k, j int) bool {
	lk, lj := a.colLoad[k]*a.collectors[j].Capacity, a.colLoad[j]*a.collectors[k].Capacity
	if lk != lj {
		return lk < lj
	}
	if a.colLoad[k] != a.colLoad[j] {
		return a.colLoad[k] < a.colLoad[j]
	}
	return a.collectors[k].ID < a.collectors[j].ID
}

// eligibleFor returns the active collectors whose skills match c, computed
// once per distinct (bucket, language, region, queue).
func (a *assigner) eligibleFor(c *CaseView) []int {
	key := skillKey{c.Bucket, c.Language, c.Region, c.Queue}
	if l, ok := a.eligible[key]; ok {
		return l
	}
	l := []int{}
	for k := range a.collectors {
		if a.collectors[k].Active && a.skillsMatch(&a.collectors[k], c) {
			l = append(l, k)
		}
	}
	a.eligible[key] = l
	return l
}

// skillKey is what decides which collectors can work a case.
type skillKey struct{ bucket, language, region, queue string }

// skillsMatch reports whether col can work c. An empty skill list is any
// value; a case without a language or region matches any collector; a
// restricted queue needs a collector who lists it.
func (a *assigner) skillsMatch(col *Collector, c *CaseView) bool {
	if len(col.Languages) > 0 && c.Language != "" && !slices.ContainsFunc(col.Languages, func(l string) bool {
		return l == c.Language || strings.HasPrefix(c.Language, l+"-")
	}) {
		return false
	}
	if len(col.Regions) > 0 && c.Region != "" && !slices.Contains(col.Regions, c.Region) {
		return false
	}
	if len(col.Buckets) > 0 && !slices.Contains(col.Buckets, c.Bucket) {
		return false
	}
	if c.Queue == "" || slices.Contains(col.Queues, c.Queue) {
		return true
	}
	return len(col.Queues) == 0 && !slices.Contains(a.cfg.RestrictedQueues, c.Queue)
}

// pickAgency returns the index of the agency to place c with, or -1. An
// agency the case is leaving is never chosen again.
func (a *assigner) pickAgency(c *CaseView) int {
	best := -1
	for g := range a.agencies {
		ag := &a.agencies[g]
		if !ag.Whitelisted || a.agLoad[g] >= ag.Capacity || ag.Commission.Cmp(c.Placement.MaxCommission) > 0 ||
			(c.Owner.Kind == ToAgency && c.Owner.ID == ag.ID) ||
			(len(ag.Buckets) > 0 && !slices.Contains(ag.Buckets, c.Bucket)) ||
			(len(ag.Regions) > 0 && !slices.Contains(ag.Regions, c.Region)) ||
			(c.Placement.SameRegion && !slices.Contains(ag.Regions, c.Region)) {
			continue
		}
		if best < 0 || a.agencyBefore(g, best) {
			best = g
		}
	}
	return best
}

// agencyBefore orders agencies by load ÷ capacity, then commission, then id.
func (a *assigner) agencyBefore(g, h int) bool {
	lg, lh := a.agLoad[g]*a.agencies[h].Capacity, a.agLoad[h]*a.agencies[g].Capacity
	if lg != lh {
		return lg < lh
	}
	if c := a.agencies[g].Commission.Cmp(a.agencies[h].Commission); c != 0 {
		return c < 0
	}
	return a.agencies[g].ID < a.agencies[h].ID
}
