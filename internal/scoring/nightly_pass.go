package scoring

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"accord/internal/casework"
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
	passRenew  = 8    // slices a worker reads in one read transaction
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
func (s *Service) scoreAll(ctx context.Context, asOf date.Date, targets []*targetArms, counts map[string]int) (err error) {
	if len(targets) == 0 {
		return nil
	}
	whole := false
	for _, ta := range targets {
		whole = whole || ta.target == features.EW90
	}
	// Over the whole book each worker reads the open cases of its own
	// slices; otherwise the slices are made of the open cases' borrowers.
	var cases map[int64]sqlstore.ScoringCase
	if !whole {
		if cases, err = s.openCases(ctx); err != nil {
			return err
		}
	}
	scopes, err := s.passScopes(ctx, whole, cases)
	if err != nil {
		return err
	}
	// Every worker's scorers first: a model that cannot score leaves no
	// worker waiting for slices.
	var ws []*passWorker
	for range max(1, runtime.GOMAXPROCS(0)) {
		w, err := s.newPassWorker(asOf, targets, cases, whole)
		if err != nil {
			return err
		}
		ws = append(ws, w)
	}
	endCheckpoints, err := s.db.CheckpointAlong(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, endCheckpoints()) }() // on every way out, or the writer never checkpoints again
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
	for _, w := range ws {
		workers.Add(1)
		go func() {
			defer workers.Done()
			// One read transaction for passRenew slices: SQLite drops a
			// connection's page cache when a transaction starts after
			// another connection wrote, as the writer does here; but a
			// reader keeps the checkpoints from copying anything written
			// after its transaction began (sqlstore.CheckpointAlong).
			for more := true; more; {
				more = false
				err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
					n := 0
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
						if n++; n == s.renew {
							more = true
							return nil
						}
					}
					return nil
				})
				if err != nil {
					fail(err)
					for range jobs { // let the producer end
					}
					return
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
// over the book when ew90 is scored (whole), else the open cases'
// borrowers in lists.
func (s *Service) passScopes(ctx context.Context, whole bool, cases map[int64]sqlstore.ScoringCase) ([]sqlstore.FactsScope, error) {
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
	for after := lo - 1; after < hi; after += s.span {
		out = append(out, sqlstore.FactsScope{After: after, UpTo: min(after+s.span, hi)})
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
	cases   map[int64]sqlstore.ScoringCase // the open cases by borrower, unless whole
	scorers map[*arm]*model.Scorer
	vals    model.Values // the borrower's features as the scorers read them
	reasons []storedReason
	whole   bool // ew90 is scored: the whole book
	comp    features.Computer
	counted map[*arm]string      // the count of each arm's scores: "cure30_champion" …
	text    []byte               // the block the reasons of the latest scores are written in
	buf     sqlstore.FactsBuffer // the slices' cached facts are unpacked into, one after the other
}

func (s *Service) newPassWorker(asOf date.Date, targets []*targetArms, cases map[int64]sqlstore.ScoringCase, whole bool) (*passWorker, error) {
	w := &passWorker{s: s, asOf: asOf, targets: targets, cases: cases, whole: whole, scorers: map[*arm]*model.Scorer{},
		counted: map[*arm]string{},
		vals:    model.Values{Num: make([]float64, features.NumCount+1), Str: make([]string, features.NumCount+1)}}
	w.vals.Num[features.NumCount] = math.NaN()
	for _, ta := range targets {
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
			w.counted[a] = string(ta.target) + "_" + ArmChampion
			if a == ta.challger {
				w.counted[a] = string(ta.target) + "_" + ArmChallenger
			}
		}
	}
	return w, nil
}

// run reads and scores one slice.
func (w *passWorker) run(ctx context.Context, tx *sqlstore.Tx, scope sqlstore.FactsScope) (passResult, error) {
	// The facts of a slice are used only until run returns: what the
	// results keep of them (packed copies, ids, scores) is their own.
	scope.PaidOffBy, scope.PolicyKey, scope.Into = w.asOf, w.s.policyKey, &w.buf
	if w.whole {
		scope.LastOf = string(features.EW90)
	}
	p, err := tx.ScoringFactsPass(ctx, scope, w.s.zone)
	if err != nil {
		return passResult{}, err
	}
	cases, err := w.casesIn(ctx, tx, scope)
	if err != nil {
		return passResult{}, err
	}
	k := 0 // cases[k]: the first case of a borrower not before f
	r := passResult{counts: map[string]int{"borrowers_read": len(p.Facts), "borrowers_paid_off": p.Skipped}}
	for i, f := range p.Facts {
		f.Policy = w.s.opts.Policy
		on, done := w.comp.AllPaidOffBy(f, w.asOf)
		row := p.Rows[i]
		switch {
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
		for k < len(cases) && cases[k].BorrowerID < f.BorrowerID {
			k++
		}
		var c sqlstore.ScoringCase
		open := k < len(cases) && cases[k].BorrowerID == f.BorrowerID
		if open {
			c = cases[k]
		}
		for _, ta := range w.targets {
			if ta.target != features.EW90 && !open || !ta.target.Eligible(v) {
				continue
			}
			if err := w.score(ta, f.BorrowerID, row.Last, c, open, &r); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

// casesIn returns the open cases of scope's borrowers in borrower order.
func (w *passWorker) casesIn(ctx context.Context, tx *sqlstore.Tx, scope sqlstore.FactsScope) ([]sqlstore.ScoringCase, error) {
	if w.whole {
		return tx.OpenScoringCasesIn(ctx, scope)
	}
	out := make([]sqlstore.ScoringCase, 0, len(scope.IDs))
	for _, id := range scope.IDs { // ascending
		if c, ok := w.cases[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// score scores one borrower for ta into r; last is the borrower's last
// stored ew90 score.
func (w *passWorker) score(ta *targetArms, id int64, last sqlstore.StoredScore, c sqlstore.ScoringCase, open bool, r *passResult) error {
	a, armName := ta.pick(id)
	sc := w.scorers[a]
	res := sc.ScoreValues(w.vals, 0) // the reasons only of a score stored
	a.addMonitor(w.vals, res.Probability)
	r.counts[w.counted[a]]++
	if ta.target == features.EW90 {
		if last.ModelID == a.v.ID && last.Arm == armName && !Moved(last.Probability, res.Probability) {
			r.counts["ew90_unchanged"]++
			return nil
		}
		r.lasts = append(r.lasts, sqlstore.LastScore{BorrowerID: id, Target: string(ta.target), AsOf: w.asOf, ModelID: a.v.ID,
			Arm: armName, Probability: res.Probability})
	}
	w.reasons = w.reasons[:0]
	for _, x := range sc.Reasons(Reasons) {
		w.reasons = append(w.reasons, storedReason{Feature: x.Feature, Effect: roundEffect(x.Effect)})
	}
	reasons, err := w.encodeReasons()
	if err != nil {
		return err
	}
	r.scores = append(r.scores, sqlstore.BorrowerScore{BorrowerID: id, Target: string(ta.target), AsOf: w.asOf, ModelID: a.v.ID,
		Arm: armName, Probability: res.Probability, Points: res.Points, Reasons: reasons})
	if open && ta.target == features.Cure30 {
		// A case's expected value is written only when it changed.
		r.counts["cases_valued"]++
		if ev := casework.ScoredEV(c.Balance, res.Probability); ev != c.EV {
			c.EV = ev
			r.evs = append(r.evs, c)
		} else {
			r.counts["cases_ev_unchanged"]++
		}
	}
	return nil
}

// encodeReasons returns w.reasons as JSON, as json.Marshal writes them,
// in w.text: a block shared by the scores of many borrowers instead of an
// allocation each.
func (w *passWorker) encodeReasons() (json.RawMessage, error) {
	if cap(w.text)-len(w.text) < 512 {
		w.text = make([]byte, 0, 64<<10)
	}
	start := len(w.text)
	var err error
	w.text, err = appendReasons(w.text, w.reasons)
	return w.text[start:len(w.text):len(w.text)], err
}

// appendReasons appends rs to b as JSON. Feature codes are plain ASCII
// names; one that is not is left to encoding/json. Effects are rounded to
// 4 decimals: encoding/json writes a number of that size (below 1e21) as
// strconv's shortest 'f' format; any other goes to encoding/json as well.
func appendReasons(b []byte, rs []storedReason) ([]byte, error) {
	b = append(b, '[')
	for i, x := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		if a := math.Abs(x.Effect); !plainName(x.Feature) || a != 0 && a < 1e-6 || !(a < 1e21) { // NaN, ±Inf: an error
			j, err := json.Marshal(x)
			if err != nil {
				return b, err
			}
			b = append(b, j...)
			continue
		}
		b = append(b, `{"feature":"`...)
		b = append(b, x.Feature...)
		b = append(b, `","effect":`...)
		b = strconv.AppendFloat(b, x.Effect, 'f', -1, 64)
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// plainName reports whether s needs no escaping in a JSON string.
func plainName(s string) bool {
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}
