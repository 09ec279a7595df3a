package ledger

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

// loanA is 12000.00 at 12% over 12 months, equal principal, disbursed
// 2026-01-15: installment k repays 1000.00 of principal and 120.00 −
// 10.00·(k−1) of interest on the 15th. Penalty 0.05% a day (0.50 a day on a
// whole 1000.00) and a 50.00 late fee. The 24% cap allows 12000 × 0.24 / 365
// = 7.89 a day while all principal is outstanding, far above its charges.
func loanA() Loan {
	return Loan{
		ID: 1, Principal: 1_200_000, AnnualRate: rate("0.12"), TermMonths: 12, Method: EqualPrincipal,
		DisbursedOn: day("2026-01-15"), PenaltyRateDaily: rate("0.0005"), LateFee: 5000, Status: Active,
	}
}

// replayCase is one Replay scenario: the position and allocations wanted,
// with each installment summarised by inst (only the first len(inst) are
// checked).
type replayCase struct {
	name   string
	loan   Loan
	pol    Policy
	pays   []Payment
	asOf   string
	want   Position // LoanID and AsOf are filled in; Installments are checked through inst
	inst   []string
	allocs []Allocation
}

// inst summarises an installment state: seq, state, DPD, principal+interest
// paid, penalty accrued/paid, late fee charged/paid and paid-off date.
func inst(s InstallmentState) string {
	return fmt.Sprintf("%d %s dpd=%d paid=%s+%s pen=%s/%s fee=%s/%s off=%s", s.Seq, s.State, s.DPD,
		s.PaidPrincipal, s.PaidInterest, s.PenaltyAccrued, s.PenaltyPaid, s.FeeCharged, s.FeePaid, s.PaidOffOn)
}

