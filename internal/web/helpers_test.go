package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
	"accord/internal/testkit"
	"accord/internal/web"
)

var ctx = context.Background()

// t0 is the fixed clock (testkit.T0): 10:00 on 2026-03-20 in Shanghai.
var t0 = testkit.T0

var today = testkit.Today

// password is every test user's (testkit.Users).
const password = testkit.Password

// anonymous stands for a caller who has not signed in.
const anonymous auth.Role = ""

// env is a real server over a real database holding a small demo portfolio,
// with one user per role, each with a console session and an API token.
type env struct {
	db  *sqlstore.DB
	svc *collect.Service
	srv *web.Server

	users    map[auth.Role]auth.User
	sessions map[auth.Role]session
	tokens   map[auth.Role]string

	borrowerID, loanID, paymentID int64
}

type session struct{ cookie, csrf string }

// envOpts say what newEnv prepares.
type envOpts struct {
	Borrowers int           // demo borrowers; 50 when zero
	Cycle     bool          // run the nightly cycle for today, so the overview has a snapshot
	Quiet     bool          // discard the server's log (fuzz targets may not log through *testing.F)
	BotLimits web.BotLimits // the bot endpoint's rate limits (defaults when zero)
}

// openers are the engines (storetest.AllEngines) by name.
func openers() []struct {
	name string
	open func(testing.TB) *sqlstore.DB
} {
	var out []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}
	for _, e := range storetest.AllEngines() {
		out = append(out, struct {
			name string
			open func(testing.TB) *sqlstore.DB
		}{e.Name, e.Open})
	}
	return out
}

// newEnv builds an env on db.
func newEnv(tb testing.TB, db *sqlstore.DB, o envOpts) *env {
	tb.Helper()
	if o.Borrowers == 0 {
		o.Borrowers = 50
	}
	log := slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if o.Quiet {
		log = slog.New(slog.DiscardHandler)
	}
	e := &env{db: db, users: map[auth.Role]auth.User{}, sessions: map[auth.Role]session{}, tokens: map[auth.Role]string{}}
	e.svc = testkit.Service(db, testkit.NewClock(t0), collect.Options{Log: log})
	if _, err := e.svc.LoadDemo(ctx, collect.DemoOptions{Borrowers: o.Borrowers, Seed: 3, AsOf: date.MustParse("2026-03-01")}, nil); err != nil {
		tb.Fatalf("LoadDemo: %v", err)
	}
	if o.Cycle {
		if _, err := e.svc.RunCycle(ctx, today, nil); err != nil {
			tb.Fatalf("RunCycle: %v", err)
		}
	}
	srv, err := web.New(e.svc, web.Options{Log: log, Ready: db.Ping, Version: "test", BotLimits: o.BotLimits})
	if err != nil {
		tb.Fatal(err)
	}
	e.srv = srv
	e.users = testkit.Users(tb, e.svc)
	for _, r := range auth.Roles {
		var err error
		if e.tokens[r], err = e.svc.CreateToken(ctx, collect.System("test"), e.users[r].Username, "tests"); err != nil {
			tb.Fatal(err)
		}
		e.login(tb, r)
	}
	e.pickIDs(tb)
	e.placeBorrower(tb)
	return e
}

