package collect

import (
	"errors"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// TestLogCaseContact_Governor: the case page's "log call outcome" cannot
// bypass the contact governor. At 23:00 borrower time the call is refused
// (CN-TIME-QUIET), the refusal is kept in the contact log as evidence, and
// the case records no contact and no promise.
func TestLogCaseContact_Governor(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 300)
		e.run(t, cwStart)
		col := e.as(auth.Collector)
		wb, err := e.svc.Workbench(cwCtx, col, 10)
		if err != nil || len(wb.Cases) == 0 {
			t.Fatalf("workbench: %v", err)
		}
		c := wb.Cases[0]
		e.mu.Lock()
		e.late = 13 * time.Hour // 23:00 in Shanghai
		e.mu.Unlock()

		err = e.svc.LogCaseContact(cwCtx, col, c.ID, CaseContact{Outcome: compliance.Connected,
			PromiseAmount: money.Yuan(100), PromiseDue: cwStart.AddDays(1)})
		var refused *RefusedError
		if !errors.As(err, &refused) || !refused.Decision.Fired("CN-TIME-QUIET") {
			t.Fatalf("call at 23:00 = %v, want a refusal by CN-TIME-QUIET", err)
		}
		var attempts []sqlstore.ContactAttempt
		e.read(t, func(tx *sqlstore.Tx) error {
			attempts, _, err = tx.ContactAttempts(cwCtx, sqlstore.ContactAttemptFilter{CaseID: &c.ID, Masked: true, Limit: 10})
			return err
		})
		if len(attempts) != 1 || attempts[0].Performed || attempts[0].ID != refused.AttemptID {
			t.Fatalf("contact log = %+v, want the one refused attempt %d", attempts, refused.AttemptID)
		}
		page, err := e.svc.Case(cwCtx, col, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if page.Case.Attempts != c.Attempts || !page.Case.PromiseDue.IsZero() {
			t.Errorf("case after a refused call: attempts %d → %d, promise %v; want unchanged and none",
				c.Attempts, page.Case.Attempts, page.Case.PromiseDue)
		}

		e.mu.Lock()
		e.late = 0 // 10:00
		e.mu.Unlock()
		if err := e.svc.LogCaseContact(cwCtx, col, c.ID, CaseContact{Outcome: compliance.Connected}); err != nil {
			t.Fatalf("call at 10:00: %v", err)
		}
	})
}
