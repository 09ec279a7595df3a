package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// RunScoring runs the contract tests of scoring's store: the facts
// features are computed from, model versions and their lifecycle, scores,
// stability and the expected values scoring writes on cases.
func RunScoring(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"Facts", testScoringFacts},
		{"Models", testScoreModels},
		{"Scores", testBorrowerScores},
		{"CaseEV", testScoringCases},
		{"Warnings", testEarlyWarnings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

func testScoringFacts(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrowerID(t, db, 1)
	other := mustBorrowerID(t, db, 2)
	noLoan := mustBorrowerID(t, db, 3)
	l := mustLoan(t, db, bid, 1, date.MustParse("2026-02-15"))
	mustLoan(t, db, other, 2, date.MustParse("2026-02-15"))
	pay := ledger.Payment{LoanID: l.ID, Amount: 500_00, PaidOn: date.MustParse("2026-02-16"), Channel: "app", ReceivedAt: t0}
	// 23:30 UTC on 03-10 is 03-11 in Shanghai.
	call := sqlstore.ContactAttempt{BorrowerID: bid, Channel: compliance.Call, Party: compliance.ToBorrower, By: "lender",
		StartedAt: time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC), Performed: true, Outcome: compliance.Connected,
		Decision: compliance.Decision{Action: compliance.Allow, Rules: []string{}}}
	refused := call
	refused.Performed, refused.Outcome = false, ""
	kept := promise.Promise{CaseID: 1, BorrowerID: bid, Amount: 100_00, Due: date.MustParse("2026-03-12"), Channel: "call",
		MadeOn: date.MustParse("2026-03-10"), MadeAt: t0}
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreatePayment(ctx, &pay); err != nil {
			return err
		}
		if err := tx.CreateContactAttempt(ctx, &call); err != nil {
			return err
		}
		if err := tx.CreateContactAttempt(ctx, &refused); err != nil {
			return err
		}
		if err := tx.CreatePromise(ctx, &kept); err != nil {
			return err
		}
		kept.Status, kept.JudgedOn = promise.Kept, date.MustParse("2026-03-12")
		return tx.UpdatePromise(ctx, kept)
	})
	ids, facts := []int64(nil), map[int64]bool{}
	read(t, db, func(tx *sqlstore.Tx) error {
		var err error
		if ids, err = tx.ScoringBorrowers(ctx, 0, 10); err != nil {
			return err
		}
		zone, _ := time.LoadLocation("Asia/Shanghai")
		got, err := tx.ScoringFacts(ctx, []int64{bid, noLoan}, zone)
		if err != nil {
			return err
		}
		for id := range got {
			facts[id] = true
		}
		f := got[bid]
		if f == nil {
			t.Fatalf("no facts for borrower %d", bid)
		}
		if len(f.Loans) != 1 || len(f.Loans[0].Schedule) != 12 || len(f.Loans[0].Payments) != 1 || f.Loans[0].Payments[0].Amount != 500_00 {
			t.Errorf("loans = %+v, want one loan with 12 installments and the 500.00 payment", f.Loans)
		}
		if f.MonthlyIncome != newBorrower(1).MonthlyIncome {
			t.Errorf("income = %d", f.MonthlyIncome)
		}
		if len(f.Contacts) != 1 || f.Contacts[0].On != date.MustParse("2026-03-11") || !f.Contacts[0].RightParty() {
			t.Errorf("contacts = %+v, want the one performed call, on 03-11 in Shanghai, reaching the borrower", f.Contacts)
		}
		if len(f.Promises) != 1 || !f.Promises[0].Final || !f.Promises[0].Kept || f.Promises[0].JudgedOn != date.MustParse("2026-03-12") {
			t.Errorf("promises = %+v, want one kept on 03-12", f.Promises)
		}
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		zone, _ := time.LoadLocation("Asia/Shanghai")
		for _, c := range []struct {
			day  string
			want []int64
		}{{"2026-02-16", []int64{bid}}, {"2026-03-11", []int64{bid}}, {"2026-03-10", nil}} {
			d := date.MustParse(c.day)
			got, err := tx.BorrowersActiveOn(ctx, d, d.In(zone), d.AddDays(1).In(zone))
			if err != nil {
				return err
			}
			if len(got) != len(c.want) || len(got) > 0 && got[0] != c.want[0] {
				t.Errorf("BorrowersActiveOn(%s) = %v, want %v (the payment's day; the call's day in Shanghai)", c.day, got, c.want)
			}
		}
		return nil
	})
	if len(ids) != 2 || ids[0] != bid || ids[1] != other {
		t.Errorf("ScoringBorrowers = %v, want the two with loans %d, %d", ids, bid, other)
	}
	if !facts[bid] || facts[noLoan] || len(facts) != 1 {
		t.Errorf("ScoringFacts for %d and %d (no loan) returned %v", bid, noLoan, facts)
	}
}

