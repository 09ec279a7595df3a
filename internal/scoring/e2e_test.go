package scoring_test

import (
	"cmp"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/features"
	"accord/internal/scoring"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

var ctx = context.Background()

var (
	trainer  = collect.Actor{User: auth.User{ID: 9001, Username: "risk-analyst", Roles: []auth.Role{auth.Supervisor}}}
	approver = collect.Actor{User: auth.User{ID: 9002, Username: "risk-head", Roles: []auth.Role{auth.Admin}}}
	worker   = collect.Actor{User: auth.User{ID: 9003, Username: "collector", Roles: []auth.Role{auth.Collector}}}
)

// env is a demo book with the demo department, the collect service with
// scoring wired into its nightly run, and a clock the test moves.
type env struct {
	db    *sqlstore.DB
	svc   *collect.Service
	score *scoring.Service
	mu    sync.Mutex
	today date.Date
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.today.Time().Add(2 * time.Hour) // 10:00 in Shanghai
}

func (e *env) setDay(d date.Date) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.today = d
}

var start = date.MustParse("2026-03-02")

// newEnv loads n demo borrowers as of the day before start and simulates
// days days of collections from start.
func newEnv(t *testing.T, db *sqlstore.DB, n, days int) *env {
	t.Helper()
	e := &env{db: db, today: start}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.svc = collect.New(db, collect.Options{Now: e.clock, Log: log})
	e.score = scoring.Wire(e.svc, scoring.Options{Log: log})
	if _, err := e.svc.LoadDemo(ctx, collect.DemoOptions{Borrowers: n, Seed: 7, AsOf: start.AddDays(-1)}, nil); err != nil {
		t.Fatalf("LoadDemo: %v", err)
	}
	if _, err := e.svc.LoadDemoCasework(ctx); err != nil {
		t.Fatalf("LoadDemoCasework: %v", err)
	}
	if _, err := e.svc.Simulate(ctx, collect.SimulateOptions{From: start, Days: days}, func(d collect.SimDay) error {
		e.setDay(d.Day.AddDays(1))
		return nil
	}); err != nil {
		t.Fatalf("Simulate: %v", err)
	}
	return e
}

