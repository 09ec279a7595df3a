package chat_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/chat"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/outbox"
	"accord/internal/promise"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

var ctx = context.Background()

// start is the first nightly run; the demo book is generated the day before.
var start = date.MustParse("2026-03-02") // a Monday

// env is a demo book after its first nightly run, with negotiation's
// promise book wired into collect and the chatbot over both, on a clock
// the test sets.
type env struct {
	db   *sqlstore.DB
	svc  *collect.Service
	neg  *negotiation.Service
	bot  *chat.Service
	mu   sync.Mutex
	now  time.Time
	opts chat.Options
}

// engines runs fn on SQLite and on PostgreSQL (skipped without
// ACCORD_TEST_POSTGRES), in parallel.
func engines(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, e := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, e.open(t)))
		})
	}
}

func newEnv(t *testing.T, db *sqlstore.DB) *env {
	t.Helper()
	e := &env{db: db, now: shanghai(start, 10, 0)}
	e.svc = collect.New(db, collect.Options{Now: e.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	e.neg = negotiation.Wire(e.svc, negotiation.Options{})
	if _, err := e.svc.LoadDemo(ctx, collect.DemoOptions{Borrowers: 60, Seed: 7, AsOf: start.AddDays(-1)}, nil); err != nil {
		t.Fatalf("LoadDemo: %v", err)
	}
	for _, r := range auth.Roles {
		if _, err := e.svc.CreateUser(ctx, collect.System("test"), auth.User{Username: string(r), Roles: []auth.Role{r}},
			"correct horse battery staple"); err != nil {
			t.Fatalf("CreateUser(%s): %v", r, err)
		}
	}
	if _, err := e.svc.LoadDemoCasework(ctx); err != nil {
		t.Fatalf("LoadDemoCasework: %v", err)
	}
	if _, err := e.svc.RunCycle(ctx, start, nil); err != nil {
		t.Fatalf("RunCycle: %v", err)
	}
	pol := e.neg.Policy()
	e.opts = chat.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), PromisePolicy: &pol}
	e.bot = chat.New(e.svc, e.opts)
	return e
}

// restart builds a new chat service over the same database, as after a
// restart of the process.
func (e *env) restart() { e.bot = chat.New(e.svc, e.opts) }

func shanghai(d date.Date, h, m int) time.Time {
	return d.Time().Add(time.Duration(h-8)*time.Hour + time.Duration(m)*time.Minute)
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) setClock(t time.Time) {
	e.mu.Lock()
	e.now = t
	e.mu.Unlock()
}

