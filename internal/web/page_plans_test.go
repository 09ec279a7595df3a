package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// TestPlans_Page seeds three plans (one paying, one a few days late, one
// long unpaid) and a revisit task, then reads the plan book: each plan in
// its section as of today with the next due, the revisit on its day of the
// calendar, and the page only for those who may approve offers, within
// their scope.
func TestPlans_Page(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	ctx := context.Background()
	today := w.svc.Today()
	rec := w.do(t, auth.Supervisor, "GET", "/api/v1/cases?limit=3", "")
	wantStatus(t, rec, http.StatusOK, "list cases")
	cases := decode[struct {
		Items []struct {
			ID         int64 `json:"id"`
			BorrowerID int64 `json:"borrower_id"`
		}
	}](t, rec.Body.Bytes()).Items
	if len(cases) < 3 {
		t.Fatalf("cases: %d", len(cases))
	}
	inst := func(due date.Date, yuan int64) plan.Instalment {
		return plan.Instalment{Due: due, Amount: money.Amount(yuan * 100)}
	}
	scheds := [][]plan.Instalment{
		{inst(today.AddDays(8), 1000), inst(today.AddDays(39), 1000)}, // active: next due in 8 days
		{inst(today.AddDays(-2), 500), inst(today.AddDays(28), 500)},  // in grace: 2 days past, 7 grace days
		{inst(today.AddDays(-30), 700), inst(today.AddDays(1), 700)},  // broken: past its grace
	}
	ids := make([]int64, 3)
	revisitOn := today.AddDays(5)
	err := w.svc.Store().InTx(ctx, func(tx *sqlstore.Tx) error {
		for i, c := range cases {
			for j := range scheds[i] {
				scheds[i][j].Seq = j + 1
			}
			r := sqlstore.PlanRow{Plan: plan.Plan{AgreementID: 9000 + int64(i), BorrowerID: c.BorrowerID, CaseID: c.ID,
				Start: today.AddDays(-40), Schedule: scheds[i], Financed: money.Amount(100000)}, OfferKind: "installment"}
			if err := tx.CreatePlan(ctx, &r); err != nil {
				return err
			}
			ids[i] = r.ID
		}
		_, err := tx.InsertTasks(ctx, []sqlstore.Task{{CaseID: cases[0].ID, BorrowerID: cases[0].BorrowerID,
			Kind: negotiation.TaskRevisit, Queue: "negotiation", DueOn: revisitOn, DedupKey: "test-revisit", CreatedOn: today}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	rec = w.do(t, auth.Supervisor, "GET", "/plans", "")
	wantStatus(t, rec, http.StatusOK, "plans")
	body := rec.Body.String()
	section := func(id string) string {
		m := regexp.MustCompile(`(?s)<table class="[^"]*" id="` + id + `">.*?</table>`).FindString(body)
		if m == "" {
			t.Fatalf("no table %s", id)
		}
		return m
	}
	for i, sec := range []string{"plans-active", "plans-grace", "plans-broken"} {
		got := section(sec)
		for j, id := range ids {
			has := strings.Contains(got, fmt.Sprintf(`id="plan-%d"`, id))
			if has != (i == j) {
				t.Errorf("%s: plan %d shown %v", sec, id, has)
			}
		}
	}
	wantBody(t, rec, "plans", `<a href="/plans" id="nav-plans">还款计划</a>`, "履约中的计划", "宽限期内的计划", "已违约的计划",
		fmt.Sprintf(`<td class="next-due">%s</td><td class="num">¥1,000.00</td>`, today.AddDays(8)),
		fmt.Sprintf(`<td>%s</td><td class="num">2</td><td class="num">¥500.00</td><td>%s</td>`, today.AddDays(-2), today.AddDays(5)))
	if today.AddDays(5).String()[:7] == today.String()[:7] {
		_, _, day := revisitOn.Parts()
		cal := section("revisit-calendar")
		want := fmt.Sprintf(`<b>%d</b><div class="revisit" data-task="`, day)
		if !strings.Contains(cal, want) || !strings.Contains(cal, fmt.Sprintf(`<a href="/cases/%d">`, cases[0].ID)) {
			t.Errorf("calendar lacks the revisit on day %d: %s", day, cal)
		}
	}
	// The month switch: the next month has no revisit.
	rec = w.do(t, auth.Supervisor, "GET", "/plans?month="+today.AddMonthsClamped(2).String()[:7], "")
	wantStatus(t, rec, http.StatusOK, "another month")
	if strings.Contains(rec.Body.String(), `class="revisit"`) {
		t.Error("a revisit shows in a month without one")
	}
	wantBody(t, rec, "another month", "本月没有待回访任务。")
	rec = w.do(t, auth.Supervisor, "GET", "/plans?month=2026-13", "")
	wantStatus(t, rec, http.StatusUnprocessableEntity, "bad month")

	// A negotiator sees the plans of the cases they reach, no others.
	rec = w.do(t, auth.Negotiator, "GET", "/plans", "")
	wantStatus(t, rec, http.StatusOK, "plans as a negotiator")
	hidden := 0
	for i, id := range ids {
		reach := w.do(t, auth.Negotiator, "GET", fmt.Sprintf("/api/v1/cases/%d", cases[i].ID), "").Code == http.StatusOK
		if !reach {
			hidden++
		}
		if shown := strings.Contains(rec.Body.String(), fmt.Sprintf(`id="plan-%d"`, id)); shown != reach {
			t.Errorf("plan %d of case %d: shown %v, case reachable %v", id, cases[i].ID, shown, reach)
		}
	}
	if hidden == 0 {
		t.Error("every seeded case is in the negotiator's scope: the test checks no filtering")
	}
	rec = w.do(t, auth.Collector, "GET", "/plans", "")
	wantStatus(t, rec, http.StatusForbidden, "plans as a collector")
	rec = w.do(t, auth.Collector, "GET", "/workbench", "")
	if strings.Contains(rec.Body.String(), `id="nav-plans"`) {
		t.Error("a collector's navigation links to the plans page")
	}
}
