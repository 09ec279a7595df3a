package compliance

import (
	"testing"
	"time"
)

func TestCheck_UK(t *testing.T) {
	t.Parallel()
	visit := func(notice time.Duration, purpose string) func(*Input) {
		return withProposed(func(p *Proposed) {
			p.Channel, p.To, p.VisitPurpose = Visit, "10 High St", purpose
			if notice > 0 {
				p.NoticeSentAt = p.At.Add(-notice)
			}
		})
	}
	week := 7 * 24 * time.Hour
	runCases(t, []checkCase{
		{"plain call", ukAt("2026-03-17T10:00:00Z"), Allow, nil},
		{"21:00", ukAt("2026-03-17T21:00:00Z"), Block, []string{RuleUKTime}},
		{"oral dispute", ukAt("2026-03-17T10:00:00Z", withFlags(FlagDisputed)), Block, []string{RuleUKDispute}},
		{"dispute resolved", ukAt("2026-03-17T10:00:00Z", withFlags(FlagDisputed, FlagDisputeResolved)), Allow, nil},
		{"capacity", ukAt("2026-03-17T10:00:00Z", withFlags(FlagCapacityConcern)), Block, []string{RuleUKCapacity}},
		{"capacity: representative", ukAt("2026-03-17T10:00:00Z", withFlags(FlagCapacityConcern), withProposed(func(p *Proposed) { p.Party, p.To = ToRepresentative, "+447700900999" })), Allow, nil},
		{"vulnerable human", ukAt("2026-03-17T10:00:00Z", withFlags(FlagMentalHealth)), Warn, []string{RuleUKVulnerable}},
		{"vulnerable automated", ukAt("2026-03-17T10:00:00Z", withFlags(FlagMentalHealth), withProposed(func(p *Proposed) { p.Automated = true })), Block, []string{RuleUKVulnerable}},
		{"initial visit, a week's notice", ukAt("2026-03-17T10:00:00Z", visit(week, "plan")), Approval, []string{RuleUKVisitNotice}},
		{"initial visit, a second short", ukAt("2026-03-17T10:00:00Z", visit(week-time.Second, "plan")), Block, []string{RuleUKVisitNotice}},
		{"tenant 10 days", ukAt("2026-03-17T10:00:00Z", visit(8*24*time.Hour, "plan"), withPolicy(func(p *Policy) { p.UKVisitNoticeDays = 10 })), Block, []string{RuleUKVisitNotice}},
		{"no purpose", ukAt("2026-03-17T10:00:00Z", visit(week, "")), Block, []string{RuleUKVisitNotice}},
		{"pressure", ukAt("2026-03-17T10:00:00Z", withProposed(func(p *Proposed) { p.Channel, p.Text = SMS, "Sell your car to pay this today." })), Block, []string{RuleUKContent}},
	})
}

func TestCheck_Vulnerable(t *testing.T) {
	t.Parallel()
	auto := withProposed(func(p *Proposed) { p.By = "system" })
	for _, j := range []Jurisdiction{CN, US, UK} {
		rule := RuleVulnerableAutomation
		if j == UK {
			rule = RuleUKVulnerable
		}
		in := newInput(j, "Asia/Shanghai", "2026-03-10T10:00:00+08:00", withFlags(FlagOldAge), auto)
		d := gov.Check(in)
		if d.Action != Block || !d.Fired(rule) || d.Route != RouteSpecialist {
			t.Errorf("%s automated: %s %v route %q", j, d.Action, d.Rules, d.Route)
		}
		in.Proposed.By = "lender"
		if d := gov.Check(in); d.Action != Warn || !d.Fired(rule) || d.Route != RouteSpecialist {
			t.Errorf("%s human: %s %v route %q", j, d.Action, d.Rules, d.Route)
		}
	}
}

func TestCheck_FailClosed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     Input
		failed string
	}{
		{"unknown zone", cnAt("2026-03-10T10:00:00+08:00", func(in *Input) { in.Borrower.TimeZones = []string{"Mars/Olympus"} }), "time_zone_unknown:Mars/Olympus"},
		{"one of two zones unknown", cnAt("2026-03-10T10:00:00+08:00", func(in *Input) { in.Borrower.TimeZones = append(in.Borrower.TimeZones, "") }), "time_zone_unknown:"},
		{"no zone", cnAt("2026-03-10T10:00:00+08:00", func(in *Input) { in.Borrower.TimeZones = nil }), "time_zone_missing"},
		{"no identity", cnAt("2026-03-10T10:00:00+08:00", func(in *Input) { in.Borrower.ID = "" }), "borrower_id_missing"},
		{"unknown profile", cnAt("2026-03-10T10:00:00+08:00", func(in *Input) { in.Jurisdiction = "FR" }), "jurisdiction_unknown:FR"},
		{"unknown channel", cnAt("2026-03-10T10:00:00+08:00", withProposed(func(p *Proposed) { p.Channel = "fax" })), "channel_unknown:fax"},
		{"not the borrower's email", usAt("2026-03-17T10:00:00-04:00", withProposed(func(p *Proposed) { p.Channel, p.To = Email, "x@example.com" })), "to_not_borrower_email"},
		{"consent kind", cnAt("2026-03-10T10:00:00+08:00", func(in *Input) {
			in.Borrower.Consents = []Consent{{Kind: "anytime", Expires: ts("2027-01-01T00:00:00Z")}}
		}), "consent_0_kind_unknown"},
		{"call consent without given_at", usAt("2026-03-17T10:00:00-04:00", func(in *Input) {
			in.Borrower.Consents = []Consent{{Kind: ConsentCallFrequency, Expires: ts("2027-01-01T00:00:00Z")}}
		}), "consent_0_given_at_missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := gov.Check(tt.in)
			if d.Action != Block || len(d.Rules) != 1 || d.Rules[0] != RuleFailClosed {
				t.Fatalf("Check() = %s %v", d.Action, d.Rules)
			}
			if f := d.Details[0].Failed; len(f) == 0 || f[0] != tt.failed {
				t.Errorf("failed = %v, want %s first", f, tt.failed)
			}
		})
	}
}