func newScoreModel(target, by string) sqlstore.ScoreModel {
	return sqlstore.ScoreModel{Target: target, Kind: "logistic", TrainedAsOf: date.MustParse("2026-03-01"),
		Body: json.RawMessage(`{"format":"accord.model"}`), Summary: json.RawMessage(`{"rows":10}`), TrainedBy: by}
}

func testScoreModels(t *testing.T, db *sqlstore.DB) {
	a, b, ew := newScoreModel("cure30", "lin"), newScoreModel("cure30", "lin"), newScoreModel("ew90", "lin")
	write(t, db, func(tx *sqlstore.Tx) error {
		for _, m := range []*sqlstore.ScoreModel{&a, &b, &ew} {
			if err := tx.CreateScoreModel(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if a.Version != 1 || b.Version != 2 || ew.Version != 1 || a.Status != sqlstore.ModelTrained {
		t.Fatalf("versions %d, %d, %d status %s; want 1, 2 (per target), 1, trained", a.Version, b.Version, ew.Version, a.Status)
	}
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.PromoteScoreModel(ctx, a.ID, sqlstore.ModelChampion, 0, "zhao") })
	wantCode(t, err, errs.NotFound) // not approved yet
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.ApproveScoreModel(ctx, a.ID, "zhao"); err != nil {
			return err
		}
		if err := tx.ApproveScoreModel(ctx, b.ID, "zhao"); err != nil {
			return err
		}
		if err := tx.PromoteScoreModel(ctx, a.ID, sqlstore.ModelChampion, 0, "zhao"); err != nil {
			return err
		}
		return tx.PromoteScoreModel(ctx, b.ID, sqlstore.ModelChallenger, 0.2, "zhao")
	})
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.ApproveScoreModel(ctx, a.ID, "zhao") })
	wantCode(t, err, errs.NotFound) // already approved
	read(t, db, func(tx *sqlstore.Tx) error {
		used, err := tx.ModelsInUse(ctx)
		if err != nil {
			return err
		}
		if len(used) != 2 || used[0].ID != a.ID || used[0].Status != sqlstore.ModelChampion || used[1].ID != b.ID ||
			used[1].Share != 0.2 || string(used[1].Body) != `{"format":"accord.model"}` {
			t.Errorf("ModelsInUse = %+v", used)
		}
		got, err := tx.ScoreModel(ctx, a.ID)
		if got.ApprovedBy != "zhao" || got.ApprovedAt.IsZero() || got.PromotedBy != "zhao" || got.TrainedAsOf != date.MustParse("2026-03-01") ||
			string(got.Summary) != `{"rows":10}` {
			t.Errorf("ScoreModel = %+v", got)
		}
		list, err2 := tx.ScoreModels(ctx, "cure30")
		if len(list) != 2 || list[0].ID != b.ID || list[0].Body != nil {
			t.Errorf("ScoreModels(cure30) = %+v, want 2 newest first without bodies", list)
		}
		_, err3 := tx.ScoreModel(ctx, 9999)
		wantCode(t, err3, errs.NotFound)
		if err != nil {
			return err
		}
		return err2
	})
	// Promoting b to champion retires a.
	write(t, db, func(tx *sqlstore.Tx) error { return tx.PromoteScoreModel(ctx, b.ID, sqlstore.ModelChampion, 0, "qian") })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.ScoreModel(ctx, a.ID)
		if got.Status != sqlstore.ModelRetired || got.RetiredAt.IsZero() {
			t.Errorf("the old champion: status %s, retired %v", got.Status, got.RetiredAt)
		}
		return err
	})
}

