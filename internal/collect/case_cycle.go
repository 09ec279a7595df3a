package collect

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// caseSummary counts what the casework step did.
type caseSummary struct {
	open, opened, closed, tasks, messages, assigned int
	byTier, bySegment                               map[string]int
}

// caseRun is one night's casework step: what it loads once (strategies,
// collectors and agencies, product names) and what it counts.
type caseRun struct {
	s        *Service
	cfg      CycleConfig
	asOf     date.Date
	by       Actor
	cache    *signalCache
	st       strategies
	pool     *assignPool
	products map[string]string
	sum      caseSummary
	scores   map[int64]sqlstore.LatestScore // the chunk's borrowers' latest cure scores (case_score.go)
	cure     map[int64]bool                 // the cure models in use (champion, challenger) by id
	warnings map[int64][]string             // the chunk's borrowers' recent early-warning codes (case_warning.go)
}

// runCasework walks every borrower with a delinquent loan or an open case,
// in borrower id order, one transaction per chunk: it opens, updates and
// closes cases, classifies them, evaluates the strategy, assigns them and
// creates their tasks and messages. Everything it writes is keyed (one open
// case per borrower, dedup keys on events, tasks and messages), so a re-run
// of the date, whole or after a crash, adds nothing.
func (s *Service) runCasework(ctx context.Context, asOf date.Date, cfg CycleConfig, cache *signalCache) (caseSummary, error) {
	r := &caseRun{s: s, cfg: cfg, asOf: asOf, by: System("nightly-run"), cache: cache,
		sum: caseSummary{byTier: map[string]int{}, bySegment: map[string]int{}}}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if r.st, err = loadStrategies(ctx, tx); err != nil {
			return err
		}
		if r.pool, err = loadAssignPool(ctx, tx, asOf); err != nil {
			return err
		}
		if r.products, err = productNames(ctx, tx); err != nil {
			return err
		}
		r.cure, err = cureModels(ctx, tx)
		return err
	})
	if err != nil {
		return r.sum, fmt.Errorf("load casework setup: %w", err)
	}
	for after := int64(0); ; {
		if err := ctx.Err(); err != nil {
			return r.sum, err
		}
		var ids []int64
		err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			var err error
			if ids, err = tx.NextCaseBorrowers(ctx, after, cfg.ChunkBorrowers); err != nil || len(ids) == 0 {
				return err
			}
			return r.chunk(ctx, tx, ids)
		})
		if err != nil {
			return r.sum, fmt.Errorf("casework for borrowers after %d: %w", after, err)
		}
		if len(ids) < cfg.ChunkBorrowers {
			break
		}
		after = ids[len(ids)-1]
	}
	if r.st.exp != nil {
		err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.SnapshotExperiment(ctx, r.st.exp.ID, asOf) })
		if err != nil {
			return r.sum, err
		}
	}
	return r.sum, nil
}

func productNames(ctx context.Context, tx *sqlstore.Tx) (map[string]string, error) {
	list, err := tx.Products(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(list))
	for _, p := range list {
		out[p.Code] = p.Name
	}
	return out, nil
}

// chunk does the whole casework step for borrowers ids in tx.
func (r *caseRun) chunk(ctx context.Context, tx *sqlstore.Tx, ids []int64) error {
	ch, err := tx.LoadCaseChunk(ctx, ids, sqlstore.CaseChunkWindow{AsOf: r.asOf,
		Recent: r.asOf.AddDays(1 - r.cfg.RecentDays), Contacts: r.asOf.AddDays(1 - r.cfg.ContactDays)})
	if err != nil {
		return err
	}
	if err := r.loadScores(ctx, tx, ids); err != nil {
		return err
	}
	if r.warnings, err = recentWarnings(ctx, tx, ids, r.asOf); err != nil {
		return err
	}
	var works []*caseWork
	for _, b := range ids {
		if w := r.review(b, &ch); w != nil {
			works = append(works, w)
		}
	}
	if err := r.insertNew(ctx, tx, works); err != nil {
		return err
	}
	sigs, err := r.signals(ctx, tx, works)
	if err != nil {
		return err
	}
	exps, err := r.experimentCases(ctx, tx, works)
	if err != nil {
		return err
	}
	var open []*caseWork
	for _, w := range works {
		r.settle(w, &ch)
		if w.c.Status == casework.Open {
			r.classify(w, &ch, sigs)
			r.evaluate(w)
			open = append(open, w)
		}
	}
	r.rank(open)
	placed := make([]bool, len(open))
	for i, w := range open {
		placed[i] = w.c.Owner.Kind == casework.ToAgency
	}
	r.assign(open)
	for i, w := range open {
		// The strategy sees whether an agency holds the case: when tonight's
		// assignment changed that, it decides again, so that a second run
		// of the date finds nothing left to do.
		if placed[i] != (w.c.Owner.Kind == casework.ToAgency) {
			r.evaluate(w)
		}
	}
	out := &chunkWrites{}
	for _, w := range works {
		r.treat(w, &ch, out)
		r.count(w)
	}
	return r.write(ctx, tx, &ch, works, exps, out)
}

// count adds a case's state after the run to the summary.
func (r *caseRun) count(w *caseWork) {
	switch {
	case w.c.Status == casework.Closed:
		r.sum.closed++
	default:
		r.sum.open++
		r.sum.byTier[string(w.c.Tier)]++
		r.sum.bySegment[string(w.c.Segment)]++
	}
	if w.isNew {
		r.sum.opened++
	}
}

