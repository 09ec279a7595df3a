package compliance

import (
	"fmt"
	"testing"
)

func usCalls(days map[int]int, o Outcome, debts ...string) func(*Input) {
	return func(in *Input) {
		for d, n := range days {
			for i := range n {
				a := attempt(fmt.Sprintf("d%d-%d", d, i), fmt.Sprintf("2026-03-%02dT%02d:00:00-04:00", d, 9+i), []string{bPhone1, bPhone2}[i%2], o)
				a.Debts = debts
				in.History = append(in.History, a)
			}
		}
	}
}

func TestCheck_USTime(t *testing.T) {
	t.Parallel()
	zones := func(z ...string) func(*Input) { return func(in *Input) { in.Borrower.TimeZones = z } }
	runCases(t, []checkCase{
		{"08:00:00", usAt("2026-03-17T08:00:00-04:00"), Allow, nil},
		{"20:59:59", usAt("2026-03-17T20:59:59-04:00"), Allow, nil},
		{"21:00:00", usAt("2026-03-17T21:00:00-04:00"), Block, []string{RuleUSTime}},
		{"DST start day 08:30 EDT", usAt("2026-03-08T12:30:00Z"), Allow, nil},
		{"DST end day 07:30 EST", usAt("2026-11-01T12:30:00Z"), Block, []string{RuleUSTime}},
		{"Phoenix in July", usAt("2026-07-01T14:30:00Z", zones("America/Phoenix")), Block, []string{RuleUSTime}},
		{"Denver and Phoenix", usAt("2026-07-01T15:00:00Z", zones("America/Denver", "America/Phoenix")), Allow, nil},
		{"Honolulu", usAt("2026-03-17T17:30:00Z", zones("America/New_York", "Pacific/Honolulu")), Block, []string{RuleUSTime}},
	})
}

func TestCheck_US7in7(t *testing.T) {
	t.Parallel()
	runCases(t, []checkCase{
		{"six", usAt("2026-03-17T10:00:00-04:00", usCalls(map[int]int{12: 2, 14: 2, 16: 2}, NoAnswer)), Allow, nil},
		{"seven", usAt("2026-03-17T10:00:00-04:00", usCalls(map[int]int{12: 2, 14: 2, 16: 3}, NoAnswer)), Block, []string{RuleUS7in7}},
		{"eleventh is outside", usAt("2026-03-17T10:00:00-04:00", usCalls(map[int]int{10: 1, 12: 2, 14: 2, 16: 2}, NoAnswer)), Allow, nil},
		{"invalid numbers", usAt("2026-03-17T10:00:00-04:00", usCalls(map[int]int{12: 2, 14: 2, 16: 2}, NoAnswer), usCalls(map[int]int{15: 3}, InvalidNumber)), Allow, nil},
		{"other debt", usAt("2026-03-17T10:00:00-04:00", usCalls(map[int]int{12: 2, 14: 2, 16: 3}, NoAnswer, "L2")), Allow, nil},
		{"no debts recorded count for all", usAt("2026-03-17T10:00:00-04:00", usCalls(map[int]int{12: 2, 14: 2, 16: 3}, NoAnswer)), Block, []string{RuleUS7in7}},
	})

	// The window of the 10th in New York starts on the 4th in EST and ends
	// on the 11th in EDT: DST began on the 8th.
	d := gov.Check(usAt("2026-03-10T10:00:00-04:00", usCalls(map[int]int{4: 2, 5: 2, 9: 3}, NoAnswer)))
	got := detail(t, d, RuleUS7in7)
	if got.Count != 7 || got.Limit != 7 || got.WindowStart != "2026-03-04T00:00:00-05:00" || got.WindowEnd != "2026-03-11T00:00:00-04:00" {
		t.Errorf("detail = %+v", got)
	}
}

