package web_test

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"accord/internal/sqlstore/storetest"
)

// portalCodes are codes of the portal's data that must reach a Chinese
// reader as labels.
var portalCodes = []string{"proposed", "approved", "waiver", "extension", "rate_cut", "relief", "graduated", "settlement",
	"principal", "interest", "penalty", "late_fee", "credit", "created", "failed", "upcoming", "due", "portal", "gateway",
	"dispute", "complaint", "stop_contact", "job_loss", "income_drop", "self_declared"}

// TestPortal_ChineseShowsNoRawIdentifiers renders every portal page in
// Chinese, with data on each (a plan's offers, a payment, a request), and
// fails on a raw code in the visible text.
func TestPortal_ChineseShowsNoRawIdentifiers(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t, storetest.OpenSQLite(t))
	d := e.debtor(t, 0)
	c := browserClient(t)
	check := func(name, body string) {
		t.Helper()
		text := visibleText(body)
		if m := snakeCase.FindAllString(text, -1); len(m) > 0 {
			t.Errorf("%s shows snake_case codes %v", name, m)
		}
		words := regexp.MustCompile(`[A-Za-z_]+`).FindAllString(text, -1)
		for _, w := range words {
			if slices.Contains(rawIdentifiers, w) || slices.Contains(portalCodes, w) {
				t.Errorf("%s shows the raw code %q", name, w)
			}
		}
	}
	check("sign-in", get(t, c, e.ts.URL+"/my/login").body)
	check("code", post(t, c, e.ts.URL+"/my/login", "loan_number", d.loan, "phone", d.phone).body)
	check("sign-in with errors", post(t, c, e.ts.URL+"/my/login", "loan_number", "", "phone", "1").body)
	csrf := e.signIn(t, c, d)
	check("balance", get(t, c, e.ts.URL+"/my").body)
	check("pay", get(t, c, e.ts.URL+"/my/pay").body)
	p := post(t, c, e.ts.URL+"/my/pay", "csrf_token", csrf, "loan_id", strconv.FormatInt(d.loanID, 10), "amount", "10")
	check("pay link", p.body)
	order := regexp.MustCompile(`id="order-id">([^<]+)<`).FindStringSubmatch(p.body)
	if order == nil {
		t.Fatalf("no order on %.500s", p.body)
	}
	check("pay return (waiting)", get(t, c, e.ts.URL+"/my/pay/return?order="+order[1]).body)
	check("balance after", get(t, c, e.ts.URL+"/my").body)
	check("promise", get(t, c, e.ts.URL+"/my/promise").body)
	check("promise refused", post(t, c, e.ts.URL+"/my/promise", "csrf_token", csrf, "amount", "-1", "due", "x").body)
	check("plan form", get(t, c, e.ts.URL+"/my/plan").body)
	p = post(t, c, e.ts.URL+"/my/plan", "csrf_token", csrf, "monthly_income", "8000", "hardship", "job_loss", "hardship_months", "3")
	if !strings.Contains(p.body, `name="offer_id"`) && !strings.Contains(p.body, "此方案需工作人员审核") {
		t.Fatalf("no offers on %.500s", p.body)
	}
	check("plan offers", p.body)
	check("plan offers again", get(t, c, e.ts.URL+"/my/plan").body)
	check("request done", post(t, c, e.ts.URL+"/my/requests", "csrf_token", csrf, "kind", "stop_contact").body)
	check("requests", get(t, c, e.ts.URL+"/my/requests").body)
	check("request refused", post(t, c, e.ts.URL+"/my/requests", "csrf_token", csrf, "kind", "dispute").body)
	check("chat", get(t, c, e.ts.URL+"/my/chat").body)
	check("chat answered", post(t, c, e.ts.URL+"/my/chat", "csrf_token", csrf, "message_id", "zh-1", "text", "我下周五还五百").body)
	check("chat refused", post(t, c, e.ts.URL+"/my/chat", "csrf_token", csrf, "message_id", "zh-2", "text", "").body)
}
