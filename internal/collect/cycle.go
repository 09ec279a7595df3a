package collect

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"accord/internal/classify"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// RunSummary is what the nightly run reports (accord run --json). The
// case counts are those of the casework step: cases open after the run,
// opened and closed by it, tasks and messages it created, and the open
// cases by risk tier and segment.
type RunSummary struct {
	AsOf            date.Date      `json:"as_of"`
	Loans           int            `json:"loans"`
	DelinquentLoans int            `json:"delinquent_loans"`
	Touched         int            `json:"touched"`
	StatusChanges   int            `json:"status_changes"`
	ByBucket        map[string]int `json:"by_bucket"`
	Outstanding     string         `json:"outstanding"`
	Overdue         string         `json:"overdue"`
	PromisesJudged  int            `json:"promises_judged"`
	PlansChecked    int            `json:"plans_checked"`
	PlansBroken     int            `json:"plans_broken"`
	WaiversApplied  int            `json:"waivers_applied"`
	RevisitsCreated int            `json:"revisits_created"`
	CasesOpen       int            `json:"cases_open"`
	CasesOpened     int            `json:"cases_opened"`
	CasesClosed     int            `json:"cases_closed"`
	CasesAssigned   int            `json:"cases_assigned"`
	TasksCreated    int            `json:"tasks_created"`
	MessagesQueued  int            `json:"messages_queued"`
	ByTier          map[string]int `json:"by_tier"`
	BySegment       map[string]int `json:"by_segment"`
	// Reaged counts the loans aged again in the transaction saving them
	// because a payment or installment of theirs changed after they were
	// read (a payment posted while the night ran).
	Reaged     int   `json:"reaged,omitempty"`
	AgingMS    int64 `json:"aging_ms"`
	CaseworkMS int64 `json:"casework_ms"`
	DurationMS int64 `json:"duration_ms"`
	// Steps holds what each wired nightly step did (see UseNightly).
	Steps map[string]StepSummary `json:"steps,omitempty"`
}

// chunkSize is how many loans one transaction of the nightly run ages.
const chunkSize = 2000

func (s *Service) bucket(dpd int) string { return s.buckets().Of(dpd) }

// buckets is the delinquency ladder in force: the one the nightly run
// classifies with, so that payments and the run store the same buckets.
func (s *Service) buckets() classify.Buckets { return s.cycle.Classify.Buckets }

// RunCycle runs the nightly cycle for asOf with the service's cycle
// configuration (see RunCycleWith) and records it in the runs table: when
// it started and finished, ok or failed with the error, and its summary
// (see recordRun).
func (s *Service) RunCycle(ctx context.Context, asOf date.Date, progress func(done, total int)) (RunSummary, error) {
	return s.recordRun(ctx, asOf, func() (RunSummary, error) { return s.RunCycleWith(ctx, asOf, s.cycle, progress) })
}

