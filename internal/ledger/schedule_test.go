package ledger

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"accord/internal/errs"
	"accord/internal/money"
)

// row is one schedule line in tests: due date, principal, interest.
type row struct {
	due       string
	principal money.Amount
	interest  money.Amount
}

func TestSchedule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		terms Terms
		want  []row
		total money.Amount // total interest
	}{
		{
			// The acceptance example. r = 0.01, (1.01)^12 = 1.126825030131969720661201,
			// payment = 10000 × 0.01 × 1.12682503 / 0.12682503 = 888.4878867 → 888.49.
			// Line 1: interest 10000 × 0.01 = 100.00, principal 788.49.
			// Line 2: interest 9211.51 × 0.01 = 92.1151 → 92.12, principal 796.37.
			// Line 12 repays the remaining 879.67 with 8.7967 → 8.80: 888.47.
			name:  "equal installment 10000 at 12% over 12 months",
			terms: Terms{1_000_000, rate("0.12"), 12, EqualInstallment, day("2026-01-15")},
			want: []row{
				{"2026-02-15", 78849, 10000}, {"2026-03-15", 79637, 9212}, {"2026-04-15", 80434, 8415},
				{"2026-05-15", 81238, 7611}, {"2026-06-15", 82051, 6798}, {"2026-07-15", 82871, 5978},
				{"2026-08-15", 83700, 5149}, {"2026-09-15", 84537, 4312}, {"2026-10-15", 85382, 3467},
				{"2026-11-15", 86236, 2613}, {"2026-12-15", 87098, 1751}, {"2027-01-15", 87967, 880},
			},
			total: 66186,
		},
		{
			// r = 0.07/12 = 0.0058333…, payment = 1700.8577… → 1700.86.
			// Line 1: 10000 × 0.07 / 12 = 58.333 → 58.33, principal 1642.53.
			// Line 2: 8357.47 × 0.07 / 12 = 48.7519 → 48.75, principal 1652.11.
			// Disbursed on Jan 31: due dates clamp to each month's last day.
			name:  "equal installment, month-end clamping",
			terms: Terms{1_000_000, rate("0.07"), 6, EqualInstallment, day("2026-01-31")},
			want: []row{
				{"2026-02-28", 164253, 5833}, {"2026-03-31", 165211, 4875}, {"2026-04-30", 166175, 3911},
				{"2026-05-31", 167144, 2942}, {"2026-06-30", 168119, 1967}, {"2026-07-31", 169098, 986},
			},
			total: 20514,
		},
		{
			// Principal round(10000 / 6) = 1666.67, the last 10000 − 5 × 1666.67 = 1666.65.
			// Interest on 10000, 8333.33, 6666.66, 4999.99, 3333.32, 1666.65 at 0.07/12:
			// 58.333, 48.611, 38.889 (38.8885 rounds up), 29.167, 19.444, 9.722.
			name:  "equal principal",
			terms: Terms{1_000_000, rate("0.07"), 6, EqualPrincipal, day("2026-01-31")},
			want: []row{
				{"2026-02-28", 166667, 5833}, {"2026-03-31", 166667, 4861}, {"2026-04-30", 166667, 3889},
				{"2026-05-31", 166667, 2917}, {"2026-06-30", 166667, 1944}, {"2026-07-31", 166665, 972},
			},
			total: 20416,
		},
		{
			// 12000 at 1% a month: principal 1000, interest 120, 110, 100 …
			name:  "equal principal, round numbers",
			terms: Terms{1_200_000, rate("0.12"), 3, EqualPrincipal, day("2026-01-15")},
			want:  []row{{"2026-02-15", 400000, 12000}, {"2026-03-15", 400000, 8000}, {"2026-04-15", 400000, 4000}},
			total: 24000,
		},
		{
			// 5000 × 0.0365 / 12 = 15.2083 → 15.21 a month. Disbursed 2027-12-31:
			// due 2028-01-31, 2028-02-29 (leap year), 2028-03-31.
			name:  "interest first, leap year",
			terms: Terms{500_000, rate("0.0365"), 3, InterestFirst, day("2027-12-31")},
			want:  []row{{"2028-01-31", 0, 1521}, {"2028-02-29", 0, 1521}, {"2028-03-31", 500_000, 1521}},
			total: 4563,
		},
		{
			// 1002 × 0.07 / 12 = 5.845 exactly, which rounds half up to 5.85. A
			// monthly rate rounded to 19 digits (0.0058333333333333333) would give
			// 5.8449999… → 5.84: the division by 12 must come last.
			name:  "rate divided by 12 last, half up",
			terms: Terms{100_200, rate("0.07"), 1, InterestFirst, day("2026-01-15")},
			want:  []row{{"2026-02-15", 100_200, 585}},
			total: 585,
		},
		{
			name:  "zero rate equal installment: round(1000 / 3), last takes the remainder",
			terms: Terms{100_000, rate("0"), 3, EqualInstallment, day("2026-01-15")},
			want:  []row{{"2026-02-15", 33333, 0}, {"2026-03-15", 33333, 0}, {"2026-04-15", 33334, 0}},
		},
		{
			name:  "zero rate equal principal, half up: 0.05 / 2 = 0.025 → 0.03",
			terms: Terms{5, rate("0"), 2, EqualPrincipal, day("2026-01-15")},
			want:  []row{{"2026-02-15", 3, 0}, {"2026-03-15", 2, 0}},
		},
		{
			name:  "principal never exceeds the balance",
			terms: Terms{3, rate("0"), 6, EqualPrincipal, day("2026-01-15")},
			want: []row{
				{"2026-02-15", 1, 0}, {"2026-03-15", 1, 0}, {"2026-04-15", 1, 0},
				{"2026-05-15", 0, 0}, {"2026-06-15", 0, 0}, {"2026-07-15", 0, 0},
			},
		},
		{
			// 1000 at 100%: r = 1/12, payment = 1000 × (13/12)^1 … one month: 1083.33.
			name:  "one month at the top rate",
			terms: Terms{100_000, rate("1"), 1, EqualInstallment, day("2026-01-15")},
			want:  []row{{"2026-02-15", 100_000, 8333}},
			total: 8333,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Schedule(tt.terms)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]Installment, len(tt.want))
			for i, w := range tt.want {
				want[i] = Installment{Seq: i + 1, DueDate: day(w.due), Principal: w.principal, Interest: w.interest}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Schedule() mismatch (-want +got):\n%s", diff)
			}
			if total := TotalInterest(got); total != tt.total {
				t.Errorf("TotalInterest() = %s, want %s", total, tt.total)
			}
			var principal money.Amount
			for _, in := range got {
				principal += in.Principal
			}
			if principal != tt.terms.Principal {
				t.Errorf("principal sums to %s, want %s", principal, tt.terms.Principal)
			}
		})
	}
}

