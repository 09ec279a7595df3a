package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/sqlstore"
)

// TestBrowser_Negotiation walks a negotiation in Chromium: a negotiator
// opens a case's desk from the case page, fills the assessment, proposes
// offers (each with its payment chart); a supervisor approves one; the
// negotiator makes the agreement and opens its printable page, which shows
// the offer's total and payments.
func TestBrowser_Negotiation(t *testing.T) {
	bctx := cwBrowser(t)
	w := newCWWeb(t)
	w.srv.neg.UseActivator(&activations{})
	w.srv.neg.UseBudgetShare(decimal.MustParse("0.5"))
	ts := httptest.NewServer(w.srv)
	t.Cleanup(ts.Close)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	signIn := func(user string) {
		cwStep(t, bctx, "sign in as "+user,
			chromedp.Navigate(ts.URL+"/login?next=/workbench"),
			chromedp.WaitVisible(css("#login-submit")),
			chromedp.SendKeys(css("#username"), user),
			chromedp.SendKeys(css("#password"), "correct horse battery"),
			chromedp.Click(css("#login-submit")),
			chromedp.WaitVisible(css("#next-case, #not-collector")),
		)
	}
	signOut := func() {
		cwStep(t, bctx, "sign out", signOutClick(), chromedp.WaitVisible(css("#login-submit")))
	}
	rec := w.do(t, auth.Negotiator, "GET", "/api/v1/cases?limit=1", "")
	wantStatus(t, rec, http.StatusOK, "the negotiator's cases")
	items := decode[struct{ Items []struct{ ID int64 } }](t, rec.Body.Bytes()).Items
	if len(items) == 0 {
		t.Fatal("the negotiator reaches no case")
	}
	caseID := items[0].ID

	signIn("negotiator")
	cwStep(t, bctx, "open the desk from the case page",
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", ts.URL, caseID)),
		chromedp.WaitVisible(css("#case-negotiation-link")),
		chromedp.Click(css("#case-negotiation-link")),
		chromedp.WaitVisible(css("#assessment-form")),
	)
	cwStep(t, bctx, "fill the assessment",
		chromedp.SendKeys(css(`#assessment-form input[name="monthly_income"]`), "4200.00"),
		chromedp.SetValue(css(`#assessment-form select[name="income_evidence"]`), "payslip"),
		chromedp.SendKeys(css(`#assessment-form input[name="other_debt_payments"]`), "300"),
		chromedp.SendKeys(css(`#assessment-form input[name="dependants"]`), "1"),
		chromedp.SendKeys(css(`#assessment-form input[name="liquid_assets"]`), "100"),
		chromedp.SetValue(css(`#assessment-form select[name="hardship"]`), "job_loss"),
		chromedp.SendKeys(css(`#assessment-form input[name="hardship_months"]`), "2"),
		chromedp.SetValue(css(`#assessment-form select[name="willingness"]`), "willing"),
		chromedp.SendKeys(css(`#assessment-form input[name="hardship_months"]`), "\t"), // a last input event after the selects
	)
	// The live numbers: what the server computes for the form as filled,
	// before anything is saved.
	preview := w.do(t, auth.Negotiator, "POST", fmt.Sprintf("/cases/%d/negotiation/assessments/preview", caseID),
		"monthly_income=4200.00&income_evidence=payslip&other_debt_payments=300&dependants=1&liquid_assets=100&hardship=job_loss&hardship_months=2&willingness=willing")
	wantStatus(t, preview, http.StatusOK, "preview")
	live := decode[struct {
		Sustainable string `json:"sustainable_payment"`
	}](t, preview.Body.Bytes()).Sustainable
	var shown string
	for end := time.Now().Add(15 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if shown = cwText(t, bctx, "#live-sustainable"); shown == live {
			break
		}
	}
	if shown != live || live == "" || live == "0.00" {
		t.Errorf("live sustainable payment %q, want %q before saving", shown, live)
	}
	cwStep(t, bctx, "save the assessment",
		chromedp.Click(css(`#assessment-form button[type="submit"]`)),
		chromedp.WaitVisible(css("#sustainable")),
	)
	if s := cwText(t, bctx, "#sustainable"); s != live {
		t.Errorf("saved sustainable payment %q, the live one was %q", s, live)
	}
	if s := cwText(t, bctx, "#saved"); s != "评估已保存" {
		t.Errorf("after the assessment: %q", s)
	}
	if s := cwText(t, bctx, "#assessment-result"); !strings.Contains(s, "4,200.00") {
		t.Errorf("the assessment shown lacks the income typed: %q", s)
	}
	if s := cwText(t, bctx, "#sustainable"); s == "" || s == "0.00" {
		t.Errorf("sustainable payment %q", s)
	}
	cwStep(t, bctx, "propose offers",
		chromedp.Click(css(`#propose-form button`)),
		chromedp.WaitVisible(css(`#offer-list .offer svg rect.bar`)),
	)
	rec = w.do(t, auth.Negotiator, "GET", fmt.Sprintf("/api/v1/cases/%d/offers", caseID), "")
	wantStatus(t, rec, http.StatusOK, "offers")
	offers := decode[struct{ Items []sqlstore.Offer }](t, rec.Body.Bytes()).Items
	var pick sqlstore.Offer
	for _, o := range offers {
		if o.Status == "proposed" && (o.Offer.Approval == "collector" || o.Offer.Approval == "supervisor") {
			pick = o
			break
		}
	}
	if pick.ID == 0 {
		t.Fatalf("no offer a supervisor may approve among %d", len(offers))
	}
	card := fmt.Sprintf("#offer-%d", pick.ID)
	if s := cwText(t, bctx, card); !strings.Contains(s, pick.Offer.TotalPayable.Grouped()) {
		t.Errorf("offer card %s lacks the total %s: %q", card, pick.Offer.TotalPayable.Grouped(), s)
	}
	bars, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("`+card+` svg rect.bar").length`))
	if err != nil {
		t.Fatal(err)
	}
	if bars != len(pick.Offer.Schedule) {
		t.Errorf("offer %d chart: %d bars, want %d", pick.ID, bars, len(pick.Offer.Schedule))
	}
	signOut()

	signIn("supervisor")
	cwStep(t, bctx, "approve as a supervisor",
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d/negotiation", ts.URL, caseID)),
		chromedp.WaitVisible(css(card+` form[action$="/approve"] button`)),
		chromedp.SendKeys(css(card+` form[action$="/approve"] input[name="reason"]`), "收入证明齐全"),
		chromedp.Click(css(card+` form[action$="/approve"] button`)),
		chromedp.WaitVisible(css(card+` form[action$="/agreement"] button`)),
	)
	if s := cwText(t, bctx, card+" .offer-status"); s != "已批准" { // the console speaks Chinese by default
		t.Errorf("status after approval: %q", s)
	}
	signOut()

	signIn("negotiator")
	cwStep(t, bctx, "make the agreement",
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d/negotiation", ts.URL, caseID)),
		chromedp.WaitVisible(css(card+` form[action$="/agreement"] button`)),
		chromedp.Click(css(card+` form[action$="/agreement"] button`)),
		chromedp.WaitVisible(css("#text-zh")),
	)
	zh := cwText(t, bctx, "#text-zh")
	en := cwText(t, bctx, "#text-en")
	for _, want := range []string{"应还总额：¥" + pick.Offer.TotalPayable.Grouped(), fmt.Sprintf("共%d期", len(pick.Offer.Schedule))} {
		if !strings.Contains(zh, want) {
			t.Errorf("the agreement (zh) lacks %q: %q", want, zh)
		}
	}
	if want := fmt.Sprintf("Total payable: ¥%s in %d payments", pick.Offer.TotalPayable.Grouped(), len(pick.Offer.Schedule)); !strings.Contains(en, want) {
		t.Errorf("the agreement (en) lacks %q: %q", want, en)
	}
	if s := cwText(t, bctx, "#agreement-status"); s != "待借款人确认" {
		t.Errorf("agreement status %q", s)
	}
	cwStep(t, bctx, "the print button and acceptance form",
		chromedp.WaitVisible(css("button[data-print]")),
		chromedp.WaitVisible(css("#accept-form")),
	)
}
