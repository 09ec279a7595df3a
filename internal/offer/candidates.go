package offer

import (
	"fmt"

	"github.com/govalues/decimal"

	"accord/internal/money"
)

// draft is an offer before it is priced and checked.
type draft struct {
	kind      Kind
	id        string
	sched     []Payment
	financed  money.Amount
	waivers   []Waiver
	planRate  decimal.Decimal
	rateCut   decimal.Decimal
	summary   Text
	incentive bool
}

func (e *env) plan(kind Kind, id string, a []money.Amount, financed money.Amount, rate decimal.Decimal, summary Text) draft {
	cut, _ := e.c.Sub(rate)
	return draft{kind: kind, id: id, sched: e.monthly(a), financed: financed, planRate: rate, rateCut: cut, summary: summary}
}

// extensions returns the extension at the contract rate over the shortest
// affordable term (never shorter than the contract's remaining term), and, when no term within the policy is affordable at
// that rate, the interest freeze (停息挂账): the longest term at the highest
// rate in whole basis points below the contract's that the borrower can
// carry, down to 0. n is the contract-rate extension's term (0 if none).
func (e *env) extensions() (out []draft, n int, affordable bool) {
	ext := e.shortest(e.bal, e.c, e.vc, nil, level, e.minTerm(), false)
	if ext.amounts == nil {
		return nil, 0, false
	}
	n = len(ext.amounts)
	out = append(out, e.plan(KindExtension, fmt.Sprintf("extension-%dm", n), ext.amounts, e.bal, e.c, Text{
		ZH: fmt.Sprintf("展期：余额 %s 按合同利率重新分 %d 期", e.bal.Grouped(), n),
		EN: fmt.Sprintf("Term extension: balance %s re-amortised over %d months at the contract rate", e.bal.Grouped(), n)}))
	if ext.affordable {
		return out, n, true
	}
	m := len(e.dates)
	try := func(k int64) []money.Amount {
		r := bp(k)
		a, ok := build(e.bal, e.factors(fl(r), m), m, nil, level, false, k == 0)
		if !ok || !e.affordable(a) {
			return nil
		}
		return a
	}
	lo := int64(0)
	best := try(0)
	if best == nil {
		return out, n, false
	}
	hi := toBp(e.c) // the highest basis point strictly below the contract rate
	if bp(hi).Cmp(e.c) >= 0 {
		hi--
	}
	for lo < hi { // invariant: lo affordable
		mid := (lo + hi + 1) / 2
		if a := try(mid); a != nil {
			lo, best = mid, a
		} else {
			hi = mid - 1
		}
	}
	r := bp(lo)
	out = append(out, e.plan(KindExtension, fmt.Sprintf("extension-%dm-freeze-%s", m, r), best, e.bal, r, Text{
		ZH: fmt.Sprintf("停息挂账：余额 %s 分 %d 期，年利率降至 %s", e.bal.Grouped(), m, r),
		EN: fmt.Sprintf("Interest freeze: balance %s over %d months at an annual rate of %s", e.bal.Grouped(), m, r)}))
	return out, n, false
}

// graduatedPlan steps up in three stages (60%, 80%, 100%) over the shortest
// affordable term of at least 3 months at the contract rate.
func (e *env) graduatedPlan() []draft {
	if len(e.dates) < 3 {
		return nil
	}
	g := e.shortest(e.bal, e.c, e.vc, nil, graduated, max(3, e.minTerm()), false)
	if g.amounts == nil {
		return nil
	}
	n := len(g.amounts)
	return []draft{e.plan(KindGraduated, fmt.Sprintf("graduated-%dm", n), g.amounts, e.bal, e.c, Text{
		ZH: fmt.Sprintf("阶梯还款：%d 期，前期月供较低（60%%、80%%、100%%）", n),
		EN: fmt.Sprintf("Graduated payments over %d months, stepping up 60%%, 80%%, 100%%", n)})}
}

// relief asks a reduced payment for the hardship months, interest-only
// (balance × contract rate ÷ 12) or the sustainable payment if less, never
// below MinPayment nor ¥1, then re-amortises at the contract rate over the
// shortest affordable term.
func (e *env) relief() []draft {
	h := min(e.a.HardshipMonths, len(e.dates)-1)
	if e.a.HardshipMonths == 0 || h < 1 {
		return nil
	}
	monthly, _ := e.c.Quo(decimal.MustNew(12, 0))
	io := e.bal.Mul(monthly)
	r := max(min(io, e.sustainable), e.pol.MinPayment, money.Yuan(1))
	if money.Amount(h)*r >= e.bal {
		return nil
	}
	prefix := make([]money.Amount, h)
	for k := range prefix {
		prefix[k] = r
	}
	p := e.shortest(e.bal, e.c, e.vc, prefix, level, max(h+1, e.minTerm()), false)
	if p.amounts == nil {
		return nil
	}
	n := len(p.amounts)
	return []draft{e.plan(KindRelief, fmt.Sprintf("relief-%dx%s-%dm", h, r, n), p.amounts, e.bal, e.c, Text{
		ZH: fmt.Sprintf("临时减免：困难期 %d 个月每月还 %s，之后按合同利率分摊，共 %d 期", h, r.Grouped(), n),
		EN: fmt.Sprintf("Temporary relief: %s a month for the %d hardship months, then re-amortised at the contract rate; %d months in all", r.Grouped(), h, n)})}
}

// rateCut cuts the rate by the least whole number of basis points (at most
// MaxRateCut) that makes the shortest term affordable, when that term is
// shorter than the contract-rate extension's (extN) or that extension is
// not affordable at all. Its schedule is rounded so its internal rate is at
// least the cut rate.
func (e *env) rateCut(extN int, extAffordable bool) []draft {
	maxBp := min(toBp(e.pol.MaxRateCut), toBp(e.c))
	if maxBp <= 0 {
		return nil
	}
	m := len(e.dates)
	at := func(k int64, n int) []money.Amount {
		r, _ := e.c.Sub(bp(k))
		a, ok := build(e.bal, e.factors(fl(r), n), n, nil, level, true, r.IsZero())
		if !ok {
			return nil
		}
		return a
	}
	floorRate, _ := e.c.Sub(bp(maxBp))
	s := e.shortest(e.bal, floorRate, e.factors(fl(floorRate), m), nil, level, e.minTerm(), true)
	if s.amounts == nil {
		return nil
	}
	n := len(s.amounts)
	if s.affordable && extAffordable && n >= extN {
		return nil // the cut buys nothing the extension does not give
	}
	if !s.affordable && extAffordable {
		return nil
	}
	lo, hi, best := int64(1), maxBp, s.amounts
	if s.affordable {
		for lo < hi { // invariant: hi affordable
			mid := (lo + hi) / 2
			if a := at(mid, n); a != nil && e.affordable(a) {
				hi, best = mid, a
			} else {
				lo = mid + 1
			}
		}
	} else {
		hi = maxBp
	}
	r, _ := e.c.Sub(bp(hi))
	return []draft{e.plan(KindRateCut, fmt.Sprintf("rate_cut-%s-%dm", bp(hi), n), best, e.bal, r, Text{
		ZH: fmt.Sprintf("降息：年利率下调 %s 至 %s，分 %d 期", bp(hi), r, n),
		EN: fmt.Sprintf("Rate cut: annual rate lowered by %s to %s, over %d months", bp(hi), r, n)})}
}
