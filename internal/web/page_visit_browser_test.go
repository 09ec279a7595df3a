package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/fieldwork"
	"accord/internal/negotiation"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// visitDay is a console over a demo book with two field agents (fa1, fa2)
// in a pair, one visit requested, approved, noticed and planned, and a
// clock the test sets.
type visitDay struct {
	srv   *Server
	svc   *collect.Service
	fw    *fieldwork.Service
	users map[string]auth.User
	v     sqlstore.Visit
	mu    sync.Mutex
	now   time.Time
}

func (d *visitDay) clock() time.Time { d.mu.Lock(); defer d.mu.Unlock(); return d.now }
func (d *visitDay) set(t time.Time)  { d.mu.Lock(); d.now = t; d.mu.Unlock() }
func (d *visitDay) as(name string) collect.Actor {
	return collect.Actor{User: d.users[name], RequestID: "test"}
}

// at sets the clock to hh:mm in Shanghai on day on.
func (d *visitDay) at(t *testing.T, on date.Date, hhmm string) {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	tm, err := time.ParseInLocation("2006-01-02 15:04", on.String()+" "+hhmm, loc)
	if err != nil {
		t.Fatal(err)
	}
	d.set(tm)
}

func newVisitDay(t *testing.T) *visitDay {
	t.Helper()
	ctx := context.Background()
	start := date.MustParse("2026-03-02")
	d := &visitDay{users: map[string]auth.User{}}
	d.at(t, start, "10:00")
	db := storetest.OpenSQLite(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := collect.New(db, collect.Options{Now: d.clock, Log: log})
	d.svc = svc
	neg := negotiation.Wire(svc, negotiation.Options{})
	d.fw = fieldwork.Wire(svc, neg, fieldwork.Options{})
	if _, err := svc.LoadDemo(ctx, collect.DemoOptions{Borrowers: 400, Seed: 7, AsOf: start.AddDays(-1)}, nil); err != nil {
		t.Fatal(err)
	}
	for _, u := range []auth.User{{Username: "admin", Roles: []auth.Role{auth.Admin}}, {Username: "supervisor", Roles: []auth.Role{auth.Supervisor}},
		{Username: "fa1", Roles: []auth.Role{auth.FieldAgent}}, {Username: "fa2", Roles: []auth.Role{auth.FieldAgent}}} {
		u.DisplayName = u.Username
		if _, err := svc.CreateUser(ctx, collect.System("test"), u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.LoadDemoCasework(ctx); err != nil {
		t.Fatal(err)
	}
	users, err := svc.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		d.users[u.Username] = u
	}
	// The field agents' collector records, through which they reach the cases of their visits.
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var team int64
		if err := tx.Inspect(ctx, "SELECT id FROM teams ORDER BY id LIMIT 1").Scan(&team); err != nil {
			return err
		}
		for _, name := range []string{"fa1", "fa2"} {
			c := sqlstore.Collector{Collector: casework.Collector{Name: name, Languages: []string{"zh"}, Regions: []string{},
				Buckets: []string{}, Queues: []string{}, Active: true}, UserID: d.users[name].ID, TeamID: team}
			if err := tx.CreateCollector(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	d.at(t, start.AddDays(1), "02:00")
	if _, err := svc.RunCycle(ctx, start, nil); err != nil {
		t.Fatal(err)
	}
	d.at(t, start, "10:00")

	// One eligible case: M2+, ¥1,000 overdue, no flags, a located address and a phone.
	var caseID int64
	err = db.Read(ctx, func(tx *sqlstore.Tx) error {
		list, _, err := tx.Cases(ctx, sqlstore.CaseFilter{Limit: sqlstore.MaxLimit})
		if err != nil {
			return err
		}
		for _, c := range list {
			if c.Status != casework.Open || c.DPD < 31 || c.Overdue < 100000 {
				continue
			}
			b, err := tx.Borrower(ctx, c.BorrowerID)
			if err != nil {
				return err
			}
			if len(b.Flags) == 0 && len(b.Phones) > 0 && len(b.Addresses) > 0 && b.Addresses[0].Lat != 0 {
				caseID = c.ID
				return nil
			}
		}
		return nil
	})
	if err != nil || caseID == 0 {
		t.Fatalf("no eligible case (%v)", err)
	}
	v, err := d.fw.RequestVisit(ctx, d.as("admin"), fieldwork.NewRequest{CaseID: caseID, Purpose: "面谈了解还款困难"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = d.fw.Approve(ctx, d.as("supervisor"), v.ID, ""); err != nil {
		t.Fatal(err)
	}
	day := start.AddDays(2)
	if _, err = d.fw.SendNotice(ctx, d.as("supervisor"), v.ID, day); err != nil {
		t.Fatal(err)
	}
	if _, err := d.fw.SavePair(ctx, d.as("supervisor"), sqlstore.FieldPair{Name: "东区一组", Agent1: "fa1", Agent2: "fa2",
		BaseLat: v.Lat + 0.03, BaseLon: v.Lon + 0.03, DayFrom: "08:00", DayUntil: "20:00", SpeedKmh: 30, Capacity: 6,
		RecordingDevice: "REC-7", Active: true}); err != nil {
		t.Fatal(err)
	}
	d.at(t, start.AddDays(1), "17:00")
	res, err := d.fw.PlanDay(ctx, d.as("supervisor"), day)
	if err != nil || len(res.Plans) != 1 || len(res.Plans[0].Visits) != 1 {
		t.Fatalf("PlanDay = %+v, %v", res, err)
	}
	d.v = res.Plans[0].Visits[0]
	d.set(d.v.PlannedStart)
	if d.srv, err = New(svc, Options{Log: log, Visits: d.fw}); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestBrowser_VisitPhone: in a phone-sized window a field agent signs in,
// finds today's stop, is refused at the door without the partner (the
// governor's reason in Chinese), checks in with the phone's location and
// records a promise with a photo; the visit is done with the photo's
// SHA-256 and a promise record.
func TestBrowser_VisitPhone(t *testing.T) {
	path := os.Getenv("ACCORD_TEST_CHROMIUM")
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("ACCORD_TEST_CHROMIUM is not set, and CI is")
		}
		t.Skip("ACCORD_TEST_CHROMIUM is not set; skipping the browser test")
	}
	d := newVisitDay(t)
	ts := httptest.NewServer(d.srv)
	t.Cleanup(ts.Close)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.WindowSize(390, 844))
	bctx, cancelTab := chromedp.NewContext(actx)
	bctx, cancelTimeout := context.WithTimeout(bctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelTab(); cancelAlloc() })
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	js := func(expr string) chromedp.Action[chromedp.Void] { // runs expr, which yields true
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Evaluate[bool](expr)(ctx, tg)
			return chromedp.Void{}, err
		}
	}
	v := d.v
	card := "#visit-" + strconv.FormatInt(v.ID, 10)

	// The phone is 30 m from the door.
	lat, lon := v.Lat+0.00027, v.Lon
	if err := chromedp.Do(bctx); err != nil { // start the browser, so that steps may time out alone
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(bctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: browser.PermissionSettingGranted, Origin: ts.URL}); err != nil {
		t.Fatalf("grant the location: %v", err)
	}
	if _, err := chromedp.Call(bctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{Latitude: &lat,
		Longitude: &lon, Accuracy: ptr(10.0)}); err != nil {
		t.Fatalf("set the location: %v", err)
	}
	if _, err := chromedp.Call(bctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 390,
		Height: 844, DeviceScaleFactor: 3, Mobile: true}); err != nil {
		t.Fatalf("phone metrics: %v", err)
	}
	cwStep(t, bctx, "sign in as a field agent",
		chromedp.Navigate(ts.URL+"/login?next=/visits/today"),
		chromedp.WaitVisible(css("#login-submit")),
		chromedp.SendKeys(css("#username"), "fa1"),
		chromedp.SendKeys(css("#password"), "correct horse battery"),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css(card+" form.checkin-form")),
		chromedp.WaitVisible(css(card+` form.checkin-form[data-located="1"]`)),
	)
	if got := cwText(t, bctx, card+" .visit-state"); got != "已排程" {
		t.Errorf("state on the phone %q, want 已排程", got)
	}
	got, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector("`+card+` input[name=lat]").value`))
	if err != nil || !strings.HasPrefix(got, strconvF(lat)) {
		t.Errorf("latitude from the phone %q (%v), want %s", got, err, strconvF(lat))
	}
	cwStep(t, bctx, "check in without the partner",
		js(`(function(){document.querySelector("`+card+` input[name=partner]").value="";return true})()`),
		chromedp.Click(css(card+" .checkin-submit")),
		chromedp.WaitVisible(css("#visit-error-text")),
	)
	if msg := cwText(t, bctx, "#visit-error-text"); !strings.Contains(msg, "外访条件不满足") || !strings.Contains(msg, "collectors_fewer_than_2") {
		t.Errorf("refusal shown %q; want the governor's reason in Chinese", msg)
	}
	cwStep(t, bctx, "check in with the partner",
		chromedp.WaitVisible(css(card+` form.checkin-form[data-located="1"]`)),
		chromedp.Click(css(card+" .checkin-submit")),
		chromedp.WaitVisible(css("#visit-saved")),
		chromedp.WaitVisible(css(card+" form.outcome-form")),
	)
	photo := []byte("\xff\xd8\xff\xe0 a photo of the door \xff\xd9")
	file := filepath.Join(t.TempDir(), "door.jpg")
	if err := os.WriteFile(file, photo, 0o644); err != nil {
		t.Fatal(err)
	}
	promised := d.v.PlannedOn.AddDays(7).String()
	cwStep(t, bctx, "record a promise with a photo",
		js(`(function(){var s=document.querySelector("`+card+` select[name=kind]");s.value="promise";s.dispatchEvent(new Event("change",{bubbles:true}));return true})()`),
		chromedp.WaitVisible(css(card+` input[name="promise_date"]`)),
		chromedp.SendKeys(css(card+` textarea[name="note"]`), "借款人承诺下周还款"),
		chromedp.SendKeys(css(card+` input[name="amount"]`), "1000"),
		chromedp.SetValue(css(card+` input[name="promise_date"]`), promised),
		chromedp.SetUploadFiles(css(card+` input[name="photo"]`), []string{file}),
		chromedp.Click(css(card+" .outcome-submit")),
		chromedp.WaitVisible(css(card+" .visit-outcome")),
	)
	if s := cwText(t, bctx, "#visit-saved"); s != "外访结果已记录。" {
		t.Errorf("after the outcome: %q", s)
	}
	if s := cwText(t, bctx, card+" .visit-outcome"); s != "承诺还款" {
		t.Errorf("outcome shown %q", s)
	}
	pg, err := d.fw.Visit(context.Background(), d.as("fa1"), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(photo)
	if pg.Visit.State != "done" || pg.Visit.OutcomeKind != "promise" || len(pg.Visit.CheckInAgents) != 2 || len(pg.Entries) != 1 {
		t.Fatalf("visit after the phone = %+v, entries %+v", pg.Visit, pg.Entries)
	}
	e := pg.Entries[0]
	if e.PromiseID == 0 || e.AmountMinor != 100000 || e.PromiseOn.String() != promised || len(e.Attachments) != 1 ||
		e.Attachments[0].SHA256 != hex.EncodeToString(sum[:]) || e.Attachments[0].Name != "door.jpg" {
		t.Errorf("entry = %+v", e)
	}
	if pg.Visit.CheckInDistanceM < 10 || pg.Visit.CheckInDistanceM > 60 {
		t.Errorf("check-in %.0f m from the door, want the phone's 30 m", pg.Visit.CheckInDistanceM)
	}
}

func ptr[T any](v T) *T { return &v }

func strconvF(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }
