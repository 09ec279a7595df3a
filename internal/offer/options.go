package offer

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
)

// Engine proposes offers with a chance-kept model. The zero Engine uses
// DefaultKeep.
type Engine struct {
	Keep KeepModel
}

// Options proposes offers for one case with DefaultKeep; see Engine.Options.
func Options(asOf date.Date, d Debt, a Assessment, segment string, h History, pol Policy) (Result, error) {
	return Engine{}.Options(asOf, d, a, segment, h, pol)
}

// Options assesses a against d under pol and proposes offers tailored to
// them: extensions (with an interest freeze when nothing at the contract
// rate fits), graduated payments, temporary relief for the hardship months,
// a rate cut, penalty and fee waivers, and settlements. Every offer is
// within the policy's limits; affordable offers come first, then by
// expected recovery (NPV × p_kept), then NPV, then id.
//
// It returns an Invalid error naming the fields when the debt, the
// assessment or the policy is not valid.
func (en Engine) Options(asOf date.Date, d Debt, a Assessment, segment string, h History, pol Policy) (Result, error) {
	var fe []errs.FieldError
	if asOf.IsZero() {
		fe = append(fe, errs.FieldError{Field: "as_of", Message: "is required"})
	}
	for _, err := range []error{d.Validate(), a.Validate(), pol.Validate()} {
		fe = append(fe, errs.FieldsOf(err)...)
	}
	if len(fe) > 0 {
		return Result{}, errs.Fields("The case is not valid.", fe...)
	}
	keep := en.Keep
	if keep == nil {
		keep = DefaultKeep{}
	}
	aff := Assess(a, d, pol)
	e := newEnv(asOf, d, a, pol, aff)
	ext, extN, extOK := e.extensions()
	drafts := ext
	drafts = append(drafts, e.graduatedPlan()...)
	drafts = append(drafts, e.relief()...)
	drafts = append(drafts, e.rateCut(extN, extOK)...)
	drafts = append(drafts, e.waivers()...)
	drafts = append(drafts, e.settlements()...)

	res := Result{AsOf: asOf, Policy: PolicyRef{pol.Name, pol.Version}, Balance: e.bal, Sustainable: aff.Sustainable, Affordability: aff, Offers: []Offer{}}
	seen := map[string]bool{}
	for _, dr := range drafts {
		if seen[dr.id] {
			continue
		}
		o, ok := e.finish(dr, segment, h, keep)
		if !ok {
			continue
		}
		seen[dr.id] = true
		res.Offers = append(res.Offers, o)
	}
	slices.SortStableFunc(res.Offers, func(x, y Offer) int {
		if x.Affordable != y.Affordable {
			if x.Affordable {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(y.ExpectedRecovery, x.ExpectedRecovery), cmp.Compare(y.NPV, x.NPV), cmp.Compare(x.ID, y.ID))
	})
	return res, nil
}

// finish prices and checks a draft. ok is false when the draft breaks a
// limit, which fen rounding can cause on very small amounts; such a draft
// is not offered.
func (e *env) finish(dr draft, segment string, h History, keep KeepModel) (Offer, bool) {
	o := Offer{ID: dr.id, Kind: dr.kind, Summary: dr.summary, Schedule: dr.sched, Financed: dr.financed,
		Waivers: dr.waivers, PlanRate: dr.planRate}
	for _, w := range dr.waivers {
		o.Waived = o.Waived.Add(w.Amount)
	}
	for _, p := range dr.sched {
		o.TotalPayable += p.Amount
		o.MaxPayment = max(o.MaxPayment, p.Amount)
		if p.Amount < 0 {
			return Offer{}, false
		}
	}
	amounts := make([]money.Amount, len(dr.sched))
	for k, p := range dr.sched {
		amounts[k] = p.Amount
	}
	o.Affordable = e.affordable(amounts)
	o.AnnualRate = rateString(InternalRate(e.asOf, o.Financed, o.Schedule))
	o.NPV = NPV(e.asOf, o.Schedule, e.pol.DiscountRate)
	o.Concession = Concession{FeeWaiver: o.Waived.Penalty + o.Waived.Fees, InterestWaiver: o.Waived.Interest,
		PrincipalWaiver: o.Waived.Principal, Principal: e.debt.Principal, RateCut: dr.rateCut, TermMonths: len(dr.sched)}
	if !e.withinLimits(o) {
		return Offer{}, false
	}
	p := keep.PKept(KeepFacts{Segment: segment, History: h, Willingness: e.a.Willingness, Kind: dr.kind,
		Payments: len(dr.sched), Burden: e.burden(amounts), MaxPayment: o.MaxPayment, Incentive: dr.incentive})
	p = math.Round(min(max(p, 0), 1)*10000) / 10000
	o.PKept = p
	pd, err := decimal.Parse(strconv.FormatFloat(p, 'f', 4, 64))
	if err != nil {
		return Offer{}, false
	}
	o.ExpectedRecovery = o.NPV.Mul(pd)
	var ok bool
	o.Approval, ok = e.pol.Authority.Required(o.Concession)
	o.Limits = e.limits(o, ok)
	return o, true
}

// withinLimits checks the hard limits every offer keeps.
func (e *env) withinLimits(o Offer) bool {
	feeCap := e.feeWaiver(e.pol.MaxFeeWaiverShare)
	switch {
	case o.Financed != e.bal-o.Waived.Total(), o.TotalPayable < o.Financed, len(o.Schedule) == 0,
		len(o.Schedule) > e.pol.MaxTermMonths,
		o.Schedule[len(o.Schedule)-1].Due.After(e.asOf.AddMonthsClamped(e.pol.MaxTermMonths)),
		o.AnnualRate.Cmp(e.c) > 0,
		o.Waived.Penalty+o.Waived.Fees > feeCap.Total(),
		o.Waived.Principal > floorShare(e.debt.Principal, e.pol.MaxSettlementDiscount),
		o.Waived.Interest > e.debt.Interest, o.Waived.Penalty > e.debt.Penalty, o.Waived.Fees > e.debt.Fees:
		return false
	}
	if o.Kind == KindRateCut {
		floor, _ := e.c.Sub(e.pol.MaxRateCut)
		if o.AnnualRate.Cmp(floor) < 0 {
			return false
		}
	}
	return true
}

// burden returns the largest payment as a share of the sustainable
// payment, the first less liquid assets; +Inf when a payment needs income
// and there is no sustainable payment.
func (e *env) burden(a []money.Amount) float64 {
	b := 0.0
	for k, p := range a {
		if k == 0 {
			p = max(0, p-e.liquid)
		}
		if p == 0 {
			continue
		}
		if e.sustainable == 0 {
			return math.Inf(1)
		}
		b = max(b, float64(p)/float64(e.sustainable))
	}
	return b
}

// limits lists the policy limits an offer uses and, when no role may
// approve it, says so.
func (e *env) limits(o Offer, approvable bool) []string {
	l := []string{fmt.Sprintf("max_term_months: %d of %d", len(o.Schedule), e.pol.MaxTermMonths)}
	if fw := o.Concession.FeeWaiver; fw > 0 {
		l = append(l, fmt.Sprintf("max_fee_waiver_share %s: waives %s of %s", e.pol.MaxFeeWaiverShare, fw, e.feeWaiver(e.pol.MaxFeeWaiverShare).Total()))
	}
	for _, w := range o.Waivers {
		if w.Condition != nil {
			l = append(l, fmt.Sprintf("waiver_after_payments: %d", w.Condition.OnTimePayments))
		}
	}
	if pw := o.Concession.PrincipalWaiver; pw > 0 {
		l = append(l, fmt.Sprintf("max_settlement_discount %s: waives %s of %s", e.pol.MaxSettlementDiscount, pw, floorShare(e.debt.Principal, e.pol.MaxSettlementDiscount)))
	}
	if cut := o.Concession.RateCut; cut.IsPos() {
		if o.Kind == KindRateCut {
			l = append(l, fmt.Sprintf("max_rate_cut: cuts %s of %s", cut, e.pol.MaxRateCut))
		} else {
			l = append(l, fmt.Sprintf("interest freeze: cuts the rate by %s (max_rate_cut %s binds rate_cut offers)", cut, e.pol.MaxRateCut))
		}
	}
	if !approvable {
		l = append(l, "authority: no role in the matrix may approve this offer")
	}
	return l
}
