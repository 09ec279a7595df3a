package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"accord/internal/sqlstore/storetest"
)

// cspWatch runs in every page before its own scripts (injected by the
// browser, so the policy does not apply to it) and keeps every
// Content-Security-Policy violation the page causes.
const cspWatch = `window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});`

// TestBrowser_CSP opens the console's script-driven pages in Chromium under
// the real Content-Security-Policy: charts must draw, the queue's
// select-all must work, and no page may trip the policy.
func TestBrowser_CSP(t *testing.T) {
	bctx := newBrowser(t)
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Borrowers: 30, Cycle: true})
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	if _, err := chromedp.Call(bctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	violations := func(where string) {
		t.Helper()
		v := read(t, bctx, "read violations on "+where, chromedp.Evaluate[[]string](`window.__csp || ["watcher missing"]`))
		for _, s := range v {
			t.Errorf("%s: Content-Security-Policy violation: %s", where, s)
		}
	}

	step(t, bctx, "sign in as admin",
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.WaitVisible(css("#login-submit")),
		chromedp.SendKeys(css("#username"), "admin"),
		chromedp.SendKeys(css("#password"), password),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#bucket-table")),
	)
	step(t, bctx, "the overview chart draws", chromedp.WaitVisible(css("#bucket-chart canvas")))
	violations("overview")

	step(t, bctx, "open the dashboard", chromedp.Navigate(ts.URL+"/dashboard"), chromedp.WaitVisible(css("#flow-table")))
	for _, id := range []string{"flow-chart", "cure-chart", "recovery-chart", "collector-chart", "team-chart"} {
		step(t, bctx, id+" draws", chromedp.WaitVisible(css("#"+id+" canvas")))
	}
	violations("dashboard")

	step(t, bctx, "open the queues", chromedp.Navigate(ts.URL+"/queues"), chromedp.WaitVisible(css("#queue-cases")))
	n := read(t, bctx, "count cases", chromedp.Evaluate[int](`document.querySelectorAll('#queue-cases tbody input[type=checkbox]').length`))
	if n > 0 {
		step(t, bctx, "select all", chromedp.Click(css(`#queue-cases input[data-select-all]`)))
		checked := read(t, bctx, "count ticked", chromedp.Evaluate[int](`document.querySelectorAll('#queue-cases tbody input[type=checkbox]:checked').length`))
		if checked != n {
			t.Errorf("select-all ticked %d of %d cases", checked, n)
		}
	} else {
		t.Log("the queue is empty; select-all not exercised")
	}
	violations("queues")

	step(t, bctx, "a missing page", chromedp.Navigate(ts.URL+"/no/such/page"), chromedp.WaitVisible(css("#not-found")))
	if body := read(t, bctx, "read the 404", chromedp.Text(css("main"))); !strings.Contains(body, "页面不存在") {
		t.Errorf("404 page: %q", body)
	}
	step(t, bctx, "go home from the 404", chromedp.Click(css("#go-home")), chromedp.WaitVisible(css("#bucket-table")))
	violations("404 and back")
}
