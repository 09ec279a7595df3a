package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"accord/internal/date"
)

// checkUS applies the United States profile (Regulation F).
func (g *Governor) checkUS(f *facts) {
	p := f.p
	if p.Channel == Placement {
		f.checkUSDispute()
		g.checkContent(f)
		f.checkVulnerable(RuleVulnerableAutomation)
		return
	}
	f.contact = f.recipientContact()
	f.checkTime(RuleUSTime)
	f.checkUSCease()
	f.checkUSAttorney()
	g.checkUSThirdParty(f)
	g.checkUSOptOut(f)
	f.checkUSDispute()
	if p.Channel == Call && f.usConsumer() {
		f.checkUSCalls()
	}
	g.checkContent(f)
	f.checkVulnerable(RuleVulnerableAutomation)
}

// checkUSCease applies R23: after a written refusal to pay or request to
// stop, only a notice that efforts end or that a remedy may be or will be
// invoked is allowed.
func (f *facts) checkUSCease() {
	if !f.flags.has(fCease) || f.p.Party == ToAttorney ||
		f.p.Purpose == PurposeCeaseConfirmation || f.p.Purpose == PurposeRemedyNotice {
		return
	}
	f.fire(RuleUSCease, Block, Text{
		ZH: "消费者已书面要求停止联系，仅可发送终止或救济措施通知。",
		EN: "The consumer asked in writing to stop; only a termination or remedy notice may be sent.",
	})
}

// checkUSAttorney applies R21: a consumer represented about the debt is
// contacted only through the attorney, unless the attorney consents or
// fails to respond.
func (f *facts) checkUSAttorney() {
	if !f.flags.has(fAttorney) || f.flags.has(fAttorneyConsented) || f.p.Party == ToAttorney {
		return
	}
	f.fire(RuleUSAttorney, Block, Text{
		ZH: "消费者有律师代理，只能联系其律师。",
		EN: "The consumer is represented by an attorney; contact the attorney only.",
	})
}

// checkUSThirdParty applies R24, R25 and R34: no communication about the
// debt with anyone but the consumer (a spouse, parent of a minor, guardian,
// executor or administrator counts as the consumer) or their attorney. A
// third party may be asked once for location information, without any
// mention of the debt. Nothing goes on a channel the public can see.
func (g *Governor) checkUSThirdParty(f *facts) {
	p := f.p
	var failed []string
	if public(p.Channel) || p.Party == ToPublic {
		failed = append(failed, "public_channel")
	} else if f.usConsumer() || p.Party == ToAttorney {
		return
	}
	if p.Purpose != PurposeLocate {
		failed = append(failed, "not_location_request")
	}
	if s := g.text(f); p.DisclosesDebt || len(s.Debt) > 0 {
		failed = append(failed, "debt_facts_to_third_party")
	}
	prior := f.count(func(a *Attempt) bool { return !a.Inbound && f.samePerson(a) })
	if prior > 0 {
		failed = append(failed, "repeat_location_contact")
	}
	if len(failed) == 0 {
		return
	}
	d := f.fire(RuleUSThirdParty, Block, Text{
		ZH: "不得与第三方沟通债务；向第三方询问下落仅限一次且不得提及债务：" + strings.Join(failed, ", "),
		EN: "No debt communication with third parties; a location request is allowed once and may not mention the debt: " + strings.Join(failed, ", ") + ".",
	})
	d.Failed, d.Count, d.Limit = failed, prior, 1
}

// usConsumer reports whether the recipient counts as the consumer
// (12 CFR 1006.6(a)).
func (f *facts) usConsumer() bool {
	if f.p.Party == ToBorrower {
		return true
	}
	return f.p.Party == ToContact && f.contact != nil && slices.Contains(consumerRelations, strings.ToLower(f.contact.Relationship))
}

// checkUSOptOut applies R31 and R32: a channel or address the consumer
// opted out of is not used, except for one confirmation of the opt-out; and
// every text or email carries an opt-out instruction.
func (g *Governor) checkUSOptOut(f *facts) {
	p := f.p
	var failed []string
	for _, o := range f.in.Borrower.OptOuts {
		if o.Channel != p.Channel || (o.Address != "" && !sameAddress(o.Address, p.To)) {
			continue
		}
		confirmed := f.count(func(a *Attempt) bool {
			return a.Channel == p.Channel && a.Purpose == PurposeOptOutConfirmation && !a.Inbound
		}) > 0
		if p.Purpose != PurposeOptOutConfirmation || confirmed {
			failed = append(failed, "opted_out")
		}
		break
	}
	if (p.Channel == SMS || p.Channel == Email) && p.Text != "" && p.Purpose != PurposeOptOutConfirmation && !g.text(f).OptOut {
		failed = append(failed, "optout_instruction_missing")
	}
	if len(failed) == 0 {
		return
	}
	d := f.fire(RuleUSOptOut, Block, Text{
		ZH: "消费者已退订该渠道或地址，或电子消息缺少退订方式：" + strings.Join(failed, ", "),
		EN: "The consumer opted out of this channel or address, or the electronic message lacks an opt-out instruction: " + strings.Join(failed, ", ") + ".",
	})
	d.Failed = failed
}

func sameAddress(a, b string) bool {
	if strings.Contains(a, "@") {
		return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
	}
	return samePhone(a, b)
}

// checkUSDispute applies R40: a written dispute within the validation
// period suspends collection until verification is sent.
func (f *facts) checkUSDispute() {
	if !f.flags.has(fDisputeWritten) || f.flags.has(fVerificationSent) || f.p.Purpose == PurposeVerification {
		return
	}
	f.fire(RuleUSDispute, Block, Text{
		ZH: "验证期内收到书面异议，在发送核实材料前暂停催收。",
		EN: "A written dispute in the validation period suspends collection until verification is sent.",
	})
}