func TestSchedule_Acceptance(t *testing.T) {
	t.Parallel()
	got, err := Schedule(Terms{yuan(t, "10000.00"), rate("0.12"), 12, EqualInstallment, day("2026-01-15")})
	if err != nil {
		t.Fatal(err)
	}
	first := got[0]
	if first.Seq != 1 || first.DueDate.String() != "2026-02-15" || first.Principal.String() != "788.49" ||
		first.Interest.String() != "100.00" || first.Total().String() != "888.49" {
		t.Errorf("first line = %d %s %s %s %s", first.Seq, first.DueDate, first.Principal, first.Interest, first.Total())
	}
	if total := TotalInterest(got).String(); total != "661.86" {
		t.Errorf("total interest = %s, want 661.86", total)
	}
}

func TestSchedule_Invalid(t *testing.T) {
	t.Parallel()
	ok := Terms{1_000_000, rate("0.12"), 12, EqualInstallment, day("2026-01-15")}
	tests := []struct {
		name   string
		edit   func(*Terms)
		fields []string
	}{
		{"zero principal", func(t *Terms) { t.Principal = 0 }, []string{"principal"}},
		{"negative rate", func(t *Terms) { t.AnnualRate = rate("-0.01") }, []string{"annual_rate"}},
		{"rate above 1", func(t *Terms) { t.AnnualRate = rate("1.0001") }, []string{"annual_rate"}},
		{"no months", func(t *Terms) { t.Months = 0 }, []string{"months"}},
		{"too many months", func(t *Terms) { t.Months = 361 }, []string{"months"}},
		{"unknown method", func(t *Terms) { t.Method = "balloon" }, []string{"method"}},
		{"no disbursement date", func(t *Terms) { t.DisbursedOn = 0 }, []string{"disbursed_on"}},
		{"everything", func(t *Terms) { *t = Terms{} }, []string{"principal", "months", "method", "disbursed_on"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			terms := ok
			tt.edit(&terms)
			_, err := Schedule(terms)
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("Schedule() error = %v, want Invalid", err)
			}
			var e *errs.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *errs.Error", err)
			}
			var got []string
			for _, f := range errs.FieldsOf(err) {
				got = append(got, f.Field)
				if f.Message == "" {
					t.Errorf("field %s has no message", f.Field)
				}
			}
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	for _, rt := range []string{"0", "1", "0.24"} {
		terms := ok
		terms.AnnualRate = rate(rt)
		if _, err := Schedule(terms); err != nil {
			t.Errorf("rate %s: %v", rt, err)
		}
	}
}

func TestSchedule_LongTerm(t *testing.T) {
	t.Parallel()
	for _, m := range []Method{EqualInstallment, EqualPrincipal, InterestFirst} {
		got, err := Schedule(Terms{100_000_000, rate("0.0499"), MaxMonths, m, day("2026-01-31")})
		if err != nil {
			t.Fatal(err)
		}
		var principal money.Amount
		for _, in := range got {
			if in.Principal < 0 || in.Interest < 0 {
				t.Fatalf("%s: negative line %+v", m, in)
			}
			principal += in.Principal
		}
		if principal != 100_000_000 || got[MaxMonths-1].DueDate != day("2056-01-31") {
			t.Errorf("%s: principal %s, last due %s", m, principal, got[MaxMonths-1].DueDate)
		}
		if m != EqualInstallment {
			continue
		}
		// Checked against exact rational arithmetic: payment
		// 1000000 × r(1+r)^360 / ((1+r)^360 − 1) with r = 0.0499/12 is
		// 5362.1063… → 5362.11; interest on the first line 4158.333 → 4158.33.
		first, last := got[0], got[MaxMonths-1]
		if first.Principal != 120_378 || first.Interest != 415_833 || last.Principal != 533_698 ||
			last.Interest != 2219 || TotalInterest(got) != 93_035_666 {
			t.Errorf("first %+v, last %+v, total interest %s", first, last, TotalInterest(got))
		}
	}
}