func (e *env) read(t *testing.T, fn func(tx *sqlstore.Tx) error) {
	t.Helper()
	if err := e.db.Read(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// openCase returns an open case, owned by a collector, of a borrower with
// no flags and a mobile number, other than those in skip.
func (e *env) openCase(t *testing.T, skip ...int64) sqlstore.Case {
	t.Helper()
	var found sqlstore.Case
	e.read(t, func(tx *sqlstore.Tx) error {
		open := casework.Open
		cases, _, err := tx.Cases(ctx, sqlstore.CaseFilter{Status: &open, Limit: 500})
		if err != nil {
			return err
		}
		for _, c := range cases {
			if slices.Contains(skip, c.BorrowerID) || c.Owner.Kind != casework.ToCollector || c.Balance < 1000_00 {
				continue
			}
			b, err := tx.Borrower(ctx, c.BorrowerID)
			if err != nil {
				return err
			}
			if len(b.Flags) == 0 && len(b.Phones) > 0 && strings.HasPrefix(b.Phones[0].Number, "+861") {
				found = c
				return nil
			}
		}
		return nil
	})
	if found.ID == 0 {
		t.Fatal("no open case with an unflagged borrower in the demo book")
	}
	return found
}

// say sends text from the borrower's portal widget and returns the answer.
func (e *env) say(t *testing.T, borrowerID int64, text string) chat.Answer {
	t.Helper()
	a, err := e.bot.PortalMessage(ctx, borrowerID, "test", chat.Message{Text: text})
	if err != nil {
		t.Fatalf("PortalMessage(%q): %v", text, err)
	}
	if len(a.Replies) != 1 || a.Replies[0].Text == "" {
		t.Fatalf("PortalMessage(%q) replies = %+v", text, a.Replies)
	}
	return a
}

func (e *env) borrowerFlags(t *testing.T, id int64) []string {
	t.Helper()
	var flags []string
	e.read(t, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(ctx, id)
		flags = b.Flags
		return err
	})
	return flags
}

// check asks the governor about a contact of the borrower now, as an
// admin would before acting.
func (e *env) check(t *testing.T, borrowerID int64, ch compliance.Channel, by string) compliance.Decision {
	t.Helper()
	req := collect.ContactRequest{BorrowerID: borrowerID, Channel: ch, Purpose: compliance.PurposeCollection, To: "phone:1",
		Text: "您好，请尽快处理逾期账单。"}
	actor := collect.System("test")
	if by == "lender" {
		actor = collect.Actor{User: auth.User{ID: 1, Username: "admin", Roles: []auth.Role{auth.Admin}}}
	}
	res, err := e.svc.CheckContact(ctx, actor, req)
	if err != nil {
		t.Fatalf("CheckContact: %v", err)
	}
	return res.Decision
}

// botAttempts returns the borrower's contact log entries on the bot
// channel, oldest first.
func (e *env) botAttempts(t *testing.T, borrowerID int64) []sqlstore.ContactAttempt {
	t.Helper()
	var out []sqlstore.ContactAttempt
	e.read(t, func(tx *sqlstore.Tx) error {
		list, _, err := tx.ContactAttempts(ctx, sqlstore.ContactAttemptFilter{BorrowerID: &borrowerID, Limit: 500, Masked: true})
		for _, a := range list {
			if a.Channel == compliance.Bot {
				out = append(out, a)
			}
		}
		return err
	})
	slices.Reverse(out)
	return out
}

const time1h = time.Hour

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func adminActor() collect.Actor {
	return collect.Actor{User: auth.User{ID: 1, Username: "admin", Roles: []auth.Role{auth.Admin}}}
}

func (e *env) promises(t *testing.T, caseID int64) []promise.Promise {
	t.Helper()
	var out []promise.Promise
	e.read(t, func(tx *sqlstore.Tx) error {
		var err error
		out, err = tx.Promises(ctx, sqlstore.PromiseFilter{CaseID: caseID})
		return err
	})
	return out
}

func (e *env) task(t *testing.T, caseID, id int64) sqlstore.Task {
	t.Helper()
	var found sqlstore.Task
	e.read(t, func(tx *sqlstore.Tx) error {
		list, _, err := tx.Tasks(ctx, sqlstore.TaskFilter{CaseID: &caseID, Limit: 1000})
		for _, k := range list {
			if k.ID == id {
				found = k
			}
		}
		return err
	})
	if found.ID == 0 {
		t.Fatalf("task %d not found on case %d", id, caseID)
	}
	return found
}

// ledgerOverdue sums the overdue totals of the borrower's loan pages as of
// today (collect.Loan replays the ledger).
func (e *env) ledgerOverdue(t *testing.T, borrowerID int64) money.Amount {
	t.Helper()
	var ids []int64
	e.read(t, func(tx *sqlstore.Tx) error {
		rows, _, err := tx.Loans(ctx, sqlstore.LoanFilter{BorrowerID: &borrowerID, Limit: 100})
		for _, r := range rows {
			ids = append(ids, r.Loan.ID)
		}
		return err
	})
	var sum money.Amount
	for _, id := range ids {
		page, err := e.svc.Loan(ctx, adminActor(), id, date.Date(0))
		if err != nil {
			t.Fatal(err)
		}
		sum += page.Position.OverdueTotal()
	}
	return sum
}

// reminder queues an automated SMS reminder to the borrower of case c the
// way the nightly run does, through the governor, and returns it.
func (e *env) reminder(t *testing.T, c sqlstore.Case) outbox.Message {
	t.Helper()
	var m outbox.Message
	err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(ctx, c.BorrowerID)
		if err != nil {
			return err
		}
		m = outbox.Message{BorrowerID: c.BorrowerID, CaseID: c.ID, Channel: outbox.SMS, To: b.Phones[0].Number, Lang: "zh",
			Body: "您的账单已逾期，请通过官方渠道还款。", Purpose: compliance.PurposeReminder, By: "system", DedupKey: "test:reminder:" + itoa(c.ID)}
		_, err = e.svc.QueueMessage(ctx, tx, &m)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
