package collect

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"accord/internal/audit"
	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// The contact tests run inside package collect with names of their own
// (ct…), apart from the black-box tests of package collect_test.

var ctBG = context.Background()

// ctMorning is 10:00 on Tuesday 2026-03-10 in Shanghai: a working day,
// inside the allowed hours.
var ctMorning = time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)

// ctEnv is a service over a real database with a clock tests can move, and
// one borrower with two numbers, an email and two registered contacts (the
// second a debt-related third party on file).
type ctEnv struct {
	db  *sqlstore.DB
	svc *Service
	b   borrower.Borrower
	mom borrower.Contact
	wif borrower.Contact

	// caseID is the borrower's open case. It starts unassigned, with an open
	// call task in queue "ct" that ctCollector and ctCollector2 work, so both
	// may reach the borrower (object scope); openCase gives it an owner.
	caseID int64

	mu  sync.Mutex
	now time.Time
}

// ctEngines runs fn on SQLite and on PostgreSQL (storetest.Engines:
// skipped without ACCORD_TEST_POSTGRES unless CI is set) as parallel
// subtests.
func ctEngines(t *testing.T, fn func(t *testing.T, e *ctEnv)) {
	t.Helper()
	storetest.Engines(t, func(t *testing.T, eng storetest.Engine) { fn(t, newCtEnv(t, eng.Open(t))) })
}

func newCtEnv(t *testing.T, db *sqlstore.DB) *ctEnv {
	t.Helper()
	e := &ctEnv{db: db, now: ctMorning}
	db.Now = e.clock
	e.svc = New(db, Options{Now: e.clock})
	e.b = borrower.Borrower{ExternalID: "B-1", Name: "张三", NationalID: "110105199001011234", TimeZone: "Asia/Shanghai",
		Phones: []borrower.Phone{{Number: "+8613800138000", Kind: "mobile"}, {Number: "+8613900139000", Kind: "home"}}}
	e.mom = borrower.Contact{Name: "王秀英", Relationship: "mother", Phone: "+8613700137000", ConsentBasis: "loan_application"}
	e.wif = borrower.Contact{Name: "李梅", Relationship: "spouse", Phone: "+8613600136000", ConsentBasis: "loan_application"}
	e.write(t, func(tx *sqlstore.Tx) error {
		if err := tx.CreateBorrower(ctBG, &e.b); err != nil {
			return err
		}
		if err := tx.SetBorrowerEmails(ctBG, e.b.ID, []string{"zhang@example.cn"}); err != nil {
			return err
		}
		e.mom.BorrowerID, e.wif.BorrowerID = e.b.ID, e.b.ID
		if err := tx.CreateContact(ctBG, &e.mom); err != nil {
			return err
		}
		if err := tx.CreateContact(ctBG, &e.wif); err != nil {
			return err
		}
		return tx.SetContactFlags(ctBG, e.wif.ID, []string{compliance.FlagDebtRelatedApproved})
	})
	for _, by := range []Actor{ctCollector, ctCollector2} {
		e.collectorFor(t, by)
	}
	e.write(t, func(tx *sqlstore.Tx) error {
		err := tx.Inspect(ctBG, `INSERT INTO cases (borrower_id, status, opened_on, bucket, bucket_rank, max_bucket_rank, dpd,
			tier, segment, overdue_minor, balance_minor, owner_kind, owner_id, created_at, updated_at)
			VALUES (?, 'open', '2026-03-01', 'M1', 1, 1, 9, 'low', 's', 100, 1000, '', 0, ?, ?) RETURNING id`,
			e.b.ID, ctMorning, ctMorning).Scan(&e.caseID)
		if err != nil {
			return err
		}
		_, err = tx.InsertTasks(ctBG, []sqlstore.Task{{CaseID: e.caseID, BorrowerID: e.b.ID, Kind: sqlstore.TaskCall, Queue: "ct",
			Priority: 3, DueOn: date.MustParse("2026-03-10"), DedupKey: "ct-call", CreatedOn: date.MustParse("2026-03-10")}})
		return err
	})
	return e
}

func (e *ctEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *ctEnv) set(t time.Time) {
	e.mu.Lock()
	e.now = t
	e.mu.Unlock()
}

