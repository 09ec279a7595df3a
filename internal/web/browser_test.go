package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/ledger"
	"accord/internal/sqlstore/storetest"
)

// chromium returns the Chromium binary named by ACCORD_TEST_CHROMIUM. The
// test is skipped without it, unless CI is set: a browser test that
// silently skips in CI would hide a broken console, so there it fails.
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv("ACCORD_TEST_CHROMIUM")
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("ACCORD_TEST_CHROMIUM is not set, and CI is: the browser test must run in CI (apt-get install chromium)")
		}
		t.Skip("ACCORD_TEST_CHROMIUM is not set; skipping the browser test")
	}
	return path
}

// newBrowser starts a headless Chromium with a fresh profile and returns a
// tab context that ends with the test or after a minute.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tctx, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	tctx, cancelTimeout := context.WithTimeout(tctx, time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	if err := chromedp.Do(tctx); err != nil { // start the browser, so that steps may time out alone
		t.Fatalf("start %s: %v", chromium(t), err)
	}
	return tctx
}

// stepTimeout bounds one step, so that a missing element fails in seconds.
const stepTimeout = 15 * time.Second

// step runs browser actions and, if they fail, saves a screenshot and
// fails the test naming it.
func step(t *testing.T, bctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(bctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v%s", name, err, screenshot(t, bctx, name))
	}
}

// read runs one browser action that returns a value, failing like step.
func read[T any](t *testing.T, bctx context.Context, name string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(bctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatalf("%s: %v%s", name, err, screenshot(t, bctx, name))
	}
	return v
}

func screenshot(t *testing.T, bctx context.Context, name string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(bctx, 5*time.Second)
	defer cancel()
	url, _ := chromedp.Run(sctx, chromedp.Location())
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		return fmt.Sprintf(" (at %s; no screenshot: %v)", url, err)
	}
	dir := os.Getenv("ACCORD_TEST_ARTIFACTS") // kept after the test when set
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, strings.NewReplacer(" ", "_", "/", "_").Replace(t.Name()+"_"+name)+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return fmt.Sprintf(" (at %s; no screenshot: %v)", url, err)
	}
	return fmt.Sprintf("\nat %s; screenshot: %s", url, path)
}

// TestBrowser drives the console in Chromium as a collector would: sign in,
// find a borrower, open a loan, read its schedule and switch languages.
func TestBrowser(t *testing.T) {
	bctx := newBrowser(t)
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Borrowers: 30, Cycle: true})
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)

	admin := collect.Actor{User: e.users[auth.Admin]}
	bp, err := e.svc.Borrower(ctx, admin, e.borrowerID)
	if err != nil {
		t.Fatal(err)
	}
	lp, err := e.svc.Loan(ctx, admin, e.loanID, 0)
	if err != nil {
		t.Fatal(err)
	}
	sched, err := ledger.Schedule(lp.Loan.Terms())
	if err != nil {
		t.Fatal(err)
	}
	first := sched[0]
	name := bp.Borrower.Name

	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	step(t, bctx, "sign in",
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.WaitVisible(css("#login-submit")),
		chromedp.SendKeys(css("#username"), "collector"),
		chromedp.SendKeys(css("#password"), password),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#borrower-list")), // a collector lands on the borrower list
	)
	borrowerLink := css(fmt.Sprintf(`#borrower-list a.borrower-link[href="/borrowers/%d"]`, e.borrowerID))
	step(t, bctx, "search the borrower",
		chromedp.SetValue(css("#q"), name),
		chromedp.Submit(css("#q")),
		chromedp.WaitVisible(borrowerLink),
	)
	step(t, bctx, "open the borrower", chromedp.Click(borrowerLink), chromedp.WaitVisible(css("#borrower-name")))
	shownName := read(t, bctx, "read the name", chromedp.Text(css("#borrower-name")))
	nationalID := read(t, bctx, "read the national id", chromedp.Text(css("#national-id")))
	if shownName != name || !strings.Contains(nationalID, "********") {
		t.Errorf("borrower page shows %q with national id %q; want %q, masked", shownName, nationalID, name)
	}

	step(t, bctx, "open the loan",
		chromedp.Click(css(fmt.Sprintf(`a.loan-link[href="/loans/%d"]`, e.loanID))),
		chromedp.WaitVisible(css("#schedule")),
	)
	cells := read(t, bctx, "read the schedule", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#schedule tbody tr:first-child td")).map(td => td.textContent.trim())`))
	want := []string{"1", first.DueDate.String(), first.Principal.Grouped(), first.Interest.Grouped(), first.Total().Grouped()}
	if len(cells) < len(want) {
		t.Fatalf("first schedule row = %q%s", cells, screenshot(t, bctx, "schedule"))
	}
	if diff := cmp.Diff(want, cells[:len(want)]); diff != "" {
		t.Errorf("first schedule row (-ledger.Schedule +page):\n%s", diff)
	}
	if body := read(t, bctx, "read the page", chromedp.Text(css("main"))); !strings.Contains(body, "还款计划") {
		t.Errorf("loan page lacks 还款计划 (zh-CN is the default): %.300s", body)
	}

	step(t, bctx, "switch to English",
		chromedp.Click(css("#lang-switch")),
		chromedp.WaitVisible(css(`html[lang="en"] #schedule`)),
	)
	body := read(t, bctx, "read the English page", chromedp.Text(css("main")))
	for _, s := range []string{"Repayment schedule", "Delinquency facts", "Payments"} {
		if !strings.Contains(body, s) {
			t.Errorf("English loan page lacks %q", s)
		}
	}
	step(t, bctx, "switch back to Chinese",
		chromedp.Click(css("#lang-switch")),
		chromedp.WaitVisible(css(`html[lang="zh-CN"] #schedule`)),
	)
	body = read(t, bctx, "read the Chinese page", chromedp.Text(css("main")))
	if !strings.Contains(body, "还款计划") || strings.Contains(body, "Repayment schedule") {
		t.Errorf("Chinese loan page: %.300s", body)
	}
}
