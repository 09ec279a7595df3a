package offer

import (
	"bytes"
	"fmt"
	"io"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
)

// Case is one negotiation case as the CLI reads it from a file (see
// docs/NEGOTIATION.md): everything Options needs.
type Case struct {
	AsOf       date.Date
	Debt       Debt
	Assessment Assessment
	Segment    string
	History    History
	Policy     Policy
}

// ParseCase reads a case file. Amounts are decimal strings in yuan, rates
// decimal strings, dates YYYY-MM-DD; the policy starts from DefaultPolicy
// and the file overrides what it gives. It returns an Invalid error naming
// every unknown field and bad value ("debt.principal", "policy.max_term_months").
func ParseCase(r io.Reader) (Case, error) {
	root, err := readObject(r, "The case file")
	if err != nil {
		return Case{}, err
	}
	c := Case{Policy: DefaultPolicy()}
	rd := &reader{}
	o := rd.object(root, "")
	o.date("as_of", &c.AsOf, true)
	o.str("segment", &c.Segment)
	if _, ok := segmentBase[c.Segment]; c.Segment != "" && !ok {
		rd.bad("segment", "%q must be one of willing_able, willing_unable, unwilling_able, unwilling_unable", c.Segment)
	}
	if d, ok := o.sub("debt", true); ok {
		d.amount("principal", &c.Debt.Principal, true)
		d.amount("interest", &c.Debt.Interest, false)
		d.amount("penalty", &c.Debt.Penalty, false)
		d.amount("fees", &c.Debt.Fees, false)
		d.rate("annual_rate", &c.Debt.AnnualRate, true)
		d.int("remaining_months", &c.Debt.RemainingMonths, false)
		d.amount("monthly_payment", &c.Debt.MonthlyPayment, false)
		d.done()
	}
	if a, ok := o.sub("assessment", true); ok {
		readAssessment(a, &c.Assessment)
	}
	if h, ok := o.sub("history", false); ok {
		for _, f := range []struct {
			k string
			p *int
		}{{"installments_due", &c.History.InstallmentsDue}, {"installments_on_time", &c.History.InstallmentsOnTime},
			{"payments_while_delinquent", &c.History.PaymentsWhileDelinquent}, {"promises_kept", &c.History.PromisesKept},
			{"promises_broken", &c.History.PromisesBroken}, {"plans_broken", &c.History.PlansBroken}} {
			h.int(f.k, f.p, false)
			if *f.p < 0 {
				rd.bad("history."+f.k, "must not be negative")
			}
		}
		h.done()
	}
	if p, ok := o.sub("policy", false); ok {
		readPolicy(p, &c.Policy)
	}
	o.done()
	if len(rd.fe) > 0 {
		return Case{}, errs.Fields("The case file is not valid.", rd.fe...)
	}
	return c, nil
}

// ParsePolicy reads an offer policy document (docs/NEGOTIATION.md) over
// DefaultPolicy and validates it. It returns an Invalid error naming the
// fields at fault.
func ParsePolicy(b []byte) (Policy, error) {
	root, err := readObject(bytes.NewReader(b), "The policy")
	if err != nil {
		return Policy{}, err
	}
	p := DefaultPolicy()
	rd := &reader{}
	readPolicy(rd.object(root, "policy"), &p)
	if len(rd.fe) > 0 {
		return Policy{}, errs.Fields("The offer policy is not valid.", rd.fe...)
	}
	return p, p.Validate()
}

func readAssessment(a obj, v *Assessment) {
	a.amount("monthly_income", &v.MonthlyIncome, true)
	a.str("income_evidence", &v.IncomeEvidence)
	if a.has("essential_expenses") {
		var e money.Amount
		if a.amount("essential_expenses", &e, false) {
			v.EssentialExpenses = &e
		}
	}
	a.int("household_size", &v.HouseholdSize, false)
	a.int("city_tier", &v.CityTier, false)
	a.amount("other_debt_payments", &v.OtherDebtPayments, false)
	a.int("dependants", &v.Dependants, false)
	a.amount("liquid_assets", &v.LiquidAssets, false)
	var h string
	a.str("hardship", &h)
	v.Hardship = Hardship(h)
	a.int("hardship_months", &v.HardshipMonths, false)
	a.str("willingness", &v.Willingness)
	a.done()
}

func readPolicy(p obj, v *Policy) {
	p.str("name", &v.Name)
	p.int("version", &v.Version, false)
	p.str("description", &v.Description)
	p.rate("discount_rate", &v.DiscountRate, false)
	p.rate("sustainable_share", &v.SustainableShare, false)
	p.amount("min_payment", &v.MinPayment, false)
	p.int("max_term_months", &v.MaxTermMonths, false)
	p.rate("max_rate_cut", &v.MaxRateCut, false)
	p.rate("max_fee_waiver_share", &v.MaxFeeWaiverShare, false)
	p.rate("max_settlement_discount", &v.MaxSettlementDiscount, false)
	p.int("waiver_after_payments", &v.WaiverAfterPayments, false)
	p.int("settlement_due_days", &v.SettlementDueDays, false)
	p.int("settlement_instalments", &v.SettlementInstalments, false)
	if x, ok := p.sub("expenses", false); ok {
		if raw, ok := x.list("per_person"); ok {
			if len(raw) != 4 {
				p.r.bad(x.path+"per_person", "must list four amounts, for city tiers 1 to 4")
			}
			for i := range min(len(raw), 4) {
				x.value(raw[i], fmt.Sprintf("per_person[%d]", i), &v.Expenses.PerPerson[i])
			}
		}
		x.rate("additional_share", &v.Expenses.AdditionalShare, false)
		x.done()
	}
	if raw, ok := p.list("authority"); ok {
		v.Authority = AuthorityMatrix{}
		for i, item := range raw {
			m, isObj := item.(map[string]any)
			if !isObj {
				p.r.bad(fmt.Sprintf("%sauthority[%d]", p.path, i), "must be an object")
				continue
			}
			a := p.r.object(m, fmt.Sprintf("%sauthority[%d]", p.path, i))
			var au Authority
			var lvl string
			a.str("level", &lvl)
			au.Level = Level(lvl)
			au.MaxFeeWaiver = a.optAmount("max_fee_waiver")
			au.MaxInterestWaiver = a.optAmount("max_interest_waiver")
			au.MaxPrincipalDiscount = a.optRate("max_principal_discount")
			au.MaxRateCut = a.optRate("max_rate_cut")
			if a.has("max_term_months") {
				var n int
				if a.int("max_term_months", &n, false) {
					au.MaxTermMonths = &n
				}
			}
			a.done()
			v.Authority = append(v.Authority, au)
		}
	}
	p.done()
}
