package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

func TestPaymentChart_Geometry(t *testing.T) {
	t.Parallel()
	d := date.MustParse("2026-04-01")
	sched := []offer.Payment{{Due: d, Amount: money.Amount(50000)}, {Due: d.AddDays(30), Amount: money.Amount(100000)},
		{Due: d.AddDays(60), Amount: money.Amount(25000)}, {Due: d.AddDays(90), Amount: money.Amount(1)}}
	c := paymentChart(sched)
	if len(c.Bars) != 4 {
		t.Fatalf("bars: %d", len(c.Bars))
	}
	if c.Max.Amount != 100000 || c.Max.Due != d.AddDays(30) {
		t.Errorf("max: %+v", c.Max)
	}
	wantH := []int{40, 80, 20, 1} // half, full, quarter, a tiny payment still shows
	for i, b := range c.Bars {
		if b.H != wantH[i] || b.Y+b.H != chartHeight {
			t.Errorf("bar %d: h=%d y=%d, want h=%d on the baseline", i, b.H, b.Y, wantH[i])
		}
		if b.X != i*60 || b.W != 59 {
			t.Errorf("bar %d: x=%d w=%d", i, b.X, b.W)
		}
	}
	if c := paymentChart(nil); len(c.Bars) != 0 {
		t.Errorf("an empty schedule draws %d bars", len(c.Bars))
	}
	long := make([]offer.Payment, 300)
	for i := range long {
		long[i] = offer.Payment{Due: d.AddDays(i), Amount: 100}
	}
	c = paymentChart(long)
	for _, b := range c.Bars {
		if b.W < 1 || b.H != chartHeight {
			t.Fatalf("long schedule bar %+v", b)
		}
	}
}

// proposeOffers assesses and proposes on a case as a collector and returns
// the case id and its offers.
func proposeOffers(t *testing.T, w *cwWeb) (int64, []sqlstore.Offer) {
	t.Helper()
	w.srv.neg.UseActivator(&activations{})
	w.srv.neg.UseBudgetShare(decimal.MustParse("0.5"))
	rec := w.do(t, auth.Collector, "GET", "/api/v1/cases?limit=1", "")
	wantStatus(t, rec, http.StatusOK, "list cases")
	caseID := decode[struct{ Items []struct{ ID int64 } }](t, rec.Body.Bytes()).Items[0].ID
	desk := fmt.Sprintf("/cases/%d/negotiation", caseID)
	form := url.Values{"monthly_income": {"4200.00"}, "income_evidence": {"payslip"}, "other_debt_payments": {"300"},
		"dependants": {"1"}, "liquid_assets": {"100"}, "hardship": {"job_loss"}, "hardship_months": {"2"}, "willingness": {"willing"}}
	wantStatus(t, w.do(t, auth.Collector, "POST", desk+"/assessments", form.Encode()), http.StatusSeeOther, "assess")
	wantStatus(t, w.do(t, auth.Collector, "POST", desk+"/offers", "x=1"), http.StatusSeeOther, "propose")
	rec = w.do(t, auth.Collector, "GET", fmt.Sprintf("/api/v1/cases/%d/offers", caseID), "")
	wantStatus(t, rec, http.StatusOK, "list offers")
	return caseID, decode[struct{ Items []sqlstore.Offer }](t, rec.Body.Bytes()).Items
}

// TestNegotiation_OfferCharts: every offer card on the desk carries an SVG
// bar per scheduled payment, titled with its due date and amount.
func TestNegotiation_OfferCharts(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	caseID, offers := proposeOffers(t, w)
	if len(offers) < 2 {
		t.Fatalf("offers: %d", len(offers))
	}
	rec := w.do(t, auth.Collector, "GET", fmt.Sprintf("/cases/%d/negotiation", caseID), "")
	wantStatus(t, rec, http.StatusOK, "desk")
	body := rec.Body.String()
	if strings.Contains(body, "style=") {
		t.Error("the desk uses a style attribute")
	}
	card := regexp.MustCompile(`(?s)id="offer-(\d+)".*?</svg>`)
	found := card.FindAllStringSubmatch(body, -1)
	if len(found) != len(offers) {
		t.Fatalf("%d offer cards with a chart, want %d", len(found), len(offers))
	}
	byID := map[string]sqlstore.Offer{}
	for _, o := range offers {
		byID[fmt.Sprint(o.ID)] = o
	}
	for _, m := range found {
		o, ok := byID[m[1]]
		if !ok {
			t.Fatalf("chart for unknown offer %s", m[1])
		}
		if n := strings.Count(m[0], `<rect class="bar"`); n != len(o.Offer.Schedule) {
			t.Errorf("offer %d: %d bars, want %d", o.ID, n, len(o.Offer.Schedule))
		}
		first := o.Offer.Schedule[0]
		if want := fmt.Sprintf("<title>%s ¥%s</title>", first.Due, first.Amount.Grouped()); !strings.Contains(m[0], want) {
			t.Errorf("offer %d: chart lacks %q", o.ID, want)
		}
		if want := fmt.Sprintf(`height="%d" fill=`, chartHeight); !strings.Contains(m[0], want) {
			t.Errorf("offer %d: no full-height bar", o.ID)
		}
	}
}
