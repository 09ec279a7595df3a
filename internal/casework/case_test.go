package casework

import (
	"slices"
	"testing"

	"accord/internal/date"
	"accord/internal/ledger"
)

func loan(id int64, dpd int, st ledger.Status) LoanState {
	return LoanState{Position: ledger.Position{LoanID: id, DPD: dpd}, Status: st}
}

func positions(ls ...LoanState) []ledger.Position {
	out := make([]ledger.Position, len(ls))
	for i, l := range ls {
		out[i] = l.Position
	}
	return out
}

func TestShouldOpen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		loans     []LoanState
		threshold int
		want      bool
	}{
		{"all current", []LoanState{loan(1, 0, ledger.Active), loan(2, 0, ledger.Active)}, 1, false},
		{"one day late opens by default", []LoanState{loan(1, 0, ledger.Active), loan(2, 1, ledger.Delinquent)}, 0, true},
		{"below a 3-day threshold", []LoanState{loan(1, 2, ledger.Delinquent)}, 3, false},
		{"at a 3-day threshold", []LoanState{loan(1, 3, ledger.Delinquent)}, 3, true},
		{"no loans", nil, 1, false},
	}
	for _, tt := range tests {
		if got := ShouldOpen(positions(tt.loans...), tt.threshold); got != tt.want {
			t.Errorf("%s: ShouldOpen() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestShouldClose(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		loans  []LoanState
		want   CloseReason
		wantOK bool
	}{
		{"all current again", []LoanState{loan(1, 0, ledger.Active), loan(2, 0, ledger.Restructured)}, Cured, true},
		{"paid off counts as cured", []LoanState{loan(1, 0, ledger.PaidOff), loan(2, 0, ledger.Active)}, Cured, true},
		{"one still late", []LoanState{loan(1, 0, ledger.Active), loan(2, 5, ledger.Delinquent)}, "", false},
		{"settled", []LoanState{loan(1, 40, ledger.Settled), loan(2, 0, ledger.Active)}, Settled, true},
		{"charged off is the worst outcome", []LoanState{loan(1, 200, ledger.ChargedOff), loan(2, 90, ledger.Settled)}, ChargedOff, true},
		{"charged off but another still late", []LoanState{loan(1, 200, ledger.ChargedOff), loan(2, 30, ledger.Delinquent)}, "", false},
		{"empty", nil, "", false},
	}
	for _, tt := range tests {
		got, ok := ShouldClose(tt.loans)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("%s: ShouldClose() = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestCase_Lifecycle(t *testing.T) {
	t.Parallel()
	d1 := date.MustParse("2026-03-01")
	c, ok := OpenCase(7, []LoanState{loan(1, 1, ledger.Delinquent), loan(2, 0, ledger.Active)}, 1, d1)
	if !ok || c.Status != Open || !slices.Equal(c.LoanIDs, []int64{1}) || len(c.Events) != 1 || c.Events[0].Kind != EventOpened {
		t.Fatalf("OpenCase() = %+v, %v", c, ok)
	}
	if _, ok := OpenCase(7, []LoanState{loan(1, 0, ledger.Active)}, 1, d1); ok {
		t.Fatal("OpenCase opened a case with no delinquent loan")
	}

	// Loan 2 falls behind: it joins the case.
	d2 := d1.AddDays(10)
	c2, evs := c.Review([]LoanState{loan(1, 11, ledger.Delinquent), loan(2, 3, ledger.Delinquent)}, d2)
	if c2.Status != Open || !slices.Equal(c2.LoanIDs, []int64{1, 2}) || len(evs) != 1 || evs[0].Kind != EventLoansAdded {
		t.Fatalf("Review (loan added) = %+v, %v", c2, evs)
	}
	if len(c.Events) != 1 || len(c.LoanIDs) != 1 {
		t.Fatal("Review changed the earlier Case value")
	}

	// Loan 1 is cured, loan 2 still late: stays open, no events.
	d3 := d2.AddDays(5)
	c3, evs := c2.Review([]LoanState{loan(1, 0, ledger.Active), loan(2, 8, ledger.Delinquent)}, d3)
	if c3.Status != Open || len(evs) != 0 || len(c3.Events) != 2 {
		t.Fatalf("Review (partly cured) = %+v, %v", c3, evs)
	}

	// A loan of the case is missing: not enough to close.
	if c4, _ := c3.Review([]LoanState{loan(1, 0, ledger.Active)}, d3); c4.Status != Open {
		t.Fatal("Review closed a case with a loan missing")
	}

	// Assignment.
	as := Assignment{CaseID: 1, To: Owner{ToCollector, 42}, Reason: Reason{Code: ReasonNewCase, ZH: "新案件", EN: "New case"}}
	c5, evs := c3.Assign(as, d3)
	if c5.Owner != as.To || c5.OwnerSince != d3 || len(evs) != 1 || evs[0].Code != ReasonNewCase {
		t.Fatalf("Assign = %+v, %v", c5, evs)
	}
	if _, evs := c5.Assign(as, d3.AddDays(1)); len(evs) != 0 {
		t.Error("keeping the owner added an event")
	}

	// All current: cured, with history kept.
	d6 := d3.AddDays(3)
	c6, evs := c5.Review([]LoanState{loan(1, 0, ledger.Active), loan(2, 0, ledger.Active), loan(3, 0, ledger.Active)}, d6)
	if c6.Status != Closed || c6.CloseReason != Cured || c6.ClosedOn != d6 || len(evs) != 1 || evs[0].Code != string(Cured) {
		t.Fatalf("Review (cured) = %+v, %v", c6, evs)
	}
	kinds := []EventKind{}
	for _, e := range c6.Events {
		kinds = append(kinds, e.Kind)
	}
	if want := []EventKind{EventOpened, EventLoansAdded, EventAssigned, EventClosed}; !slices.Equal(kinds, want) {
		t.Errorf("history = %v, want %v", kinds, want)
	}

	// A closed case stays closed.
	if c7, evs := c6.Review([]LoanState{loan(1, 5, ledger.Delinquent)}, d6.AddDays(30)); c7.Status != Closed || evs != nil {
		t.Error("a closed case reopened")
	}
}
