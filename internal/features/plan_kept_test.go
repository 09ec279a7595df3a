package features

import (
	"math"
	"testing"
)

// TestPlanKept: a plan is kept unless it broke within its first 90 days,
// known only once the 90 days have passed (or it broke).
func TestPlanKept(t *testing.T) {
	t.Parallel()
	start := day("2026-01-10")
	tests := []struct {
		name        string
		broken      string
		on          string
		kept, known bool
	}{
		{"never broken, 90 days passed", "", "2026-04-10", true, true},
		{"never broken, day 89", "", "2026-04-09", true, false},
		{"broken on day 89", "2026-04-09", "2026-04-09", false, true},
		{"broken on day 90 counts as kept", "2026-04-10", "2026-05-01", true, true},
		{"broken later than read: not yet known", "2026-02-01", "2026-01-20", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := PlanTerms{Start: start}
			if tt.broken != "" {
				p.BrokenOn = day(tt.broken)
			}
			kept, known := p.KeptOn(day(tt.on))
			if kept != tt.kept || known != tt.known {
				t.Errorf("KeptOn = %v, %v; want %v, %v", kept, known, tt.kept, tt.known)
			}
		})
	}
	if PlanKept.Eligible(Vector{}) {
		t.Error("a borrower vector is eligible for plan90")
	}
	if _, err := ParseTarget("target", "plan90"); err != nil {
		t.Error(err)
	}
}

// TestPlanRows: one row per matured plan in the window, its features as of
// the day before the plan started (nothing from the plan or after it), its
// burden the plan's largest payment over income.
func TestPlanRows(t *testing.T) {
	t.Parallel()
	l := newLoan(t, 1, day("2025-10-01"))
	f := &Facts{BorrowerID: 7, MonthlyIncome: 5_000_00, Loans: []Loan{l}}
	plans := []PlanTerms{
		{Start: day("2026-01-10"), MaxPayment: 2_000_00, BrokenOn: day("2026-02-20")}, // broken: not kept
		{Start: day("2026-02-01"), MaxPayment: 1_000_00},                              // kept
		{Start: day("2026-03-20"), MaxPayment: 1_000_00},                              // not matured by asOf
		{Start: day("2025-12-01"), MaxPayment: 1_000_00},                              // before the window
	}
	f.Plans = []Plan{{Start: day("2026-01-10"), BrokenOn: day("2026-02-20")}, {Start: day("2026-02-01")}}
	rows := PlanRows(f, plans, day("2026-01-01"), day("2026-03-31"), day("2026-07-01"))
	if len(rows) != 3 {
		t.Fatalf("%d rows, want the 3 plans started in the window", len(rows))
	}
	rows = PlanRows(f, plans, day("2026-01-01"), day("2026-03-31"), day("2026-05-10"))
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2 matured by 05-10", len(rows))
	}
	if rows[0].Y || !rows[1].Y || rows[0].AsOf != day("2026-01-09") || rows[0].BorrowerID != 7 {
		t.Errorf("rows = %+v", rows)
	}
	if got := rows[0].V.Num[InstToIncome]; got != 0.4 {
		t.Errorf("burden = %v, want 2,000 / 5,000", got)
	}
	if rows[0].V.Num[Plans] != 0 || rows[1].V.Num[Plans] != 1 || rows[1].V.Num[PlanActive] != 1 {
		t.Errorf("plan features: first row %v plans, second %v plans (active %v); want 0 and 1 (active)",
			rows[0].V.Num[Plans], rows[1].V.Num[Plans], rows[1].V.Num[PlanActive])
	}
	if v := PlanVector(&Facts{Loans: []Loan{l}}, day("2026-01-09"), 1_000_00, 0); !math.IsNaN(v.Num[InstToIncome]) {
		t.Errorf("burden without any income = %v, want missing", v.Num[InstToIncome])
	}
	if v := PlanVector(f, day("2026-01-09"), 1_000_00, 2_000_00); v.Num[InstToIncome] != 0.5 {
		t.Errorf("burden with the assessed income = %v, want 0.5", v.Num[InstToIncome])
	}
}
