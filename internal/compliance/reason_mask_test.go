package compliance

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestCheck_ReasonsMaskNumbers: the governor's reasons and details, which
// the console and the contact log show to collectors and keep as evidence,
// never hold a full phone number; they name it masked, like the panel.
func TestCheck_ReasonsMaskNumbers(t *testing.T) {
	t.Parallel()
	var six []Attempt
	for i := range 6 {
		six = append(six, attempt(fmt.Sprint("u", i), fmt.Sprintf("2026-03-10T%02d:00:00+08:00", 8+i), bPhone1, NoAnswer))
	}
	d := gov.Check(cnAt("2026-03-10T15:00:00+08:00", withHistory(six...)))
	if !d.Fired(RuleCNFreqUnanswered) {
		t.Fatalf("rules %v, want %s", d.Rules, RuleCNFreqUnanswered)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "13800138000") || !strings.Contains(d.Reasons.ZH, "138****8000") {
		t.Errorf("decision shows the full number or not the masked one: %s", b)
	}
}
