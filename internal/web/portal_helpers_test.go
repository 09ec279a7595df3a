package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"accord/internal/borrower"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/gateway"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/selfservice"
	"accord/internal/sqlstore"
	"accord/internal/web"
)

// portalEnv is a real server with the borrower portal over a demo book
// after one nightly run, a local payment gateway on loopback, and the
// clock the test moves.
type portalEnv struct {
	db    *sqlstore.DB
	svc   *collect.Service
	self  *selfservice.Service
	srv   *web.Server
	ts    *httptest.Server
	local *gateway.Local

	mu  sync.Mutex
	now time.Time
}

var portalDay = date.MustParse("2026-03-02")

func newPortalEnv(t *testing.T, db *sqlstore.DB) *portalEnv {
	t.Helper()
	e := &portalEnv{db: db, now: portalDay.Time().Add(2 * time.Hour)} // 10:00 in Shanghai
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.svc = collect.New(db, collect.Options{Now: e.clock, Log: quiet})
	neg := negotiation.Wire(e.svc, negotiation.Options{})
	if _, err := e.svc.LoadDemo(ctx, collect.DemoOptions{Borrowers: 40, Seed: 7, AsOf: portalDay.AddDays(-1)}, nil); err != nil {
		t.Fatalf("LoadDemo: %v", err)
	}
	if _, err := e.svc.LoadDemoCasework(ctx); err != nil {
		t.Fatalf("LoadDemoCasework: %v", err)
	}
	if _, err := e.svc.RunCycle(ctx, portalDay, nil); err != nil {
		t.Fatalf("RunCycle: %v", err)
	}
	var h http.Handler
	e.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(e.ts.Close)
	e.local = gateway.NewLocal("M-WEB", "web-secret")
	e.local.Now = e.clock
	gw := httptest.NewServer(e.local.Handler())
	t.Cleanup(gw.Close)
	e.local.Base = gw.URL
	client, err := gateway.NewClient(gateway.Config{URL: gw.URL, MerchantID: "M-WEB", Secret: "web-secret",
		NotifyURL: e.ts.URL + "/api/v1/gateway/callback", Now: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	// A supervisor's authority covers the first demo debtors' plans; the
	// default (a collector's) covers some debtors' only
	// (selfservice's TestService_DefaultAutoApprovalQualifies).
	e.self = selfservice.New(e.svc, neg, selfservice.Options{Log: quiet, Gateway: client, Callbacks: client.Verifier(),
		ReturnBase: e.ts.URL, Policy: selfservice.Policy{AutoApproval: offer.Supervisor}})
	e.srv, err = web.New(e.svc, web.Options{Log: quiet, Portal: e.self, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	h = e.srv
	return e
}

func (e *portalEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

// portalDebtor is a borrower with an open case and a mobile phone.
type portalDebtor struct {
	b      borrower.Borrower
	caseID int64
	loan   string
	loanID int64
	phone  string // 11 digits, as typed
}

func (e *portalEnv) debtor(t *testing.T, skip int) portalDebtor {
	t.Helper()
	var out []portalDebtor
	err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		st := casework.Open
		cases, _, err := tx.Cases(ctx, sqlstore.CaseFilter{Status: &st, Limit: 500})
		if err != nil {
			return err
		}
		for _, c := range cases {
			b, err := tx.Borrower(ctx, c.BorrowerID)
			if err != nil {
				return err
			}
			if len(b.Flags) > 0 || len(c.LoanIDs) == 0 {
				continue
			}
			for _, p := range b.Phones {
				if p.Kind == "mobile" && len(p.Number) == 14 {
					l, err := tx.Loan(ctx, c.LoanIDs[0])
					if err != nil {
						return err
					}
					out = append(out, portalDebtor{b: b, caseID: c.ID, loan: l.ExternalID, loanID: l.ID, phone: p.Number[3:]})
					break
				}
			}
			if len(out) > skip {
				return nil
			}
		}
		return nil
	})
	if err != nil || len(out) <= skip {
		t.Fatalf("no debtor %d (%v)", skip, err)
	}
	return out[skip]
}

var sixDigitCode = regexp.MustCompile(`\d{6}`)

// lastCode returns the code in the newest SMS to borrower id.
func (e *portalEnv) lastCode(t *testing.T, id int64) string {
	t.Helper()
	var body string
	err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var mid int64
		if err := tx.Inspect(ctx, "SELECT id FROM messages WHERE borrower_id = ? ORDER BY id DESC LIMIT 1", id).Scan(&mid); err != nil {
			return err
		}
		m, err := tx.Message(ctx, mid)
		if err != nil {
			return err
		}
		err = tx.RenderMessageSecret(ctx, &m) // as the sender would
		body = m.Body
		return err
	})
	code := sixDigitCode.FindString(body)
	if err != nil || code == "" {
		t.Fatalf("no code in the last message to borrower %d: %q, %v", id, body, err)
	}
	return code
}

// browserClient is an HTTP client with a cookie jar that follows
// redirects, as a phone's browser would.
func browserClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 20 * time.Second}
}

type portalPage struct {
	status int
	url    string
	body   string
}

func get(t *testing.T, c *http.Client, u string) portalPage {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return portalPage{resp.StatusCode, resp.Request.URL.String(), string(b)}
}

func post(t *testing.T, c *http.Client, u string, kv ...string) portalPage {
	t.Helper()
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	resp, err := c.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return portalPage{resp.StatusCode, resp.Request.URL.String(), string(b)}
}

var (
	hiddenCSRF      = regexp.MustCompile(`name="csrf_token" value="([0-9a-f]+)"`)
	hiddenChallenge = regexp.MustCompile(`name="challenge_id" value="(\d+)"`)
)

func field(t *testing.T, re *regexp.Regexp, body string) string {
	t.Helper()
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in:\n%.2000s", re, body)
	}
	return m[1]
}

// signIn signs d in on the portal with c and returns the CSRF token.
func (e *portalEnv) signIn(t *testing.T, c *http.Client, d portalDebtor) string {
	t.Helper()
	p := post(t, c, e.ts.URL+"/my/login", "loan_number", d.loan, "phone", d.phone)
	if p.status != http.StatusOK {
		t.Fatalf("POST /my/login = %d:\n%.1000s", p.status, p.body)
	}
	id := field(t, hiddenChallenge, p.body)
	p = post(t, c, e.ts.URL+"/my/verify", "challenge_id", id, "code", e.lastCode(t, d.b.ID))
	if p.status != http.StatusOK || !strings.HasSuffix(p.url, "/my") {
		t.Fatalf("POST /my/verify ended at %s (%d):\n%.1000s", p.url, p.status, p.body)
	}
	return field(t, hiddenCSRF, p.body)
}
