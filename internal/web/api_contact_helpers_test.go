package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/notify"
	"accord/internal/notify/smsgw"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
	"accord/internal/web"
)

// The contact and compliance tests have helpers of their own (ct…).

// ctMorning is 10:00 on Tuesday 2026-03-10 in Shanghai.
var ctMorning = time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)

// ctSite is the web server over a real database with a movable clock, one
// borrower (two numbers, an email, a mother and a spouse on file as a
// debt-related third party) and a user with an API token per role.
type ctSite struct {
	db     *sqlstore.DB
	svc    *collect.Service
	srv    *web.Server
	b      borrower.Borrower
	mom    borrower.Contact
	wife   borrower.Contact
	tokens map[auth.Role]string
	users  map[auth.Role]auth.User
	agency int64 // the agency of the agency_agent user

	// caseID is the borrower's open case. It starts unassigned with an open
	// call task in queue "ct", which the collector, field agent and
	// negotiator users work, so they may reach the borrower (object scope);
	// openCase gives it an owner.
	caseID int64

	mu  sync.Mutex
	now time.Time
}

func newCtSite(t *testing.T, db *sqlstore.DB) *ctSite {
	t.Helper()
	ctx := context.Background()
	s := &ctSite{db: db, now: ctMorning, tokens: map[auth.Role]string{}, users: map[auth.Role]auth.User{}}
	db.Now = s.clock
	s.svc = collect.New(db, collect.Options{Now: s.clock, SessionTTL: time.Hour, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv, err := web.New(s.svc, web.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), SMSReports: notify.NewReportAuth(smsgw.AppSecret)})
	if err != nil {
		t.Fatal(err)
	}
	s.srv = srv
	s.b = borrower.Borrower{ExternalID: "B-1", Name: "张三", TimeZone: "Asia/Shanghai",
		Phones: []borrower.Phone{{Number: "+8613800138000", Kind: "mobile"}, {Number: "+8613900139000", Kind: "home"}}}
	s.mom = borrower.Contact{Name: "王秀英", Relationship: "mother", Phone: "+8613700137000", ConsentBasis: "loan_application"}
	s.wife = borrower.Contact{Name: "李梅", Relationship: "spouse", Phone: "+8613600136000", ConsentBasis: "loan_application"}
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.CreateBorrower(ctx, &s.b); err != nil {
			return err
		}
		if err := tx.SetBorrowerEmails(ctx, s.b.ID, []string{"zhang@example.cn"}); err != nil {
			return err
		}
		s.mom.BorrowerID, s.wife.BorrowerID = s.b.ID, s.b.ID
		if err := tx.CreateContact(ctx, &s.mom); err != nil {
			return err
		}
		if err := tx.CreateContact(ctx, &s.wife); err != nil {
			return err
		}
		if err := tx.SetContactFlags(ctx, s.wife.ID, []string{compliance.FlagDebtRelatedApproved}); err != nil {
			return err
		}
		ag := sqlstore.Agency{Agency: casework.Agency{Name: "委外一", Whitelisted: true, Capacity: 100}}
		if err := tx.CreateAgency(ctx, &ag); err != nil {
			return err
		}
		s.agency = ag.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sys := collect.System("test")
	for _, role := range auth.Roles {
		name := string(role) + "1"
		u := auth.User{Username: name, Roles: []auth.Role{role}, TeamID: 2}
		if role == auth.AgencyAgent {
			u.AgencyID = s.agency // an agency agent works for an agency
		}
		u, err := s.svc.CreateUser(ctx, sys, u, "password-"+name)
		if err != nil {
			t.Fatal(err)
		}
		s.users[role] = u
		tok, err := s.svc.CreateToken(ctx, sys, name, "test")
		if err != nil {
			t.Fatal(err)
		}
		s.tokens[role] = tok
	}
	for _, role := range []auth.Role{auth.Collector, auth.FieldAgent, auth.Negotiator} {
		s.collectorFor(t, role)
	}
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		err := tx.Inspect(ctx, `INSERT INTO cases (borrower_id, status, opened_on, bucket, bucket_rank, max_bucket_rank, dpd,
			tier, segment, overdue_minor, balance_minor, owner_kind, owner_id, created_at, updated_at)
			VALUES (?, 'open', '2026-03-01', 'M1', 1, 1, 9, 'low', 's', 100, 1000, '', 0, ?, ?) RETURNING id`,
			s.b.ID, ctMorning, ctMorning).Scan(&s.caseID)
		if err != nil {
			return err
		}
		_, err = tx.InsertTasks(ctx, []sqlstore.Task{{CaseID: s.caseID, BorrowerID: s.b.ID, Kind: sqlstore.TaskCall, Queue: "ct",
			Priority: 3, DueOn: date.MustParse("2026-03-10"), DedupKey: "ct-call", CreatedOn: date.MustParse("2026-03-10")}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *ctSite) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

func (s *ctSite) set(t time.Time) {
	s.mu.Lock()
	s.now = t
	s.mu.Unlock()
}

// ctResponse is a recorded answer.
type ctResponse struct {
	Status int
	Header http.Header
	Body   string
}

// do sends a request as role ("" for anonymous) with body (JSON for a
// value, a form for url.Values) and extra headers in pairs.
func (s *ctSite) do(t *testing.T, role auth.Role, method, path string, body any, headers ...string) ctResponse {
	t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	r := httptest.NewRequest(method, path, rd)
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	if role != "" {
		r.Header.Set("Authorization", "Bearer "+s.tokens[role])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	s.srv.ServeHTTP(w, r)
	return ctResponse{Status: w.Code, Header: w.Header(), Body: w.Body.String()}
}

// json decodes the answer into v.
func (r ctResponse) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// ctEngines runs fn on SQLite and PostgreSQL (storetest.Engines).
func ctEngines(t *testing.T, fn func(t *testing.T, s *ctSite)) {
	t.Helper()
	storetest.Engines(t, func(t *testing.T, e storetest.Engine) { fn(t, newCtSite(t, e.Open(t))) })
}

// performed counts the borrower's contacts that happened.
func (s *ctSite) performed(t *testing.T) int {
	t.Helper()
	n := 0
	err := s.db.Read(context.Background(), func(tx *sqlstore.Tx) error {
		return tx.EachContactAttempt(context.Background(), sqlstore.ContactAttemptFilter{}, func(a sqlstore.ContactAttempt) error {
			if a.Performed {
				n++
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// openCase gives the borrower's open case to kind/ownerID ("agency" or
// "collector"; "" for none) and returns its ID.
func (s *ctSite) openCase(t *testing.T, kind string, ownerID int64) int64 {
	t.Helper()
	ctx := context.Background()
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var id int64
		return tx.Inspect(ctx, "UPDATE cases SET owner_kind = ?, owner_id = ? WHERE id = ? RETURNING id", kind, ownerID, s.caseID).Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s.caseID
}

// placeWithAgency places the borrower's case with the agency of the
// agency_agent user, who may then contact the borrower.
func (s *ctSite) placeWithAgency(t *testing.T) int64 {
	t.Helper()
	return s.openCase(t, string(casework.ToAgency), s.agency)
}

// collectorFor returns the ID of the collector record of role's user (the
// owner ID of cases assigned to them), creating it, in a team of its own
// and working queue "ct", the first time.
func (s *ctSite) collectorFor(t *testing.T, role auth.Role) int64 {
	t.Helper()
	ctx := context.Background()
	u := s.users[role]
	var id int64
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if old, err := tx.CollectorByUser(ctx, u.ID); err == nil {
			id = old.ID
			return nil
		}
		c := sqlstore.Collector{UserID: u.ID}
		c.Name, c.Capacity, c.Active, c.Queues = u.Username, 100, true, []string{"ct"}
		tm := sqlstore.Team{Name: "team-" + u.Username}
		if err := tx.CreateTeam(ctx, &tm); err != nil {
			return err
		}
		c.TeamID = tm.ID
		err := tx.CreateCollector(ctx, &c)
		id = c.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
