package compliance

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"accord/internal/auth"
	"accord/internal/calendar"
	"accord/internal/pii"
)

// checkCN applies the China profile.
func (g *Governor) checkCN(f *facts) {
	f.dayKind = g.cal.Kind(f.zones[0].day)
	f.checkCNDispute() // requests.go
	f.checkStopContact(RuleCNStopContact)
	if f.p.Channel == Placement {
		f.checkCNOutsourcing()
		g.checkContent(f)
		f.checkVulnerable(RuleVulnerableAutomation)
		return
	}
	f.contact = f.recipientContact()
	outside := f.checkTime(RuleCNTimeQuiet)
	if f.p.Channel == Call {
		f.checkCNFrequency()
	}
	g.checkCNHoliday(f)
	f.checkCNThirdParty()
	g.checkCNDisclosure(f)
	g.checkContent(f)
	if f.p.Channel == Visit {
		f.checkCNVisit(outside)
	}
	f.checkVulnerable(RuleVulnerableAutomation)
}

// checkCNFrequency counts today's calls in every candidate zone:
//   - R02 CN-FREQ-CONNECTED: connected calls to the borrower, over all their
//     numbers, by the lender and every agency together;
//   - R03 CN-FREQ-UNANSWERED: unanswered attempts to the proposed number.
//
// A call that would exceed either count is blocked. "Today" is the
// borrower's local calendar day.
func (f *facts) checkCNFrequency() {
	p := f.p
	var conn, unans [maxZones]int
	for i := range f.in.History {
		a := &f.in.History[i]
		if a.Channel != Call || a.Inbound {
			continue
		}
		u := a.At.UnixNano()
		if u >= f.at {
			continue
		}
		for z := range f.zones {
			l := &f.zones[z]
			if u < l.dayStart || u >= l.dayEnd {
				continue
			}
			if a.Outcome == Connected {
				if a.toBorrower() {
					conn[z]++
				}
			} else if samePhone(a.To, p.To) {
				unans[z]++
			}
		}
	}
	if p.Party == ToBorrower {
		if z, n := maxAt(conn[:len(f.zones)]); n >= f.lim.maxConnected {
			l := &f.zones[z]
			d := f.fire(RuleCNFreqConnected, Block, Text{
				ZH: fmt.Sprintf("借款人当地 %s 已接通 %d 次（上限 %d 次，含贷款机构与所有委外机构），当日不得再拨打。", l.day, n, f.lim.maxConnected),
				EN: fmt.Sprintf("%d connected calls on %s local day (limit %d, lender and agencies together); no more calls today.", n, l.day, f.lim.maxConnected),
			})
			f.dayWindow(d, l, n, f.lim.maxConnected)
			d.Evidence = f.evidence(func(a *Attempt) bool {
				return a.Channel == Call && !a.Inbound && a.Outcome == Connected && a.toBorrower() && f.inDay(a, l)
			})
		}
	}
	limit := f.lim.maxUnanswered
	if n, ok := f.consentLimit(); ok {
		limit = n // R17: a recorded agreement overrides R03
	}
	if z, n := maxAt(unans[:len(f.zones)]); n >= limit {
		l := &f.zones[z]
		d := f.fire(RuleCNFreqUnanswered, Block, Text{
			ZH: fmt.Sprintf("号码 %s 在借款人当地 %s 已有 %d 次未接通（上限 %d 次）。", pii.MaskPhone(p.To), l.day, n, limit),
			EN: fmt.Sprintf("%d unanswered attempts to %s on %s local day (limit %d).", n, pii.MaskPhone(p.To), l.day, limit),
		})
		f.dayWindow(d, l, n, limit)
		d.Evidence = f.evidence(func(a *Attempt) bool {
			return a.Channel == Call && !a.Inbound && a.Outcome != Connected && samePhone(a.To, p.To) && f.inDay(a, l)
		})
	}
}

// consentLimit returns the per-number attempt limit of an active consent.
func (f *facts) consentLimit() (int, bool) {
	if f.p.Party != ToBorrower {
		return 0, false
	}
	for i := range f.in.Borrower.Consents {
		c := &f.in.Borrower.Consents[i]
		if c.Kind == ConsentUnansweredAttempts && f.activeConsent(c) {
			return c.Limit, true
		}
	}
	return 0, false
}

// checkCNHoliday applies the no_holiday_contact policy (R16, Accord default
// on): no outbound human contact and no visit on a statutory holiday in any
// candidate zone. An adjusted working day is a working day. Automated
// messages are not human contact.
func (g *Governor) checkCNHoliday(f *facts) {
	if !f.lim.noHoliday || !timed(f.p.Channel) || (f.automated && f.p.Channel != Visit) {
		return
	}
	for z := range f.zones {
		l := &f.zones[z]
		if day := g.cal.Day(l.day); day.Kind == calendar.Holiday {
			d := f.fire(RuleCNHoliday, f.lim.holidayAction, Text{
				ZH: fmt.Sprintf("借款人当地 %s 是法定节假日（%s），按政策不进行人工联系或外访。", l.day, day.Name.ZH),
				EN: fmt.Sprintf("%s is a statutory holiday (%s) where the borrower is; policy forbids human contact and visits.", l.day, day.Name.EN),
			})
			d.DayKind, d.TimeZone = calendar.Holiday, l.name
			d.WindowStart, d.WindowEnd = l.format(l.dayStart), l.format(l.dayEnd)
			return
		}
	}
	for z := range f.zones {
		if y, _, _ := f.zones[z].day.Parts(); !g.cal.Covers(y) {
			d := f.fire(RuleCNHoliday, Warn, Text{
				ZH: fmt.Sprintf("节假日日历缺少 %d 年数据，无法判断是否为法定节假日。", y),
				EN: fmt.Sprintf("The holiday calendar has no data for %d; holidays cannot be checked.", y),
			})
			d.Failed = []string{"calendar_missing_year"}
			return
		}
	}
}

