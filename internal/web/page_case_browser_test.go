package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"accord/internal/strategy"
)

// cwBrowser starts a headless Chromium (ACCORD_TEST_CHROMIUM; the test is
// skipped without it unless CI is set) and returns a tab context.
func cwBrowser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("ACCORD_TEST_CHROMIUM")
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("ACCORD_TEST_CHROMIUM is not set, and CI is")
		}
		t.Skip("ACCORD_TEST_CHROMIUM is not set; skipping the browser test")
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.WindowSize(1280, 900))
	tctx, cancelTab := chromedp.NewContext(actx)
	tctx, cancelTimeout := context.WithTimeout(tctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	if err := chromedp.Do(tctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return tctx
}

// cwStep runs browser actions with a time limit, saving a screenshot when
// they fail (in ACCORD_TEST_ARTIFACTS when set).
// signOutClick clicks the sign-out button from the page itself once it is
// visible: an htmx swap settling after the query (as after a publish asked
// for) cannot leave chromedp.Click holding a node that is gone ("Could not
// find node with given id").
func signOutClick() chromedp.Action[chromedp.Void] {
	click := chromedp.Evaluate[bool](`(() => { const b = document.querySelector("#logout"); if (b) b.click(); return !!b })()`)
	return chromedp.Steps(chromedp.WaitVisible(chromedp.CSS("#logout")), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		ok, err := click(ctx, t)
		if err == nil && !ok {
			err = errors.New("no sign-out button")
		}
		return err
	}))
}

func cwStep(t *testing.T, bctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(bctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		shot := ""
		if png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100)); err == nil {
			dir := os.Getenv("ACCORD_TEST_ARTIFACTS")
			if dir == "" {
				dir = t.TempDir()
			}
			shot = filepath.Join(dir, strings.ReplaceAll(t.Name()+"_"+name, " ", "_")+".png")
			_ = os.WriteFile(shot, png, 0o644)
		}
		t.Fatalf("%s: %v (screenshot %s)", name, err, shot)
	}
}

func cwText(t *testing.T, bctx context.Context, sel string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(bctx, 20*time.Second)
	defer cancel()
	// Read with script: the contact panel loads by htmx and reshapes the
	// page, which makes the node ids of a query go stale.
	s, err := chromedp.Run(sctx, chromedp.Evaluate[string](`document.querySelector(`+strconv.Quote(sel)+`).textContent.trim()`))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

// TestBrowser_Casework works a case from the queue as a collector (sign in,
// "Get next case", log a call with a promise to pay, add a note) and
// saves a strategy version as a supervisor, who may not publish it (four
// eyes), and publishes it as an admin after confirming, in Chromium.
func TestBrowser_Casework(t *testing.T) {
	bctx := cwBrowser(t)
	w := newCWWeb(t)
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

	signIn("collector")
	cwStep(t, bctx, "get next case",
		chromedp.WaitVisible(css("#next-case")),
		chromedp.Click(css("#next-case")),
		chromedp.WaitVisible(css("#case-timeline")),
	)
	if s := cwText(t, bctx, "#case-script"); !strings.Contains(s, "您好") {
		t.Errorf("script: %q", s)
	}
	cwStep(t, bctx, "log a call with a promise",
		chromedp.WaitVisible(css(`#contact-points tr[data-ref="phone:1"][data-channel="call"] a.choose`)),
		chromedp.Click(css(`#contact-points tr[data-ref="phone:1"][data-channel="call"] a.choose`)),
		chromedp.WaitVisible(css(`#contact-form`)),
		chromedp.SetValue(css(`#contact-form select[name="outcome"]`), "connected"),
		chromedp.SendKeys(css(`#contact-form input[name="promise_amount"]`), "200"),
		chromedp.SetValue(css(`#contact-form input[name="promise_due"]`), "2026-03-06"),
		chromedp.Click(css("#save-contact")),
		chromedp.WaitVisible(css(`#saved[data-saved="contact"]`)),
	)
	if s := cwText(t, bctx, "#case-timeline"); !strings.Contains(s, "承诺2026-03-06前还款200.00元") {
		t.Errorf("timeline after the call: %q", s)
	}
	cwStep(t, bctx, "add a note",
		chromedp.SendKeys(css(`#note-form textarea[name="text"]`), "借款人表示周五还款"),
		chromedp.Click(css("#save-note")),
		chromedp.WaitVisible(css(`#saved[data-saved="note"]`)),
	)
	if s := cwText(t, bctx, "#case-timeline"); !strings.Contains(s, "借款人表示周五还款") {
		t.Errorf("timeline after the note: %q", s)
	}
	cwStep(t, bctx, "sign out", signOutClick(), chromedp.WaitVisible(css("#login-submit")))

	signIn("supervisor")
	def, _ := json.MarshalIndent(strategy.DefaultDefinition(), "", "  ")
	cwStep(t, bctx, "open the editor",
		chromedp.Navigate(ts.URL+"/strategies/new"),
		chromedp.WaitVisible(css("#definition")),
		chromedp.SetValue(css("#definition"), strings.Replace(string(def), `"m1_low_sms"`, `"m1_low_sms_v2"`, 1)),
		chromedp.Click(css("#preview-strategy")),
		chromedp.WaitVisible(css("#preview-rules")),
		chromedp.Click(css("#save-strategy")),
		chromedp.WaitVisible(css("#publish-strategy")),
	)
	version, err := chromedp.Run(bctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	cwStep(t, bctx, "ask to publish as the writer",
		chromedp.Click(css("#publish-strategy")),
		chromedp.WaitVisible(css("#four-eyes")), // the writer may not publish
	)
	cwStep(t, bctx, "sign out", signOutClick(), chromedp.WaitVisible(css("#login-submit")))
	signIn("admin")
	cwStep(t, bctx, "publish as another user, after confirming",
		chromedp.Navigate(version),
		chromedp.WaitVisible(css("#strategy-diff")),
		chromedp.Click(css("#publish-strategy")),
		chromedp.WaitVisible(css("#confirm-publish")),
		chromedp.Click(css("#confirm-publish")),
		chromedp.WaitVisible(css(`#strategy-status[data-status="published"]`)),
	)
	if s := cwText(t, bctx, "#strategy-status"); s != "已发布" {
		t.Errorf("status after publishing: %q", s)
	}
}
