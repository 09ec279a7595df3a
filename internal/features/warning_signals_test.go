package features

import (
	"slices"
	"testing"
)

// TestDetectSignals: failed auto-debits and phone changes warn a current
// borrower, late plan instalments any borrower with a plan; each explains
// itself, and nothing dated after the day is read.
func TestDetectSignals(t *testing.T) {
	t.Parallel()
	d := day("2026-03-20")
	current := func() *Facts { // a loan paid on time: current on d
		l := newLoan(t, 1, day("2025-12-10"))
		for _, in := range l.Schedule {
			if !in.DueDate.After(d) {
				l.pay(in.DueDate, in.Total())
			}
		}
		return &Facts{Loans: []Loan{l}}
	}
	late := &Facts{Loans: []Loan{newLoan(t, 1, day("2025-12-10"))}} // never paid: delinquent
	fail := func(on string) Attempt {
		return Attempt{On: day(on), Channel: "withholding", Failed: true, Amount: 1_065_62, Reason: "余额不足"}
	}
	tests := []struct {
		name string
		f    *Facts
		s    Signals
		want []string
	}{
		{"failed debit", current(), Signals{Attempts: []Attempt{fail("2026-03-15")}}, []string{WarnFailedDebit}},
		{"failed debit then success", current(), Signals{Attempts: []Attempt{fail("2026-03-15"),
			{On: day("2026-03-17"), Channel: "withholding", Amount: 1_065_62}}}, nil},
		{"failed debit 10 days ago", current(), Signals{Attempts: []Attempt{fail("2026-03-10")}}, nil},
		{"failed debit after d", current(), Signals{Attempts: []Attempt{fail("2026-03-21")}}, nil},
		{"failed transfer is not an auto-debit", current(), Signals{Attempts: []Attempt{{On: day("2026-03-18"), Channel: "app", Failed: true}}}, nil},
		{"delinquent borrower: already a case", late, Signals{Attempts: []Attempt{fail("2026-03-15")}}, nil},
		{"phone replaced", current(), Signals{ContactChanges: []ContactChange{{On: day("2026-03-01"), Kind: "phone", Added: 1, Removed: 1}}}, []string{WarnContactChange}},
		{"moved: address replaced", current(), Signals{ContactChanges: []ContactChange{{On: day("2026-03-19"), Kind: "address", Added: 1, Removed: 1}}}, []string{WarnContactChange}},
		{"phone added only", current(), Signals{ContactChanges: []ContactChange{{On: day("2026-03-01"), Added: 1}}}, nil},
		{"phone changed 30 days ago", current(), Signals{ContactChanges: []ContactChange{{On: day("2026-02-18"), Removed: 1}}}, nil},
		{"phone changed after d", current(), Signals{ContactChanges: []ContactChange{{On: day("2026-03-21"), Removed: 1}}}, nil},
		{"plan instalment 3 days late", late, Signals{PlanInstalments: []PlanInstalment{
			{Due: day("2026-02-17"), Amount: 500_00, PaidOn: day("2026-02-17")}, {Due: day("2026-03-17"), Amount: 500_00}}},
			[]string{WarnPlanLate}},
		{"plan instalment 2 days late", late, Signals{PlanInstalments: []PlanInstalment{{Due: day("2026-03-18"), Amount: 500_00}}}, nil},
		{"plan instalment paid after d is unpaid on d", current(), Signals{PlanInstalments: []PlanInstalment{
			{Due: day("2026-03-10"), Amount: 500_00, PaidOn: day("2026-03-25")}}}, []string{WarnPlanLate}},
		{"plan instalment paid", current(), Signals{PlanInstalments: []PlanInstalment{
			{Due: day("2026-03-10"), Amount: 500_00, PaidOn: day("2026-03-12")}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, w := range DetectSignals(tt.f, &tt.s, d) {
				got = append(got, w.Code)
				if w.ZH == "" || w.EN == "" || len(w.Evidence) < 2 {
					t.Errorf("warning without its explanation: %+v", w)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("DetectSignals = %v, want %v", got, tt.want)
			}
		})
	}
}