func testBorrowerScores(t *testing.T, db *sqlstore.DB) {
	m := newScoreModel("cure30", "lin")
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateScoreModel(ctx, &m) })
	d1, d2 := date.MustParse("2026-03-01"), date.MustParse("2026-03-02")
	s := sqlstore.BorrowerScore{BorrowerID: 7, Target: "cure30", AsOf: d1, ModelID: m.ID, Arm: "champion", Probability: 0.25,
		Reasons: json.RawMessage(`[{"feature":"dpd","effect":-0.5,"zh":"逾期天数","en":"days past due"}]`)}
	later := s
	later.AsOf, later.Probability = d2, 0.4
	rerun := later
	rerun.Probability, rerun.Arm = 0.45, "challenger"
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.SaveScores(ctx, []sqlstore.BorrowerScore{s, later}); err != nil {
			return err
		}
		return tx.SaveScores(ctx, []sqlstore.BorrowerScore{rerun})
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.SaveStability(ctx, []sqlstore.Stability{{ModelID: m.ID, AsOf: d2, Name: "score", PSI: 0.31, Rows: 1},
			{ModelID: m.ID, AsOf: d2, Name: "dpd", PSI: 0.02, Rows: 1}})
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.SaveStability(ctx, []sqlstore.Stability{{ModelID: m.ID, AsOf: d2, Name: "score", PSI: 0.35, Rows: 2}})
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.ScoresOf(ctx, 7, "cure30", 0)
		if err != nil {
			return err
		}
		if len(got) != 2 || got[0].AsOf != d2 || got[0].Probability != 0.45 || got[0].Arm != "challenger" || got[1].Probability != 0.25 {
			t.Errorf("ScoresOf = %+v, want the re-run's 0.45 on %s, then 0.25", got, d2)
		}
		var rs []map[string]any
		if err := json.Unmarshal(got[1].Reasons, &rs); err != nil || len(rs) != 1 || rs[0]["zh"] != "逾期天数" {
			t.Errorf("reasons = %s (%v)", got[1].Reasons, err)
		}
		between, err := tx.ScoresBetween(ctx, "cure30", d1, d1)
		if err != nil || len(between) != 1 || between[0].Probability != 0.25 {
			t.Errorf("ScoresBetween(%s) = %+v (%v), want the one score of that day", d1, between, err)
		}
		latest, err := tx.LatestStability(ctx, m.ID)
		if err != nil || len(latest) != 2 || latest[0].AsOf != d2 {
			t.Errorf("LatestStability = %+v (%v), want the two of %s", latest, err, d2)
		}
		if none, err := tx.LatestStability(ctx, 9999); err != nil || len(none) != 0 {
			t.Errorf("LatestStability of a model never run = %+v (%v)", none, err)
		}
		n, err := tx.CountScores(ctx, "cure30", d2)
		if n["challenger"] != 1 || n["champion"] != 0 {
			t.Errorf("CountScores = %v", n)
		}
		st, err2 := tx.StabilityOf(ctx, m.ID, d2)
		if len(st) != 2 || st[0].Name != "dpd" || st[1].Name != "score" || st[1].PSI != 0.35 || st[1].Rows != 2 {
			t.Errorf("StabilityOf = %+v", st)
		}
		if err != nil {
			return err
		}
		return err2
	})
}

