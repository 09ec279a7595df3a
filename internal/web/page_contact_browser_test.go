package web_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/sqlstore/storetest"
)

// TestBrowser_ContactFlow walks the case page's one contact flow in
// Chromium, in Chinese: choosing the borrower's mother shows the refusal
// with its Chinese reason and no form; choosing the borrower's mobile shows
// it allowed, and one submission records the call's outcome, a note and a
// promise to pay, which then appears on the case.
func TestBrowser_ContactFlow(t *testing.T) {
	bctx := newBrowser(t)
	s := newCtSite(t, storetest.OpenSQLite(t))
	caseID := s.openCase(t, string(casework.ToCollector), s.collectorFor(t, auth.Collector))
	ts := httptest.NewServer(s.srv)
	t.Cleanup(ts.Close)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	choose := func(ref string) chromedp.CSS {
		return css(fmt.Sprintf(`#contact-points tr[data-ref=%q][data-channel="call"] a.choose`, ref))
	}
	text := func(sel string) string {
		return read(t, bctx, "read "+sel, chromedp.Evaluate[string](`document.querySelector(`+fmt.Sprintf("%q", sel)+`).textContent`))
	}

	step(t, bctx, "sign in and open the case",
		chromedp.Navigate(fmt.Sprintf("%s/login?next=/cases/%d", ts.URL, caseID)),
		chromedp.WaitVisible(css("#login-submit")),
		chromedp.SendKeys(css("#username"), "collector1"),
		chromedp.SendKeys(css("#password"), "password-collector1"),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(choose("phone:1")), // the contact flow loads by htmx
	)

	mom := fmt.Sprintf("contact:%d", s.mom.ID)
	step(t, bctx, "choose the mother",
		chromedp.Click(choose(mom)),
		chromedp.WaitVisible(css(`#contact-step #contact-decision[data-decision="block"]`)),
	)
	got := text("#contact-step")
	d := s.check(t, mom, "call")
	for _, x := range d.Details {
		want := x.Reason.ZH
		if len(x.Failed) > 0 {
			want = want[:strings.Index(want, x.Failed[0])]
		}
		if !strings.Contains(got, strings.TrimRight(want, "：")) {
			t.Errorf("the refusal lacks the Chinese reason %q: %q", want, got)
		}
		if strings.Contains(got, x.Rule) || strings.Contains(got, x.Reason.EN) {
			t.Errorf("the refusal shows the rule code or the English reason: %q", got)
		}
	}
	if !strings.Contains(got, "不允许联系") || !strings.Contains(got, "借款人未失联") {
		t.Errorf("the refusal does not say in Chinese why: %q", got)
	}
	if n := read(t, bctx, "count forms", chromedp.Evaluate[int](`document.querySelectorAll("#contact-form").length`)); n != 0 {
		t.Errorf("%d contact forms for a refused contact", n)
	}

	step(t, bctx, "choose the mobile",
		chromedp.Click(choose("phone:1")),
		chromedp.WaitVisible(css(`#contact-step #contact-decision[data-decision="allow"]`)),
		chromedp.WaitVisible(css("#contact-form")),
	)
	promiseHidden := func(outcome string) bool {
		return read(t, bctx, "outcome "+outcome, chromedp.Evaluate[bool](`(() => {
			const s = document.querySelector('#contact-form select[name="outcome"]');
			s.value = `+fmt.Sprintf("%q", outcome)+`;
			s.dispatchEvent(new Event("change", {bubbles: true}));
			return document.getElementById("contact-promise").hidden;
		})()`))
	}
	if !promiseHidden("no_answer") || promiseHidden("connected") {
		t.Error("the promise fields do not follow the outcome (only a conversation takes a promise)")
	}
	step(t, bctx, "record the call with a promise",
		chromedp.SetValue(css(`#contact-form select[name="outcome"]`), "connected"),
		chromedp.SendKeys(css(`#contact-form input[name="promise_amount"]`), "5"),
		chromedp.SetValue(css(`#contact-form input[name="promise_due"]`), "2026-03-13"),
		chromedp.SendKeys(css(`#contact-form textarea[name="note"]`), "周五发工资后还"),
		chromedp.Click(css("#save-contact")),
		chromedp.WaitVisible(css(`#saved[data-saved="contact"]`)),
	)
	promises := text("#case-promises")
	for _, want := range []string{"¥5.00", "2026-03-13", "电话", "collector1"} {
		if !strings.Contains(promises, want) {
			t.Errorf("the case's promises lack %q: %q", want, promises)
		}
	}
	if tl := text("#case-timeline"); !strings.Contains(tl, "电话：接通，承诺2026-03-13前还款5.00元") || !strings.Contains(tl, "周五发工资后还") {
		t.Errorf("timeline after the call: %q", tl)
	}
	if c := text("#case-contacts"); !strings.HasPrefix(strings.TrimSpace(c), "1 (1)") {
		t.Errorf("case contacts after the call: %q, want 1 (1)", c)
	}
}