// RunCycleWith runs the nightly cycle for asOf, in two steps.
//
// Aging: for every loan whose state can change that day (something unpaid
// fell due before asOf, or it is delinquent) it replays the ledger and
// stores the delinquency facts, status and any bucket transition.
//
// Casework: for every borrower with a loan past due or an open case, in
// chunks of borrowers, it opens cases, closes cured ones, grades each
// (bucket, risk tier, segment with reasons), evaluates the strategy (or
// the experiment arm the borrower falls in), assigns it, and creates its
// tasks and outbound messages.
//
// Between the two, the plan book (when wired) ages the loans under a
// repayment plan by their plan and monitors the plans (Plans.MonitorPlans),
// and the promise book judges the promises to pay that fell due before asOf.
//
// Then it stores the day's portfolio snapshot. Each chunk commits on its
// own, and everything written is either a pure function of the ledger and
// asOf or keyed so that it is written once (one open case per borrower,
// dedup keys on events, tasks and messages): running the same date twice,
// or again after a crash at any point, ends in the same state and the
// second run creates nothing.
func (s *Service) RunCycleWith(ctx context.Context, asOf date.Date, cfg CycleConfig, progress func(done, total int)) (RunSummary, error) {
	start := time.Now()
	cfg = cfg.withDefaults()
	by := System("nightly-run")
	var total int
	var err error
	if progress != nil { // the count only sizes the progress bar
		if total, err = s.countAging(ctx, asOf); err != nil {
			return RunSummary{}, err
		}
	}
	sum := RunSummary{AsOf: asOf}
	cache := newSignalCache()
	if err := s.age(ctx, by, asOf, cfg, cache, total, progress, &sum); err != nil {
		return sum, err
	}
	if s.plans != nil {
		// Loans under a plan are aged by it, before casework sees them.
		// Their signals go to casework with the others aged tonight.
		pr, err := s.plans.MonitorPlans(ctx, asOf, func(ps PlanState) { cache.putPlan(ps, asOf, cfg.SignalInstallments) })
		if err != nil {
			return sum, fmt.Errorf("monitor plans as of %s: %w", asOf, err)
		}
		sum.PlansChecked, sum.PlansBroken, sum.WaiversApplied, sum.RevisitsCreated = pr.Checked, pr.Broken, pr.WaiversApplied, pr.RevisitsCreated
	}
	sum.AgingMS = time.Since(start).Milliseconds()
	if s.promises != nil {
		// Before casework, so that tonight's grades and strategy see the
		// promises kept and broken today.
		if sum.PromisesJudged, err = s.promises.JudgePromises(ctx, asOf); err != nil {
			return sum, fmt.Errorf("judge promises as of %s: %w", asOf, err)
		}
	}
	cs, err := s.runCasework(ctx, asOf, cfg, cache)
	if err != nil {
		return sum, err
	}
	sum.CasesOpen, sum.CasesOpened, sum.CasesClosed, sum.CasesAssigned = cs.open, cs.opened, cs.closed, cs.assigned
	sum.TasksCreated, sum.MessagesQueued, sum.ByTier, sum.BySegment = cs.tasks, cs.messages, cs.byTier, cs.bySegment
	sum.CaseworkMS = time.Since(start).Milliseconds() - sum.AgingMS
	if err := s.runSteps(ctx, asOf, &sum); err != nil {
		return sum, err
	}
	if err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		snap, err := tx.SnapshotPortfolio(ctx, asOf, s.buckets().Names())
		if err != nil {
			return err
		}
		sum.ByBucket = map[string]int{}
		for _, b := range snap.Buckets {
			sum.ByBucket[b.Bucket] = b.Loans
			sum.Loans += b.Loans
			if b.Bucket != s.buckets().Of(0) {
				sum.DelinquentLoans += b.Loans
			}
		}
		sum.Outstanding, sum.Overdue = snap.Outstanding.String(), snap.Overdue.String()
		sum.DurationMS = time.Since(start).Milliseconds()
		return tx.AppendAudit(ctx, s.event(by, "cycle.run", "cycle", asOf.String(), map[string]any{
			"loans": sum.Loans, "delinquent_loans": sum.DelinquentLoans, "touched": sum.Touched, "status_changes": sum.StatusChanges,
			"cases_open": sum.CasesOpen, "cases_opened": sum.CasesOpened, "cases_closed": sum.CasesClosed,
			"tasks_created": sum.TasksCreated, "messages_queued": sum.MessagesQueued}))
	}); err != nil {
		return sum, fmt.Errorf("snapshot portfolio %s: %w", asOf, err)
	}
	return sum, nil
}

func (s *Service) countAging(ctx context.Context, asOf date.Date) (int, error) {
	var n int
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		n, err = tx.CountAging(ctx, asOf)
		return err
	})
	return n, err
}

// readChunk is a chunk of loans to age, read after loan id after.
type readChunk struct {
	after   int64
	bundles []sqlstore.LoanBundle
}

// agedChunk is a chunk of loans replayed and ready to save.
type agedChunk struct {
	after   int64
	n       int
	rows    []sqlstore.PositionRow
	moves   []sqlstore.BucketTransition
	changed []int64
	before  []agedBefore // by row: what the chunk's read found, for replaying a row again (reage)
}

// agedBefore is what a loan's last night left, as the chunk read it.
type agedBefore struct {
	bucket string
	status ledger.Status
}

