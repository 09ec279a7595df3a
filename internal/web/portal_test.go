package web_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/gateway"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestPortal_Flow walks the portal over HTTP as a borrower's phone would:
// sign in with an SMS code, see the balance, promise, pay through the local
// gateway (the callback posts once; a replay is refused), ask for a plan
// and accept one on the spot, and raise a dispute, on both engines.
func TestPortal_Flow(t *testing.T) {
	for _, eng := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newPortalEnv(t, eng.open(t))
			d := e.debtor(t, 0)
			c := browserClient(t)

			if p := get(t, c, e.ts.URL+"/my"); !strings.HasSuffix(p.url, "/my/login") || !strings.Contains(p.body, "借款合同号") {
				t.Fatalf("GET /my without a session ended at %s", p.url)
			}
			p := post(t, c, e.ts.URL+"/my/login", "loan_number", d.loan, "phone", "12")
			if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "手机号填写有误") {
				t.Errorf("bad phone: %d %.500s", p.status, p.body)
			}
			csrf := e.signIn(t, c, d)
			home := get(t, c, e.ts.URL+"/my")
			var overdue money.Amount
			e.db.Read(ctx, func(tx *sqlstore.Tx) error { //nolint:errcheck
				pos, err := tx.Position(ctx, d.loanID)
				overdue = pos.OverdueTotal()
				return err
			})
			for _, want := range []string{d.loan, "¥" + overdue.Grouped(), "综合年化成本上限", `id="chat-widget"`} {
				if !strings.Contains(home.body, want) {
					t.Errorf("balance page lacks %q", want)
				}
			}
			if strings.Contains(home.body, "above_cap") {
				t.Error("balance page shows a raw identifier")
			}
			u, _ := http.NewRequest("GET", e.ts.URL+"/my", nil)
			for _, ck := range c.Jar.Cookies(u.URL) {
				if ck.Name == "accord_portal" && len(ck.Value) < 32 {
					t.Errorf("portal cookie %q is too short", ck.Value)
				}
			}

			// A POST without the portal's CSRF token is refused.
			if p := post(t, c, e.ts.URL+"/my/promise", "amount", "100", "due", portalDay.AddDays(3).String()); p.status != http.StatusForbidden {
				t.Errorf("promise without CSRF = %d", p.status)
			}
			p = post(t, c, e.ts.URL+"/my/promise", "csrf_token", csrf, "amount", "300", "due", portalDay.AddDays(3).String())
			if p.status != http.StatusOK || !strings.Contains(p.body, "已记录您的承诺") {
				t.Fatalf("promise: %d %.800s", p.status, p.body)
			}
			if n := countRows(t, e.db, "SELECT COUNT(*) FROM promises WHERE case_id = ? AND channel = 'portal'", d.caseID); n != 1 {
				t.Errorf("%d portal promises on the case, want 1", n)
			}

			payForm := get(t, c, e.ts.URL+"/my/pay?loan="+strconv.FormatInt(d.loanID, 10)).body
			if !strings.Contains(payForm, `value="`+strconv.FormatInt(d.loanID, 10)+`" data-overdue="`+overdue.String()+`" selected`) ||
				!strings.Contains(payForm, `value="`+overdue.String()+`"`) {
				t.Errorf("the pay form does not choose the loan and its overdue amount:\n%.1500s", payForm)
			}
			// Pay: the order links to the gateway's pay page; paying there
			// calls us back and returns the borrower to the status page.
			p = post(t, c, e.ts.URL+"/my/pay", "csrf_token", csrf, "loan_id", strconv.FormatInt(d.loanID, 10), "amount", "150.00")
			link := regexp.MustCompile(`id="go-pay" href="([^"]+)"`).FindStringSubmatch(p.body)
			if p.status != http.StatusOK || link == nil || !strings.HasPrefix(link[1], e.local.Base) {
				t.Fatalf("pay: %d %.800s", p.status, p.body)
			}
			if gw := get(t, c, strings.ReplaceAll(link[1], "&amp;", "&")); !strings.Contains(gw.body, "150.00") {
				t.Fatalf("gateway pay page: %.500s", gw.body)
			}
			no := link[1][strings.LastIndex(link[1], "/")+1:]
			back := post(t, c, e.local.Base+"/pay/"+no, "outcome", "pay")
			if !strings.Contains(back.url, "/my/pay/return") || !strings.Contains(back.body, "支付成功，已入账") {
				t.Fatalf("after paying: %s %d %.800s", back.url, back.status, back.body)
			}
			sent := e.local.Sent()
			if len(sent) != 1 || sent[0].Status != http.StatusOK {
				t.Fatalf("callbacks = %+v", sent)
			}
			if d2, _ := e.local.Deliver(ctx, gateway.Delivery{URL: sent[0].URL, Header: sent[0].Header, Body: sent[0].Body}); d2.Status != http.StatusUnauthorized {
				t.Errorf("replayed callback = %d %s, want 401", d2.Status, d2.Answer)
			}
			if n := countRows(t, e.db, "SELECT COUNT(*) FROM payments WHERE loan_id = ? AND external_id LIKE 'gw:%' AND amount_minor = 15000",
				d.loanID); n != 1 {
				t.Errorf("%d gateway payments of ¥150, want 1", n)
			}

			// A plan: offers, one accepted on the spot with the SMS code.
			p = post(t, c, e.ts.URL+"/my/plan", "csrf_token", csrf, "monthly_income", "8000", "other_debt_payments", "500",
				"dependants", "1", "hardship", "income_drop", "hardship_months", "6")
			accept := regexp.MustCompile(`name="offer_id" value="(\d+)"`).FindStringSubmatch(p.body)
			if p.status != http.StatusOK || accept == nil || !strings.Contains(p.body, "此方案需工作人员审核") {
				t.Fatalf("plan: %d %.1500s", p.status, p.body)
			}
			p = post(t, c, e.ts.URL+"/my/plan/accept", "csrf_token", csrf, "offer_id", accept[1])
			agreement := regexp.MustCompile(`name="agreement_id" value="(\d+)"`).FindStringSubmatch(p.body)
			if p.status != http.StatusOK || agreement == nil {
				t.Fatalf("accept: %d %.800s", p.status, p.body)
			}
			p = post(t, c, e.ts.URL+"/my/plan/confirm", "csrf_token", csrf, "agreement_id", agreement[1], "code", e.lastCode(t, d.b.ID))
			if p.status != http.StatusOK || !strings.Contains(p.body, "协议已生效") {
				t.Fatalf("confirm: %d %.800s", p.status, p.body)
			}

			p = post(t, c, e.ts.URL+"/my/requests", "csrf_token", csrf, "kind", "dispute", "note", "金额不对")
			if p.status != http.StatusOK || !strings.Contains(p.body, "已收到您的请求") {
				t.Fatalf("dispute: %d %.800s", p.status, p.body)
			}
			if p := get(t, c, e.ts.URL+"/my/requests"); !strings.Contains(p.body, "对欠款有异议") {
				t.Errorf("requests page does not list the dispute")
			}

			// English, then sign out: the session is gone.
			if p := get(t, c, e.ts.URL+"/lang/en?next=/my"); !strings.Contains(p.body, "What I owe") {
				t.Errorf("English balance page: %.300s", p.body)
			}
			post(t, c, e.ts.URL+"/my/logout", "csrf_token", csrf)
			if p := get(t, c, e.ts.URL+"/my"); !strings.HasSuffix(p.url, "/my/login") {
				t.Errorf("after sign-out GET /my ended at %s", p.url)
			}
		})
	}
}

