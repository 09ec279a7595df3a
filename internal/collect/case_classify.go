package collect

import (
	"fmt"
	"slices"
	"strings"

	"accord/internal/casework"
	"accord/internal/classify"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// classify brings an open case's delinquency facts up to date and grades
// it: bucket, risk tier and segment, each with its reasons. A change of
// tier or segment is recorded on the timeline.
func (r *caseRun) classify(w *caseWork, ch *sqlstore.CaseChunk, sigs map[int64]loanSignal) {
	c, cfg := &w.c, r.cfg.Classify
	loans := w.caseLoans()
	c.DPD, c.Overdue, c.Balance, c.Loans, c.Products = 0, 0, 0, 0, nil
	for _, l := range loans {
		c.DPD = max(c.DPD, l.Position.DPD)
		c.Overdue += l.Position.OverdueTotal()
		c.Balance += outstanding(l.Position)
		if l.Position.DPD > 0 {
			c.Loans++
		}
		if !slices.Contains(c.Products, l.ProductCode) {
			c.Products = append(c.Products, l.ProductCode)
		}
	}
	c.Bucket, c.BucketRank = cfg.Buckets.Of(c.DPD), cfg.Buckets.Rank(c.DPD)
	c.MaxBucketRank = max(c.MaxBucketRank, c.BucketRank)
	c.Paid30d = 0
	for _, id := range c.LoanIDs {
		for _, p := range ch.Payments[id] {
			c.Paid30d += p.Amount
		}
	}
	c.Flags, c.Language, c.Region, c.HasPhone = w.borrower.Flags, w.borrower.Language, w.borrower.Region, w.borrower.Phone != ""
	w.contacts = ch.Contacts[c.ID]
	r.countContacts(w)

	tier, tierReasons := cfg.Tiers.Tier(c.DPD, c.Overdue)
	a := cfg.Segments.Assess(r.segmentSignals(w, sigs), r.asOf)
	c.Tier, c.Segment = tier, a.Segment
	c.Reasons = append(slices.Clip(tierReasons), a.Reasons...)
	if w.isNew || tier != w.before.Tier || a.Segment != w.before.Segment {
		w.add(sqlstore.EventClassified, string(tier)+"/"+string(a.Segment),
			fmt.Sprintf("分级：%s，%s风险，%s", c.Bucket, tierZH[tier], segmentZH[a.Segment]),
			fmt.Sprintf("Graded %s, %s risk, segment %s", c.Bucket, tier, a.Segment),
			map[string]any{"bucket": c.Bucket, "dpd": c.DPD, "overdue": c.Overdue, "tier": tier, "segment": a.Segment,
				"reasons": c.Reasons}, "classified:"+r.asOf.String())
	}
}

var tierZH = map[classify.Tier]string{classify.Low: "低", classify.Medium: "中", classify.High: "高"}

var segmentZH = map[classify.Segment]string{classify.WillingAble: "有意愿有能力", classify.WillingUnable: "有意愿无能力",
	classify.UnwillingAble: "无意愿有能力", classify.UnwillingUnable: "无意愿无能力"}

// countContacts counts the contact attempts of the last 7 days.
func (r *caseRun) countContacts(w *caseWork) {
	w.c.Attempts7d, w.c.Connected7d = 0, 0
	since := r.asOf.AddDays(-6)
	for _, m := range w.contacts {
		if m.On.Before(since) {
			continue
		}
		w.c.Attempts7d++
		if m.Outcome == string(compliance.Connected) {
			w.c.Connected7d++
		}
	}
}

// segmentSignals gathers the segment's signals for a case: payment history
// from the replayed loans, payments since the case opened, promises and
// contacts from the case, income from the borrower.
func (r *caseRun) segmentSignals(w *caseWork, sigs map[int64]loanSignal) classify.Signals {
	c := &w.c
	var loanSigs []loanSignal
	var monthly money.Amount
	for _, l := range w.loans {
		if s, ok := sigs[l.ID]; ok && openLoan(l.Status) {
			loanSigs = append(loanSigs, s)
			monthly += s.monthly
		}
	}
	due, ontime := onTime(loanSigs, r.cfg.SignalInstallments)
	s := classify.Signals{InstallmentsDue: due, InstallmentsOnTime: ontime, PromisesKept: c.PromisesKept,
		PromisesBroken: c.PromisesBroken, LastConnected: c.LastConnectedOn, MonthlyDue: monthly,
		MonthlyIncome: w.borrower.Income, Hardship: c.Hardship}
	s.PaymentsWhileDelinquent = len(w.known) + len(w.pays)
	return r.withContacts(s, w)
}

// withContacts adds the contact attempts of the contact window.
func (r *caseRun) withContacts(s classify.Signals, w *caseWork) classify.Signals {
	for _, m := range w.contacts {
		s.Attempts++
		if m.Outcome == string(compliance.Connected) {
			s.Connected++
		}
	}
	return s
}

// caseFacts is what the strategy's conditions see about case c on asOf.
func caseFacts(c *sqlstore.Case, asOf date.Date, arm string) strategy.Facts {
	f := strategy.Facts{CaseID: c.ID, BorrowerID: c.BorrowerID, Bucket: c.Bucket, BucketRank: c.BucketRank,
		Tier: string(c.Tier), Segment: string(c.Segment), DPD: c.DPD, Paid30d: strategy.Yuan(c.Paid30d),
		DaysSinceLastContact: strategy.NeverContacted, DaysInCase: asOf.Sub(c.OpenedOn),
		BrokenPromises: c.PromisesBroken, PromisesKept: c.PromisesKept, OpenPromise: !c.PromiseDue.IsZero(),
		Attempts7d: c.Attempts7d, Connected7d: c.Connected7d, Flags: nonNilStrings(c.Flags), Loans: c.Loans,
		Products: nonNilStrings(c.Products), Language: c.Language, Region: c.Region, HasPhone: c.HasPhone,
		AgencyPlaced: c.Owner.Kind == casework.ToAgency, Arm: arm}
	if !c.LastConnectedOn.IsZero() {
		f.DaysSinceLastContact = asOf.Sub(c.LastConnectedOn)
	}
	f.DaysSinceBrokenPromise = strategy.NeverBroken
	if !c.PromiseBrokenOn.IsZero() {
		f.DaysSinceBrokenPromise = asOf.Sub(c.PromiseBrokenOn)
	}
	f.SetAmounts(c.Overdue, c.Balance)
	f.NoScoreFacts()
	return f
}

// withScore sets f's score facts from the borrower's latest cure score, if
// there is one (sc is nil otherwise).
func withScore(f strategy.Facts, sc *sqlstore.LatestScore, asOf date.Date) strategy.Facts {
	if sc != nil {
		f.SetScore(sc.Probability, asOf.Sub(sc.AsOf), sc.Reasons)
	}
	return f
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// evaluate runs the case's strategy version over its facts and prepares
// its assignment view. A change of deciding rule is recorded.
func (r *caseRun) evaluate(w *caseWork) {
	c := &w.c
	w.dropEvents(sqlstore.EventTreatment)
	prog, version, arm, exp := r.st.pick(c.BorrowerID)
	c.StrategyID, c.Arm, c.ExperimentID = version, arm, exp
	res, _ := prog.Evaluate(withWarnings(withScore(caseFacts(c, r.asOf, arm), r.scoreOf(c.BorrowerID), r.asOf), r.warnings))
	w.prog, w.result, w.treat = prog, res, treatmentsOf(prog, res)
	if res.RuleName != w.before.Rule || version != w.before.StrategyID || w.isNew {
		c.Rule, c.RuleSince = res.RuleName, r.asOf
		w.add(sqlstore.EventTreatment, res.RuleName, fmt.Sprintf("策略规则「%s」生效：%s", res.RuleName, describe(w.treat, true)),
			fmt.Sprintf("Strategy rule %q applies: %s", res.RuleName, describe(w.treat, false)),
			map[string]any{"strategy_id": version, "arm": arm, "rule": res.RuleName, "matched": res.Matched},
			fmt.Sprintf("treatment:%d:%s", version, r.asOf))
	}
	c.Queue, w.placement = "", nil
	for _, t := range w.treat {
		switch {
		case t.t.Kind == strategy.Call && c.Queue == "":
			c.Queue = t.t.Queue
		case t.t.Kind == strategy.NegotiationOffer && c.Queue == "":
			c.Queue = "negotiation"
		case t.t.Kind == strategy.AgencyPlacement && w.placement == nil:
			w.placement = t.t.Agency
		}
	}
	w.view = casework.CaseView{CaseID: c.ID, BorrowerID: c.BorrowerID, Bucket: c.Bucket, Language: c.Language,
		Region: c.Region, Queue: c.Queue, Balance: c.Balance, Owner: c.Owner, OwnerSince: c.OwnerSince,
		LastProgress: c.LastProgressOn, RecallOn: c.RecallOn, Locked: c.Locked}
	if p := w.placement; p != nil {
		w.view.Placement = &casework.Placement{MaxCommission: p.MaxCommission, Days: p.Days, SameRegion: p.SameRegion}
	}
}

// describe lists treatments for the timeline.
func describe(ts []ruleTreatment, zh bool) string {
	if len(ts) == 0 {
		if zh {
			return "无处置"
		}
		return "no treatment"
	}
	parts := make([]string, len(ts))
	for i, t := range ts {
		s := string(t.t.Kind)
		switch {
		case t.t.Queue != "":
			s += "(" + t.t.Queue + ")"
		case t.t.Template != "":
			s += "(" + t.t.Template + ")"
		case t.t.Offer != "":
			s += "(" + t.t.Offer + ")"
		}
		parts[i] = s
	}
	return strings.Join(parts, ", ")
}
