package scoring

import (
	"context"
	"encoding/json"
	"slices"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// warnScan is one night's early-warning scan. A signal compares the latest
// payment, call, attempt or change with the habit before it, so it can
// only change for a borrower with something new that day: active lists
// them. Any reader of the book's facts as of the night can hand its slices
// to warnSlice (the scan's own reader is earlyWarnings; the nightly pass
// may call it on the slices it read anyway).
type warnScan struct {
	s      *Service
	asOf   date.Date
	active []int64 // ascending
}

// startWarnScan reads the borrowers with something new on asOf: a payment
// paid, a contact performed, a payment attempt, a phone or address change,
// or a plan instalment due features.PlanLateDays before.
func (s *Service) startWarnScan(ctx context.Context, asOf date.Date) (*warnScan, error) {
	w := &warnScan{s: s, asOf: asOf}
	from, to := asOf.In(s.zone), asOf.AddDays(1).In(s.zone)
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		active, err := tx.BorrowersActiveOn(ctx, asOf, from, to)
		if err != nil {
			return err
		}
		more, err := tx.WarningCandidates(ctx, asOf, from, to)
		w.active = mergeIDs(active, more)
		return err
	})
	return w, err
}

// scanScopes returns the slices the scan reads the active borrowers in, in
// id order: a range of bookSpan ids when at least half of it is active,
// else lists of the active ids.
func (w *warnScan) scanScopes() []sqlstore.FactsScope {
	var out []sqlstore.FactsScope
	var sparse []int64
	flush := func() {
		out, sparse = append(out, listScopes(sparse)...), nil
	}
	for a := w.active; len(a) > 0; {
		n, _ := slices.BinarySearch(a, a[0]+bookSpan) // active ids in (a[0]−1, a[0]−1+bookSpan]
		if 2*n >= bookSpan {
			flush()
			out = append(out, sqlstore.FactsScope{After: a[0] - 1, UpTo: a[n-1]})
		} else {
			sparse = append(sparse, a[:n]...)
		}
		a = a[n:]
	}
	flush()
	return out
}

// warnSlice returns the warnings as of the scan's night of the active
// borrowers of scope, from facts (what sqlstore.ScoringFactsIn or
// ScoringFactsPass read of scope as of the night; borrowers not active are
// passed over) that were not stored for the same borrower and code in the
// WarningQuiet days before. An active borrower of scope that facts leave
// out (the nightly pass leaves out those whose loans are all paid off) is
// read here. It reads their signals, the channels of their payments and
// their recent warnings in tx, and changes nothing in facts but their
// Policy (the service's ledger policy, as every reader sets it).
func (w *warnScan) warnSlice(ctx context.Context, tx *sqlstore.Tx, scope sqlstore.FactsScope, facts []*features.Facts) ([]sqlstore.EarlyWarning, error) {
	want := w.activeIn(scope)
	if len(want) == 0 {
		return nil, nil
	}
	var sel []*features.Facts
	var ids []int64
	for _, f := range facts {
		if _, ok := slices.BinarySearch(want, f.BorrowerID); ok {
			sel, ids = append(sel, f), append(ids, f.BorrowerID)
		}
	}
	if len(ids) < len(want) {
		have := make(map[int64]bool, len(ids))
		for _, id := range ids {
			have[id] = true
		}
		var missing []int64
		for _, id := range want {
			if !have[id] {
				missing = append(missing, id)
			}
		}
		more, _, err := tx.ScoringFactsIn(ctx, sqlstore.FactsScope{IDs: missing}, w.s.zone)
		if err != nil {
			return nil, err
		}
		for _, f := range more {
			sel, ids = append(sel, f), append(ids, f.BorrowerID)
		}
	}
	if len(sel) == 0 {
		return nil, nil
	}
	sel, err := withChannels(ctx, tx, sel)
	if err != nil {
		return nil, err
	}
	signals, err := w.s.warningSignals(ctx, tx, ids, w.asOf)
	if err != nil {
		return nil, err
	}
	recent, err := tx.WarningsBetween(ctx, ids, w.asOf.AddDays(-WarningQuiet), w.asOf.AddDays(-1))
	if err != nil {
		return nil, err
	}
	type key struct {
		id   int64
		code string
	}
	seen := map[key]bool{}
	for _, x := range recent {
		seen[key{x.BorrowerID, x.Code}] = true
	}
	var out []sqlstore.EarlyWarning
	for _, f := range sel {
		f.Policy = w.s.opts.Policy
		for _, x := range append(features.Detect(f, w.asOf), features.DetectSignals(f, signals[f.BorrowerID], w.asOf)...) {
			if seen[key{f.BorrowerID, x.Code}] {
				continue
			}
			ev, err := json.Marshal(x.Evidence)
			if err != nil {
				return nil, err
			}
			out = append(out, sqlstore.EarlyWarning{BorrowerID: f.BorrowerID, AsOf: w.asOf, Code: x.Code, ZH: x.ZH, EN: x.EN, Evidence: ev})
		}
	}
	return out, nil
}

// activeIn returns the active borrowers of scope, ascending.
func (w *warnScan) activeIn(scope sqlstore.FactsScope) []int64 {
	if scope.IDs != nil {
		var out []int64
		for _, id := range scope.IDs {
			if _, ok := slices.BinarySearch(w.active, id); ok {
				out = append(out, id)
			}
		}
		slices.Sort(out)
		return out
	}
	i, _ := slices.BinarySearch(w.active, scope.After+1)
	j, _ := slices.BinarySearch(w.active, scope.UpTo+1)
	return w.active[i:j]
}

// withChannels returns facts with the channel of every payment (the
// signal channel_change reads it; ScoringFactsIn leaves it out): copies of
// the facts whose payments lack it, so that facts are not changed.
func withChannels(ctx context.Context, tx *sqlstore.Tx, facts []*features.Facts) ([]*features.Facts, error) {
	var loans []int64
	for _, f := range facts {
		for _, l := range f.Loans {
			if slices.ContainsFunc(l.Payments, func(p ledger.Payment) bool { return p.Channel == "" }) {
				loans = append(loans, l.Loan.ID)
			}
		}
	}
	if len(loans) == 0 {
		return facts, nil
	}
	channels, err := tx.PaymentChannels(ctx, loans)
	if err != nil {
		return nil, err
	}
	out := make([]*features.Facts, len(facts))
	for i, f := range facts {
		g := *f
		g.Loans = slices.Clone(f.Loans)
		for k := range g.Loans {
			l := &g.Loans[k]
			l.Payments = slices.Clone(l.Payments)
			for j := range l.Payments {
				if p := &l.Payments[j]; p.Channel == "" {
					p.Channel = channels[p.ID]
				}
			}
		}
		out[i] = &g
	}
	return out, nil
}

// countWarnings adds ws to counts, as warnings_<code>.
func countWarnings(counts map[string]int, ws []sqlstore.EarlyWarning) {
	for _, w := range ws {
		counts["warnings_"+w.Code]++
	}
}
