package offer

import (
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

func yuan(s string) money.Amount {
	a, err := money.Parse(s)
	if err != nil {
		panic(err)
	}
	return a
}

func amt(s string) *money.Amount { a := yuan(s); return &a }

func dec(s string) decimal.Decimal { return decimal.MustParse(s) }

// mustOptions runs Options and fails the test on an error.
func mustOptions(t *testing.T, asOf string, d Debt, a Assessment, segment string, pol Policy) Result {
	t.Helper()
	res, err := Options(date.MustParse(asOf), d, a, segment, History{}, pol)
	if err != nil {
		t.Fatalf("Options: %v", err)
	}
	return res
}

// find returns the offer with the id, failing the test when there is none.
func find(t *testing.T, res Result, id string) Offer {
	t.Helper()
	for _, o := range res.Offers {
		if o.ID == id {
			return o
		}
	}
	ids := make([]string, len(res.Offers))
	for i, o := range res.Offers {
		ids[i] = o.ID
	}
	t.Fatalf("no offer %q among %v", id, ids)
	return Offer{}
}

// amounts returns the schedule's amounts as yuan strings.
func amounts(o Offer) []string {
	s := make([]string, len(o.Schedule))
	for i, p := range o.Schedule {
		s[i] = p.Amount.String()
	}
	return s
}

func dues(o Offer) []string {
	s := make([]string, len(o.Schedule))
	for i, p := range o.Schedule {
		s[i] = p.Due.String()
	}
	return s
}
