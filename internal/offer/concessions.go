package offer

import (
	"fmt"

	"github.com/govalues/decimal"

	"accord/internal/money"
)

// feeWaiver returns the penalty and fees waivable at share of each, each
// rounded down to the fen.
func (e *env) feeWaiver(share decimal.Decimal) Components {
	return Components{Penalty: floorShare(e.debt.Penalty, share), Fees: floorShare(e.debt.Fees, share)}
}

// waivers waives penalty and fees on a contract-rate plan over the
// shortest affordable term: all the policy allows, conditional on
// WaiverAfterPayments consecutive on-time payments (the incentive for
// keeping the plan), and half of it immediately.
func (e *env) waivers() []draft {
	share := e.pol.MaxFeeWaiverShare
	half, _ := share.Quo(decimal.Two)
	var out []draft
	for _, v := range []struct {
		w    Components
		cond bool
	}{{e.feeWaiver(share), true}, {e.feeWaiver(half), false}} {
		if v.w.Total() == 0 {
			continue
		}
		fin := e.bal - v.w.Total()
		p := e.shortest(fin, e.c, e.vc, nil, level, e.minTerm(), false)
		if p.amounts == nil {
			continue
		}
		n := len(p.amounts)
		d := e.plan(KindWaiver, fmt.Sprintf("waiver-now-%s-%dm", v.w.Total(), n), p.amounts, fin, e.c, Text{
			ZH: fmt.Sprintf("立即减免罚息 %s、滞纳金 %s，余额 %s 分 %d 期", v.w.Penalty.Grouped(), v.w.Fees.Grouped(), fin.Grouped(), n),
			EN: fmt.Sprintf("Penalty %s and fees %s waived now; %s over %d months", v.w.Penalty.Grouped(), v.w.Fees.Grouped(), fin.Grouped(), n)})
		d.waivers = []Waiver{{Amount: v.w}}
		if v.cond {
			c := min(e.pol.WaiverAfterPayments, n)
			d.id = fmt.Sprintf("waiver-after%d-%s-%dm", c, v.w.Total(), n)
			d.waivers[0].Condition = &Condition{OnTimePayments: c}
			d.incentive = true
			d.summary = Text{
				ZH: fmt.Sprintf("连续按时还款 %d 期后减免罚息 %s、滞纳金 %s（先挂账）；余额 %s 分 %d 期", c, v.w.Penalty.Grouped(), v.w.Fees.Grouped(), fin.Grouped(), n),
				EN: fmt.Sprintf("Penalty %s and fees %s parked and waived after %d consecutive on-time payments; %s over %d months", v.w.Penalty.Grouped(), v.w.Fees.Grouped(), c, fin.Grouped(), n)}
		}
		out = append(out, d)
	}
	return out
}

// settleCaps returns the most a settlement may waive: penalty and fees at
// MaxFeeWaiverShare, all contract interest due, and principal at
// principalShare.
func (e *env) settleCaps(principalShare decimal.Decimal) Components {
	w := e.feeWaiver(e.pol.MaxFeeWaiverShare)
	w.Interest = e.debt.Interest
	w.Principal = floorShare(e.debt.Principal, principalShare)
	return w
}

// allocate spreads a waived total over caps: penalty, fees, interest, then
// principal.
func allocate(total money.Amount, caps Components) Components {
	var w Components
	take := func(dst *money.Amount, cap money.Amount) {
		*dst = min(total, cap)
		total -= *dst
	}
	take(&w.Penalty, caps.Penalty)
	take(&w.Fees, caps.Fees)
	take(&w.Interest, caps.Interest)
	take(&w.Principal, caps.Principal)
	return w
}

// settlements returns a lump sum due SettlementDueDays after as-of and an
// instalment settlement over SettlementInstalments months (at most
// MaxTermMonths). Each asks what the borrower can pay (the lump: the
// sustainable payment plus liquid assets; the instalments: liquid assets
// plus that many sustainable payments) but no less than the balance less
// the most the policy lets it waive; instalments get half the principal
// discount. Nothing is charged on top: the plan's rate is 0.
func (e *env) settlements() []draft {
	var out []draft
	caps := e.settleCaps(e.pol.MaxSettlementDiscount)
	x := min(e.bal, max(e.bal-caps.Total(), e.sustainable+e.liquid))
	if x > 0 {
		w := allocate(e.bal-x, caps)
		due := e.asOf.AddDays(e.pol.SettlementDueDays)
		out = append(out, draft{kind: KindSettlement, id: fmt.Sprintf("settlement-lump-%s", x),
			sched: []Payment{{Due: due, Amount: x}}, financed: x, waivers: waiverList(w), planRate: decimal.Zero, rateCut: decimal.Zero,
			summary: Text{
				ZH: fmt.Sprintf("一次性结清：%s 前还 %s，减免 %s", due, x.Grouped(), w.Total().Grouped()),
				EN: fmt.Sprintf("Settlement: pay %s by %s and %s is waived", x.Grouped(), due, w.Total().Grouped())}})
	}
	m := min(e.pol.SettlementInstalments, len(e.dates))
	if m < 2 {
		return out
	}
	halfShare, _ := e.pol.MaxSettlementDiscount.Quo(decimal.Two)
	caps = e.settleCaps(halfShare)
	x = min(e.bal, max(e.bal-caps.Total(), e.liquid+money.Amount(m)*e.sustainable))
	u := min(e.liquid, x)
	if x-u < money.Amount(m)*100 {
		return out // the liquid assets settle it: the lump sum is the offer
	}
	a, _ := build(x-u, nil, m, nil, level, false, true)
	a[0] += u
	w := allocate(e.bal-x, caps)
	out = append(out, draft{kind: KindSettlement, id: fmt.Sprintf("settlement-%dm-%s", m, x),
		sched: e.monthly(a), financed: x, waivers: waiverList(w), planRate: decimal.Zero, rateCut: decimal.Zero,
		summary: Text{
			ZH: fmt.Sprintf("分期结清：%d 期共还 %s，减免 %s", m, x.Grouped(), w.Total().Grouped()),
			EN: fmt.Sprintf("Settlement in %d monthly instalments totalling %s; %s waived", m, x.Grouped(), w.Total().Grouped())}})
	return out
}

func waiverList(w Components) []Waiver {
	if w.Total() == 0 {
		return nil
	}
	return []Waiver{{Amount: w}}
}
