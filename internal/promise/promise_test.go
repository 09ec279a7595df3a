package promise

import (
	"slices"
	"testing"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
)

var day = date.MustParse("2026-03-02")

func TestPolicy_Validate(t *testing.T) {
	t.Parallel()
	p := DefaultPolicy()
	tests := []struct {
		name   string
		amount money.Amount
		due    date.Date
		owed   money.Amount
		fields []string
	}{
		{"today is fine", 100_00, day, 500_00, nil},
		{"30 days ahead is fine", 500_00, day.AddDays(30), 500_00, nil},
		{"31 days ahead", 100_00, day.AddDays(31), 500_00, []string{"due"}},
		{"yesterday", 100_00, day.AddDays(-1), 500_00, []string{"due"}},
		{"no date", 100_00, 0, 500_00, []string{"due"}},
		{"zero amount", 0, day, 500_00, []string{"amount"}},
		{"more than owed", 500_01, day, 500_00, []string{"amount"}},
		{"owed unknown", 900_00, day, 0, nil},
		{"both wrong", -1, day.AddDays(40), 0, []string{"amount", "due"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.Validate(tt.amount, tt.due, day, tt.owed)
			var got []string
			for _, f := range errs.FieldsOf(err) {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tt.fields) {
				t.Errorf("Validate() fields = %v, want %v (err %v)", got, tt.fields, err)
			}
			if err != nil && errs.CodeOf(err) != errs.Invalid {
				t.Errorf("code = %s, want invalid", errs.CodeOf(err))
			}
		})
	}
}

