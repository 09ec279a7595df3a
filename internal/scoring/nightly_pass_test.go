package scoring_test

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/ledger"
	"accord/internal/model"
	"accord/internal/plan"
	"accord/internal/promise"
	"accord/internal/scoring"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// oldFacts returns every borrower's facts as training reads them
// (ScoringFacts by chunks of ids, whole rows): the reference the nightly
// pass's lean reads are held to.
func oldFacts(t *testing.T, db *sqlstore.DB, zone *time.Location) map[int64]*features.Facts {
	t.Helper()
	out := map[int64]*features.Facts{}
	if err := db.Read(ctx, func(tx *sqlstore.Tx) error {
		for after := int64(0); ; {
			ids, err := tx.ScoringBorrowers(ctx, after, 97)
			if err != nil || len(ids) == 0 {
				return err
			}
			got, err := tx.ScoringFacts(ctx, ids, zone)
			if err != nil {
				return err
			}
			for id, f := range got {
				out[id] = f
			}
			after = ids[len(ids)-1]
		}
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// scoringTrain is a training request on 6 weekly snapshots up to asOf.
func scoringTrain(target features.Target, asOf date.Date, l2 float64) scoring.TrainRequest {
	return scoring.TrainRequest{Target: target, AsOf: asOf, Snapshots: 6, Every: 7, L2: l2}
}

// sameVector reports whether a and b are equal, NaN equal to NaN.
func sameVector(a, b features.Vector) bool {
	if a.Product != b.Product {
		return false
	}
	for k := range a.Num {
		x, y := a.Num[k], b.Num[k]
		if x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
			return false
		}
	}
	return true
}

// TestNightlyPass_SameAsPerBorrowerReplay checks the night's one-pass
// scoring against the per-borrower path on simulated history, on both
// engines: the lean reads by range and by list give Compute the same
// features as ScoringFacts for every borrower on several dates, from the
// ledger tables on the first night and from score_borrower_facts after it
// (also once payments were added and reversed, which the triggers of
// migration 00039 mark so that only the payments are read again, and a
// schedule replaced, which takes the borrower out of the cache), and every
// score a night stored (ew90 champion and challenger, cure30) is the one
// the model gives those features, for exactly the borrowers of each
// population.
func TestNightlyPass_SameAsPerBorrowerReplay(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, eng storetest.Engine) {
		e := newEnv(t, eng.Open(t), 500, 14)
		// Slices of 37 borrower ids, 3 a read transaction: the book is read
		// in many, as a large one is.
		e.score.SetPassSizesForTest(37, 3)
		asOf := start.AddDays(13)
		e.setDay(asOf.AddDays(1))
		var ids []int64
		for id := range oldFacts(t, e.db, e.svc.Zone()) {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		enrich(t, e.db, asOf, ids)
		old := oldFacts(t, e.db, e.svc.Zone())
		if len(old) < 400 {
			t.Fatalf("%d borrowers with facts, want the book's", len(old))
		}
		if n := compareFacts(t, e, asOf, old); n == 0 {
			t.Fatal("no borrower read from the ledger tables before the first night")
		}

		// Models in use: ew90 champion and challenger, cure30 champion.
		for _, r := range []struct {
			target features.Target
			role   string
			share  float64
			l2     float64
		}{{features.EW90, sqlstore.ModelChampion, 0, 1}, {features.EW90, sqlstore.ModelChallenger, 0.3, 10}, {features.Cure30, sqlstore.ModelChampion, 0, 1}} {
			v, _, err := e.score.Train(ctx, trainer, scoringTrain(r.target, asOf, r.l2))
			if err != nil {
				t.Fatalf("Train %s: %v", r.target, err)
			}
			if _, err := e.score.Approve(ctx, approver, v.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := e.score.Promote(ctx, approver, v.ID, r.role, r.share); err != nil {
				t.Fatal(err)
			}
		}
		counts, err := e.score.RunNightly(ctx, asOf)
		if err != nil {
			t.Fatal(err)
		}
		checkNightScores(t, e, asOf, old, counts)
		if n := compareFacts(t, e, asOf, old); n != 0 {
			t.Errorf("%d borrowers still read from the ledger tables after the night cached them", n)
		}

		// The next day: new payments, a reversal, a schedule replaced.
		day := asOf.AddDays(1)
		changed := changeLedger(t, e.db, day, ids)
		old = oldFacts(t, e.db, e.svc.Zone())
		if n := compareFacts(t, e, day, old); n != changed {
			t.Errorf("%d borrowers read from the ledger tables, %d changed", n, changed)
		}
		if counts, err = e.score.RunNightly(ctx, day); err != nil {
			t.Fatal(err)
		}
		checkNightScores(t, e, day, old, counts)
		if counts["borrowers_cached"] != changed {
			t.Errorf("night 2 cached %d borrowers, %d changed", counts["borrowers_cached"], changed)
		}
		// Those who only paid or had a payment reversed kept their cached
		// loans and schedules; the one whose schedule was replaced did not.
		if n := counts["borrowers_payments_read"]; n == 0 || n >= changed {
			t.Errorf("night 2 read only the payments of %d of the %d changed borrowers", n, changed)
		}
		if counts["borrowers_paid_off"] == 0 {
			t.Errorf("night 2 left out no borrower the first night cached with every loan paid off: %v", counts)
		}

		// Night 3: the borrowers whose loans were all found paid off are
		// left out, and every population is still exactly the one the
		// per-borrower replay gives. Run again, it leaves out every
		// borrower it can and marks nothing new.
		day3 := day.AddDays(1)
		var c3 map[string]int
		for run := range 2 {
			if c3, err = e.score.RunNightly(ctx, day3); err != nil {
				t.Fatal(err)
			}
			checkNightScores(t, e, day3, old, c3)
			if c3["borrowers_paid_off"] == 0 || c3["borrowers_read"]+c3["borrowers_paid_off"] != len(old) {
				t.Fatalf("night 3 (run %d): %d borrowers left out as paid off, %d read, of %d", run+1, c3["borrowers_paid_off"], c3["borrowers_read"], len(old))
			}
		}
		if c3["borrowers_marked_paid_off"] != 0 {
			t.Errorf("night 3 run again marked %d borrowers", c3["borrowers_marked_paid_off"])
		}
		// Run again, no ew90 score moved from the one the first run stored,
		// and no case's expected value is written again.
		if ew := c3["ew90_champion"] + c3["ew90_challenger"]; ew == 0 || c3["ew90_unchanged"] != ew {
			t.Errorf("night 3 run again: %d of %d ew90 scores unchanged", c3["ew90_unchanged"], ew)
		}
		if n := c3["cases_valued"]; n == 0 || c3["cases_ev_unchanged"] != n {
			t.Errorf("night 3 run again: %d of %d cases' expected values unchanged", c3["cases_ev_unchanged"], n)
		}

		// A payment of such a borrower reversed, and another's penalty
		// rate changed: both are read and replayed again the next night.
		day4 := day3.AddDays(1)
		var done []int64
		for _, id := range ids {
			f := old[id]
			all := len(f.Loans) > 0
			for _, l := range f.Loans {
				_, ok := features.PaidOffBy(f, l, day)
				all = all && ok
			}
			if all {
				done = append(done, id)
			}
		}
		if len(done) < 2 {
			t.Fatalf("%d borrowers with every loan paid off", len(done))
		}
		if err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			l := old[done[0]].Loans[0]
			if _, err := tx.ReversePayment(ctx, l.Payments[len(l.Payments)-1].ID, "test", day4.Time().Add(2*time.Hour)); err != nil {
				return err
			}
			m := old[done[1]].Loans[0].Loan
			if m.PenaltyRateDaily, err = m.PenaltyRateDaily.Add(decimal.MustParse("0.0001")); err != nil {
				return err
			}
			_, err := tx.UpsertLoan(ctx, &m)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		old = oldFacts(t, e.db, e.svc.Zone())
		c4, err := e.score.RunNightly(ctx, day4)
		if err != nil {
			t.Fatal(err)
		}
		checkNightScores(t, e, day4, old, c4)
		if c4["borrowers_paid_off"] != c3["borrowers_paid_off"]-2 || c4["borrowers_cached"] != 2 {
			t.Errorf("night 4: %d borrowers left out as paid off (night 3: %d), %d cached; want two fewer, both cached again",
				c4["borrowers_paid_off"], c3["borrowers_paid_off"], c4["borrowers_cached"])
		}
		// Cached again, the re-rated borrower is paid off still (its facts
		// say so); the one whose payment was reversed is not.
		if c4, err = e.score.RunNightly(ctx, day4); err != nil {
			t.Fatal(err)
		}
		if c4["borrowers_paid_off"] != c3["borrowers_paid_off"]-1 || c4["borrowers_cached"] != 0 {
			t.Errorf("night 4 run again: %d borrowers left out as paid off (night 3: %d), %d cached; want one fewer, none cached",
				c4["borrowers_paid_off"], c3["borrowers_paid_off"], c4["borrowers_cached"])
		}
	})
}

// compareFacts reads every borrower's facts as the night does (by ranges
// of ids and by a list) and checks that Compute gives what it gives from
// old on d and two earlier dates. It returns how many borrowers were read
// from the ledger tables (not from score_borrower_facts) in the ranges.
func compareFacts(t *testing.T, e *env, d date.Date, old map[int64]*features.Facts) int {
	t.Helper()
	var lean, listed []*features.Facts
	uncached := 0
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		lo, hi, err := tx.ScoringBorrowerSpan(ctx)
		if err != nil {
			return err
		}
		for after := lo - 1; after < hi; after += 37 { // ranges, some empty
			got, un, err := tx.ScoringFactsIn(ctx, sqlstore.FactsScope{After: after, UpTo: min(after+37, hi)}, e.svc.Zone())
			if err != nil {
				return err
			}
			lean, uncached = append(lean, got...), uncached+len(un)
		}
		var ids []int64
		for id := range old {
			if id%3 == 0 {
				ids = append(ids, id)
			}
		}
		listed, _, err = tx.ScoringFactsIn(ctx, sqlstore.FactsScope{IDs: append(ids, 1<<40)}, e.svc.Zone())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(lean) != len(old) {
		t.Fatalf("the pass read %d borrowers, ScoringFacts %d", len(lean), len(old))
	}
	checked := 0
	for _, list := range [][]*features.Facts{lean, listed} {
		for i, f := range list {
			if i > 0 && list[i-1].BorrowerID >= f.BorrowerID {
				t.Fatalf("borrower %d after %d: not in id order", f.BorrowerID, list[i-1].BorrowerID)
			}
			o := old[f.BorrowerID]
			if o == nil {
				t.Fatalf("borrower %d read by the pass, not by ScoringFacts", f.BorrowerID)
			}
			for _, at := range []date.Date{d, d.AddDays(-45), d.AddDays(-200)} {
				if a, b := features.Compute(f, at), features.Compute(o, at); !sameVector(a, b) {
					t.Fatalf("borrower %d as of %s: pass %+v, per borrower %+v", f.BorrowerID, at, a, b)
				}
				checked++
			}
		}
	}
	if len(listed) == 0 || checked < 3*len(old) {
		t.Fatalf("checked %d vectors (%d listed)", checked, len(listed))
	}
	return uncached
}

// changeLedger, on day, records a payment on one loan of every eleventh
// borrower, reverses a payment of every thirteenth and replaces the
// schedule of one loan (the same schedule one day later), one loan of a
// borrower at most. It returns how many borrowers it changed.
func changeLedger(t *testing.T, db *sqlstore.DB, day date.Date, ids []int64) int {
	t.Helper()
	loans := map[int64]bool{}
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		facts, err := tx.ScoringFacts(ctx, ids, time.UTC)
		if err != nil {
			return err
		}
		replaced := false
		for n, bid := range ids {
			f := facts[bid]
			if f == nil || len(f.Loans) == 0 {
				continue
			}
			l := f.Loans[len(f.Loans)-1]
			if n%11 == 0 {
				p := ledger.Payment{LoanID: l.Loan.ID, Amount: 321_00, PaidOn: day, Channel: "app", ReceivedAt: day.Time()}
				if err := tx.CreatePayment(ctx, &p); err != nil {
					return err
				}
				loans[l.Loan.ID] = true
			}
			if n%13 == 0 && len(l.Payments) > 0 && !l.Payments[0].Reversed {
				if _, err := tx.ReversePayment(ctx, l.Payments[0].ID, "test", day.Time().Add(3*time.Hour)); err != nil {
					return err
				}
				loans[l.Loan.ID] = true
			}
			if !replaced && n%11 != 0 && n%13 != 0 && len(l.Schedule) > 2 {
				sched := slices.Clone(l.Schedule)
				for i := range sched {
					sched[i].DueDate = sched[i].DueDate.AddDays(1)
				}
				if err := tx.ReplaceSchedule(ctx, l.Loan.ID, sched); err != nil {
					return err
				}
				loans[l.Loan.ID], replaced = true, true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("change the ledger: %v", err)
	}
	return len(loans)
}

// checkNightScores recomputes the night's scores from the per-borrower
// facts and compares them with what was stored.
func checkNightScores(t *testing.T, e *env, asOf date.Date, old map[int64]*features.Facts, counts map[string]int) {
	t.Helper()
	scorers := map[int64]*model.Scorer{}
	open := map[int64]bool{}
	stored := map[string][]sqlstore.BorrowerScore{}
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		used, err := tx.ModelsInUse(ctx)
		if err != nil {
			return err
		}
		for _, v := range used {
			m, err := model.Read(bytes.NewReader(v.Body))
			if err != nil {
				return err
			}
			if scorers[v.ID], err = m.NewScorer(features.Header()); err != nil {
				return err
			}
		}
		cases, err := tx.OpenScoringCases(ctx, 0, 1<<30)
		if err != nil {
			return err
		}
		for _, c := range cases {
			open[c.BorrowerID] = true
		}
		if stored["cure30"], err = tx.ScoresBetween(ctx, "cure30", asOf, asOf); err != nil {
			return err
		}
		// ew90 is stored when it moves: the score that stands on asOf is
		// each borrower's latest up to it.
		all, err := tx.ScoresBetween(ctx, "ew90", asOf.AddDays(-3650), asOf)
		if err != nil {
			return err
		}
		latest := map[int64]sqlstore.BorrowerScore{}
		for _, s := range all { // by date
			latest[s.BorrowerID] = s
		}
		for _, s := range latest {
			stored["ew90"] = append(stored["ew90"], s)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, target := range []features.Target{features.EW90, features.Cure30} {
		want := map[int64]bool{}
		for id, f := range old {
			f.Policy = e.svc.Policy()
			if (target == features.EW90 || open[id]) && target.Eligible(features.Compute(f, asOf)) {
				want[id] = true
			}
		}
		var got []sqlstore.BorrowerScore
		for _, s := range stored[string(target)] {
			if s.AsOf == asOf || want[s.BorrowerID] { // not the stored scores of borrowers out of tonight's population
				got = append(got, s)
			}
		}
		if len(got) != len(want) || len(want) == 0 {
			t.Errorf("%s: %d scores stored, %d borrowers in the population", target, len(got), len(want))
		}
		arms, unchanged := map[string]int{}, 0
		for _, s := range got {
			if !want[s.BorrowerID] {
				t.Fatalf("%s: borrower %d scored, not in the population", target, s.BorrowerID)
			}
			rec := features.Compute(old[s.BorrowerID], asOf).Record(nil)
			r := scorers[s.ModelID].Score(rec, 3)
			if s.AsOf != asOf {
				// An ew90 score stored on an earlier night stands while
				// the night's own moved less than scoring.MoveToStore.
				if target != features.EW90 || scoring.Moved(s.Probability, r.Probability) {
					t.Fatalf("%s borrower %d: score of %s (%v) stands on %s, the night's is %v", target, s.BorrowerID, s.AsOf, s.Probability, asOf, r.Probability)
				}
				unchanged++
				arms[s.Arm]++
				continue
			}
			arms[s.Arm]++
			if r.Probability != s.Probability || r.Points != s.Points {
				t.Fatalf("%s borrower %d: stored %v (%v points), per borrower %v (%v)", target, s.BorrowerID, s.Probability, s.Points, r.Probability, r.Points)
			}
			var rs []struct {
				Feature string  `json:"feature"`
				Effect  float64 `json:"effect"`
			}
			if err := json.Unmarshal(s.Reasons, &rs); err != nil || len(rs) != len(r.Reasons) {
				t.Fatalf("%s borrower %d: reasons %s, want %d (%v)", target, s.BorrowerID, s.Reasons, len(r.Reasons), err)
			}
			for i, x := range r.Reasons {
				// Stored to 4 decimals of log-odds.
				if rs[i].Feature != x.Feature || rs[i].Effect != math.Round(x.Effect*1e4)/1e4 {
					t.Fatalf("%s borrower %d reason %d: %+v, want %+v", target, s.BorrowerID, i, rs[i], x)
				}
			}
		}
		for arm, n := range arms {
			if counts[string(target)+"_"+arm] != n {
				t.Errorf("%s %s: counted %d, stored %d", target, arm, counts[string(target)+"_"+arm], n)
			}
		}
		// Every score standing from an earlier night was counted unchanged,
		// and every score not counted unchanged was stored tonight (a run
		// again counts unchanged what the first run stored).
		if n := counts[string(target)+"_unchanged"]; unchanged > n || len(got)-unchanged < len(want)-n {
			t.Errorf("%s: %d scores of earlier nights stand and %d of tonight, counted %d unchanged of %d", target, unchanged, len(got)-unchanged, n, len(want))
		}
		if target == features.EW90 && (arms["champion"] == 0 || arms["challenger"] == 0) {
			t.Errorf("ew90 arms = %v, want both", arms)
		}
	}
}

// enrich adds to the simulated book what its history lacks, so that every
// fact Compute reads is exercised: performed and refused calls and SMS
// (some after 16:00 UTC, the next day in Shanghai, one on the edge of the
// 30-day window), promises kept, broken and open, plans running, broken
// and completed, and payments reversed before and after asOf.
func enrich(t *testing.T, db *sqlstore.DB, asOf date.Date, ids []int64) {
	t.Helper()
	at := func(d date.Date, h int) time.Time { return d.Time().Add(time.Duration(h) * time.Hour) }
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		for n, bid := range ids {
			for k, c := range []struct {
				ch      compliance.Channel
				party   compliance.Party
				out     compliance.Outcome
				done    bool
				daysAgo int
			}{{compliance.Call, compliance.ToBorrower, compliance.Connected, true, n % 40},
				{compliance.Call, compliance.ToThirdParty, compliance.Connected, true, 3},
				{compliance.Call, compliance.ToBorrower, compliance.NoAnswer, true, 12},
				{compliance.SMS, compliance.ToBorrower, "", true, 1},
				{compliance.Call, compliance.ToBorrower, "", false, 2}}[:1+n%5] {
				a := sqlstore.ContactAttempt{BorrowerID: bid, Channel: c.ch, Party: c.party, By: "lender", Performed: c.done,
					StartedAt: at(asOf.AddDays(-c.daysAgo), 17-k*4), Outcome: c.out,
					Decision: compliance.Decision{Action: compliance.Allow, Rules: []string{}}}
				if err := tx.CreateContactAttempt(ctx, &a); err != nil {
					return err
				}
			}
			if n%3 != 2 {
				p := promise.Promise{CaseID: 1, BorrowerID: bid, Amount: 100_00, Due: asOf.AddDays(-n%60 + 5), Channel: "call",
					MadeOn: asOf.AddDays(-n%60 - 2), MadeAt: at(asOf.AddDays(-n%60-2), 3)}
				if err := tx.CreatePromise(ctx, &p); err != nil {
					return err
				}
				if p.Status, p.JudgedOn = []promise.Status{promise.Kept, promise.Broken}[n%3], p.Due.AddDays(1); p.JudgedOn.Before(asOf) {
					if err := tx.UpdatePromise(ctx, p); err != nil {
						return err
					}
				}
			}
			if n%7 == 0 {
				r := sqlstore.PlanRow{Plan: plan.Plan{AgreementID: int64(9000 + n), BorrowerID: bid, CaseID: 1, Start: asOf.AddDays(-n % 90),
					Schedule: []plan.Instalment{{Seq: 1, Due: asOf.AddDays(30), Amount: 500_00}}, Financed: 500_00}, ActivatedBy: "lin"}
				if err := tx.CreatePlan(ctx, &r); err != nil {
					return err
				}
				u := sqlstore.PlanUpdate{Status: plan.Active}
				switch n % 3 {
				case 1:
					u.Status, u.BrokenOn = plan.Broken, asOf.AddDays(-n%20)
				case 2:
					u.Status, u.CompletedOn = plan.Completed, asOf.AddDays(-n%50)
				}
				if err := tx.UpdatePlan(ctx, r.ID, u); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("enrich: %v", err)
	}
	reverseSome(t, db, asOf, ids)
}

// reverseSome reverses one payment of every fifth borrower: half of them
// on a day before asOf, half after it (a reversal asOf does not know of).
func reverseSome(t *testing.T, db *sqlstore.DB, asOf date.Date, ids []int64) {
	t.Helper()
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		for n, bid := range ids {
			if n%5 != 0 {
				continue
			}
			facts, err := tx.ScoringFacts(ctx, []int64{bid}, time.UTC)
			if err != nil {
				return err
			}
			f := facts[bid]
			for _, l := range f.Loans {
				if len(l.Payments) == 0 {
					continue
				}
				p := l.Payments[len(l.Payments)-1]
				when := p.PaidOn.AddDays(2)
				if n%10 == 5 {
					when = asOf.AddDays(3)
				}
				if _, err := tx.ReversePayment(ctx, p.ID, "test", when.Time().Add(5*time.Hour)); err != nil {
					return err
				}
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reverse payments: %v", err)
	}
}