// evs returns the open cases' expected values by case id.
func (e *env) evs(t *testing.T) map[int64]int64 {
	t.Helper()
	out := map[int64]int64{}
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		return tx.EachOpenCase(ctx, func(c sqlstore.Case) error {
			out[c.ID] = int64(c.EV)
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEndToEnd trains a cure model on simulated history, has it approved
// and promoted, and sees the next nightly run score every open case's
// borrower with it, store reasons, and reorder the queues by the new
// expected values; on both engines.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	for _, eng := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, eng.open(t), 1000, 12)
			asOf := start.AddDays(11)
			e.setDay(asOf.AddDays(1))

			_, _, err := e.score.Train(ctx, worker, scoring.TrainRequest{Target: features.Cure30, AsOf: asOf})
			if errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("a collector trains: %v, want Forbidden", err)
			}
			v, sum, err := e.score.Train(ctx, trainer, scoring.TrainRequest{Target: features.Cure30, AsOf: asOf, Snapshots: 6, Every: 7, L2: 1})
			if err != nil {
				t.Fatalf("Train: %v", err)
			}
			if sum.TrainRows == 0 || sum.ValidateRows == 0 || sum.Positives == 0 || sum.Metrics.Test == nil {
				t.Fatalf("summary = %+v, want training and out-of-time rows with both outcomes", sum)
			}
			t.Logf("train AUC %.3f, out-of-time AUC %.3f KS %.3f Brier %.4f (%d + %d rows, %d positives)", sum.Metrics.Train.AUC, sum.Metrics.Test.AUC, sum.Metrics.Test.KS, sum.Metrics.Test.Brier, sum.TrainRows, sum.ValidateRows, sum.Positives)
			if auc := sum.Metrics.Test.AUC; !(auc > 0.6) {
				t.Errorf("out-of-time AUC = %v, want above 0.6 on simulated history", auc)
			}
			if v.Status != sqlstore.ModelTrained || v.Version != 1 || v.TrainedBy != trainer.User.Username {
				t.Errorf("stored version = %+v", v)
			}

			before := e.evs(t)
			day := asOf.AddDays(1)
			run, err := e.svc.RunCycle(ctx, day, nil)
			if err != nil {
				t.Fatal(err)
			}
			if p, err := e.svc.Case(ctx, approver, anOpenCase(t, e)); err != nil || p.ValuedBy != nil || len(p.Factors) == 0 {
				t.Errorf("case page without a cure model in use: valued by %+v, %d factors (%v); want the rules of thumb", p.ValuedBy, len(p.Factors), err)
			}
			if n := run.Steps["scoring"].Counts["cure30_champion"]; n != 0 {
				t.Errorf("an unapproved model scored %d borrowers", n)
			}

			if _, err := e.score.Approve(ctx, trainer, v.ID); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("the trainer approves their own model: %v, want Forbidden", err)
			}
			if _, err := e.score.Approve(ctx, approver, v.ID); err != nil {
				t.Fatalf("Approve: %v", err)
			}
			if _, err := e.score.Promote(ctx, approver, v.ID, sqlstore.ModelChampion, 0); err != nil {
				t.Fatalf("Promote: %v", err)
			}

			day = day.AddDays(1)
			e.setDay(day)
			run, err = e.svc.RunCycle(ctx, day, nil)
			if err != nil {
				t.Fatal(err)
			}
			scored := run.Steps["scoring"].Counts["cure30_champion"]
			after := e.evs(t)
			if scored == 0 || scored != run.CasesOpen && scored+countNotDelinquent(t, e) != run.CasesOpen {
				t.Errorf("scored %d borrowers; %d cases are open", scored, run.CasesOpen)
			}
			if got := run.Steps["scoring"].Counts["cases_valued"]; got != scored {
				t.Errorf("%d cases valued, %d scored", got, scored)
			}
			changed := 0
			for id, ev := range after {
				if b, ok := before[id]; ok && b != ev {
					changed++
				}
			}
			if changed == 0 {
				t.Errorf("no open case's expected value changed with the model (%d cases)", len(after))
			}
			if slices.Equal(queueOrder(t, e, before), queueOrder(t, e, after)) {
				t.Error("the queue order (expected value, balance, id) is the same with the model as without")
			}
			checkScores(t, e, day, v.ID)
			// The case page says the value comes from the model's score
			// (and no longer shows the rules of thumb that did not make it).
			p, err := e.svc.Case(ctx, approver, anOpenCase(t, e))
			if err != nil {
				t.Fatal(err)
			}
			latest := latestCure(t, e, p.Case.BorrowerID)
			if p.ValuedBy == nil || len(p.Factors) != 0 || p.ValuedBy.ModelID != v.ID || p.ValuedBy.Chance != latest.Probability ||
				p.ValuedBy.AsOf != latest.AsOf || p.Case.EV != casework.ScoredEV(p.Case.Balance, latest.Probability) {
				t.Errorf("case page with the model in use: valued by %+v, %d factors, EV %d of balance %d; want the latest score %+v",
					p.ValuedBy, len(p.Factors), p.Case.EV, p.Case.Balance, latest)
			}

			// The next night casework values the open cases from the scores
			// the model left, as scoring then does from the night's: a case
			// whose reckoned value did not move (its chance to 0.1 pp) is
			// not written again, instead of getting the rules of thumb back
			// from casework and its score from scoring every night.
			day = day.AddDays(1)
			e.setDay(day)
			if run, err = e.svc.RunCycle(ctx, day, nil); err != nil {
				t.Fatal(err)
			}
			counts := run.Steps["scoring"].Counts
			want := unmovedValues(t, e, day)
			if want == 0 {
				t.Fatal("no open case's reckoned value stayed the same from one night to the next: the check below proves nothing")
			}
			if counts["cases_ev_unchanged"] != want {
				t.Errorf("the night after: %d of %d cases' expected values unchanged, want %d (the cases whose value from the last score and from the night's are the same)", counts["cases_ev_unchanged"], counts["cases_valued"], want)
			}
		})
	}
}

// anOpenCase returns an open case of a delinquent borrower.
func anOpenCase(t *testing.T, e *env) int64 {
	t.Helper()
	var id int64
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		return tx.EachOpenCase(ctx, func(c sqlstore.Case) error {
			if id == 0 && c.DPD > 0 {
				id = c.ID
			}
			return nil
		})
	}); err != nil || id == 0 {
		t.Fatalf("no open case of a delinquent borrower (%v)", err)
	}
	return id
}

