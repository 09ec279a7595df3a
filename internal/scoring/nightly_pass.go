package scoring

import (
	"context"
	"encoding/json"
	"math"
	"runtime"
	"slices"
	"sync"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/model"
	"accord/internal/sqlstore"
)

// The night's scoring reads the book once for every target: each worker
// (one per core) reads a slice of borrowers, computes their features once
// and scores every target whose population they are in; one writer stores
// the scores and the cases' expected values in batches while the workers
// read on. A borrower's scores do not depend on which worker or in which
// order they were computed.

// passSpan is how many borrower ids a worker reads at a time when the
// whole book is scored (ew90), and passIDs how many case borrowers when
// only open cases are.
const (
	passSpan   = 4000
	passIDs    = 2000
	passBatch  = 5000 // scores per write transaction
	passBuffer = 4    // result batches waiting for the writer
)

// passResult is what a worker scored in one slice.
type passResult struct {
	scores   []sqlstore.BorrowerScore
	lasts    []sqlstore.LastScore // ew90 scores stored because they moved
	evs      []sqlstore.ScoringCase
	uncached []sqlstore.PackedFacts // borrowers read from the ledger tables, to cache for the next nights
	done     []sqlstore.Done        // cached borrowers found with all their loans paid off
	counts   map[string]int
}