// insertNew creates tonight's new cases, so that every later step (facts,
// keys) sees their ids, and links their loans.
func (r *caseRun) insertNew(ctx context.Context, tx *sqlstore.Tx, works []*caseWork) error {
	var fresh []*sqlstore.Case
	for _, w := range works {
		if w.isNew {
			fresh = append(fresh, &w.c)
		}
	}
	if err := tx.InsertCases(ctx, fresh); err != nil {
		return err
	}
	var links []sqlstore.CaseLoanRow
	for _, w := range works {
		for _, id := range w.newLoans {
			links = append(links, sqlstore.CaseLoanRow{CaseID: w.c.ID, LoanID: id, AddedOn: r.asOf})
		}
	}
	return tx.AddCaseLoans(ctx, links)
}

// signals returns the loan signals of every open loan of the chunk's open
// cases' borrowers: from the cache of the aging and plan steps, or read
// here for the loans neither touched tonight (a restructured loan from its
// plan, any other replayed).
func (r *caseRun) signals(ctx context.Context, tx *sqlstore.Tx, works []*caseWork) (map[int64]loanSignal, error) {
	out := map[int64]loanSignal{}
	var missing, planned []int64
	for _, w := range works {
		if w.c.Status != casework.Open {
			continue
		}
		for _, l := range w.loans {
			if !openLoan(l.Status) {
				continue
			}
			switch s, ok := r.cache.get(l.ID); {
			case ok:
				out[l.ID] = s
			case l.Status == ledger.Restructured && r.s.plans != nil:
				planned = append(planned, l.ID)
			default:
				missing = append(missing, l.ID)
			}
		}
	}
	if len(planned) > 0 {
		slices.Sort(planned)
		err := r.s.plans.PlanStates(ctx, tx, planned, r.asOf, func(ps PlanState) {
			maps.Copy(out, planSignals(ps, r.asOf, r.cfg.SignalInstallments))
		})
		if err != nil {
			return nil, err
		}
		for _, id := range planned { // no plan after all: the ledger's to replay
			if _, ok := out[id]; !ok {
				missing = append(missing, id)
			}
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	slices.Sort(missing)
	bundles, err := tx.LoanHistories(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, b := range bundles {
		pos := ledger.ReplayPosition(b.Loan, b.Schedule, b.Payments, r.s.policy, r.asOf)
		out[b.Loan.ID] = signalOf(pos, r.asOf, r.cfg.SignalInstallments)
	}
	return out, nil
}

// openLoan reports whether a loan still has something to pay.
func openLoan(s ledger.Status) bool {
	return s != ledger.PaidOff && s != ledger.Settled && s != ledger.ChargedOff
}

// experimentCases loads the running experiment's records of the chunk's
// cases.
func (r *caseRun) experimentCases(ctx context.Context, tx *sqlstore.Tx, works []*caseWork) (map[int64]sqlstore.ExperimentCase, error) {
	if r.st.exp == nil {
		return nil, nil
	}
	ids := make([]int64, len(works))
	for i, w := range works {
		ids[i] = w.c.ID
	}
	return tx.ExperimentCases(ctx, r.st.exp.ID, ids)
}

// rank sets each open case's expected value of working it today: from
// its borrower's latest cure score when a cure model in use made it, as
// the scoring step that follows sets it (casework.ScoredEV, on the
// balance of today), else by the rules of thumb of the cycle's EV model.
// So a case whose score did not move keeps its value, and neither step
// writes it again; before, casework put the rules of thumb back every
// night and scoring its score again, and every open case was written
// twice.
func (r *caseRun) rank(open []*caseWork) {
	var facts []casework.EVFacts
	for _, w := range open {
		if sc, ok := r.scores[w.c.BorrowerID]; ok && r.cure[sc.ModelID] {
			w.c.EV = casework.ScoredEV(w.c.Balance, sc.Probability)
			continue
		}
		facts = append(facts, evFacts(&w.c, r.asOf))
	}
	if len(facts) == 0 {
		return
	}
	ev := map[int64]money.Amount{}
	for _, s := range r.cfg.EV.Queue(facts) {
		ev[s.CaseID] = s.EV
	}
	for _, w := range open {
		if v, ok := ev[w.c.ID]; ok {
			w.c.EV = v
		}
	}
}

// assign runs the assignment rules over the chunk's open cases and records
// every change of owner with its reason.
func (r *caseRun) assign(open []*caseWork) {
	views := make([]casework.CaseView, len(open))
	for i, w := range open {
		views[i] = w.view
	}
	for i, a := range r.pool.assign(views, r.cfg.Assign, r.asOf) {
		w := open[i]
		if !a.Changed() {
			continue
		}
		dc, evs := domainCase(w.c).Assign(a, r.asOf)
		w.c.Owner, w.c.OwnerSince, w.c.Locked = dc.Owner, dc.OwnerSince, false
		w.c.RecallOn, w.c.PlacedOn = a.RecallOn, date.Date(0)
		if a.To.Kind == casework.ToAgency {
			w.c.PlacedOn = r.asOf
		}
		w.reassigned = true
		r.sum.assigned++
		for _, e := range evs {
			w.add(string(e.Kind), e.Code, e.ZH, e.EN, map[string]any{"from": e.From, "to": e.To, "recall_on": a.RecallOn},
				"assigned:"+r.asOf.String())
		}
	}
}

// domainCase is c as package casework sees it.
func domainCase(c sqlstore.Case) casework.Case {
	return casework.Case{ID: c.ID, BorrowerID: c.BorrowerID, Status: c.Status, OpenedOn: c.OpenedOn, ClosedOn: c.ClosedOn,
		CloseReason: c.CloseReason, LoanIDs: slices.Clone(c.LoanIDs), Owner: c.Owner, OwnerSince: c.OwnerSince}
}