func runReplay(t *testing.T, tests []replayCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pol := tt.pol
			if pol.Waterfall == nil {
				pol = DefaultPolicy()
			}
			asOf := day(tt.asOf)
			got, allocs := Replay(tt.loan, mustSchedule(t, tt.loan), tt.pays, pol, asOf)
			want := tt.want
			want.LoanID, want.AsOf = tt.loan.ID, asOf
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Position{}, "Installments")); diff != "" {
				t.Errorf("position (-want +got):\n%s", diff)
			}
			var gotInst []string
			for _, s := range got.Installments[:min(len(tt.inst), len(got.Installments))] {
				gotInst = append(gotInst, inst(s))
			}
			if diff := cmp.Diff(tt.inst, gotInst, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("installments (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.allocs, allocs, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("allocations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReplay_OnTime(t *testing.T) {
	t.Parallel()
	runReplay(t, []replayCase{
		{
			name: "payment on the due date is on time",
			loan: loanA(), pays: []Payment{pay(1, "2026-02-15", 112_000)}, asOf: "2026-02-20",
			want: Position{NextDue: day("2026-03-15"), OutstandingPrincipal: 1_100_000, PaidInstallments: 1},
			inst: []string{
				"1 paid dpd=0 paid=1000.00+120.00 pen=0.00/0.00 fee=0.00/0.00 off=2026-02-15",
				"2 upcoming dpd=0 paid=0.00+0.00 pen=0.00/0.00 fee=0.00/0.00 off=",
			},
			allocs: []Allocation{line(1, 1, Interest, 12_000), line(1, 1, Principal, 100_000)},
		},
		{
			name: "due today and unpaid is not overdue",
			loan: loanA(), asOf: "2026-02-15",
			want: Position{NextDue: day("2026-02-15"), OutstandingPrincipal: 1_200_000},
			inst: []string{"1 due dpd=0 paid=0.00+0.00 pen=0.00/0.00 fee=0.00/0.00 off="},
		},
		{
			// One day late: the fee is charged and 1000 × 0.0005 × 1 = 0.50 accrues.
			name: "one day late",
			loan: loanA(), asOf: "2026-02-16",
			want: Position{
				DPD: 1, OldestUnpaidDue: day("2026-02-15"), NextDue: day("2026-02-15"),
				OutstandingPrincipal: 1_200_000, OverduePrincipal: 100_000, OverdueInterest: 12_000,
				PenaltyDue: 50, FeesDue: 5000, PenaltyAccrued: 50, OverdueInstallments: 1,
			},
			inst: []string{"1 overdue dpd=1 paid=0.00+0.00 pen=0.50/0.00 fee=50.00/0.00 off="},
		},
		{
			name: "a reversed payment is ignored",
			loan: loanA(), asOf: "2026-02-16",
			pays: []Payment{{ID: 1, Amount: 112_000, PaidOn: day("2026-02-15"), Reversed: true}},
			want: Position{
				DPD: 1, OldestUnpaidDue: day("2026-02-15"), NextDue: day("2026-02-15"),
				OutstandingPrincipal: 1_200_000, OverduePrincipal: 100_000, OverdueInterest: 12_000,
				PenaltyDue: 50, FeesDue: 5000, PenaltyAccrued: 50, OverdueInstallments: 1,
			},
			inst: []string{"1 overdue dpd=1 paid=0.00+0.00 pen=0.50/0.00 fee=50.00/0.00 off="},
		},
		{
			name: "a payment after the as-of date is ignored",
			loan: loanA(), asOf: "2026-02-15", pays: []Payment{pay(1, "2026-02-16", 112_000)},
			want: Position{NextDue: day("2026-02-15"), OutstandingPrincipal: 1_200_000},
			inst: []string{"1 due dpd=0 paid=0.00+0.00 pen=0.00/0.00 fee=0.00/0.00 off="},
		},
		{
			// Applied in (PaidOn, ID) order whatever the input order: payment 3
			// pays interest 120 and principal 480, payment 7 the other 520 and
			// leaves 80 as credit.
			name: "same-day payments in id order",
			loan: loanA(), asOf: "2026-02-15",
			pays: []Payment{pay(7, "2026-02-15", 60_000), pay(3, "2026-02-15", 60_000)},
			want: Position{NextDue: day("2026-03-15"), OutstandingPrincipal: 1_100_000, Credit: 8000, PaidInstallments: 1},
			inst: []string{"1 paid dpd=0 paid=1000.00+120.00 pen=0.00/0.00 fee=0.00/0.00 off=2026-02-15"},
			allocs: []Allocation{
				line(3, 1, Interest, 12_000), line(3, 1, Principal, 48_000),
				line(7, 1, Principal, 52_000), line(7, 0, Credit, 8000),
			},
		},
	})
}

func TestReplay_Allocation(t *testing.T) {
	t.Parallel()
	runReplay(t, []replayCase{
		{
			// On 03-20, 1200.00 arrives with two installments overdue.
			// #1: penalty 02-16..03-20 = 33 days × 0.50 = 16.50, fee 50, interest
			// 120, principal 1000: 1186.50. #2: penalty 03-16..03-20 = 5 × 0.50 =
			// 2.50, then 11.00 of its 50.00 fee. Installment-major: #1 is cured
			// (a component-major waterfall would have left its principal unpaid).
			// Cap: 12000 × 64 days × 0.24 / 365 = 504.99, less interest due 230
			// = 274.99, far above 119.00 of charges.
			name: "installment-major waterfall",
			loan: loanA(), asOf: "2026-03-20", pays: []Payment{pay(1, "2026-03-20", 120_000)},
			want: Position{
				DPD: 5, OldestUnpaidDue: day("2026-03-15"), NextDue: day("2026-03-15"),
				OutstandingPrincipal: 1_100_000, OverduePrincipal: 100_000, OverdueInterest: 11_000,
				FeesDue: 3900, PenaltyAccrued: 1900, OverdueInstallments: 1, PaidInstallments: 1,
			},
			inst: []string{
				"1 paid dpd=0 paid=1000.00+120.00 pen=16.50/16.50 fee=50.00/50.00 off=2026-03-20",
				"2 overdue dpd=5 paid=0.00+0.00 pen=2.50/2.50 fee=50.00/11.00 off=",
			},
			allocs: []Allocation{
				line(1, 1, Penalty, 1650), line(1, 1, LateFee, 5000), line(1, 1, Interest, 12_000),
				line(1, 1, Principal, 100_000), line(1, 2, Penalty, 250), line(1, 2, LateFee, 1100),
			},
		},
		{
			// 500.00 on 03-01: penalty 02-16..03-01 = 14 × 0.50 = 7.00, fee 50,
			// interest 120, principal 323. Still overdue with 677.00 unpaid; from
			// 03-02 to 03-10 it accrues 677 × 0.0005 × 9 = 3.0465 → 3.05.
			name: "partial payment does not cure",
			loan: loanA(), asOf: "2026-03-10", pays: []Payment{pay(1, "2026-03-01", 50_000)},
			want: Position{
				DPD: 23, OldestUnpaidDue: day("2026-02-15"), NextDue: day("2026-02-15"),
				OutstandingPrincipal: 1_167_700, OverduePrincipal: 67_700,
				PenaltyDue: 305, PenaltyAccrued: 1005, OverdueInstallments: 1,
			},
			inst: []string{"1 overdue dpd=23 paid=323.00+120.00 pen=10.05/7.00 fee=50.00/50.00 off="},
			allocs: []Allocation{
				line(1, 1, Penalty, 700), line(1, 1, LateFee, 5000), line(1, 1, Interest, 12_000), line(1, 1, Principal, 32_300),
			},
		},
		{
			// Principal and interest first, then the rest in default order.
			name: "policy waterfall",
			loan: loanA(), asOf: "2026-03-01", pays: []Payment{pay(1, "2026-03-01", 50_000)},
			pol: Policy{Waterfall: Waterfall{Principal, Interest, Credit}},
			want: Position{
				DPD: 14, OldestUnpaidDue: day("2026-02-15"), NextDue: day("2026-02-15"),
				OutstandingPrincipal: 1_150_000, OverduePrincipal: 50_000, OverdueInterest: 12_000,
				PenaltyDue: 700, FeesDue: 5000, PenaltyAccrued: 700, OverdueInstallments: 1,
			},
			inst:   []string{"1 overdue dpd=14 paid=500.00+0.00 pen=7.00/0.00 fee=50.00/0.00 off="},
			allocs: []Allocation{line(1, 1, Principal, 50_000)},
		},
	})
}

func TestReplay_Credit(t *testing.T) {
	t.Parallel()
	overpaid := []Payment{pay(1, "2026-02-15", 200_000)}
	firstLines := []Allocation{line(1, 1, Interest, 12_000), line(1, 1, Principal, 100_000), line(1, 0, Credit, 88_000)}
	runReplay(t, []replayCase{
		{
			name: "overpayment is kept as credit",
			loan: loanA(), asOf: "2026-02-20", pays: overpaid,
			want:   Position{NextDue: day("2026-03-15"), OutstandingPrincipal: 1_100_000, Credit: 88_000, PaidInstallments: 1},
			inst:   []string{"1 paid dpd=0 paid=1000.00+120.00 pen=0.00/0.00 fee=0.00/0.00 off=2026-02-15"},
			allocs: firstLines,
		},
		{
			// On 03-15 the 880.00 of credit pays #2's interest 110 and 770 of
			// principal (payment id 0); 230.00 is still due that day.
			name: "credit is applied on the next due date",
			loan: loanA(), asOf: "2026-03-15", pays: overpaid,
			want: Position{NextDue: day("2026-03-15"), OutstandingPrincipal: 1_023_000, PaidInstallments: 1},
			inst: []string{
				"1 paid dpd=0 paid=1000.00+120.00 pen=0.00/0.00 fee=0.00/0.00 off=2026-02-15",
				"2 due dpd=0 paid=770.00+110.00 pen=0.00/0.00 fee=0.00/0.00 off=",
			},
			allocs: append(firstLines[:3:3], line(0, 2, Interest, 11_000), line(0, 2, Principal, 77_000)),
		},
		{
			// The 230.00 left is overdue the next day: fee 50 and 230 × 0.0005
			// = 0.115 → 0.12 of penalty.
			name: "what credit does not cover becomes overdue",
			loan: loanA(), asOf: "2026-03-16", pays: overpaid,
			want: Position{
				DPD: 1, OldestUnpaidDue: day("2026-03-15"), NextDue: day("2026-03-15"),
				OutstandingPrincipal: 1_023_000, OverduePrincipal: 23_000,
				PenaltyDue: 12, FeesDue: 5000, PenaltyAccrued: 12, OverdueInstallments: 1, PaidInstallments: 1,
			},
			inst: []string{
				"1 paid dpd=0 paid=1000.00+120.00 pen=0.00/0.00 fee=0.00/0.00 off=2026-02-15",
				"2 overdue dpd=1 paid=770.00+110.00 pen=0.12/0.00 fee=50.00/0.00 off=",
			},
			allocs: append(firstLines[:3:3], line(0, 2, Interest, 11_000), line(0, 2, Principal, 77_000)),
		},
		{
			name: "payment before anything is due waits as credit",
			loan: loanA(), asOf: "2026-02-15", pays: []Payment{pay(1, "2026-02-10", 150_000)},
			want: Position{NextDue: day("2026-03-15"), OutstandingPrincipal: 1_100_000, Credit: 38_000, PaidInstallments: 1},
			inst: []string{"1 paid dpd=0 paid=1000.00+120.00 pen=0.00/0.00 fee=0.00/0.00 off=2026-02-15"},
			allocs: []Allocation{
				line(1, 0, Credit, 150_000), line(0, 1, Interest, 12_000), line(0, 1, Principal, 100_000),
			},
		},
	})
}

func TestReplay_Penalty(t *testing.T) {
	t.Parallel()
	runReplay(t, []replayCase{
		{
			// #1 has three stretches of unpaid principal:
			//   02-16..03-01 14 days × 1000.00 × 0.0005 = 7.00 (paid on 03-01 with
			//     fee 50, interest 120 and principal 323 out of 500)
			//   03-02..03-10  9 days ×  677.00 × 0.0005 = 3.0465 → 3.05 (paid on
			//     03-10 out of 100.00, with principal 96.95)
			//   03-11..03-20 10 days ×  580.05 × 0.0005 = 2.90025 → 2.90
			// 12.95 in all (rounding day by day would give 7.00 + 9 × 0.34 +
			// 10 × 0.29 = 12.96). #2 is 5 days late: 2.50.
			// Cap: Σ principal·days = 12000 × 45 + 11677 × 9 + 11580.05 × 10 =
			// 760893.50; × 0.24 / 365 = 500.31, less interest due 230 and 60.05
			// paid: 210.26, above the 55.40 unpaid.
			name: "penalty by stretches",
			loan: loanA(), asOf: "2026-03-20",
			pays: []Payment{pay(1, "2026-03-01", 50_000), pay(2, "2026-03-10", 10_000)},
			want: Position{
				DPD: 33, OldestUnpaidDue: day("2026-02-15"), NextDue: day("2026-02-15"),
				OutstandingPrincipal: 1_158_005, OverduePrincipal: 158_005, OverdueInterest: 11_000,
				PenaltyDue: 540, FeesDue: 5000, PenaltyAccrued: 1545, OverdueInstallments: 2,
			},
			inst: []string{
				"1 overdue dpd=33 paid=419.95+120.00 pen=12.95/10.05 fee=50.00/50.00 off=",
				"2 overdue dpd=5 paid=0.00+0.00 pen=2.50/0.00 fee=50.00/0.00 off=",
			},
			allocs: []Allocation{
				line(1, 1, Penalty, 700), line(1, 1, LateFee, 5000), line(1, 1, Interest, 12_000), line(1, 1, Principal, 32_300),
				line(2, 1, Penalty, 305), line(2, 1, Principal, 9695),
			},
		},
		{
			// Three installments missed by 05-01: one 50.00 fee each, however
			// long they stay unpaid. Penalty: #1 75 days × 0.50 = 37.50, #2 47
			// days = 23.50, #3 16 days = 8.00; 69.00.
			// Cap not binding: 12000 × 106 days × 0.24 / 365 = 836.38, less
			// interest due 330 = 506.38 ≥ 219.00.
			name: "late fee once per installment, cap not binding",
			loan: loanA(), asOf: "2026-05-01",
			want: Position{
				DPD: 75, OldestUnpaidDue: day("2026-02-15"), NextDue: day("2026-02-15"),
				OutstandingPrincipal: 1_200_000, OverduePrincipal: 300_000, OverdueInterest: 33_000,
				PenaltyDue: 6900, FeesDue: 15_000, PenaltyAccrued: 6900, OverdueInstallments: 3,
			},
			inst: []string{
				"1 overdue dpd=75 paid=0.00+0.00 pen=37.50/0.00 fee=50.00/0.00 off=",
				"2 overdue dpd=47 paid=0.00+0.00 pen=23.50/0.00 fee=50.00/0.00 off=",
				"3 overdue dpd=16 paid=0.00+0.00 pen=8.00/0.00 fee=50.00/0.00 off=",
				"4 upcoming dpd=0 paid=0.00+0.00 pen=0.00/0.00 fee=0.00/0.00 off=",
			},
		},
		{
			// Paid late: the fee stays charged, penalty stops, the installment
			// is paid. 02-16..02-20 = 5 × 0.50 = 2.50.
			name: "cured installment keeps its fee",
			loan: loanA(), asOf: "2026-03-01", pays: []Payment{pay(1, "2026-02-20", 117_250)},
			want: Position{NextDue: day("2026-03-15"), OutstandingPrincipal: 1_100_000, PenaltyAccrued: 250, PaidInstallments: 1},
			inst: []string{"1 paid dpd=0 paid=1000.00+120.00 pen=2.50/2.50 fee=50.00/50.00 off=2026-02-20"},
			allocs: []Allocation{
				line(1, 1, Penalty, 250), line(1, 1, LateFee, 5000), line(1, 1, Interest, 12_000), line(1, 1, Principal, 100_000),
			},
		},
	})
}

// loanB is 3650.00 at 24% for one month (interest 73.00 due 2026-02-01),
// penalty 0.1% a day (3.65 a day) and a 100.00 fee. The cap allows
// 3650 × 0.24 / 365 = 2.40 a day: 74.40 by the due date, 1.40 above the
// interest, so penalty and fees quickly run into it.
func loanB() Loan {
	return Loan{
		ID: 2, Principal: 365_000, AnnualRate: rate("0.24"), TermMonths: 1, Method: EqualPrincipal,
		DisbursedOn: day("2026-01-01"), PenaltyRateDaily: rate("0.001"), LateFee: 10_000, Status: Active,
	}
}

// loanC is loanB over two months with a 10.00 fee: 1825.00 + 73.00 due
// 02-01 and 1825.00 + 36.50 due 03-01.
func loanC() Loan {
	l := loanB()
	l.TermMonths, l.LateFee = 2, 1000
	return l
}

func TestReplay_CostCap(t *testing.T) {
	t.Parallel()
	runReplay(t, []replayCase{
		{
			// 41 days: budget 98.40, less interest 73.00 = 25.40 of room. Charged:
			// fee 100.00 and penalty 10 × 3.65 = 36.50. The cap cuts penalty
			// first: fees due 25.40, penalty due 0, above the cap 111.10.
			name: "cap binds",
			loan: loanB(), asOf: "2026-02-11",
			want: Position{
				DPD: 10, OldestUnpaidDue: day("2026-02-01"), NextDue: day("2026-02-01"),
				OutstandingPrincipal: 365_000, OverduePrincipal: 365_000, OverdueInterest: 7300,
				FeesDue: 2540, AboveCap: 11_110, PenaltyAccrued: 3650, OverdueInstallments: 1,
			},
			inst: []string{"1 overdue dpd=10 paid=0.00+0.00 pen=36.50/0.00 fee=100.00/0.00 off="},
		},
		{
			// 3800.00 pays only what may be demanded: fee 25.40, interest 73,
			// principal 3650; 51.60 is left as credit. What was above the cap
			// stays on record, never demanded: with no principal left the budget
			// stops growing.
			name: "payment takes nothing above the cap",
			loan: loanB(), asOf: "2026-03-01", pays: []Payment{pay(1, "2026-02-11", 380_000)},
			want: Position{
				PaidOffOn: day("2026-02-11"), AboveCap: 11_110, PenaltyAccrued: 3650, Credit: 5160, PaidInstallments: 1,
			},
			inst: []string{"1 paid dpd=0 paid=3650.00+73.00 pen=36.50/0.00 fee=100.00/25.40 off=2026-02-11"},
			allocs: []Allocation{
				line(1, 1, LateFee, 2540), line(1, 1, Interest, 7300), line(1, 1, Principal, 365_000), line(1, 0, Credit, 5160),
			},
		},
		{
			// 03-11 is day 69: budget 165.60, less interest due 109.50 = 56.10.
			// Fees 10 + 10; penalty #1 02-02..03-11 38 days × 1.825 = 69.35, #2
			// 03-02..03-11 10 days = 18.25. Fees take 20.00 of the room, penalty
			// 36.10, all of it on #1 (oldest first). 100.00 then pays #1's
			// penalty 36.10, fee 10.00 and 53.90 of interest. Afterwards the
			// room is 165.60 − 109.50 − 46.10 = 10.00: #2's fee.
			name: "cap binds, demandable penalty goes to the oldest installment",
			loan: loanC(), asOf: "2026-03-11", pays: []Payment{pay(1, "2026-03-11", 10_000)},
			want: Position{
				DPD: 38, OldestUnpaidDue: day("2026-02-01"), NextDue: day("2026-02-01"),
				OutstandingPrincipal: 365_000, OverduePrincipal: 365_000, OverdueInterest: 5560,
				FeesDue: 1000, AboveCap: 5150, PenaltyAccrued: 8760, OverdueInstallments: 2,
			},
			inst: []string{
				"1 overdue dpd=38 paid=0.00+53.90 pen=69.35/36.10 fee=10.00/10.00 off=",
				"2 overdue dpd=10 paid=0.00+0.00 pen=18.25/0.00 fee=10.00/0.00 off=",
			},
			allocs: []Allocation{line(1, 1, Penalty, 3610), line(1, 1, LateFee, 1000), line(1, 1, Interest, 5390)},
		},
	})
}

func TestReplay_ZeroPolicyIsDefault(t *testing.T) {
	t.Parallel()
	l := loanC()
	sched := mustSchedule(t, l)
	pays := []Payment{pay(1, "2026-03-11", 10_000)}
	for _, asOf := range []date.Date{day("2026-02-15"), day("2026-03-11"), day("2026-06-30")} {
		wantPos, wantAllocs := Replay(l, sched, pays, DefaultPolicy(), asOf)
		gotPos, gotAllocs := Replay(l, sched, pays, Policy{}, asOf)
		if diff := cmp.Diff(wantPos, gotPos); diff != "" {
			t.Errorf("%s: position (-default +zero):\n%s", asOf, diff)
		}
		if diff := cmp.Diff(wantAllocs, gotAllocs); diff != "" {
			t.Errorf("%s: allocations (-default +zero):\n%s", asOf, diff)
		}
	}
}

func TestReplay_PaidOff(t *testing.T) {
	t.Parallel()
	l := loanA()
	l.Principal, l.TermMonths, l.LateFee = 200_000, 2, 500
	// 2000.00 over two months: 1000.00 + 20.00 due 02-15, 1000.00 + 10.00 due
	// 03-15, late fee 5.00. The second gets 1000.00 a day late: penalty 0.50,
	// fee 5.00, interest 10.00 and 984.50 of principal. The last 15.50 accrues
	// 03-17..03-20 4 days × 15.50 × 0.0005 = 0.031 → 0.03, so 15.53 settles it.
	pays := []Payment{pay(1, "2026-02-15", 102_000), pay(2, "2026-03-16", 100_000), pay(3, "2026-03-20", 1553)}
	p, _ := Replay(l, mustSchedule(t, l), pays, DefaultPolicy(), day("2026-04-01"))
	want := Position{LoanID: 1, AsOf: day("2026-04-01"), PaidOffOn: day("2026-03-20"), PenaltyAccrued: 53, PaidInstallments: 2}
	if diff := cmp.Diff(want, p, cmpopts.IgnoreFields(Position{}, "Installments")); diff != "" {
		t.Errorf("position (-want +got):\n%s", diff)
	}
	if got := StatusFor(l, p); got != PaidOff {
		t.Errorf("StatusFor() = %s, want paid_off", got)
	}
}

// sumBy returns the allocated amount per payment id.
func sumBy(allocs []Allocation) map[int64]money.Amount {
	m := map[int64]money.Amount{}
	for _, a := range allocs {
		m[a.PaymentID] += a.Amount
	}
	return m
}

func TestReplay_ScheduleShapes(t *testing.T) {
	t.Parallel()
	// Interest-first at 0%: the first two installments are 0.00 + 0.00 and
	// count as paid on their due dates; no fee, no DPD.
	l := Loan{
		ID: 3, Principal: 30_000, AnnualRate: rate("0"), TermMonths: 3, Method: InterestFirst,
		DisbursedOn: day("2026-01-31"), PenaltyRateDaily: rate("0.0005"), LateFee: 5000,
	}
	sched := mustSchedule(t, l)
	p, allocs := Replay(l, sched, nil, DefaultPolicy(), day("2026-04-01"))
	var got []string
	for _, s := range p.Installments {
		got = append(got, inst(s))
	}
	want := []string{
		"1 paid dpd=0 paid=0.00+0.00 pen=0.00/0.00 fee=0.00/0.00 off=2026-02-28",
		"2 paid dpd=0 paid=0.00+0.00 pen=0.00/0.00 fee=0.00/0.00 off=2026-03-31",
		"3 upcoming dpd=0 paid=0.00+0.00 pen=0.00/0.00 fee=0.00/0.00 off=",
	}
	if diff := cmp.Diff(want, got); diff != "" || len(allocs) != 0 || p.NextDue != day("2026-04-30") {
		t.Errorf("installments (-want +got):\n%s\nallocations %v, next due %s", diff, allocs, p.NextDue)
	}

	// A schedule handed in out of order is replayed in due-date order.
	a := loanA()
	sorted := mustSchedule(t, a)
	shuffled := slices.Clone(sorted)
	slices.Reverse(shuffled)
	pays := []Payment{pay(1, "2026-03-20", 120_000)}
	wantPos, wantAllocs := Replay(a, sorted, pays, DefaultPolicy(), day("2026-04-20"))
	gotPos, gotAllocs := Replay(a, shuffled, pays, DefaultPolicy(), day("2026-04-20"))
	if diff := cmp.Diff(wantPos, gotPos); diff != "" {
		t.Errorf("position (-sorted +shuffled):\n%s", diff)
	}
	if diff := cmp.Diff(wantAllocs, gotAllocs); diff != "" {
		t.Errorf("allocations (-sorted +shuffled):\n%s", diff)
	}
}

func TestPosition_OverdueTotal(t *testing.T) {
	t.Parallel()
	// One day late on loanA: 1000.00 + 120.00 + penalty 0.50 + fee 50.00.
	p, _ := Replay(loanA(), mustSchedule(t, loanA()), nil, DefaultPolicy(), day("2026-02-16"))
	if got := p.OverdueTotal(); got != 117_050 || !p.Delinquent() {
		t.Errorf("OverdueTotal() = %s, Delinquent() = %v", got, p.Delinquent())
	}
}

// A Replayer used for one loan after another (long schedules after short
// ones, several payments after none, another waterfall, a schedule out of
// order) gives each loan the position ReplayPosition gives it: nothing of
// an earlier replay is left in its buffers.
func TestReplayer_SameAsReplayPosition(t *testing.T) {
	var x Replayer
	policies := []Policy{DefaultPolicy(), {Waterfall: Waterfall{Principal, Interest, Credit}}, {}}
	n := 0
	for _, months := range []int{12, 3, 36, 1, 24, 6} {
		for k, method := range []Method{EqualInstallment, EqualPrincipal, InterestFirst} {
			l := Loan{ID: int64(months*10 + k), Principal: money.Amount(300_000 * months), TermMonths: months, Method: method,
				AnnualRate: decimal.MustParse("0.18"), DisbursedOn: day("2026-01-15"),
				PenaltyRateDaily: decimal.MustParse("0.0005"), LateFee: 5000}
			sched := mustSchedule(t, l)
			if k == 2 && len(sched) > 1 {
				sched = slices.Clone(sched)
				slices.Reverse(sched)
			}
			var pays []Payment
			for i := range (months + k) % 7 {
				pays = append(pays, Payment{ID: int64(i + 1), PaidOn: l.DisbursedOn.AddDays(25 + 41*i),
					Amount: money.Amount(90_000 * (i%3 + 1)), Reversed: i == 2})
			}
			for _, asOf := range []date.Date{day("2026-03-01"), day("2026-09-30"), day("2029-06-30")} {
				pol := policies[n%len(policies)]
				n++
				want := ReplayPosition(l, sched, pays, pol, asOf)
				if diff := cmp.Diff(want, x.Position(l, sched, pays, pol, asOf)); diff != "" {
					t.Fatalf("loan %d (%d months, %s) as of %s, policy %d: the Replayer differs:\n%s", l.ID, months, method, asOf, n%3, diff)
				}
			}
		}
	}
}
