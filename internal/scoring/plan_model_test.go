package scoring_test

import (
	"bytes"
	"math"
	"testing"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/model"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/plan"
	"accord/internal/scoring"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestPlanModel trains the plan model (plan90) on stored plans whose
// outcome follows their burden (largest payment over income: above half
// breaks within 90 days, with one plan in seven the other way), has it
// approved and promoted, and sees negotiation price offers' chance kept
// with it — each offer's p_kept is the model's score of the borrower's
// features with the offer's burden — where before it used the interim
// factors; on both engines.
func TestPlanModel(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, eng storetest.Engine) {
		e := newEnv(t, eng.Open(t), 300, 1)
		today := start.AddDays(1)
		e.setDay(today)
		neg := negotiation.Wire(e.svc, negotiation.Options{})
		neg.UseKeepSource(e.score)
		admin := e.user(t, auth.Admin)

		// The case the offers are for, and 150 other borrowers with a plan
		// each, started between 220 and 95 days ago.
		var caseID, caseBorrower int64
		var holders []int64
		if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
			_ = tx.EachOpenCase(ctx, func(c sqlstore.Case) error {
				if caseID == 0 && c.DPD > 0 {
					caseID, caseBorrower = c.ID, c.BorrowerID
				}
				return nil
			})
			ids, err := tx.ScoringBorrowers(ctx, 0, 300)
			for _, id := range ids {
				if id != caseBorrower && len(holders) < 150 {
					holders = append(holders, id)
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if caseID == 0 || len(holders) < 150 {
			t.Fatalf("case %d, %d plan holders", caseID, len(holders))
		}
		makePlans(t, e, holders, today)

		before := proposeOnce(t, neg, admin, caseID)
		v, sum, err := e.score.Train(ctx, trainer, trainPlan(today))
		if err != nil {
			t.Fatalf("Train plan90: %v", err)
		}
		if sum.TrainRows+sum.ValidateRows != 150 || sum.ValidateRows == 0 || sum.Metrics.Test == nil {
			t.Fatalf("summary = %+v, want 150 plans with an out-of-time share", sum)
		}
		if auc := sum.Metrics.Test.AUC; !(auc > 0.75) {
			t.Errorf("out-of-time AUC = %v, want above 0.75 on plans whose outcome follows their burden", auc)
		}
		// Trained is not in use: offers still take the interim factors.
		if got := proposeOnce(t, neg, admin, caseID); !samePKept(got, before) {
			t.Errorf("an unapproved plan model changed p_kept: %v, before %v", pkepts(got), pkepts(before))
		}
		if _, err := e.score.Approve(ctx, approver, v.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.score.Promote(ctx, approver, v.ID, sqlstore.ModelChampion, 0); err != nil {
			t.Fatal(err)
		}
		after := proposeOnce(t, neg, admin, caseID)
		if samePKept(after, before) {
			t.Errorf("with the plan model in use p_kept is as before: %v", pkepts(after))
		}
		want := modelPKept(t, e, v, caseBorrower, today, money.Yuan(4200))
		for _, o := range after {
			if w := want(o.Offer.MaxPayment); o.Offer.PKept != w {
				t.Errorf("offer %s (largest payment %s): p_kept %v, want the model's %v", o.Offer.ID, o.Offer.MaxPayment, o.Offer.PKept, w)
			}
		}
		// The nightly run leaves the plan model alone (it scores offers).
		run, err := e.svc.RunCycle(ctx, today, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, n := range run.Steps["scoring"].Counts {
			if len(k) > 6 && k[:6] == "plan90" && n > 0 {
				t.Errorf("the nightly run scored %d borrowers with the plan model (%s)", n, k)
			}
		}
	})
}

func trainPlan(today date.Date) scoring.TrainRequest {
	return scoring.TrainRequest{Target: features.PlanKept, AsOf: today, Snapshots: 5, Every: 30, L2: 1}
}

// makePlans gives each of ids a completed or broken plan: burden 0.2 to
// 1.0 of the borrower's income by turns, broken on day 20 when the burden
// is above 0.5, the other way round for one plan in seven.
func makePlans(t *testing.T, e *env, ids []int64, today date.Date) {
	t.Helper()
	err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		facts, err := tx.ScoringFacts(ctx, ids, e.svc.Zone())
		if err != nil {
			return err
		}
		for i, id := range ids {
			inc := facts[id].MonthlyIncome
			if inc <= 0 {
				inc = money.Yuan(5000)
			}
			burden := 0.2 + 0.2*float64(i%5)
			startOn := today.AddDays(-95 - (i*125)/len(ids))
			amt := money.Amount(math.Round(burden * float64(inc)))
			p := sqlstore.PlanRow{Plan: plan.Plan{BorrowerID: id, AgreementID: int64(9000 + i), Start: startOn, Financed: 6 * amt}}
			for k := range 6 {
				p.Schedule = append(p.Schedule, plan.Instalment{Seq: k + 1, Due: startOn.AddMonthsClamped(k + 1), Amount: amt})
			}
			if err := tx.CreatePlan(ctx, &p); err != nil {
				return err
			}
			broken := burden > 0.5
			if i%7 == 3 {
				broken = !broken
			}
			u := sqlstore.PlanUpdate{Status: plan.Completed, CompletedOn: startOn.AddDays(180), CheckedOn: today}
			if broken {
				u = sqlstore.PlanUpdate{Status: plan.Broken, BrokenOn: startOn.AddDays(20), CheckedOn: today}
			}
			if err := tx.UpdatePlan(ctx, p.ID, u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// proposeOnce assesses the case (income 4,200.00) and proposes its offers.
func proposeOnce(t *testing.T, neg *negotiation.Service, by collect.Actor, caseID int64) []sqlstore.Offer {
	t.Helper()
	in := negotiation.NewAssessment{Assessment: offer.Assessment{MonthlyIncome: money.Yuan(4200), IncomeEvidence: "payslip",
		OtherDebtPayments: money.Yuan(300), Dependants: 1, LiquidAssets: money.Yuan(100), Hardship: offer.JobLoss,
		HardshipMonths: 2, Willingness: offer.Willing}, Evidence: "工资流水"}
	if _, err := neg.Assess(ctx, by, caseID, in); err != nil {
		t.Fatalf("Assess: %v", err)
	}
	got, err := neg.ProposeOffers(ctx, by, caseID)
	if err != nil || len(got) == 0 {
		t.Fatalf("ProposeOffers = %d offers, %v", len(got), err)
	}
	return got
}

func pkepts(os []sqlstore.Offer) []float64 {
	out := make([]float64, len(os))
	for i, o := range os {
		out[i] = o.Offer.PKept
	}
	return out
}

func samePKept(a, b []sqlstore.Offer) bool {
	m := map[string]float64{}
	for _, o := range b {
		m[o.Offer.ID] = o.Offer.PKept
	}
	for _, o := range a {
		if p, ok := m[o.Offer.ID]; !ok || p != o.Offer.PKept {
			return false
		}
	}
	return len(a) == len(b)
}

// modelPKept returns the plan model v's chance kept, rounded as offers
// round it, of borrower id's features on day d with a largest payment over
// income.
func modelPKept(t *testing.T, e *env, v sqlstore.ScoreModel, id int64, d date.Date, income money.Amount) func(money.Amount) float64 {
	t.Helper()
	m, err := model.Read(bytes.NewReader(v.Body))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := m.NewScorer(features.Header())
	if err != nil {
		t.Fatal(err)
	}
	var f *features.Facts
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		facts, err := tx.ScoringFacts(ctx, []int64{id}, e.svc.Zone())
		f = facts[id]
		return err
	}); err != nil {
		t.Fatal(err)
	}
	f.Policy = e.svc.Policy()
	return func(most money.Amount) float64 {
		x := features.PlanVector(f, d, most, income)
		return math.Round(sc.Score(x.Record(nil), 0).Probability*10000) / 10000
	}
}

// user creates a user with role r and returns it as an actor.
func (e *env) user(t *testing.T, r auth.Role) collect.Actor {
	t.Helper()
	u, err := e.svc.CreateUser(ctx, collect.System("test"), auth.User{Username: "plan-" + string(r), DisplayName: string(r),
		Roles: []auth.Role{r}}, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	return collect.Actor{User: u, RequestID: "test"}
}