// checkCNThirdParty limits contact with anyone but the borrower (R04, R05,
// R06): only a registered contact, only once the borrower is in lost
// contact, and only to ask where the borrower is or to pass a message on. A
// debt-related third party on file (debt_related_approved) may be contacted
// with compliance approval.
func (f *facts) checkCNThirdParty() {
	p := f.p
	switch p.Party {
	case ToBorrower, ToAttorney, ToRepresentative, ToPublic:
		return
	}
	c := f.contact
	if p.Party == ToContact && c != nil && c.Registered && hasFlag(c.Flags, FlagDebtRelatedApproved) {
		f.needApproval(RuleCNThirdParty, auth.Compliance, Text{
			ZH: "联系债务相关第三人（已有法律认定）须经合规审批。",
			EN: "Contact with a debt-related third party (legal determination on file) needs compliance approval.",
		})
		return
	}
	var failed []string
	if p.Party != ToContact || c == nil || !c.Registered {
		failed = append(failed, "not_registered_contact")
	}
	lost, failures := f.lostContact()
	if !lost {
		failed = append(failed, "borrower_not_lost_contact")
	}
	if p.Purpose != PurposeLocate && p.Purpose != PurposeMessage {
		failed = append(failed, "purpose_not_locate_or_message")
	}
	if len(failed) == 0 {
		return
	}
	d := f.fire(RuleCNThirdParty, Block, Text{
		ZH: "仅可在借款人失联时联系其登记联系人，且只能询问下落或请其转告：" + strings.Join(failed, ", "),
		EN: "A third party may be contacted only when the borrower is in lost contact, only if registered, and only to ask their whereabouts or pass a message: " + strings.Join(failed, ", ") + ".",
	})
	d.Failed, d.Count, d.Limit = failed, failures, f.lim.lostContact
}

// lostContact reports whether the borrower is in lost contact (失联, R05):
// flagged so, every own number found invalid, or at least lim.lostContact
// consecutive failed calls with no successful contact since. It also
// returns the number of failed calls since the last successful contact.
func (f *facts) lostContact() (bool, int) {
	last := int64(math.MinInt64)
	for i := range f.in.History {
		a := &f.in.History[i]
		if u := a.At.UnixNano(); a.toBorrower() && u < f.at && (a.Inbound || a.Outcome == Connected) && u > last {
			last = u
		}
	}
	failures := 0
	invalid := 0
	phones := f.in.Borrower.Phones
	for i := range f.in.History {
		a := &f.in.History[i]
		u := a.At.UnixNano()
		if !a.toBorrower() || a.Inbound || a.Channel != Call || u <= last || u >= f.at {
			continue
		}
		failures++
		if a.Outcome == InvalidNumber {
			invalid++
		}
	}
	allInvalid := len(phones) > 0 && invalid > 0 && !slices.ContainsFunc(phones, func(ph string) bool {
		return !slices.ContainsFunc(f.in.History, func(a Attempt) bool {
			u := a.At.UnixNano()
			return a.toBorrower() && a.Outcome == InvalidNumber && u > last && u < f.at && samePhone(a.To, ph)
		})
	})
	return f.flags.has(fLostContact) || failures >= f.lim.lostContact || allInvalid, failures
}

// checkCNDisclosure keeps debt facts private (R07): nothing on a public or
// group channel, nothing to an employer, and no debt facts to anyone but
// the borrower, their lawyer or representative, or an approved debt-related
// party.
func (g *Governor) checkCNDisclosure(f *facts) {
	p := f.p
	var failed []string
	if public(p.Channel) || p.Party == ToPublic {
		failed = append(failed, "public_channel")
	}
	if p.Party == ToEmployer {
		failed = append(failed, "employer")
	}
	var matched []string
	if !f.mayHearDebt() {
		if s := g.text(f); p.DisclosesDebt || len(s.Debt) > 0 {
			failed = append(failed, "debt_facts_to_third_party")
			matched = s.Debt
		}
	}
	if len(failed) == 0 {
		return
	}
	d := f.fire(RuleCNDisclosure, Block, Text{
		ZH: "不得向借款人以外的人员、单位或公开渠道披露债务信息：" + strings.Join(failed, ", "),
		EN: "Debt facts may not reach anyone but the borrower, nor an employer, a group or the public: " + strings.Join(failed, ", ") + ".",
	})
	d.Failed, d.Matched = failed, matched
}

// mayHearDebt reports whether the recipient may be told debt facts.
func (f *facts) mayHearDebt() bool {
	switch f.p.Party {
	case ToBorrower, ToAttorney, ToRepresentative:
		return !public(f.p.Channel)
	case ToContact:
		return f.contact != nil && f.contact.Registered && hasFlag(f.contact.Flags, FlagDebtRelatedApproved)
	}
	return false
}
