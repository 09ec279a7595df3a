package ledger

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

// FuzzReplay replays random loans and payments and checks the invariants
// every position must keep: allocations add up to the payments, nothing is
// negative, nothing is paid beyond what was due, and the result does not
// depend on the order payments are handed in; ReplayPosition gives the
// same position as Replay.
func FuzzReplay(f *testing.F) {
	f.Add(uint32(1_200_000), uint8(12), uint8(1), uint16(1200), uint16(500), uint16(5000), []byte{0, 31, 0, 0x1b, 0x58, 0, 0, 60, 0, 0x10, 0, 1}, uint16(120))
	f.Add(uint32(365_000), uint8(2), uint8(0), uint16(2400), uint16(1000), uint16(1000), []byte{0, 69, 0, 0, 0x27, 0x10}, uint16(69))
	f.Add(uint32(100), uint8(36), uint8(2), uint16(0), uint16(65535), uint16(65535), []byte{1, 0, 0xff, 0xff, 0xff, 0}, uint16(2000))
	f.Fuzz(func(t *testing.T, principal uint32, months, method uint8, annualBP, penaltyPPM, fee uint16, raw []byte, asOfDays uint16) {
		l := Loan{
			ID: 9, Principal: money.Amount(principal%100_000_000 + 1), TermMonths: int(months%36) + 1,
			Method:     []Method{EqualInstallment, EqualPrincipal, InterestFirst}[method%3],
			AnnualRate: decimal.MustNew(int64(annualBP%10_001), 4), DisbursedOn: day("2028-01-31"),
			PenaltyRateDaily: decimal.MustNew(int64(penaltyPPM), 6), LateFee: money.Amount(fee),
		}
		sched := mustSchedule(t, l)
		var pays []Payment
		for i := 0; i+6 <= len(raw) && len(pays) < 20; i += 6 {
			pays = append(pays, Payment{
				ID:       int64(len(pays) + 1),
				PaidOn:   l.DisbursedOn.AddDays(int(binary.BigEndian.Uint16(raw[i:]) % 1200)),
				Amount:   money.Amount(uint32(raw[i+2])<<16|uint32(raw[i+3])<<8|uint32(raw[i+4])) - 1000,
				Reversed: raw[i+5]&1 == 1,
			})
		}
		asOf := l.DisbursedOn.AddDays(int(asOfDays % 1300))
		p, allocs := Replay(l, sched, pays, DefaultPolicy(), asOf)
		checkInvariants(t, l, pays, asOf, p, allocs)
		if diff := cmp.Diff(p, ReplayPosition(l, sched, pays, DefaultPolicy(), asOf)); diff != "" {
			t.Errorf("ReplayPosition differs from Replay's position:\n%s", diff)
		}

		rev := slices.Clone(pays)
		slices.Reverse(rev)
		p2, allocs2 := Replay(l, sched, rev, DefaultPolicy(), asOf)
		if diff := cmp.Diff(p, p2); diff != "" {
			t.Errorf("position depends on payment order:\n%s", diff)
		}
		if diff := cmp.Diff(allocs, allocs2); diff != "" {
			t.Errorf("allocations depend on payment order:\n%s", diff)
		}
		if before, _ := Replay(l, sched, pays, DefaultPolicy(), asOf-1); before.PenaltyAccrued > p.PenaltyAccrued {
			t.Errorf("penalty accrued fell from %s to %s", before.PenaltyAccrued, p.PenaltyAccrued)
		}
	})
}

func checkInvariants(t *testing.T, l Loan, pays []Payment, asOf date.Date, p Position, allocs []Allocation) {
	t.Helper()
	var received money.Amount
	want := map[int64]money.Amount{}
	for _, pm := range pays {
		if !pm.Reversed && pm.Amount > 0 && pm.PaidOn <= asOf {
			want[pm.ID] = pm.Amount
			received += pm.Amount
		}
	}
	var credited, fromCredit money.Amount
	for _, a := range allocs {
		switch {
		case a.Amount <= 0:
			t.Errorf("allocation %+v is not positive", a)
		case a.Component == Credit && (a.Seq != 0 || a.PaymentID == 0):
			t.Errorf("credit line %+v", a)
		case a.Component == Credit:
			credited += a.Amount
		case a.PaymentID == 0:
			fromCredit += a.Amount
		}
	}
	got := sumBy(allocs)
	delete(got, 0)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("allocations per payment (-payment +allocated):\n%s", diff)
	}
	if credited-fromCredit != p.Credit || p.Credit < 0 {
		t.Errorf("credit %s, credited %s, applied %s", p.Credit, credited, fromCredit)
	}
	var paid, outstanding, unpaidCharges money.Amount
	for _, s := range p.Installments {
		if s.PaidPrincipal < 0 || s.PaidPrincipal > s.Principal || s.PaidInterest < 0 || s.PaidInterest > s.Interest ||
			s.PenaltyPaid < 0 || s.PenaltyPaid > s.PenaltyAccrued || s.FeePaid < 0 || s.FeePaid > s.FeeCharged ||
			(s.FeeCharged != 0 && s.FeeCharged != l.LateFee) || s.DPD < 0 {
			t.Errorf("installment %+v", s)
		}
		paid += s.PaidPrincipal + s.PaidInterest + s.PenaltyPaid + s.FeePaid
		outstanding += s.Principal - s.PaidPrincipal
		unpaidCharges += s.PenaltyAccrued - s.PenaltyPaid + s.FeeCharged - s.FeePaid
	}
	if paid+p.Credit != received {
		t.Errorf("paid %s + credit %s != received %s", paid, p.Credit, received)
	}
	if outstanding != p.OutstandingPrincipal || p.PenaltyDue < 0 || p.FeesDue < 0 || p.AboveCap < 0 ||
		p.PenaltyDue+p.FeesDue+p.AboveCap != unpaidCharges {
		t.Errorf("position %+v, outstanding %s, unpaid charges %s", p, outstanding, unpaidCharges)
	}
	if (p.DPD > 0) != (p.OverdueInstallments > 0) || p.DPD < 0 {
		t.Errorf("DPD %d with %d overdue installments", p.DPD, p.OverdueInstallments)
	}
}