// scoreAll scores the populations of targets as of asOf in one pass.
func (s *Service) scoreAll(ctx context.Context, asOf date.Date, targets []*targetArms, counts map[string]int) error {
	if len(targets) == 0 {
		return nil
	}
	cases, err := s.openCases(ctx)
	if err != nil {
		return err
	}
	scopes, err := s.passScopes(ctx, targets, cases)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		once     sync.Once
		firstErr error
	)
	fail := func(err error) {
		once.Do(func() { firstErr = err; cancel() })
	}
	jobs := make(chan sqlstore.FactsScope)
	results := make(chan passResult, passBuffer)
	var workers sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		w, err := s.newPassWorker(asOf, targets, cases)
		if err != nil {
			return err
		}
		workers.Add(1)
		go func() {
			defer workers.Done()
			// One read transaction for all of a worker's slices: SQLite
			// drops a connection's page cache when a transaction starts
			// after another connection wrote, as the writer does here.
			err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
				for sc := range jobs {
					r, err := w.run(ctx, tx, sc)
					if err != nil {
						return err
					}
					select {
					case results <- r:
					case <-ctx.Done():
						return ctx.Err()
					}
				}
				return nil
			})
			if err != nil {
				fail(err)
				for range jobs { // let the producer end
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, sc := range scopes {
			select {
			case jobs <- sc:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { workers.Wait(); close(results) }()
	if err := s.writePass(ctx, results, counts); err != nil {
		fail(err)
	}
	for range results { // drain after a failure so the workers end
	}
	return firstErr
}

// openCases returns the open cases by borrower.
func (s *Service) openCases(ctx context.Context) (map[int64]sqlstore.ScoringCase, error) {
	out := map[int64]sqlstore.ScoringCase{}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		for after := int64(0); ; {
			list, err := tx.OpenScoringCases(ctx, after, 50000)
			if err != nil || len(list) == 0 {
				return err
			}
			for _, c := range list {
				out[c.BorrowerID] = c
			}
			after = list[len(list)-1].BorrowerID
		}
	})
	return out, err
}

// passScopes returns the slices the workers read: ranges of borrower ids
// over the book when ew90 is scored, else the open cases' borrowers in
// lists.
func (s *Service) passScopes(ctx context.Context, targets []*targetArms, cases map[int64]sqlstore.ScoringCase) ([]sqlstore.FactsScope, error) {
	whole := false
	for _, ta := range targets {
		whole = whole || ta.target == features.EW90
	}
	var out []sqlstore.FactsScope
	if !whole {
		ids := make([]int64, 0, len(cases))
		for id := range cases {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for start := 0; start < len(ids); start += passIDs {
			out = append(out, sqlstore.FactsScope{IDs: ids[start:min(start+passIDs, len(ids))]})
		}
		return out, nil
	}
	var lo, hi int64
	if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		lo, hi, err = tx.ScoringBorrowerSpan(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	if hi == 0 {
		return nil, nil
	}
	for after := lo - 1; after < hi; after += passSpan {
		out = append(out, sqlstore.FactsScope{After: after, UpTo: min(after+passSpan, hi)})
	}
	return out, nil
}

// writePass stores the workers' results in batches of passBatch scores.
func (s *Service) writePass(ctx context.Context, results <-chan passResult, counts map[string]int) error {
	var scores []sqlstore.BorrowerScore
	var lasts []sqlstore.LastScore
	var evs []sqlstore.ScoringCase
	var uncached []sqlstore.PackedFacts
	var done []sqlstore.Done
	flush := func() error {
		if len(scores) == 0 && len(evs) == 0 && len(uncached) == 0 && len(done) == 0 {
			return nil
		}
		cached := 0
		err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			if err := tx.SaveScores(ctx, scores); err != nil {
				return err
			}
			if err := tx.SaveLastScores(ctx, lasts); err != nil {
				return err
			}
			if err := tx.SetCaseEVs(ctx, evs); err != nil {
				return err
			}
			if err := tx.MarkDone(ctx, done, s.policyKey); err != nil {
				return err
			}
			var err error
			cached, err = tx.CacheScoringFacts(ctx, uncached, s.policyKey)
			return err
		})
		counts["borrowers_cached"] += cached
		counts["borrowers_marked_paid_off"] += len(done)
		scores, lasts, evs, uncached, done = scores[:0], lasts[:0], evs[:0], uncached[:0], done[:0]
		return err
	}
	for r := range results {
		scores = append(scores, r.scores...)
		lasts = append(lasts, r.lasts...)
		evs = append(evs, r.evs...)
		uncached = append(uncached, r.uncached...)
		done = append(done, r.done...)
		for k, n := range r.counts {
			counts[k] += n
		}
		if len(scores) >= passBatch || len(uncached) >= passBatch || len(done) >= passBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return flush()
}

// passWorker computes and scores the borrowers of one slice at a time; it
// has its own scorers (a model.Scorer is not safe for concurrent use).
type passWorker struct {
	s       *Service
	asOf    date.Date
	targets []*targetArms
	cases   map[int64]sqlstore.ScoringCase
	scorers map[*arm]*model.Scorer
	vals    model.Values // the borrower's features as the scorers read them
	reasons []storedReason
	whole   bool                         // ew90 is scored: the whole book
	last    map[int64]sqlstore.LastScore // the slice's last stored ew90 scores
	comp    features.Computer
}

func (s *Service) newPassWorker(asOf date.Date, targets []*targetArms, cases map[int64]sqlstore.ScoringCase) (*passWorker, error) {
	w := &passWorker{s: s, asOf: asOf, targets: targets, cases: cases, scorers: map[*arm]*model.Scorer{},
		vals: model.Values{Num: make([]float64, features.NumCount+1), Str: make([]string, features.NumCount+1)}}
	w.vals.Num[features.NumCount] = math.NaN()
	for _, ta := range targets {
		w.whole = w.whole || ta.target == features.EW90
		for _, a := range []*arm{ta.champion, ta.challger} {
			if a == nil {
				continue
			}
			if err := readsFeatures(a); err != nil {
				return nil, err
			}
			sc, err := a.m.NewScorer(features.Header())
			if err != nil {
				return nil, err
			}
			w.scorers[a] = sc
		}
	}
	return w, nil
}

// run reads and scores one slice.
func (w *passWorker) run(ctx context.Context, tx *sqlstore.Tx, scope sqlstore.FactsScope) (passResult, error) {
	scope.PaidOffBy, scope.PolicyKey = w.asOf, w.s.policyKey
	p, err := tx.ScoringFactsPass(ctx, scope, w.s.zone)
	if err != nil {
		return passResult{}, err
	}
	w.last = nil
	if w.whole {
		if w.last, err = tx.LastScoresIn(ctx, string(features.EW90), scope); err != nil {
			return passResult{}, err
		}
	}
	r := passResult{counts: map[string]int{"borrowers_read": len(p.Facts), "borrowers_paid_off": p.Skipped}}
	for i, f := range p.Facts {
		f.Policy = w.s.opts.Policy
		on, done := w.comp.AllPaidOffBy(f, w.asOf)
		switch row := p.Rows[i]; {
		case row.Ledger:
			// Read from the ledger tables (only the payments, when the
			// rest was cached): the writer caches this copy (unless the
			// borrower's row changed since it was read).
			if row.Payments {
				r.counts["borrowers_payments_read"]++
			}
			if pf, ok := sqlstore.PackFacts(f, row, on); ok {
				r.uncached = append(r.uncached, pf)
			}
		case done:
			r.done = append(r.done, sqlstore.Done{BorrowerID: f.BorrowerID, Version: row.Version, On: on})
		}
		v := w.comp.Compute(f, w.asOf)
		copy(w.vals.Num, v.Num[:])
		w.vals.Str[features.NumCount] = v.Product
		c, open := w.cases[f.BorrowerID]
		for _, ta := range w.targets {
			if ta.target != features.EW90 && !open || !ta.target.Eligible(v) {
				continue
			}
			if err := w.score(ta, f.BorrowerID, v, c, open, &r); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

// score scores one borrower for ta into r.
func (w *passWorker) score(ta *targetArms, id int64, v features.Vector, c sqlstore.ScoringCase, open bool, r *passResult) error {
	a, armName := ta.pick(id)
	res := w.scorers[a].ScoreValues(w.vals, Reasons)
	a.addMonitor(w.vals, res.Probability)
	r.counts[string(ta.target)+"_"+armName]++
	if ta.target == features.EW90 {
		if l, ok := w.last[id]; ok && l.ModelID == a.v.ID && l.Arm == armName && !Moved(l.Probability, res.Probability) {
			r.counts["ew90_unchanged"]++
			return nil
		}
		r.lasts = append(r.lasts, sqlstore.LastScore{BorrowerID: id, Target: string(ta.target), AsOf: w.asOf, ModelID: a.v.ID,
			Arm: armName, Probability: res.Probability})
	}
	w.reasons = w.reasons[:0]
	for _, x := range res.Reasons {
		w.reasons = append(w.reasons, storedReason{Feature: x.Feature, Effect: roundEffect(x.Effect)})
	}
	reasons, err := json.Marshal(w.reasons)
	if err != nil {
		return err
	}
	r.scores = append(r.scores, sqlstore.BorrowerScore{BorrowerID: id, Target: string(ta.target), AsOf: w.asOf, ModelID: a.v.ID,
		Arm: armName, Probability: res.Probability, Points: res.Points, Reasons: reasons})
	if open && ta.target == features.Cure30 {
		// A case's expected value is written only when it changed.
		r.counts["cases_valued"]++
		if ev := c.Balance.Mul(chance(res.Probability)); ev != c.EV {
			c.EV = ev
			r.evs = append(r.evs, c)
		} else {
			r.counts["cases_ev_unchanged"]++
		}
	}
	return nil
}
