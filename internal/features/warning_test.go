package features

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"accord/internal/ledger"
	"accord/internal/money"
)

// habit returns a 12-month loan paid on each due date plus late days
// through channel for the first n installments.
func habit(t *testing.T, n int, late []int, amount func(i int, due ledger.Installment) int64, channel func(i int) string) *Facts {
	l := newLoan(t, 1, day("2025-06-15")) // due 07-15 …
	for i := range n {
		in := l.Schedule[i]
		a := in.Total() + 20_00 // a little over, so that a day late never leaves penalty unpaid
		if amount != nil {
			a = money.Amount(amount(i, in))
		}
		l.Payments = append(l.Payments, ledger.Payment{ID: int64(i + 1), LoanID: 1, Amount: a, PaidOn: in.DueDate.AddDays(late[i]),
			Channel: channel(i)})
	}
	return &Facts{Loans: []Loan{l}}
}

func codes(ws []Warning) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.Code)
	}
	return out
}

func TestDetect(t *testing.T) {
	t.Parallel()
	app := func(int) string { return "app" }
	onTime := []int{0, 0, 1, 0, 0, 0}
	// Six installments paid (07-15 … 12-15); as of 2025-12-31 nothing is overdue.
	asOf := day("2025-12-31")
	tests := []struct {
		name string
		f    *Facts
		want []string
	}{
		{"a steady payer", habit(t, 6, onTime, nil, app), []string{}},
		{"paying later", habit(t, 6, []int{0, 1, 0, 0, 9, 10}, nil, app), []string{WarnPaymentDrift}},
		{"paying less", habit(t, 6, onTime, func(i int, in ledger.Installment) int64 {
			if i == 5 {
				return int64(in.Total()) // still covers what is due: the credit of earlier payments pays the rest
			}
			return 2 * int64(in.Total())
		}, app), []string{WarnShrinking}},
		{"a new channel", habit(t, 6, onTime, nil, func(i int) string {
			if i == 5 {
				return "counter"
			}
			return "app"
		}), []string{WarnChannelChange}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := codes(Detect(tt.f, asOf))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Detect = %v, want %v", got, tt.want)
			}
		})
	}
	f := habit(t, 6, onTime, nil, app)
	for _, c := range []struct {
		on  string
		rpc bool
	}{{"2025-09-10", true}, {"2025-10-10", true}, {"2025-11-10", false}, {"2025-12-10", false}, {"2025-12-20", false}, {"2025-12-28", false}} {
		f.Contacts = append(f.Contacts, Contact{On: day(c.on), Channel: "call", Party: "borrower", Connected: c.rpc})
	}
	ws := Detect(f, asOf)
	if got := codes(ws); !reflect.DeepEqual(got, []string{WarnContactAvoidance}) || ws[0].ZH == "" || ws[0].EN == "" {
		t.Errorf("a borrower who stopped answering: %v %+v", got, ws)
	}
	late := habit(t, 6, onTime, nil, app)
	if ws := Detect(late, day("2026-01-20")); len(ws) != 0 { // 01-15 unpaid: 5 DPD, already a case
		t.Errorf("a delinquent borrower got warnings %v", codes(ws))
	}
}

// TestDetect_NoLookAhead: warnings as of D are the same with or without
// the history after D.
func TestDetect_NoLookAhead(t *testing.T) {
	t.Parallel()
	start := day("2025-01-01")
	fired := 0
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 7))
		f := randomFacts(t, r, start, 500)
		if seed%2 == 0 { // a regular payer whose habits may break
			for i := range f.Loans {
				l := &f.Loans[i]
				l.Payments = nil
				for k, in := range l.Schedule {
					late := r.IntN(3)
					if k > 4 && r.IntN(3) == 0 {
						late = 5 + r.IntN(20)
					}
					l.pay(in.DueDate.AddDays(late), in.Total()*money.Amount(1+r.IntN(2))+50_00)
					l.Payments[len(l.Payments)-1].Channel = []string{"app", "app", "app", "app", "bank"}[r.IntN(5)]
				}
			}
		}
		d := start.AddDays(r.IntN(480))
		full, cut := Detect(f, d), Detect(truncate(f, d), d)
		fired += len(full)
		if !reflect.DeepEqual(full, cut) {
			t.Fatalf("seed %d as of %s: %v with the history after D, %v without", seed, d, codes(full), codes(cut))
		}
	}
	if fired == 0 {
		t.Error("no warning fired on 300 random histories: the property was not exercised")
	}
}
