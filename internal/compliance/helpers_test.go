package compliance

import (
	"slices"
	"testing"
	"time"
)

// gov is shared by the tests: a Governor is read-only apart from its
// concurrency-safe zone cache.
var gov = New(nil, nil)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

const (
	bPhone1 = "+8613800138000"
	bPhone2 = "+8613900139000"
	mother  = "+8613700137000"
)

// newInput returns a proposal at `at` to call the borrower's first number,
// under profile j, with the borrower in zone.
func newInput(j Jurisdiction, zone, at string, opts ...func(*Input)) Input {
	in := Input{
		Jurisdiction: j,
		Borrower:     Borrower{ID: "b1", TimeZones: []string{zone}, Phones: []string{bPhone1, bPhone2}, Emails: []string{"pat@example.com"}},
		Contacts: []Contact{
			{ID: "c1", Relationship: "mother", Registered: true, Phone: mother},
			{ID: "c2", Relationship: "spouse", Registered: true, Phone: "+8613600136000", Flags: []string{FlagDebtRelatedApproved}},
		},
		Proposed: Proposed{At: ts(at), Channel: Call, To: bPhone1, Party: ToBorrower, By: "lender", Debts: []string{"L1"}},
	}
	for _, o := range opts {
		o(&in)
	}
	return in
}

func cnAt(at string, opts ...func(*Input)) Input { return newInput(CN, "Asia/Shanghai", at, opts...) }
func usAt(at string, opts ...func(*Input)) Input {
	return newInput(US, "America/New_York", at, opts...)
}
func ukAt(at string, opts ...func(*Input)) Input { return newInput(UK, "Europe/London", at, opts...) }

func withHistory(as ...Attempt) func(*Input) {
	return func(in *Input) { in.History = append(in.History, as...) }
}

func withFlags(flags ...string) func(*Input) {
	return func(in *Input) { in.Borrower.Flags = flags }
}

func withProposed(fn func(p *Proposed)) func(*Input) {
	return func(in *Input) { fn(&in.Proposed) }
}

func withPolicy(fn func(p *Policy)) func(*Input) {
	return func(in *Input) { fn(&in.Policy) }
}

func attempt(id, at, to string, o Outcome) Attempt {
	return Attempt{ID: id, At: ts(at), Channel: Call, To: to, Party: ToBorrower, By: "lender", Outcome: o, Debts: []string{"L1"}}
}

// checkCase is one row of a rule's table test.
type checkCase struct {
	name  string
	in    Input
	want  Action
	rules []string
}

func runCases(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := gov.Check(tt.in)
			want := tt.rules
			if want == nil {
				want = []string{}
			}
			if got.Action != tt.want || !slices.Equal(got.Rules, want) {
				t.Errorf("Check() = %s %v, want %s %v\n%s", got.Action, got.Rules, tt.want, want, got.Reasons.EN)
			}
		})
	}
}

// detail returns the detail of rule in d, failing the test if it is absent.
func detail(t *testing.T, d Decision, rule string) Detail {
	t.Helper()
	for _, dt := range d.Details {
		if dt.Rule == rule {
			return dt
		}
	}
	t.Fatalf("%s did not fire: %s %v", rule, d.Action, d.Rules)
	return Detail{}
}