func (e *ctEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

func (e *ctEnv) write(t *testing.T, fn func(tx *sqlstore.Tx) error) {
	t.Helper()
	if err := e.db.InTx(ctBG, fn); err != nil {
		t.Fatal(err)
	}
}

func (e *ctEnv) read(t *testing.T, fn func(tx *sqlstore.Tx) error) {
	t.Helper()
	if err := e.db.Read(ctBG, fn); err != nil {
		t.Fatal(err)
	}
}

// setFlags replaces the borrower's flags directly in the store.
func (e *ctEnv) setFlags(t *testing.T, flags ...string) {
	t.Helper()
	e.write(t, func(tx *sqlstore.Tx) error {
		_, err := tx.UpdateBorrower(ctBG, e.b.ID, sqlstore.BorrowerUpdate{Flags: &flags})
		return err
	})
}

// attempts returns the borrower's contact log, oldest first.
func (e *ctEnv) attempts(t *testing.T) []sqlstore.ContactAttempt {
	t.Helper()
	var list []sqlstore.ContactAttempt
	e.read(t, func(tx *sqlstore.Tx) error {
		var err error
		list, _, err = tx.ContactAttempts(ctBG, sqlstore.ContactAttemptFilter{BorrowerID: &e.b.ID, Limit: 1000})
		for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
			list[i], list[j] = list[j], list[i]
		}
		return err
	})
	return list
}

// auditActions returns the actions of the audit log, oldest first.
func (e *ctEnv) auditActions(t *testing.T) []string {
	t.Helper()
	var out []string
	err := e.db.AuditEvents(ctBG, func(ev audit.Event) error {
		out = append(out, ev.Action)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The people of the tests.
var (
	ctCollector  = Actor{User: auth.User{ID: 11, Username: "li", Roles: []auth.Role{auth.Collector}, TeamID: 2}}
	ctCollector2 = Actor{User: auth.User{ID: 12, Username: "zhao", Roles: []auth.Role{auth.Collector}, TeamID: 2}}
	ctAgent      = Actor{User: auth.User{ID: 13, Username: "agent", Roles: []auth.Role{auth.AgencyAgent}, AgencyID: 7}}
	ctSupervisor = Actor{User: auth.User{ID: 14, Username: "zhou", Roles: []auth.Role{auth.Supervisor}, TeamID: 2}}
	ctOfficer    = Actor{User: auth.User{ID: 15, Username: "qian", Roles: []auth.Role{auth.Compliance}}}
	ctAuditor    = Actor{User: auth.User{ID: 16, Username: "sun", Roles: []auth.Role{auth.Auditor}}}
	ctAdmin      = Actor{User: auth.User{ID: 17, Username: "admin", Roles: []auth.Role{auth.Admin}}}
)

// call is a call to the borrower's first number now, connected.
func (e *ctEnv) call(to string, o compliance.Outcome) ContactRequest {
	return ContactRequest{BorrowerID: e.b.ID, Channel: compliance.Call, To: to, Outcome: o, Purpose: compliance.PurposeCollection}
}

// wantRefused checks that err is a *RefusedError with code and the rule.
func wantRefused(t *testing.T, err error, code errs.Code, rule string) *RefusedError {
	t.Helper()
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("error = %v, want a *RefusedError", err)
	}
	if errs.CodeOf(err) != code || !re.Decision.Fired(rule) {
		t.Fatalf("refused with %s %v, want %s by %s", errs.CodeOf(err), re.Decision.Rules, code, rule)
	}
	return re
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func mustParseDate(s string) date.Date { return date.MustParse(s) }

// openCase gives the borrower's open case to owner kind/ownerID ("agency",
// 7 places it with ctAgent's agency; "" leaves it unassigned) and returns
// its ID.
func (e *ctEnv) openCase(t *testing.T, kind string, ownerID int64) int64 {
	t.Helper()
	e.write(t, func(tx *sqlstore.Tx) error {
		var id int64
		return tx.Inspect(ctBG, "UPDATE cases SET owner_kind = ?, owner_id = ? WHERE id = ? RETURNING id", kind, ownerID, e.caseID).Scan(&id)
	})
	return e.caseID
}

// placeWithAgent places the borrower's case with ctAgent's agency, so the
// agent may contact the borrower.
func (e *ctEnv) placeWithAgent(t *testing.T) int64 {
	t.Helper()
	return e.openCase(t, "agency", ctAgent.User.AgencyID)
}

// collectorFor returns the ID of by's collector record (the owner ID of the
// cases assigned to them), creating it, in a team of its own and working
// queue "ct", the first time.
func (e *ctEnv) collectorFor(t *testing.T, by Actor) int64 {
	t.Helper()
	var id int64
	e.write(t, func(tx *sqlstore.Tx) error {
		old, err := tx.CollectorByUser(ctBG, by.User.ID)
		if err == nil {
			id = old.ID
			return nil
		}
		c := sqlstore.Collector{UserID: by.User.ID}
		c.Name, c.Capacity, c.Active, c.Queues = by.User.Username, 100, true, []string{"ct"}
		tm := sqlstore.Team{Name: "team-" + by.User.Username}
		if err := tx.CreateTeam(ctBG, &tm); err != nil {
			return err
		}
		c.TeamID = tm.ID
		err = tx.CreateCollector(ctBG, &c)
		id = c.ID
		return err
	})
	return id
}