// placeBorrower gives every role that works cases a way to the env's
// borrower through the object scope: the agency agent's agency holds the
// borrower's open case, and the collector, field agent and negotiator are
// collectors working queue "env", where an open call task on that case
// waits unassigned.
func (e *env) placeBorrower(tb testing.TB) {
	tb.Helper()
	err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		tm := sqlstore.Team{Name: "env"}
		if err := tx.CreateTeam(ctx, &tm); err != nil {
			return err
		}
		for _, r := range []auth.Role{auth.Collector, auth.FieldAgent, auth.Negotiator} {
			c := sqlstore.Collector{UserID: e.users[r].ID, TeamID: tm.ID}
			c.Name, c.Capacity, c.Active, c.Queues = string(r), 100, true, []string{"env"}
			if err := tx.CreateCollector(ctx, &c); err != nil {
				return err
			}
		}
		ag := sqlstore.Agency{Agency: casework.Agency{Name: "env 委外", Whitelisted: true, Capacity: 100}}
		if err := tx.CreateAgency(ctx, &ag); err != nil {
			return err
		}
		u, err := tx.UpdateUser(ctx, e.users[auth.AgencyAgent].ID, sqlstore.UserUpdate{AgencyID: &ag.ID})
		if err != nil {
			return err
		}
		e.users[auth.AgencyAgent] = u
		st := casework.Open
		open, _, err := tx.Cases(ctx, sqlstore.CaseFilter{BorrowerID: &e.borrowerID, Status: &st})
		if err != nil {
			return err
		}
		var caseID int64
		if len(open) > 0 {
			err = tx.Inspect(ctx, "UPDATE cases SET owner_kind = 'agency', owner_id = ? WHERE id = ? RETURNING id", ag.ID, open[0].ID).Scan(&caseID)
		} else {
			err = tx.Inspect(ctx, `INSERT INTO cases (borrower_id, status, opened_on, bucket, bucket_rank, max_bucket_rank, dpd,
				tier, segment, overdue_minor, balance_minor, owner_kind, owner_id, created_at, updated_at)
				VALUES (?, 'open', '2026-03-01', 'M1', 1, 1, 9, 'low', 's', 100, 1000, 'agency', ?, ?, ?) RETURNING id`,
				e.borrowerID, ag.ID, t0, t0).Scan(&caseID)
		}
		if err != nil {
			return err
		}
		_, err = tx.InsertTasks(ctx, []sqlstore.Task{{CaseID: caseID, BorrowerID: e.borrowerID, Kind: sqlstore.TaskCall, Queue: "env",
			Priority: 3, DueOn: today, DedupKey: "env-call", CreatedOn: today}})
		return err
	})
	if err != nil {
		tb.Fatalf("place the env's borrower: %v", err)
	}
}

// login opens a fresh console session for role's user.
func (e *env) login(tb testing.TB, r auth.Role) session {
	tb.Helper()
	tok, _, err := e.svc.Login(ctx, string(r), password, "")
	if err != nil {
		tb.Fatalf("Login(%s): %v", r, err)
	}
	_, sess, err := e.svc.UserBySession(ctx, tok)
	if err != nil {
		tb.Fatal(err)
	}
	e.sessions[r] = session{cookie: tok, csrf: sess.CSRFToken}
	return e.sessions[r]
}

// pickIDs finds a borrower with a loan that has a payment.
func (e *env) pickIDs(tb testing.TB) {
	tb.Helper()
	var rows []sqlstore.LoanRow
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		rows, _, err = tx.Loans(ctx, sqlstore.LoanFilter{Limit: 1000})
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	admin := collect.Actor{User: e.users[auth.Admin]}
	for _, r := range rows {
		page, err := e.svc.Loan(ctx, admin, r.Loan.ID, 0)
		if err != nil {
			tb.Fatal(err)
		}
		for _, p := range page.Payments {
			if !p.Reversed {
				e.borrowerID, e.loanID, e.paymentID = r.Loan.BorrowerID, r.Loan.ID, p.ID
				return
			}
		}
	}
	tb.Fatal("the demo portfolio has no loan with a payment")
}

// request is one HTTP request as some role makes it: API paths with the
// role's bearer token, console paths with its session cookie and, for
// anything but GET, its CSRF token.
type request struct {
	role          auth.Role
	method, url   string
	body          string
	headers       map[string]string
	noCSRF        bool
	contentType   string // default: JSON for /api/ paths, a form otherwise
	noContentType bool
}

func (e *env) do(tb testing.TB, r request) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(r.method, r.url, strings.NewReader(r.body))
	api := strings.HasPrefix(r.url, "/api/")
	ct := r.contentType
	if ct == "" {
		ct = "application/x-www-form-urlencoded"
		if api {
			ct = "application/json"
		}
	}
	if r.body != "" && !r.noContentType {
		req.Header.Set("Content-Type", ct)
	}
	if r.role != anonymous {
		if api {
			req.Header.Set("Authorization", "Bearer "+e.tokens[r.role])
		} else {
			s := e.sessions[r.role]
			req.AddCookie(&http.Cookie{Name: "accord_session", Value: s.cookie})
			if r.method != http.MethodGet && !r.noCSRF {
				req.Header.Set("X-CSRF-Token", s.csrf)
			}
		}
	}
	for k, v := range r.headers {
		if k == "Cookie" {
			req.Header.Add(k, v) // beside the session cookie
		} else {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return rec
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

// testWriter sends the server's warnings and errors to the test log.
type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

var _ io.Writer = testWriter{}