// latestCure returns the borrower's latest cure score.
func latestCure(t *testing.T, e *env, borrowerID int64) sqlstore.BorrowerScore {
	t.Helper()
	var s []sqlstore.BorrowerScore
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) (err error) {
		s, err = tx.ScoresOf(ctx, borrowerID, "cure30", 1)
		return err
	}); err != nil || len(s) == 0 {
		t.Fatalf("borrower %d: no cure score (%v)", borrowerID, err)
	}
	return s[0]
}

// unmovedValues counts the open cases scored on day whose expected value
// from the borrower's previous cure score is the one from day's.
func unmovedValues(t *testing.T, e *env, day date.Date) int {
	t.Helper()
	n := 0
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var cases []sqlstore.Case
		if err := tx.EachOpenCase(ctx, func(c sqlstore.Case) error { cases = append(cases, c); return nil }); err != nil {
			return err
		}
		for _, c := range cases {
			s, err := tx.ScoresOf(ctx, c.BorrowerID, "cure30", 2)
			if err != nil {
				return err
			}
			if len(s) == 2 && s[0].AsOf == day && casework.ScoredEV(c.Balance, s[0].Probability) == casework.ScoredEV(c.Balance, s[1].Probability) {
				n++
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// queueOrder returns the open cases in the order the queues take them
// (expected value, then balance, then id) for the expected values evs.
func queueOrder(t *testing.T, e *env, evs map[int64]int64) []int64 {
	t.Helper()
	type item struct{ id, ev, bal int64 }
	var list []item
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		return tx.EachOpenCase(ctx, func(c sqlstore.Case) error {
			if ev, ok := evs[c.ID]; ok {
				list = append(list, item{c.ID, ev, int64(c.Balance)})
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(list, func(a, b item) int {
		return cmp.Or(cmp.Compare(b.ev, a.ev), cmp.Compare(b.bal, a.bal), cmp.Compare(a.id, b.id))
	})
	out := make([]int64, len(list))
	for i, x := range list {
		out[i] = x.id
	}
	return out
}

// countNotDelinquent counts open cases whose borrower is at 0 DPD (not in
// the cure population).
func countNotDelinquent(t *testing.T, e *env) int {
	t.Helper()
	n := 0
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		return tx.EachOpenCase(ctx, func(c sqlstore.Case) error {
			if c.DPD == 0 {
				n++
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkScores checks one open case's stored score: its model, a
// probability, reasons in both languages, and the night's stability.
func checkScores(t *testing.T, e *env, day date.Date, modelID int64) {
	t.Helper()
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var bid int64
		_ = tx.EachOpenCase(ctx, func(c sqlstore.Case) error {
			if bid == 0 && c.DPD > 0 {
				bid = c.BorrowerID
			}
			return nil
		})
		got, err := tx.ScoresOf(ctx, bid, "cure30", 1)
		if err != nil {
			return err
		}
		if len(got) != 1 || got[0].AsOf != day || got[0].ModelID != modelID || !(got[0].Probability > 0 && got[0].Probability < 1) {
			t.Fatalf("scores of borrower %d = %+v", bid, got)
		}
		var c sqlstore.Case
		_ = tx.EachOpenCase(ctx, func(x sqlstore.Case) error {
			if x.BorrowerID == bid {
				c = x
			}
			return nil
		})
		p, _ := decimal.NewFromFloat64(got[0].Probability)
		if want := c.Balance.Mul(p.Round(scoring.ChancePlaces)); c.EV != want {
			t.Errorf("case %d: expected value %d, want balance %d × chance %.3f = %d", c.ID, c.EV, c.Balance, got[0].Probability, want)
		}
		// Stored as feature and effect; worded when read.
		var stored []map[string]any
		if err := json.Unmarshal(got[0].Reasons, &stored); err != nil || len(stored) == 0 || len(stored[0]) != 2 || stored[0]["feature"] == "" {
			t.Errorf("stored reasons = %s (%v), want feature and effect only", got[0].Reasons, err)
		}
		rs, err := scoring.Explain(features.Cure30, got[0].Reasons)
		if err != nil || len(rs) != len(stored) || rs[0].ZH == "" || rs[0].EN == "" || rs[0].Feature != stored[0]["feature"] {
			t.Errorf("reasons = %+v (%v)", rs, err)
		}
		st, err := tx.StabilityOf(ctx, modelID, day)
		if err != nil {
			return err
		}
		if len(st) < 2 {
			t.Errorf("stability of the night = %+v, want the score and features", st)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
