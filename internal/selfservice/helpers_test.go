package selfservice_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"accord/internal/borrower"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/gateway"
	"accord/internal/negotiation"
	"accord/internal/selfservice"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

var ctx = context.Background()

// start is the first nightly run; the demo book is generated the day before.
var start = date.MustParse("2026-03-02")

const (
	merchant = "M-TEST"
	secret   = "test-gateway-secret"
)

// env is a demo book after one nightly run, with the negotiation and
// self-service services, a local payment gateway on loopback and the
// callback endpoint the gateway calls, on a clock the test moves.
type env struct {
	db    *sqlstore.DB
	svc   *collect.Service
	neg   *negotiation.Service
	self  *selfservice.Service
	local *gateway.Local

	mu    sync.Mutex
	today date.Date
	extra time.Duration
}

// engines runs fn on SQLite and on PostgreSQL (skipped without
// ACCORD_TEST_POSTGRES), in parallel.
func engines(t *testing.T, fn func(t *testing.T, open func(testing.TB) *sqlstore.DB)) {
	for _, e := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			fn(t, e.open)
		})
	}
}

func newEnv(t *testing.T, db *sqlstore.DB, pol selfservice.Policy) *env {
	t.Helper()
	e := &env{db: db, today: start}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.svc = collect.New(db, collect.Options{Now: e.clock, Log: quiet})
	e.neg = negotiation.Wire(e.svc, negotiation.Options{})
	if _, err := e.svc.LoadDemo(ctx, collect.DemoOptions{Borrowers: 60, Seed: 7, AsOf: start.AddDays(-1)}, nil); err != nil {
		t.Fatalf("LoadDemo: %v", err)
	}
	if _, err := e.svc.LoadDemoCasework(ctx); err != nil {
		t.Fatalf("LoadDemoCasework: %v", err)
	}
	if _, err := e.svc.RunCycle(ctx, start, nil); err != nil {
		t.Fatalf("RunCycle: %v", err)
	}

	e.local = gateway.NewLocal(merchant, secret)
	e.local.Now = e.clock
	gw := httptest.NewServer(e.local.Handler())
	t.Cleanup(gw.Close)
	e.local.Base = gw.URL
	shop := httptest.NewServer(http.HandlerFunc(e.handleCallback))
	t.Cleanup(shop.Close)
	client, err := gateway.NewClient(gateway.Config{URL: gw.URL, MerchantID: merchant, Secret: secret,
		NotifyURL: shop.URL + "/callback", Now: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.self = selfservice.New(e.svc, e.neg, selfservice.Options{Log: quiet, Policy: pol, Gateway: client,
		Callbacks: client.Verifier()})
	return e
}

// handleCallback is the callback endpoint as the web edge serves it.
func (e *env) handleCallback(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	res, err := e.self.Callback(r.Context(), r.Header, body, "127.0.0.1")
	if err != nil {
		status := map[errs.Code]int{errs.Unauthorized: 401, errs.Invalid: 400, errs.NotFound: 404, errs.Conflict: 409}[errs.CodeOf(err)]
		if status == 0 {
			status = 500
		}
		http.Error(w, errs.MessageOf(err), status)
		return
	}
	_, _ = w.Write([]byte(`{"result":"ok","outcome":"` + res.Outcome + `"}`))
}

// clock is 10:00 in Shanghai on the env's day, plus what the test added.
func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.today.Time().Add(2*time.Hour + e.extra)
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	e.extra += d
	e.mu.Unlock()
}

func (e *env) read(t *testing.T, fn func(tx *sqlstore.Tx) error) {
	t.Helper()
	if err := e.db.Read(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func (e *env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	e.read(t, func(tx *sqlstore.Tx) error { return tx.Inspect(ctx, query, args...).Scan(&n) })
	return n
}

// debtor is a borrower with an open case, a mobile phone and a loan.
type debtor struct {
	b      borrower.Borrower
	caseID int64
	loan   string // loan number
	loanID int64
	phone  string // as the borrower types it: 11 digits
}

// debtors returns up to n borrowers with open cases and a mobile phone,
// skipping those whose flags keep the governor from texting them.
func (e *env) debtors(t *testing.T, n int) []debtor {
	t.Helper()
	var out []debtor
	e.read(t, func(tx *sqlstore.Tx) error {
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
			phone := ""
			for _, p := range b.Phones {
				if p.Kind == "mobile" && len(p.Number) == 14 {
					phone = p.Number[3:]
					break
				}
			}
			if phone == "" {
				continue
			}
			l, err := tx.Loan(ctx, c.LoanIDs[0])
			if err != nil {
				return err
			}
			out = append(out, debtor{b: b, caseID: c.ID, loan: l.ExternalID, loanID: l.ID, phone: phone})
			if len(out) == n {
				break
			}
		}
		return nil
	})
	if len(out) < n {
		t.Fatalf("found %d debtors with a mobile phone and no flags, want %d", len(out), n)
	}
	return out
}

var sixDigits = regexp.MustCompile(`\d{6}`)

// codeOf returns the code in the SMS of message id.
func (e *env) codeOf(t *testing.T, id int64) string {
	t.Helper()
	var body string
	e.read(t, func(tx *sqlstore.Tx) error {
		m, err := tx.Message(ctx, id)
		if err != nil {
			return err
		}
		err = tx.RenderMessageSecret(ctx, &m) // as the sender would
		body = m.Body
		return err
	})
	code := sixDigits.FindString(body)
	if code == "" {
		t.Fatalf("message %d has no code: %q", id, body)
	}
	return code
}

// signIn signs d in and returns the session.
func (e *env) signIn(t *testing.T, d debtor) selfservice.Session {
	t.Helper()
	ch, err := e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: d.loan, Phone: d.phone, Addr: "192.0.2.10"})
	if err != nil {
		t.Fatalf("StartSignIn: %v", err)
	}
	var msg int64
	e.read(t, func(tx *sqlstore.Tx) error {
		return tx.Inspect(ctx, "SELECT message_id FROM portal_challenges WHERE id = ?", ch.ID).Scan(&msg)
	})
	sess, err := e.self.VerifySignIn(ctx, ch.ID, e.codeOf(t, msg), "192.0.2.10", "")
	if err != nil {
		t.Fatalf("VerifySignIn: %v", err)
	}
	return sess
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("error = %v (%s), want %s", err, errs.CodeOf(err), code)
	}
}