// age ages every loan whose state can change on asOf. Reading chunks (on
// the reader pool), replaying them and saving them run as a pipeline of
// three goroutines, so that the replay and the reads overlap the writes;
// each chunk is saved in its own transaction, in loan id order. The chunks
// are disjoint, so a chunk read while the one before is being saved sees
// the same rows it would see after. A payment posted (or reversed) between
// a chunk's read and its save is noted by a ledger watch registered before
// the first read, and the save replays its loan again (reage).
func (s *Service) age(ctx context.Context, by Actor, asOf date.Date, cfg CycleConfig, cache *signalCache, total int,
	progress func(done, total int), sum *RunSummary) error {
	endWatch, err := s.db.WatchLedger(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err := endWatch(); err != nil {
			s.log.Warn("aging: end of ledger watch", "err", err)
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	reads, aged := make(chan readChunk, 2), make(chan agedChunk, 2)
	var readErr error
	go func() {
		defer close(reads)
		for after := int64(0); ; {
			var b []sqlstore.LoanBundle
			readErr = s.db.Read(ctx, func(tx *sqlstore.Tx) error {
				var err error
				b, err = tx.AgingChunk(ctx, asOf, after, chunkSize)
				return err
			})
			if s.agingRead != nil && readErr == nil {
				s.agingRead(b)
			}
			if readErr != nil || len(b) == 0 {
				return
			}
			select {
			case reads <- readChunk{after: after, bundles: b}:
			case <-ctx.Done():
				return
			}
			if len(b) < chunkSize {
				return
			}
			after = b[len(b)-1].Loan.ID
		}
	}()
	go func() {
		defer close(aged)
		for rc := range reads {
			select {
			case aged <- s.replayChunk(rc, asOf, cfg, cache):
			case <-ctx.Done():
				return
			}
		}
	}()
	for ac := range aged {
		changed, reaged, err := s.saveAged(ctx, by, asOf, cfg, cache, ac)
		if err != nil {
			cancel()
			for range aged {
			}
			return fmt.Errorf("age loans after %d: %w", ac.after, err)
		}
		sum.Touched += ac.n
		sum.StatusChanges += changed
		sum.Reaged += reaged
		if progress != nil {
			progress(sum.Touched, max(total, sum.Touched))
		}
	}
	if readErr != nil {
		return fmt.Errorf("read loans to age: %w", readErr)
	}
	return ctx.Err()
}

// replayChunk computes the position, bucket, status and any bucket
// transition of each loan of a chunk, and caches its segment signal.
func (s *Service) replayChunk(rc readChunk, asOf date.Date, cfg CycleConfig, cache *signalCache) agedChunk {
	ac := agedChunk{after: rc.after, n: len(rc.bundles), rows: make([]sqlstore.PositionRow, 0, len(rc.bundles)),
		before: make([]agedBefore, 0, len(rc.bundles))}
	for _, b := range rc.bundles {
		before := agedBefore{bucket: b.PrevBucket, status: b.Loan.Status}
		row, move, changed := s.replayLoan(b, before, asOf, cfg, cache)
		ac.rows, ac.before = append(ac.rows, row), append(ac.before, before)
		if move != nil {
			ac.moves = append(ac.moves, *move)
		}
		if changed {
			ac.changed = append(ac.changed, b.Loan.ID)
		}
	}
	return ac
}

// replayLoan replays one loan as of asOf: its position row, its bucket
// transition from the bucket before (nil when it stays) and whether its
// status changes from the one before; it caches the loan's segment signal.
func (s *Service) replayLoan(b sqlstore.LoanBundle, before agedBefore, asOf date.Date, cfg CycleConfig,
	cache *signalCache) (sqlstore.PositionRow, *sqlstore.BucketTransition, bool) {
	pos := ledger.ReplayPosition(b.Loan, b.Schedule, b.Payments, s.policy, asOf)
	status := ledger.StatusFor(b.Loan, pos)
	bucket := cfg.Classify.Buckets.Of(pos.DPD)
	cache.put(b.Loan.ID, signalOf(pos, asOf, cfg.SignalInstallments))
	pos.Installments = nil
	row := sqlstore.PositionRow{BorrowerID: b.Loan.BorrowerID, Position: pos, Bucket: bucket, Status: status}
	var move *sqlstore.BucketTransition
	prev := before.bucket
	if prev == "" { // never aged: it was current
		prev = cfg.Classify.Buckets.Of(0)
	}
	if prev != bucket {
		move = &sqlstore.BucketTransition{LoanID: b.Loan.ID, On: asOf, From: prev, To: bucket, Outstanding: pos.OutstandingPrincipal}
	}
	return row, move, status != before.status
}

// saveAged stores one aged chunk in a transaction, with an audit event
// when loans changed status. It returns how many of its loans changed
// status and how many it replayed again (reage).
func (s *Service) saveAged(ctx context.Context, by Actor, asOf date.Date, cfg CycleConfig, cache *signalCache,
	ac agedChunk) (changed, reaged int, err error) {
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.SavePositions(ctx, ac.rows); err != nil {
			return err
		}
		var err error
		if reaged, err = s.reage(ctx, tx, asOf, cfg, cache, &ac); err != nil {
			return err
		}
		if err := tx.SaveBucketTransitions(ctx, ac.moves); err != nil {
			return err
		}
		if len(ac.changed) == 0 {
			return nil
		}
		first := ac.changed[:min(len(ac.changed), 50)]
		detail := map[string]any{"status_changes": len(ac.changed), "loan_ids_first_50": first, "after_loan_id": ac.after}
		if reaged > 0 {
			detail["replayed_after_change"] = reaged
		}
		return tx.AppendAudit(ctx, s.event(by, "loan.age", "cycle", asOf.String(), detail))
	})
	return len(ac.changed), reaged, err
}

