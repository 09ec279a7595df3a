package compliance

import (
	"slices"
	"testing"
	"time"
)

func TestGovernor_NextAllowed(t *testing.T) {
	t.Parallel()
	sms := withProposed(func(p *Proposed) { p.Channel, p.By, p.Automated, p.Purpose = SMS, "system", true, PurposeReminder })
	connected := withHistory(
		attempt("h1", "2026-03-10T09:00:00+08:00", bPhone1, Connected),
		attempt("h2", "2026-03-10T09:30:00+08:00", bPhone2, Connected),
		attempt("h3", "2026-03-10T09:45:00+08:00", bPhone1, Connected),
	)
	tests := []struct {
		name  string
		in    Input
		want  string // RFC 3339, or "" for never
		limit time.Duration
	}{
		{"allowed now stays now", cnAt("2026-03-10T10:00:00+08:00"), "2026-03-10T10:00:00+08:00", 0},
		{"reminder computed at 02:00 waits for 08:00", cnAt("2026-03-10T02:00:00+08:00", sms), "2026-03-10T08:00:00+08:00", 0},
		{"22:00:00 itself waits for the next morning", cnAt("2026-03-10T22:00:00+08:00", sms), "2026-03-11T08:00:00+08:00", 0},
		{"call at 23:30 waits for 08:00 tomorrow", cnAt("2026-03-10T23:30:00+08:00"), "2026-03-11T08:00:00+08:00", 0},
		{"human call on the Spring Festival waits for the first working day",
			cnAt("2026-02-15T10:00:00+08:00"), "2026-02-24T08:00:00+08:00", 0},
		{"automated SMS on a holiday only waits for the hours",
			cnAt("2026-02-16T06:00:00+08:00", sms), "2026-02-16T08:00:00+08:00", 0},
		{"an adjusted working Saturday is a working day",
			cnAt("2026-02-14T21:00:00+08:00"), "2026-02-14T21:00:00+08:00", 0},
		{"a holiday Saturday evening waits past the holiday",
			cnAt("2026-02-21T21:00:00+08:00"), "2026-02-24T08:00:00+08:00", 0},
		{"three connected calls wait for tomorrow", cnAt("2026-03-10T10:00:00+08:00", connected), "2026-03-11T08:00:00+08:00", 0},
		{"tenant window opening at 08:30", cnAt("2026-03-10T07:00:00+08:00", withPolicy(func(p *Policy) {
			c := Clock(8*3600 + 30*60)
			p.QuietEnd = &c
		})), "2026-03-10T08:30:00+08:00", 0},
		{"every candidate zone must be open", cnAt("2026-03-10T07:00:00+08:00", func(in *Input) {
			in.Borrower.TimeZones = []string{"Asia/Shanghai", "Asia/Urumqi"}
		}), "2026-03-10T10:00:00+08:00", 0},
		{"US: no call until day 8 after a conversation", usAt("2026-03-11T10:00:00-04:00", withHistory(
			attempt("h1", "2026-03-10T10:00:00-04:00", bPhone1, Connected))), "2026-03-17T08:00:00-04:00", 0},
		{"vulnerable borrower: automation never", cnAt("2026-03-10T02:00:00+08:00", sms, withFlags(FlagVulnerable)), "", 0},
		{"unknown time zone: never", cnAt("2026-03-10T02:00:00+08:00", func(in *Input) {
			in.Borrower.TimeZones = []string{"Mars/Olympus"}
		}), "", 0},
		{"needs approval: waiting does not help", cnAt("2026-03-10T10:00:00+08:00", withProposed(func(p *Proposed) {
			p.Party, p.Contact, p.To, p.Purpose = ToContact, "c2", "+8613600136000", PurposeLocate
		})), "", 0},
		{"window does not open before the limit", cnAt("2026-02-15T10:00:00+08:00"), "", 48 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			limit := tt.limit
			if limit == 0 {
				limit = 30 * 24 * time.Hour
			}
			at, d, ok := gov.NextAllowed(tt.in, tt.in.Proposed.At.Add(limit))
			if tt.want == "" {
				if ok {
					t.Errorf("NextAllowed = %s, want never (decision %s %v)", at, d.Action, d.Rules)
				}
				return
			}
			if !ok || !at.Equal(ts(tt.want)) {
				t.Fatalf("NextAllowed = %s, %v (last decision %s %v), want %s", at, ok, d.Action, d.Rules, tt.want)
			}
			if !d.Allowed() {
				t.Errorf("decision at %s = %s, want allowed", at, d.Action)
			}
			// Nothing earlier is allowed: a second before is still refused
			// (unless the answer is the proposal itself).
			if before := at.Add(-time.Second); !before.Before(tt.in.Proposed.At) {
				in := tt.in
				in.Proposed.At = before
				if gov.Check(in).Allowed() {
					t.Errorf("%s is allowed too, so %s is not the first allowed instant", before, at)
				}
			}
		})
	}
}

func TestWaitable(t *testing.T) {
	t.Parallel()
	d := func(rules ...string) Decision {
		var ds []Detail
		for _, r := range rules {
			ds = append(ds, Detail{Rule: r, Severity: Block})
		}
		return Decision{Action: Block, Details: ds}
	}
	if !Waitable(d(RuleCNTimeQuiet, RuleCNHoliday)) || Waitable(d(RuleCNTimeQuiet, RuleVulnerableAutomation)) ||
		!Waitable(Decision{Action: Allow}) {
		t.Error("Waitable misclassifies")
	}
	warnOnly := Decision{Action: Block, Details: []Detail{{Rule: RuleCNTimeQuiet, Severity: Block}, {Rule: RuleVulnerableAutomation, Severity: Warn}}}
	if !Waitable(warnOnly) {
		t.Error("a warning from a lasting rule should not stop waiting")
	}
}

func TestFlagsAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		flags, results  []string
		channel         Channel
		wantAfter, want []string
	}{
		{"promise changes nothing", []string{"x"}, []string{ResultPromise}, Call, []string{"x"}, nil},
		{"oral dispute", nil, []string{ResultDispute}, Call, []string{FlagDisputed}, []string{FlagDisputed}},
		{"written dispute", nil, []string{ResultDispute}, Letter, []string{FlagDisputed, FlagDisputeWritten}, []string{FlagDisputed, FlagDisputeWritten}},
		{"a new dispute after a resolved one opens it again", []string{"x", FlagDisputed, FlagDisputeResolved}, []string{ResultDispute}, Call,
			[]string{"x", FlagDisputed}, []string{FlagDisputed}},
		{"a dispute while one is open changes nothing", []string{FlagDisputed}, []string{ResultDispute}, Call, []string{FlagDisputed}, nil},
		{"cease, hardship, vulnerable, complaint", []string{FlagCease}, []string{ResultCease, ResultHardship, ResultVulnerable, ResultComplaint}, Call,
			[]string{FlagCease, FlagHardship, FlagVulnerable, FlagComplaint}, []string{FlagHardship, FlagVulnerable, FlagComplaint}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			after, added := FlagsAfter(tt.flags, tt.results, tt.channel)
			if !slices.Equal(after, tt.wantAfter) || !slices.Equal(added, tt.want) {
				t.Errorf("FlagsAfter = %v, %v; want %v, %v", after, added, tt.wantAfter, tt.want)
			}
		})
	}
	if !Vulnerable([]string{FlagBereavement}) || Vulnerable([]string{FlagHardship}) {
		t.Error("Vulnerable misclassifies")
	}
}