func testScoringCases(t *testing.T, db *sqlstore.DB) {
	a, b, closed := cwNewCase(11), cwNewCase(12), cwNewCase(13)
	closed.Status = "closed"
	cwInsert(t, db, &a, &b, &closed)
	var list []sqlstore.ScoringCase
	read(t, db, func(tx *sqlstore.Tx) error {
		var err error
		list, err = tx.OpenScoringCases(ctx, 0, 10)
		return err
	})
	if len(list) != 2 || list[0].BorrowerID != 11 || list[1].BorrowerID != 12 || list[0].Balance != a.Balance {
		t.Fatalf("OpenScoringCases = %+v, want the open cases of 11 and 12", list)
	}
	list[0].EV, list[1].EV = 5, 7_000_00
	// A closed case is never valued, even when asked to be.
	list = append(list, sqlstore.ScoringCase{ID: closed.ID, BorrowerID: 13, EV: 9})
	write(t, db, func(tx *sqlstore.Tx) error { return tx.SetCaseEVs(ctx, list) })
	read(t, db, func(tx *sqlstore.Tx) error {
		c, err := tx.Case(ctx, b.ID)
		if c.EV != 7_000_00 {
			t.Errorf("EV of case %d = %d, want 700000", b.ID, c.EV)
		}
		if c, _ := tx.Case(ctx, a.ID); c.EV != 5 {
			t.Errorf("EV of case %d = %d, want 5", a.ID, c.EV)
		}
		if c, _ := tx.Case(ctx, closed.ID); c.EV != closed.EV {
			t.Errorf("EV of closed case %d = %d, want it left at %d", closed.ID, c.EV, closed.EV)
		}
		rest, err2 := tx.OpenScoringCases(ctx, 11, 10)
		if len(rest) != 1 || rest[0].BorrowerID != 12 {
			t.Errorf("OpenScoringCases after 11 = %+v", rest)
		}
		for _, sc := range []sqlstore.FactsScope{{After: 10, UpTo: 13}, {IDs: []int64{11, 12, 13, 14}}} {
			in, err := tx.OpenScoringCasesIn(ctx, sc)
			if err != nil || len(in) != 2 || in[0].BorrowerID != 11 || in[1].BorrowerID != 12 || in[1].EV != 7_000_00 {
				t.Errorf("OpenScoringCasesIn(%+v) = %+v (%v), want the open cases of 11 and 12", sc, in, err)
			}
		}
		if in, err := tx.OpenScoringCasesIn(ctx, sqlstore.FactsScope{After: 11, UpTo: 11}); err != nil || len(in) != 0 {
			t.Errorf("OpenScoringCasesIn of an empty range = %+v (%v)", in, err)
		}
		if err != nil {
			return err
		}
		return err2
	})
}

func testEarlyWarnings(t *testing.T, db *sqlstore.DB) {
	d1, d2 := date.MustParse("2026-03-01"), date.MustParse("2026-03-05")
	w := sqlstore.EarlyWarning{BorrowerID: 7, AsOf: d1, Code: "shrinking_payments", ZH: "最近一次还款100元", EN: "paid 100",
		Evidence: json.RawMessage(`{"last_fen":10000}`)}
	again := w
	again.ZH = "changed"
	other := sqlstore.EarlyWarning{BorrowerID: 8, AsOf: d2, Code: "channel_change", ZH: "渠道", EN: "channel"}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.SaveWarnings(ctx, []sqlstore.EarlyWarning{w, other}) })
	write(t, db, func(tx *sqlstore.Tx) error { return tx.SaveWarnings(ctx, []sqlstore.EarlyWarning{again}) })
	read(t, db, func(tx *sqlstore.Tx) error {
		all, err := tx.WarningsBetween(ctx, nil, d1, d2)
		if err != nil {
			return err
		}
		if len(all) != 2 || all[0].ZH != w.ZH || string(all[0].Evidence) != `{"last_fen":10000}` || string(all[1].Evidence) != "{}" {
			t.Errorf("WarningsBetween = %+v, want the first save kept and the other warning", all)
		}
		some, err := tx.WarningsBetween(ctx, []int64{8}, d1, d1)
		if len(some) != 0 {
			t.Errorf("borrower 8 on %s: %+v, want none", d1, some)
		}
		none, err2 := tx.WarningsBetween(ctx, []int64{}, d1, d2)
		if len(none) != 0 {
			t.Errorf("no borrowers: %+v", none)
		}
		if err != nil {
			return err
		}
		return err2
	})
}
