package collect

import (
	"testing"

	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// TestCaseFacts_BrokenPromise: the strategy sees how long ago a promise of
// the case was last broken, and a large number when none was.
func TestCaseFacts_BrokenPromise(t *testing.T) {
	t.Parallel()
	c := sqlstore.Case{OpenedOn: cwStart, PromisesBroken: 2, PromiseBrokenOn: cwStart.AddDays(4)}
	if f := caseFacts(&c, cwStart.AddDays(7), ""); f.DaysSinceBrokenPromise != 3 || f.BrokenPromises != 2 {
		t.Errorf("facts: days since broken %d, broken %d; want 3, 2", f.DaysSinceBrokenPromise, f.BrokenPromises)
	}
	never := sqlstore.Case{OpenedOn: cwStart}
	if f := caseFacts(&never, cwStart, ""); f.DaysSinceBrokenPromise != strategy.NeverBroken {
		t.Errorf("never broken: %d", f.DaysSinceBrokenPromise)
	}
	// A rule can escalate on it.
	def := strategy.DefaultDefinition()
	def.Rules = append([]strategy.Rule{{Name: "broken_recently", When: "days_since_broken_promise <= 3",
		Treatments: def.Rules[0].Treatments}}, def.Rules...)
	prog, err := strategy.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := prog.Evaluate(caseFacts(&c, cwStart.AddDays(7), "")); res.RuleName != "broken_recently" {
		t.Errorf("3 days after a broken promise the rule is %q", res.RuleName)
	}
	if res, _ := prog.Evaluate(caseFacts(&c, cwStart.AddDays(8), "")); res.RuleName == "broken_recently" {
		t.Error("4 days after a broken promise the rule still fires")
	}
}
