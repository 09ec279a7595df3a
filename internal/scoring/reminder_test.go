package scoring_test

import (
	"slices"
	"strings"
	"testing"

	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/scoring"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestPreReminders: on the night a current borrower (no open case) is
// warned of a failed auto-debit, the nightly run queues one polite
// pre-delinquency SMS through the governor and the outbox, recorded with
// the warning codes; re-running the night adds none; a borrower reminded 3
// days before gets none; a borrower who asked to stop contact (flag cease)
// gets none sent (the governor blocks it, and the block is in the contact
// log with the warning codes); an interval of 0 turns them off; on both
// engines.
func TestPreReminders(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, eng storetest.Engine) {
		e := newEnv(t, eng.Open(t), 300, 1)
		e.svc.UseNightly(e.score.ReminderStep(scoring.DefaultReminderEvery))
		day := start.AddDays(1)
		e.setDay(day)
		e.db.Now = e.clock
		current := currentLoans(t, e, day, 3)
		warned, recent, ceased := current[0], current[1], current[2]
		for i, l := range current {
			if _, _, err := e.svc.RecordPaymentAttempt(ctx, approver, ledger.PaymentAttempt{ExternalID: "DD-R" + string(rune('A'+i)),
				LoanID: l.ID, Amount: money.Yuan(800), AttemptedOn: day, Channel: ledger.ChannelWithholding,
				Status: ledger.AttemptFailed, Reason: "余额不足"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			b, err := tx.Borrower(ctx, ceased.BorrowerID)
			if err != nil {
				return err
			}
			flags := append(slices.Clone(b.Flags), compliance.FlagCease)
			if _, err := tx.UpdateBorrower(ctx, ceased.BorrowerID, sqlstore.BorrowerUpdate{Flags: &flags}); err != nil {
				return err
			}
			return tx.RecordPreReminder(ctx, &sqlstore.PreReminder{BorrowerID: recent.BorrowerID, AsOf: day.AddDays(-3),
				Codes: features.WarnContactChange, MessageID: 0, Status: "queued"})
		}); err != nil {
			t.Fatal(err)
		}
		sum, err := e.svc.RunCycle(ctx, day, nil)
		if err != nil {
			t.Fatal(err)
		}
		counts := sum.Steps["pre_delinquency_reminders"].Counts
		if counts["queued"]+counts["held"] < 1 || counts["too_soon"] < 1 || counts["blocked"] < 1 {
			t.Errorf("run summary counts %v, want queued or held, too_soon and blocked", counts)
		}
		msgs := func(borrower int64, status string) int {
			t.Helper()
			return e.count(t, "SELECT COUNT(*) FROM messages WHERE borrower_id = ? AND dedup_key LIKE 'pre_delinquency:%' AND status "+status, borrower)
		}
		const sendable = "IN ('queued', 'held')"
		if n := msgs(warned.BorrowerID, sendable); n != 1 {
			t.Errorf("warned current borrower: %d reminders queued, want 1 (%s)", n,
				e.str(t, "SELECT status || ' ' || decision FROM messages WHERE borrower_id = ? AND dedup_key LIKE 'pre_delinquency:%'", warned.BorrowerID))
		}
		if n := msgs(recent.BorrowerID, "IS NOT NULL"); n != 0 {
			t.Errorf("borrower reminded 3 days ago: %d reminders, want 0", n)
		}
		if n := msgs(ceased.BorrowerID, sendable); n != 0 {
			t.Errorf("borrower who asked to stop contact: %d reminders queued, want 0", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM contact_attempts WHERE borrower_id = ? AND notes LIKE ?", ceased.BorrowerID,
			scoring.ReminderTemplate+":%"+features.WarnFailedDebit+"%"); n != 1 {
			t.Errorf("blocked reminder in the contact log with its warning codes: %d rows, want 1", n)
		}
		var body string
		if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
			rs, err := tx.PreRemindersOn(ctx, day)
			for _, r := range rs {
				if r.BorrowerID == warned.BorrowerID && !strings.Contains(r.Codes, features.WarnFailedDebit) {
					t.Errorf("reminder recorded with codes %q, want %s", r.Codes, features.WarnFailedDebit)
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		body = e.str(t, "SELECT body FROM messages WHERE borrower_id = ? AND dedup_key LIKE 'pre_delinquency:%'", warned.BorrowerID)
		if !strings.Contains(body, "温馨提示") && !strings.Contains(body, "friendly reminder") {
			t.Errorf("reminder text %q", body)
		}

		// Re-running the night adds nothing.
		sum, err = e.svc.RunCycle(ctx, day, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c := sum.Steps["pre_delinquency_reminders"].Counts; c["queued"]+c["held"]+c["blocked"] != 0 {
			t.Errorf("re-run counts %v, want nothing queued", c)
		}
		if n := msgs(warned.BorrowerID, "IS NOT NULL"); n != 1 {
			t.Errorf("after a re-run: %d reminders, want 1", n)
		}
		// An interval of 0 turns the reminders off.
		if c, err := e.score.SendPreReminders(ctx, day, 0); err != nil || len(c) != 0 {
			t.Errorf("reminders off: %v, %v; want nothing", c, err)
		}
	})
}

// currentLoans returns one open loan of each of the first n borrowers who
// are current on day: nothing past due and no open case.
func currentLoans(t *testing.T, e *env, day date.Date, n int) []ledger.Loan {
	t.Helper()
	var out []ledger.Loan
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		ids, err := tx.ScoringBorrowers(ctx, 0, 300)
		if err != nil {
			return err
		}
		facts, err := tx.ScoringFacts(ctx, ids, e.svc.Zone())
		for _, id := range ids {
			f := facts[id]
			f.Policy = e.svc.Policy()
			v := features.Compute(f, day)
			if v.Num[features.DPD] == 0 && v.Num[features.LoansOpen] > 0 && len(out) < n {
				out = append(out, f.Loans[len(f.Loans)-1].Loan)
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(out) < n {
		t.Fatalf("%d current borrowers, want %d", len(out), n)
	}
	return out
}

// count returns the single integer query returns.
func (e *env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error { return tx.Inspect(ctx, query, args...).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

// str returns the single text query returns.
func (e *env) str(t *testing.T, query string, args ...any) string {
	t.Helper()
	var s string
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error { return tx.Inspect(ctx, query, args...).Scan(&s) }); err != nil {
		t.Fatal(err)
	}
	return s
}