func TestPolicy_Judge(t *testing.T) {
	t.Parallel()
	share := Policy{MaxDays: 30, ToleranceShare: decimal.MustParse("0.02")}
	none := Policy{MaxDays: 30}
	due := day.AddDays(5)
	tests := []struct {
		name string
		p    Policy
		pr   Promise
		asOf date.Date
		want Status
	}{
		{"before the date, nothing paid", DefaultPolicy(), Promise{Amount: 300_00, Due: due, Status: Open}, day, Open},
		{"on the date, nothing paid", DefaultPolicy(), Promise{Amount: 300_00, Due: due, Status: Open}, due, Open},
		{"kept early", DefaultPolicy(), Promise{Amount: 300_00, Due: due, Paid: 300_00, Status: Open}, day, Kept},
		{"within the ¥1 tolerance", DefaultPolicy(), Promise{Amount: 300_00, Due: due, Paid: 299_00, Status: Open}, due.AddDays(1), Kept},
		{"just outside the tolerance", DefaultPolicy(), Promise{Amount: 300_00, Due: due, Paid: 298_99, Status: Open}, due.AddDays(1), PartlyKept},
		{"no tolerance needs the full amount", none, Promise{Amount: 300_00, Due: due, Paid: 299_99, Status: Open}, due.AddDays(1), PartlyKept},
		{"2% share forgives ¥6 of ¥300", share, Promise{Amount: 300_00, Due: due, Paid: 294_00, Status: Open}, due.AddDays(1), Kept},
		{"2% share, ¥6.01 short", share, Promise{Amount: 300_00, Due: due, Paid: 293_99, Status: Open}, due.AddDays(1), PartlyKept},
		{"day after the date, nothing paid", DefaultPolicy(), Promise{Amount: 300_00, Due: due, Status: Open}, due.AddDays(1), Broken},
		{"cancelled stays cancelled", DefaultPolicy(), Promise{Amount: 300_00, Due: due, Paid: 300_00, Status: Cancelled}, due.AddDays(1), Cancelled},
		{"kept taken back by a reversal, before the date", DefaultPolicy(), Promise{Amount: 300_00, Due: due, Paid: 0, Status: Kept}, day, Open},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Judge(tt.pr, tt.asOf); got != tt.want {
				t.Errorf("Judge() = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestAllocate(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	first := Promise{ID: 7, Amount: 200_00, Due: day.AddDays(3), MadeOn: day, MadeAt: at, Status: Open}
	second := Promise{ID: 3, Amount: 300_00, Due: day.AddDays(10), MadeOn: day, MadeAt: at.Add(time.Hour), Status: Open}
	sameDueLater := Promise{ID: 1, Amount: 100_00, Due: day.AddDays(3), MadeOn: day, MadeAt: at.Add(time.Minute), Status: Open}
	tests := []struct {
		name     string
		ps       []Promise
		amount   money.Amount
		paidOn   date.Date
		want     []Match
		leftover money.Amount
	}{
		{"oldest due first, in any input order", []Promise{second, first}, 150_00, day.AddDays(1), []Match{{7, 150_00}}, 0},
		{"spills into the next", []Promise{second, first}, 250_00, day.AddDays(1), []Match{{7, 200_00}, {3, 50_00}}, 0},
		{"same date: made first goes first", []Promise{sameDueLater, first}, 250_00, day, []Match{{7, 200_00}, {1, 50_00}}, 0},
		{"more than promised is left over", []Promise{first}, 260_00, day, []Match{{7, 200_00}}, 60_00},
		{"partly paid takes only what it lacks", []Promise{withPaid(first, 120_00), second}, 100_00, day.AddDays(2),
			[]Match{{7, 80_00}, {3, 20_00}}, 0},
		{"past the first's date: only the second", []Promise{first, second}, 100_00, day.AddDays(4), []Match{{3, 100_00}}, 0},
		{"before the promise was made: nothing", []Promise{first}, 100_00, day.AddDays(-1), nil, 100_00},
		{"kept and cancelled take nothing", []Promise{withStatus(first, Kept), withStatus(second, Cancelled)}, 100_00, day, nil, 100_00},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, left := Allocate(tt.ps, tt.amount, tt.paidOn)
			if !slices.Equal(got, tt.want) || left != tt.leftover {
				t.Errorf("Allocate() = %v, left %s; want %v, left %s", got, left, tt.want, tt.leftover)
			}
		})
	}
}

// TestAllocate_PartialPaymentsAcrossTwoPromises walks three partial
// payments over two promises and judges both after their dates.
func TestAllocate_PartialPaymentsAcrossTwoPromises(t *testing.T) {
	t.Parallel()
	p := DefaultPolicy()
	ps := []Promise{
		{ID: 1, Amount: 300_00, Due: day.AddDays(5), MadeOn: day, Status: Open},
		{ID: 2, Amount: 400_00, Due: day.AddDays(12), MadeOn: day, Status: Open},
	}
	pay := func(amount money.Amount, on date.Date) {
		ms, _ := Allocate(ps, amount, on)
		for _, m := range ms {
			for i := range ps {
				if ps[i].ID == m.PromiseID {
					ps[i].Paid += m.Amount
					ps[i].Status = p.Judge(ps[i], on)
				}
			}
		}
	}
	pay(100_00, day.AddDays(1))
	pay(150_00, day.AddDays(3))
	if ps[0].Paid != 250_00 || ps[0].Status != Open || ps[1].Paid != 0 {
		t.Fatalf("after two payments: %+v", ps)
	}
	pay(100_00, day.AddDays(5)) // 50 completes the first (kept on its date), 50 to the second
	if ps[0].Paid != 300_00 || ps[0].Status != Kept || ps[1].Paid != 50_00 || ps[1].Status != Open {
		t.Fatalf("after the third payment: %+v", ps)
	}
	if got := p.Judge(ps[1], day.AddDays(13)); got != PartlyKept {
		t.Errorf("second promise after its date = %s, want partly_kept", got)
	}
	if got := p.Judge(ps[1], day.AddDays(12)); got != Open {
		t.Errorf("second promise on its date = %s, want open", got)
	}
}

func TestCounts(t *testing.T) {
	t.Parallel()
	for s, want := range map[Status][2]int{Open: {0, 0}, Kept: {1, 0}, PartlyKept: {0, 1}, Broken: {0, 1}, Cancelled: {0, 0}} {
		if k, b := Counts(s); k != want[0] || b != want[1] {
			t.Errorf("Counts(%s) = %d, %d; want %v", s, k, b, want)
		}
	}
}

func withPaid(p Promise, paid money.Amount) Promise { p.Paid = paid; return p }
func withStatus(p Promise, s Status) Promise        { p.Status = s; return p }
