package negotiation_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
)

func TestPolicyRowsAndDiff(t *testing.T) {
	base := offer.DefaultPolicy()
	rows := negotiation.PolicyRows(base)
	want := map[string]string{"discount_rate": "10%", "max_term_months": "36", "min_payment": "¥100.00",
		"expenses.per_person": "¥3,000.00 / ¥2,400.00 / ¥1,900.00 / ¥1,500.00", "expenses.additional_share": "60%"}
	for _, r := range rows {
		if w, ok := want[r.Field]; ok && r.Value != w {
			t.Errorf("%s shows %q, want %q", r.Field, r.Value, w)
		}
		if r.ZH == "" || r.EN == "" {
			t.Errorf("%s has no label", r.Field)
		}
	}
	if got := negotiation.Percent(decimal.MustParse("0.025")); got != "2.5%" {
		t.Errorf("Percent(0.025) = %q", got)
	}

	next := base
	next.MaxTermMonths = 48
	next.Authority = offer.DefaultAuthority()
	fee := money.Yuan(800)
	next.Authority[0].MaxFeeWaiver = &fee
	next.Authority[1].MaxRateCut = nil
	got := negotiation.DiffPolicies(base, next)
	type ch struct{ field, from, to string }
	var gotCh []ch
	for _, c := range got {
		gotCh = append(gotCh, ch{c.Field, c.From, c.To})
	}
	wantCh := []ch{{"max_term_months", "36", "48"}, {"authority.collector.max_fee_waiver", "¥500.00", "¥800.00"},
		{"authority.supervisor.max_rate_cut", "6%", negotiation.NoLimit}}
	if !reflect.DeepEqual(gotCh, wantCh) {
		t.Errorf("DiffPolicies = %v, want %v", gotCh, wantCh)
	}
	if d := negotiation.DiffPolicies(base, base); len(d) != 0 {
		t.Errorf("a policy differs from itself: %v", d)
	}
	// A level only one side has shows as absent on the other.
	fewer := base
	fewer.Authority = base.Authority[:2]
	d := negotiation.DiffPolicies(base, fewer)
	if len(d) == 0 || d[len(d)-1].Field != "authority.manager.max_term_months" || d[len(d)-1].To != "" {
		t.Errorf("dropping the manager level: %v", d)
	}
}

// TestPolicyRecordRoundTrip: the document recorded with an offer (the
// policy as JSON) reads back as the same policy.
func TestPolicyRecordRoundTrip(t *testing.T) {
	p := offer.DefaultPolicy()
	p.Name, p.Version, p.MaxTermMonths, p.DiscountRate = "gentle", 4, 48, decimal.MustParse("0.085")
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	back, err := offer.ParsePolicy(body)
	if err != nil {
		t.Fatalf("ParsePolicy(%s): %v", body, err)
	}
	if !reflect.DeepEqual(back, p) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, p)
	}
}