func TestCheck_USAfterConversation(t *testing.T) {
	t.Parallel()
	conv := func(at string, debts ...string) func(*Input) {
		a := attempt("c", at, bPhone2, Connected)
		a.Debts = debts
		return withHistory(a)
	}
	runCases(t, []checkCase{
		{"day 7", usAt("2026-03-17T10:00:00-04:00", conv("2026-03-11T20:00:00-04:00")), Block, []string{RuleUSAfterConversation}},
		{"day 8", usAt("2026-03-17T08:00:00-04:00", conv("2026-03-10T20:59:00-04:00")), Allow, nil},
		{"other debt", usAt("2026-03-17T10:00:00-04:00", conv("2026-03-16T10:00:00-04:00", "L2")), Allow, nil},
		{"several debts", usAt("2026-03-17T10:00:00-04:00", conv("2026-03-16T10:00:00-04:00", "L2", "L1")), Block, []string{RuleUSAfterConversation}},
		{"text is fine", usAt("2026-03-17T10:00:00-04:00", conv("2026-03-16T10:00:00-04:00"), withProposed(func(p *Proposed) { p.Channel = SMS })), Allow, nil},
	})
	d := gov.Check(usAt("2026-03-17T10:00:00-04:00", conv("2026-03-11T20:00:00-04:00")))
	got := detail(t, d, RuleUSAfterConversation)
	if got.Count != 7 || got.WindowStart != "2026-03-11T00:00:00-04:00" || got.WindowEnd != "2026-03-18T00:00:00-04:00" {
		t.Errorf("detail = %+v", got)
	}
}

func TestCheck_USSuspensions(t *testing.T) {
	t.Parallel()
	toAttorney := withProposed(func(p *Proposed) { p.Party, p.To = ToAttorney, "+12125550199" })
	runCases(t, []checkCase{
		{"cease", usAt("2026-03-17T10:00:00-04:00", withFlags(FlagCease)), Block, []string{RuleUSCease}},
		{"cease: remedy notice", usAt("2026-03-17T10:00:00-04:00", withFlags(FlagCease), withProposed(func(p *Proposed) { p.Channel, p.Purpose = Letter, PurposeRemedyNotice })), Allow, nil},
		{"attorney", usAt("2026-03-17T10:00:00-04:00", withFlags(FlagAttorneyRepresented)), Block, []string{RuleUSAttorney}},
		{"attorney: call the attorney", usAt("2026-03-17T10:00:00-04:00", withFlags(FlagAttorneyRepresented), toAttorney), Allow, nil},
		{"written dispute", usAt("2026-03-17T10:00:00-04:00", withFlags(FlagDisputeWritten)), Block, []string{RuleUSDispute}},
		{"written dispute: placement too", usAt("2026-03-17T10:00:00-04:00", withFlags(FlagDisputeWritten), withProposed(func(p *Proposed) { p.Channel, p.By = Placement, "agency-z" })), Block, []string{RuleUSDispute}},
		{"verification sent", usAt("2026-03-17T10:00:00-04:00", withFlags(FlagDisputeWritten, FlagVerificationSent)), Allow, nil},
	})
}

func TestCheck_USThirdPartyAndOptOut(t *testing.T) {
	t.Parallel()
	toMother := withProposed(func(p *Proposed) { p.Party, p.To, p.Contact, p.Purpose = ToContact, mother, "c1", PurposeLocate })
	prior := Attempt{At: ts("2026-03-12T10:00:00-04:00"), Channel: Call, To: mother, Party: ToContact, Outcome: NoAnswer}
	sms := func(text string) func(*Input) {
		return withProposed(func(p *Proposed) { p.Channel, p.Text = SMS, text })
	}
	runCases(t, []checkCase{
		{"location once", usAt("2026-03-17T10:00:00-04:00", toMother), Allow, nil},
		{"location twice", usAt("2026-03-17T10:00:00-04:00", toMother, withHistory(prior)), Block, []string{RuleUSThirdParty}},
		{"debt to mother", usAt("2026-03-17T10:00:00-04:00", toMother, withProposed(func(p *Proposed) { p.DisclosesDebt = true })), Block, []string{RuleUSThirdParty}},
		{"spouse", usAt("2026-03-17T10:00:00-04:00", withProposed(func(p *Proposed) { p.Party, p.Contact, p.To = ToContact, "c2", "" })), Allow, nil},
		{"text with STOP", usAt("2026-03-17T10:00:00-04:00", sms("Call us. Reply STOP to opt out.")), Allow, nil},
		{"text without opt-out", usAt("2026-03-17T10:00:00-04:00", sms("Call us.")), Block, []string{RuleUSOptOut}},
		{"opted out of this number", usAt("2026-03-17T10:00:00-04:00", sms("Call us. Reply STOP to opt out."), func(in *Input) {
			in.Borrower.OptOuts = []OptOut{{Channel: SMS, Address: "+86 138 0013 8000"}}
		}), Block, []string{RuleUSOptOut}},
		{"abuse", usAt("2026-03-17T10:00:00-04:00", sms("You deadbeat. Reply STOP to opt out.")), Block, []string{RuleUSAbuse}},
	})
}
