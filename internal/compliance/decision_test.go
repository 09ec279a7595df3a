package compliance

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestDecide_MostSevereWins(t *testing.T) {
	t.Parallel()
	d := decide([]Detail{
		{Rule: "Z-WARN", Severity: Warn, Reason: Text{"警告", "warn"}},
		{Rule: "A-APPROVAL", Severity: Approval, Reason: Text{"审批", "approve"}, RequiredRole: "compliance"},
	}, "")
	if d.Action != Approval || !slices.Equal(d.Rules, []string{"A-APPROVAL", "Z-WARN"}) || d.Reasons.EN != "A-APPROVAL: approve Z-WARN: warn" {
		t.Errorf("decide() = %+v", d)
	}
	d = decide([]Detail{{Rule: "B", Severity: Block}, {Rule: "A", Severity: Warn}}, "")
	if d.Action != Block || d.Rules[0] != "A" {
		t.Errorf("decide() = %+v", d)
	}
	if d := decide(nil, ""); d.Action != Allow || d.Rules == nil || d.Details == nil {
		t.Errorf("allow = %+v", d)
	}
}

func TestDecision_JSON(t *testing.T) {
	t.Parallel()
	d := gov.Check(cnAt("2026-03-10T22:00:00+08:00"))
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["decision"] != "block" || m["rules"].([]any)[0] != RuleCNTimeQuiet {
		t.Errorf("json = %s", b)
	}
	reasons := m["reasons"].(map[string]any)
	if !strings.Contains(reasons["zh"].(string), "22:00:00") || !strings.Contains(reasons["en"].(string), "outside the allowed hours") {
		t.Errorf("reasons = %v", reasons)
	}
	det := m["details"].([]any)[0].(map[string]any)
	for _, k := range []string{"rule", "severity", "source", "reason", "window_start", "window_end", "local_time", "time_zone"} {
		if _, ok := det[k]; !ok {
			t.Errorf("detail lacks %q: %s", k, b)
		}
	}
	b, _ = json.Marshal(gov.Check(cnAt("2026-03-10T10:00:00+08:00")))
	if !strings.HasPrefix(string(b), `{"decision":"allow","rules":[],"reasons":{`) {
		t.Errorf("allow json = %s", b)
	}
}

func TestRules(t *testing.T) {
	t.Parallel()
	want := map[Jurisdiction][]string{
		CN: {RuleFailClosed, RuleCNTimeQuiet, RuleCNFreqConnected, RuleCNFreqUnanswered, RuleCNHoliday, RuleCNThirdParty, RuleCNDisclosure,
			RuleCNAbuse, RuleCNImpersonation, RuleCNPressure, RuleCNVisit, RuleCNOutsourcing, RuleCNStopContact, RuleCNDispute,
			RuleVulnerableAutomation},
		US: {RuleFailClosed, RuleUSTime, RuleUS7in7, RuleUSAfterConversation, RuleUSCease, RuleUSAttorney, RuleUSThirdParty,
			RuleUSOptOut, RuleUSDispute, RuleUSAbuse, RuleVulnerableAutomation},
		UK: {RuleFailClosed, RuleUKTime, RuleUKDispute, RuleUKStopContact, RuleUKCapacity, RuleUKVulnerable, RuleUKVisitNotice, RuleUKContent},
	}
	for j, ids := range want {
		var got []string
		for _, r := range Rules(j) {
			got = append(got, r.ID)
			if r.Title.ZH == "" || r.Title.EN == "" || r.Source == "" || r.Severity == "" {
				t.Errorf("%s %s incomplete: %+v", j, r.ID, r)
			}
		}
		if !slices.Equal(got, ids) {
			t.Errorf("Rules(%s) = %v", j, got)
		}
	}
	if len(Rules("")) != len(Rules(CN)) || Rules("FR") != nil {
		t.Error("default or unknown profile")
	}
}

func TestZones_Load(t *testing.T) {
	t.Parallel()
	var z Zones
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if loc, ok := z.Load("America/Phoenix"); !ok || loc.String() != "America/Phoenix" {
				t.Error("America/Phoenix")
			}
		})
	}
	wg.Wait()
	for _, name := range []string{"", "Local", "Asia/Shangai"} {
		if _, ok := z.Load(name); ok {
			t.Errorf("Load(%q) ok", name)
		}
	}
}

func TestPrint(t *testing.T) {
	t.Parallel()
	d := gov.Check(cnAt("2026-03-10T22:00:00+08:00"))
	var b strings.Builder
	if err := Print(&b, d, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"BLOCK CN-TIME-QUIET", "outside the allowed hours", "local 2026-03-10T22:00:00+08:00", "day: working_day"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	if err := Print(&b, d, true); err != nil || !strings.HasPrefix(b.String(), `{"decision":"block","rules":["CN-TIME-QUIET"]`) {
		t.Errorf("json = %s, %v", b.String(), err)
	}
}