func countRows(t *testing.T, db *sqlstore.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Read(ctx, func(tx *sqlstore.Tx) error { return tx.Inspect(ctx, q, args...).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPortal_SeparateSurface walks every staff route with a borrower's
// portal session (refused: the portal session is no staff session) and
// every portal route with it (served), and the portal with a staff session
// (sent to the portal's sign-in).
func TestPortal_SeparateSurface(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t, storetest.OpenSQLite(t))
	d := e.debtor(t, 0)
	c := browserClient(t)
	csrf := e.signIn(t, c, d)
	noFollow := *c
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	do := func(method, path string, body string) *http.Response {
		req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	fill := regexp.MustCompile(`\{[^}]+\}`)
	staff, portal := 0, 0
	for _, rt := range e.srv.Routes() {
		path := fill.ReplaceAllString(strings.TrimSuffix(rt.Pattern, "{$}"), "1")
		if strings.HasSuffix(path, "/") && path != "/" {
			path += "x"
		}
		switch {
		case strings.HasPrefix(rt.Pattern, "/my"):
			portal++
			resp := do(rt.Method, path, "csrf_token="+csrf)
			loc := resp.Header.Get("Location")
			if resp.StatusCode >= 500 || strings.HasPrefix(loc, "/my/login") && path != "/my/logout" || resp.StatusCode == http.StatusForbidden {
				t.Errorf("%s %s with a borrower session = %d (%s)", rt.Method, path, resp.StatusCode, loc)
			}
			if path == "/my/logout" {
				csrf = e.signIn(t, c, d)
			}
		case rt.Perm == "public" || rt.Perm == "signed":
			continue
		default:
			staff++
			resp := do(rt.Method, path, "")
			loc := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusUnauthorized && !(resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/login")) {
				t.Errorf("staff route %s %s with a borrower session = %d (%s), want 401 or the staff sign-in", rt.Method, path,
					resp.StatusCode, loc)
			}
		}
	}
	if staff < 50 || portal < 10 {
		t.Fatalf("walked %d staff and %d portal routes", staff, portal)
	}

	// A staff session reaches no portal page.
	if _, err := e.svc.CreateUser(ctx, collect.System("t"), auth.User{Username: "boss", DisplayName: "boss",
		Roles: []auth.Role{auth.Admin}}, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	tok, _, err := e.svc.LoginFrom(ctx, collect.LoginAttempt{Username: "boss", Password: "correct horse battery staple"})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", e.ts.URL+"/my", nil)
	req.AddCookie(&http.Cookie{Name: "accord_session", Value: tok})
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/my/login" {
		t.Errorf("GET /my with a staff session = %d %s, want the portal's sign-in", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestPortal_Browser walks sign-in → balance → pay in Chromium in a
// phone-sized window.
func TestPortal_Browser(t *testing.T) {
	bctx := newBrowser(t)
	e := newPortalEnv(t, storetest.OpenSQLite(t))
	d := e.debtor(t, 0)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	step(t, bctx, "phone-sized window", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	step(t, bctx, "ask for a code",
		chromedp.Navigate(e.ts.URL+"/my"),
		chromedp.WaitVisible(css("#send-code")),
		chromedp.SendKeys(css("#loan_number"), d.loan),
		chromedp.SendKeys(css("#phone"), d.phone),
		chromedp.Click(css("#send-code")),
		chromedp.WaitVisible(css("#verify")),
	)
	step(t, bctx, "sign in",
		chromedp.SendKeys(css("#code"), e.lastCode(t, d.b.ID)),
		chromedp.Click(css("#verify")),
		chromedp.WaitVisible(css("#loan-"+strconv.FormatInt(d.loanID, 10))),
	)
	width := read(t, bctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if width > 390 {
		t.Errorf("the balance page is %dpx wide in a 390px window", width)
	}
	overdue := read(t, bctx, "overdue", chromedp.Text(css("#loan-"+strconv.FormatInt(d.loanID, 10)+" .overdue")))
	if !strings.HasPrefix(overdue, "¥") {
		t.Errorf("overdue shown as %q", overdue)
	}
	step(t, bctx, "pay",
		chromedp.Click(css("#nav-pay")),
		chromedp.WaitVisible(css("#pay-submit")),
		chromedp.SetValue(css("#amount"), "88.00"),
		chromedp.Click(css("#pay-submit")),
		chromedp.WaitVisible(css("#go-pay")),
		chromedp.Click(css("#go-pay")),
		chromedp.WaitVisible(css("#pay")),
		chromedp.Click(css("#pay")),
		chromedp.WaitVisible(css("#order-status")),
	)
	status := read(t, bctx, "status", chromedp.Text(css("#order-status")))
	if status != "支付成功，已入账" {
		t.Errorf("payment status = %q", status)
	}
	if n := countRows(t, e.db, "SELECT COUNT(*) FROM payments WHERE loan_id = ? AND external_id LIKE 'gw:%' AND amount_minor = 8800",
		d.loanID); n != 1 {
		t.Errorf("%d gateway payments of ¥88, want 1", n)
	}
}