// checkUSCalls counts the calls to the consumer called (the borrower or a
// person who counts as the consumer), per debt, in the
// borrower's local days of every candidate zone (X1):
//   - R26 US-7IN7: the proposal may not be the 8th call placed in the
//     7 consecutive days ending today. Calls that never reached a line
//     (invalid_number), inbound calls and calls under a consent (R28) do
//     not count.
//   - R27 US-AFTER-CONVERSATION: no call about a debt during the 7 days
//     that start with a telephone conversation about it, whoever called.
//
// A call placed under an active call_frequency consent is excluded from
// both (R28(i)).
func (f *facts) checkUSCalls() {
	p := f.p
	debts := p.Debts
	if len(debts) == 0 {
		debts = []string{""}
	}
	consentEnd, consentStart := f.callConsent()
	if f.at >= consentStart && f.at < consentEnd {
		return
	}
	nz, nd := len(f.zones), len(debts)
	var buf [64]int
	counts := buf[:0]
	if nz*nd <= len(buf) {
		counts = buf[:nz*nd]
	} else {
		counts = make([]int, nz*nd)
	}
	var conv *Attempt
	convZone := 0
	for i := range f.in.History {
		a := &f.in.History[i]
		u := a.At.UnixNano()
		if a.Channel != Call || u >= f.at || u < f.zones[0].weekStart-2*nsPerDay || !f.samePerson(a) {
			continue // the 2-day margin covers the other candidate zones
		}
		placed := !a.Inbound && a.Outcome != InvalidNumber && (u < consentStart || u >= consentEnd)
		for z := range f.zones {
			l := &f.zones[z]
			if u < l.weekStart {
				continue
			}
			for k, d := range debts {
				if !coversDebt(a.Debts, d) {
					continue
				}
				if placed {
					counts[z*nd+k]++
				}
				if a.Outcome == Connected && (conv == nil || u > conv.At.UnixNano()) {
					conv, convZone = a, z
				}
			}
		}
	}
	if i, n := maxAt(counts); n >= f.lim.maxCalls7 {
		l, debt := &f.zones[i/nd], debts[i%nd]
		d := f.fire(RuleUS7in7, Block, Text{
			ZH: fmt.Sprintf("连续7日内已就该债务致电此人 %d 次（上限 %d 次）。", n, f.lim.maxCalls7),
			EN: fmt.Sprintf("%d calls to this person about the debt in the 7 consecutive days ending %s (limit %d).", n, l.day, f.lim.maxCalls7),
		})
		d.Count, d.Limit, d.TimeZone = n, f.lim.maxCalls7, l.name
		d.WindowStart, d.WindowEnd = l.format(l.weekStart), l.format(l.dayEnd)
		d.Evidence = f.evidence(func(a *Attempt) bool {
			u := a.At.UnixNano()
			return a.Channel == Call && !a.Inbound && a.Outcome != InvalidNumber && f.samePerson(a) &&
				u >= l.weekStart && (u < consentStart || u >= consentEnd) && coversDebt(a.Debts, debt)
		})
	}
	if conv != nil {
		l := &f.zones[convZone]
		ct := conv.At.In(l.loc)
		y, m, dd := ct.Date()
		start, end := time.Date(y, m, dd, 0, 0, 0, 0, l.loc), time.Date(y, m, dd+7, 0, 0, 0, 0, l.loc)
		day := int(l.day.Sub(date.FromTime(ct))) + 1
		d := f.fire(RuleUSAfterConversation, Block, Text{
			ZH: fmt.Sprintf("%s 已就该债务通话，通话日为第1天，今天是第 %d 天；第8天（%s）起才可再次致电。", start.Format(time.DateOnly), day, end.Format(time.DateOnly)),
			EN: fmt.Sprintf("A telephone conversation about the debt on %s starts a 7-day period (today is day %d); the next call is allowed on %s.", start.Format(time.DateOnly), day, end.Format(time.DateOnly)),
		})
		d.Count, d.Limit, d.TimeZone = day, 7, l.name
		d.WindowStart, d.WindowEnd = start.Format(time.RFC3339), end.Format(time.RFC3339)
		if conv.ID != "" {
			d.Evidence = []string{conv.ID}
		}
	}
}

const nsPerDay = int64(24 * time.Hour)

// callConsent returns the period in which calls are excluded from the
// 7-in-7 count by the consumer's prior consent (R28(i)): from when it was
// given to the earliest of its expiry and the end of the 7th local day,
// the day of receipt being day 1, in every candidate zone.
func (f *facts) callConsent() (end, start int64) {
	for i := range f.in.Borrower.Consents {
		c := &f.in.Borrower.Consents[i]
		if c.Kind != ConsentCallFrequency || (c.Channel != "" && c.Channel != Call) ||
			(!c.RevokedAt.IsZero() && !c.RevokedAt.After(c.GivenAt)) || f.p.Party != ToBorrower {
			continue
		}
		e := c.Expires
		if !c.RevokedAt.IsZero() && c.RevokedAt.Before(e) {
			e = c.RevokedAt
		}
		for z := range f.zones {
			g := c.GivenAt.In(f.zones[z].loc)
			y, m, d := g.Date()
			if d7 := time.Date(y, m, d+7, 0, 0, 0, 0, f.zones[z].loc); d7.Before(e) {
				e = d7
			}
		}
		return e.UnixNano(), c.GivenAt.UnixNano()
	}
	return 0, 0
}
