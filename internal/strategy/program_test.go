package strategy

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"accord/internal/money"
)

func mustCompile(t testing.TB, d Definition) *Program {
	t.Helper()
	p, err := Compile(d)
	if err != nil {
		t.Fatalf("Compile(): %v", err)
	}
	return p
}

func q(name string) Treatment { return Treatment{Kind: Call, Queue: name, Priority: 5} }

func TestProgram_Evaluate(t *testing.T) {
	t.Parallel()
	p := mustCompile(t, Definition{Name: "s", Rules: []Rule{
		{Name: "tag_large", When: "overdue_amount >= 2000.01", Treatments: []Treatment{q("large")}, Continue: true},
		{Name: "vulnerable", When: `"vulnerable" in flags`, Treatments: []Treatment{q("specialist")}},
		{Name: "m1", When: `bucket == "M1" && days_since_last_contact > 7`, Treatments: []Treatment{q("early")}},
		{Name: "m2_product", When: `bucket == "M2" && "cash" in products`, Treatments: []Treatment{q("mid")}},
	}})
	withAmount := func(f Facts, fen money.Amount) Facts { f.SetAmounts(fen, fen); return f }
	tests := []struct {
		name        string
		f           Facts
		ok          bool
		wantRule    string
		wantMatched []int
		wantQueues  []string
	}{
		{"first match wins", Facts{Bucket: "M1", DaysSinceLastContact: NeverContacted, Flags: []string{"vulnerable"}}, true, "vulnerable", []int{1}, []string{"specialist"}},
		{"later rule", Facts{Bucket: "M1", DaysSinceLastContact: 8}, true, "m1", []int{2}, []string{"early"}},
		{"continue adds treatments", withAmount(Facts{Bucket: "M1", DaysSinceLastContact: 8}, 200001), true, "m1", []int{0, 2}, []string{"large", "early"}},
		{"amount boundary is exact", withAmount(Facts{Bucket: "M1", DaysSinceLastContact: 8}, 200000), true, "m1", []int{2}, []string{"early"}},
		{"continue only", withAmount(Facts{Bucket: "M3"}, 500000), true, "tag_large", []int{0}, []string{"large"}},
		{"list facts", Facts{Bucket: "M2", Products: []string{"card", "cash"}}, true, "m2_product", []int{3}, []string{"mid"}},
		{"nothing matches", Facts{Bucket: "M1", DaysSinceLastContact: 2}, false, "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, ok := p.Evaluate(tt.f)
			var queues []string
			for _, tr := range res.Treatments {
				queues = append(queues, tr.Queue)
			}
			if ok != tt.ok || res.RuleName != tt.wantRule || !slices.Equal(res.Matched, tt.wantMatched) || !slices.Equal(queues, tt.wantQueues) {
				t.Errorf("Evaluate() = %+v, %v; want rule %q, matched %v, queues %v, ok %v", res, ok, tt.wantRule, tt.wantMatched, tt.wantQueues, tt.ok)
			}
		})
	}
	// The continue rule's treatments must not be changed by later appends.
	if got := p.rules[0].treatments; len(got) != 1 || got[0].Queue != "large" {
		t.Errorf("rule 0 treatments were modified: %v", got)
	}
}

func TestProgram_RuntimeError(t *testing.T) {
	t.Parallel()
	p := mustCompile(t, Definition{Name: "s", Rules: []Rule{
		{Name: "div", When: "100 % loans > 10", Treatments: []Treatment{q("a")}},
		{Name: "idx", When: `products[0] == "x"`, Treatments: []Treatment{q("b")}},
		{Name: "all", When: "true", Treatments: []Treatment{q("c")}},
	}})
	res, ok := p.Evaluate(Facts{})
	if !ok || res.RuleName != "all" || len(res.Errors) != 2 || res.Errors[0].Rule != 0 || res.Errors[1].Rule != 1 {
		t.Errorf("Evaluate() = %+v, %v; want rule all after run-time errors in rules 0 and 1", res, ok)
	}
	pr := Preview(p, []Facts{{}, {Products: []string{"x"}, Loans: 20}})
	want := []RuleHits{{0, "div", 0, 0, 1}, {1, "idx", 1, 1, 1}, {2, "all", 1, 1, 0}}
	if diff := cmp.Diff(want, pr.Rules); diff != "" {
		t.Errorf("Preview rules (-want +got):\n%s", diff)
	}
}

func TestPreview(t *testing.T) {
	t.Parallel()
	p := mustCompile(t, Definition{Name: "s", Templates: []Template{smsTemplate()}, Rules: []Rule{
		{Name: "sms_all_m1", When: `bucket == "M1"`, Treatments: []Treatment{{Kind: SMS, Template: "t1"}}, Continue: true},
		{Name: "low", When: `tier == "low"`, Treatments: []Treatment{q("early")}},
		{Name: "high", When: `tier == "high"`, Treatments: []Treatment{q("late"), {Kind: FieldVisit, Reason: "r"}}},
	}})
	cases := []Facts{
		{Bucket: "M1", Tier: "low"}, {Bucket: "M1", Tier: "low"}, {Bucket: "M1", Tier: "medium"},
		{Bucket: "M3", Tier: "high"}, {Bucket: "M2", Tier: "medium"},
	}
	got := Preview(p, cases)
	want := PreviewResult{
		Total: 5,
		Rules: []RuleHits{
			{Index: 0, Name: "sms_all_m1", Matched: 3, Decided: 1},
			{Index: 1, Name: "low", Matched: 2, Decided: 2},
			{Index: 2, Name: "high", Matched: 1, Decided: 1},
		},
		Unmatched:   1,
		ByTreatment: map[Kind]int{SMS: 3, Call: 3, FieldVisit: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Preview() (-want +got):\n%s", diff)
	}
}

// The operators docs/STRATEGY.md advertises compile and behave as documented.
func TestProgram_DocumentedOperators(t *testing.T) {
	t.Parallel()
	f := Facts{Segment: "unwilling_able", Region: "广东省", Products: []string{"cash", "card"}, Flags: []string{"lost_contact"}, Language: "en-US", DPD: 40}
	f.SetAmounts(250050, 800000)
	for _, src := range []string{
		`segment startsWith "unwilling"`,
		`region contains "广东"`,
		`any(products, # == "cash")`,
		`len(flags) > 0`,
		`language matches "^en"`,
		`segment in ["unwilling_able", "unwilling_unable"]`,
		`overdue_amount >= 2500.50 && overdue_fen == 250050`,
		`balance == 8000 && dpd > 30 && dpd <= 60`,
		"dpd > 30 &&\n  !(\"vulnerable\" in flags)",
	} {
		p := mustCompile(t, Definition{Name: "s", Rules: []Rule{{Name: "r", When: src, Treatments: []Treatment{q("x")}}}})
		if _, ok := p.Evaluate(f); !ok {
			t.Errorf("%s: did not match", src)
		}
	}
}

func TestProgram_Concurrent(t *testing.T) {
	t.Parallel()
	p := mustCompile(t, DefaultDefinition())
	cases := book(2000)
	want := make([]string, len(cases))
	for i, f := range cases {
		res, _ := p.Evaluate(f)
		want[i] = res.RuleName
	}
	done := make(chan bool)
	for range 4 {
		go func() {
			ok := true
			for i, f := range cases {
				if res, _ := p.Evaluate(f); res.RuleName != want[i] {
					ok = false
				}
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("concurrent evaluation disagreed with sequential evaluation")
		}
	}
}