// reage replays again, from the ledger as it is now, the loans of ac whose
// payments or installments changed after the chunk was read (noted by the
// ledger watch age registered), stores their positions over the ones just
// written and puts their transitions and status changes in ac. It runs
// after ac's positions are written: on PostgreSQL that write waits for a
// payment's transaction holding the loan's position, so that its note is
// seen here; a payment whose transaction writes the position later leaves
// its own, newer position. (Loans put under a plan meanwhile are
// positioned again by the plan monitoring that follows the aging.)
func (s *Service) reage(ctx context.Context, tx *sqlstore.Tx, asOf date.Date, cfg CycleConfig, cache *signalCache,
	ac *agedChunk) (int, error) {
	if len(ac.rows) == 0 {
		return 0, nil
	}
	inRange, err := tx.LedgerChanged(ctx, ac.rows[0].LoanID, ac.rows[len(ac.rows)-1].LoanID)
	if err != nil || len(inRange) == 0 {
		return 0, err
	}
	at := make(map[int64]int, len(ac.rows))
	for i := range ac.rows {
		at[ac.rows[i].LoanID] = i
	}
	var noted []int64 // the chunk's loans among them
	for _, id := range inRange {
		if _, ok := at[id]; ok {
			noted = append(noted, id)
		}
	}
	if len(noted) == 0 {
		return 0, nil
	}
	fresh, err := tx.AgingBundles(ctx, noted)
	if err != nil {
		return 0, err
	}
	again := make(map[int64]bool, len(fresh))
	rows := make([]sqlstore.PositionRow, 0, len(fresh))
	var moves []sqlstore.BucketTransition
	var changed []int64
	for _, b := range fresh {
		i := at[b.Loan.ID]
		row, move, ch := s.replayLoan(b, ac.before[i], asOf, cfg, cache)
		ac.rows[i], again[b.Loan.ID] = row, true
		rows = append(rows, row)
		if move != nil {
			moves = append(moves, *move)
		}
		if ch {
			changed = append(changed, b.Loan.ID)
		}
	}
	if err := tx.SavePositions(ctx, rows); err != nil {
		return 0, err
	}
	ac.moves = append(slices.DeleteFunc(ac.moves, func(m sqlstore.BucketTransition) bool { return again[m.LoanID] }), moves...)
	ac.changed = append(slices.DeleteFunc(ac.changed, func(id int64) bool { return again[id] }), changed...)
	slices.SortFunc(ac.moves, func(a, b sqlstore.BucketTransition) int { return cmp.Compare(a.LoanID, b.LoanID) })
	slices.Sort(ac.changed)
	return len(fresh), nil
}

// BucketNames lists the delinquency buckets in order, M0 first.
func (s *Service) BucketNames() []string { return s.buckets().Names() }
