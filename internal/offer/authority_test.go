package offer

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/date"
)

func TestAuthorityMatrix(t *testing.T) {
	t.Parallel()
	m := DefaultAuthority()
	p := yuan("10000.00")
	tests := []struct {
		name string
		c    Concession
		want Level
		ok   bool
	}{
		{"plain plan", Concession{Principal: p, TermMonths: 12}, Collector, true},
		{"fees up to 500 on the spot", Concession{Principal: p, FeeWaiver: yuan("500.00"), TermMonths: 6}, Collector, true},
		{"fees over 500", Concession{Principal: p, FeeWaiver: yuan("500.01"), TermMonths: 6}, Supervisor, true},
		{"13 months", Concession{Principal: p, TermMonths: 13}, Supervisor, true},
		{"any interest waived", Concession{Principal: p, InterestWaiver: 1, TermMonths: 1}, Supervisor, true},
		{"rate cut 6 points", Concession{Principal: p, RateCut: dec("0.06"), TermMonths: 36}, Supervisor, true},
		{"rate cut over 6 points", Concession{Principal: p, RateCut: dec("0.0601"), TermMonths: 12}, Manager, true},
		{"37 months", Concession{Principal: p, TermMonths: 37}, Manager, true},
		{"principal discount", Concession{Principal: p, PrincipalWaiver: 1, TermMonths: 1}, Manager, true},
		{"30% principal", Concession{Principal: p, PrincipalWaiver: yuan("3000.00"), TermMonths: 1}, Manager, true},
		{"over 30% principal", Concession{Principal: p, PrincipalWaiver: yuan("3000.01"), TermMonths: 1}, "", false},
		{"61 months", Concession{Principal: p, TermMonths: 61}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := m.Required(tt.c)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("Required = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
			rank := map[Level]int{Collector: 0, Supervisor: 1, Manager: 2}
			for _, role := range []Level{Collector, Supervisor, Manager} {
				want := ok && rank[role] >= rank[tt.want]
				if m.MayApprove(role, tt.c) != want {
					t.Errorf("MayApprove(%s) = %v, want %v", role, !want, want)
				}
			}
		})
	}
	if m.MayApprove("agency", Concession{TermMonths: 1}) {
		t.Error("a role outside the matrix may approve")
	}
}

func TestPolicy_Validate(t *testing.T) {
	t.Parallel()
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatalf("default policy: %v", err)
	}
	p := DefaultPolicy()
	p.Name = ""
	p.SustainableShare = decimal.Zero
	p.MaxRateCut = dec("1.5")
	p.DiscountRate = dec("0.1234567")
	p.SettlementDueDays = 40
	p.Authority = append(p.Authority, Authority{Level: "boss"}, Authority{Level: Manager})
	got := errsFields(p.Validate())
	for _, want := range []string{"policy.name", "policy.sustainable_share", "policy.max_rate_cut", "policy.discount_rate", "policy.settlement_due_days", "policy.authority[3].level", "policy.authority[4].level"} {
		found := false
		for _, f := range got {
			found = found || f == want
		}
		if !found {
			t.Errorf("fields %v lack %s", got, want)
		}
	}
}

// A policy parsed from its JSON document keeps its name and version (so an
// offer can name the policy and an experiment can compare two) and the
// authority matrix it gives.
func TestParsePolicy(t *testing.T) {
	t.Parallel()
	p, err := ParsePolicy([]byte(`{"name": "lenient", "version": 4, "max_term_months": 48, "max_rate_cut": "0.08",
		"authority": [{"level": "collector", "max_fee_waiver": "200.00", "max_term_months": 6},
		              {"level": "manager"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "lenient" || p.Version != 4 || p.MaxTermMonths != 48 || p.MaxRateCut.String() != "0.08" || p.DiscountRate.String() != "0.10" {
		t.Errorf("parsed %+v", p)
	}
	c := Concession{FeeWaiver: yuan("200.01"), TermMonths: 6}
	if l, _ := p.Authority.Required(c); l != Manager || len(p.Authority) != 2 {
		t.Errorf("authority %+v: required %s", p.Authority, l)
	}
	_, err = ParsePolicy([]byte(`{"name": "x", "max_term_month": 48, "authority": [{"level": "collector", "max_fee_waiver": 200}]}`))
	got := errsFields(err)
	if len(got) != 2 || got[0] != "policy.authority[0].max_fee_waiver" || got[1] != "policy.max_term_month" {
		t.Errorf("fields %v", got)
	}
}

func TestKeepModel_Pluggable(t *testing.T) {
	t.Parallel()
	d, a, pol := exampleCase()
	var seen []KeepFacts
	eng := Engine{Keep: KeepFunc(func(f KeepFacts) float64 {
		seen = append(seen, f)
		if f.Kind == KindSettlement {
			return 0.123456
		}
		return 0.5
	})}
	res, err := eng.Options(date.MustParse("2026-03-10"), d, a, "willing_unable", History{PromisesKept: 2}, pol)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Offers {
		want := 0.5
		if o.Kind == KindSettlement {
			want = 0.1235 // rounded to 4 places
		}
		if o.PKept != want || o.ExpectedRecovery != halfUp(o.NPV, int64(want*10000+0.5)) {
			t.Errorf("%s: p_kept %v expected %s", o.ID, o.PKept, o.ExpectedRecovery)
		}
	}
	if len(seen) != len(res.Offers) || seen[0].Segment != "willing_unable" || seen[0].History.PromisesKept != 2 {
		t.Errorf("model saw %+v", seen)
	}
}

// The default model ranks as documented: a willing borrower's light plan
// is likelier kept than an unwilling borrower's heavy one, and an
// incentive helps.
func TestDefaultKeep(t *testing.T) {
	t.Parallel()
	k := DefaultKeep{}
	light := KeepFacts{Segment: "willing_able", Payments: 6, Burden: 0.5}
	heavy := KeepFacts{Segment: "unwilling_unable", Payments: 24, Burden: 1.4}
	if !(k.PKept(light) > 0.8 && k.PKept(heavy) < 0.1) {
		t.Errorf("light %v heavy %v", k.PKept(light), k.PKept(heavy))
	}
	inc := light
	inc.Incentive = true
	if k.PKept(inc) <= k.PKept(light) {
		t.Error("the incentive does not help")
	}
	// willing_unable, no history, burden 0.6, 6 payments: z = 0.6 → 1/(1+e^−0.6) = 0.645656…
	if got := k.PKept(KeepFacts{Segment: "willing_unable", Payments: 6, Burden: 0.6}); got < 0.64565 || got > 0.64566 {
		t.Errorf("p = %v, want 0.645656", got)
	}
}

// A policy saved as JSON (json.Marshal, as the store will) reads back
// unchanged, so a stored version means what it meant when saved.
func TestPolicy_RoundTrip(t *testing.T) {
	t.Parallel()
	p := DefaultPolicy()
	p.Name, p.Version, p.MaxTermMonths = "challenger", 7, 24
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParsePolicy(b)
	if err != nil {
		t.Fatalf("ParsePolicy(%s): %v", b, err)
	}
	if !reflect.DeepEqual(got, p) {
		t.Errorf("round trip:\n got %+v\nwant %+v\njson %s", got, p, b)
	}
}
