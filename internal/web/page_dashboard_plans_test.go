package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/offer"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// TestDashboard_Plans seeds three plans on one collector's cases (one
// active, one completed, one broken) with payments under them, and reads
// the dashboard: the collector's and team's plan-kept rate (2 of 3) and
// what was paid under plans by offer kind, this month and to date.
func TestDashboard_Plans(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	ctx := context.Background()
	today := w.svc.Today()
	var col sqlstore.Collector
	err := w.svc.Store().InTx(ctx, func(tx *sqlstore.Tx) error {
		cols, err := tx.Collectors(ctx, sqlstore.CollectorFilter{})
		if err != nil {
			return err
		}
		var cases []sqlstore.Case
		for _, c := range cols {
			if c.TeamID == 0 {
				continue
			}
			owner := casework.Owner{Kind: casework.ToCollector, ID: c.ID}
			cases, _, err = tx.Cases(ctx, sqlstore.CaseFilter{Owner: &owner, Limit: 3})
			if err != nil {
				return err
			}
			if len(cases) == 3 {
				col = c
				break
			}
		}
		if col.ID == 0 {
			t.Fatal("no collector in a team with three cases")
		}
		seed := []struct {
			kind   string
			status plan.Status
			paidOn int // days before today
			yuan   int64
		}{{"installment", plan.Active, 0, 300}, {"settlement", plan.Completed, 20, 1000}, {"installment", plan.Broken, 0, 50}}
		for i, c := range cases {
			bid := c.BorrowerID
			loans, _, err := tx.Loans(ctx, sqlstore.LoanFilter{BorrowerID: &bid})
			if err != nil || len(loans) == 0 {
				return fmt.Errorf("loans of borrower %d: %d, %v", bid, len(loans), err)
			}
			lid := loans[0].Loan.ID
			before := ledger.Payment{LoanID: lid, Amount: 99900, PaidOn: today, Channel: "bank_transfer"} // before the plan: not counted
			if err := tx.CreatePayment(ctx, &before); err != nil {
				return err
			}
			r := sqlstore.PlanRow{Plan: plan.Plan{AgreementID: 9100 + int64(i), BorrowerID: bid, CaseID: c.ID, LoanIDs: []int64{lid},
				Start: today.AddDays(-60), Schedule: []plan.Instalment{{Seq: 1, Due: today.AddDays(30), Amount: 100000}},
				Financed: 100000}, Status: seed[i].status, OfferKind: offer.Kind(seed[i].kind), AfterPaymentID: before.ID}
			if err := tx.CreatePlan(ctx, &r); err != nil {
				return err
			}
			p := ledger.Payment{LoanID: lid, Amount: money.Amount(seed[i].yuan * 100), PaidOn: today.AddDays(-seed[i].paidOn),
				Channel: "bank_transfer"}
			if err := tx.CreatePayment(ctx, &p); err != nil {
				return err
			}
			rev := ledger.Payment{LoanID: lid, Amount: 77700, PaidOn: today, Channel: "bank_transfer", Reversed: true}
			if err := tx.CreatePayment(ctx, &rev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := w.do(t, auth.Supervisor, "GET", "/dashboard", "")
	wantStatus(t, rec, http.StatusOK, "dashboard")
	body := rec.Body.String()
	wantBody(t, rec, "dashboard", "还款计划履约率", "还款计划回款（按方案类型）")
	row := func(table, first string) string {
		tb := regexp.MustCompile(`(?s)<table class="grid" id="` + table + `">.*?</table>`).FindString(body)
		for _, tr := range strings.Split(tb, "<tr") {
			if strings.HasPrefix(tr, "><td>"+first+"</td>") || strings.HasPrefix(tr, ` data-kind="`+first+`"><td>`) {
				return tr
			}
		}
		t.Fatalf("%s: no row %q in %s", table, first, tb)
		return ""
	}
	want := `<td class="num plan-rate">66.7% <small>(2/3)</small></td>`
	if r := row("collector-table", col.Name); !strings.Contains(r, want) {
		t.Errorf("collector %s: %s lacks %s", col.Name, r, want)
	}
	if r := row("team-table", col.Team); !strings.Contains(r, want) {
		t.Errorf("team %s: %s lacks %s", col.Team, r, want)
	}
	// This month (from the 1st) and to date: the settlement's payment was
	// 20 days ago; payments before a plan and reversed ones do not count.
	inMonth := today.AddDays(-20).String()[:7] == today.String()[:7]
	wantInst := `<td class="num">2</td><td class="num">350.00</td><td class="num">2</td><td class="num">350.00</td>`
	wantSettle := `<td class="num">0</td><td class="num">0.00</td><td class="num">1</td><td class="num">1000.00</td>`
	if inMonth {
		wantSettle = `<td class="num">1</td><td class="num">1000.00</td><td class="num">1</td><td class="num">1000.00</td>`
	}
	if r := row("plan-recovery-table", "installment"); !strings.Contains(r, wantInst) {
		t.Errorf("installment plans: %s lacks %s", r, wantInst)
	}
	if r := row("plan-recovery-table", "settlement"); !strings.Contains(r, wantSettle) {
		t.Errorf("settlement plans: %s lacks %s", r, wantSettle)
	}
}
