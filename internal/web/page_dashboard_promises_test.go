package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// TestDashboard_PromiseKeptRate seeds judged promises credited to one
// collector of a team, due this month (one kept, one partly kept, one
// broken), and others that do not count (still open, cancelled, due last
// month), and reads the dashboard: the collector's and the team's
// promise-kept rate move by 1 kept of 3 judged, shown as a percentage with
// the counts.
func TestDashboard_PromiseKeptRate(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	ctx := context.Background()
	var col sqlstore.Collector
	var caseID, borrowerID int64
	err := w.svc.Store().Read(ctx, func(tx *sqlstore.Tx) error {
		cols, err := tx.Collectors(ctx, sqlstore.CollectorFilter{})
		if err != nil {
			return err
		}
		for _, c := range cols {
			if c.TeamID != 0 {
				col = c
				break
			}
		}
		cases, _, err := tx.Cases(ctx, sqlstore.CaseFilter{Limit: 1})
		if err != nil || len(cases) == 0 {
			return fmt.Errorf("a case: %d, %v", len(cases), err)
		}
		caseID, borrowerID = cases[0].ID, cases[0].BorrowerID
		return nil
	})
	if err != nil || col.ID == 0 {
		t.Fatalf("a collector in a team: %+v, %v", col, err)
	}
	cell := regexp.MustCompile(`<td class="num promise-rate">([^<]*) <small>\((\d+)/(\d+)\)</small></td>`)
	rates := func() (colKept, colJudged, teamKept, teamJudged int, colText, teamText string) {
		t.Helper()
		rec := w.do(t, auth.Supervisor, "GET", "/dashboard", "")
		wantStatus(t, rec, http.StatusOK, "dashboard")
		body := rec.Body.String()
		find := func(table, first string) (int, int, string) {
			tb := regexp.MustCompile(`(?s)<table class="grid" id="` + table + `">.*?</table>`).FindString(body)
			for _, tr := range strings.Split(tb, "<tr>") {
				if strings.HasPrefix(tr, "<td>"+first+"</td>") {
					m := cell.FindStringSubmatch(tr)
					if m == nil {
						t.Fatalf("%s row %s has no promise-kept cell: %s", table, first, tr)
					}
					k, _ := strconv.Atoi(m[2])
					j, _ := strconv.Atoi(m[3])
					return k, j, m[1]
				}
			}
			t.Fatalf("%s: no row %q", table, first)
			return 0, 0, ""
		}
		colKept, colJudged, colText = find("collector-table", col.Name)
		teamKept, teamJudged, teamText = find("team-table", col.Team)
		return
	}
	ck0, cj0, tk0, tj0, _, _ := rates()

	today := w.svc.Today()
	first := today.AddDays(1 - dayOf(today))
	seed := []struct {
		due    int // days after the 1st of this month; negative: last month
		status promise.Status
	}{{0, promise.Kept}, {0, promise.PartlyKept}, {dayOf(today) - 1, promise.Broken},
		{0, promise.Open}, {0, promise.Cancelled}, {-3, promise.Kept}}
	err = w.svc.Store().InTx(ctx, func(tx *sqlstore.Tx) error {
		for _, s := range seed {
			p := promise.Promise{CaseID: caseID, BorrowerID: borrowerID, Amount: money.Yuan(500), Due: first.AddDays(s.due),
				Channel: "call", TakenBy: col.Name, CollectorID: col.ID, TeamID: col.TeamID, MadeOn: first.AddDays(-5),
				MadeAt: time.Date(2026, 2, 20, 2, 0, 0, 0, time.UTC), Status: s.status}
			if err := tx.CreatePromise(ctx, &p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ck, cj, tk, tj, ctext, ttext := rates()
	if ck != ck0+1 || cj != cj0+3 {
		t.Errorf("collector %s: %d kept of %d judged, want %d of %d", col.Name, ck, cj, ck0+1, cj0+3)
	}
	if tk != tk0+1 || tj != tj0+3 {
		t.Errorf("team %s: %d kept of %d judged, want %d of %d", col.Team, tk, tj, tk0+1, tj0+3)
	}
	if want := fmt.Sprintf("%.1f%%", 100*float64(ck)/float64(cj)); ctext != want {
		t.Errorf("collector's rate shows %q, want %q", ctext, want)
	}
	if want := fmt.Sprintf("%.1f%%", 100*float64(tk)/float64(tj)); ttext != want {
		t.Errorf("team's rate shows %q, want %q", ttext, want)
	}
}

func dayOf(d date.Date) int {
	_, _, day := d.Parts()
	return day
}
