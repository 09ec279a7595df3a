package collect

import (
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// TestNotes_MaskedBeforeStorage: national ids and phone numbers typed into
// a case note, a call's note, a contact-log note, the reason for revealing
// personal data or for reversing a payment are stored masked, in every
// table and in the audit log.
func TestNotes_MaskedBeforeStorage(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 300)
		e.run(t, cwStart)
		col := e.as(auth.Collector)
		wb, err := e.svc.Workbench(cwCtx, col, 10)
		if err != nil || len(wb.Cases) < 1 {
			t.Fatalf("workbench: %d cases, %v", len(wb.Cases), err)
		}
		c := wb.Cases[0]
		const phone, id = "13912345678", "11010519491231002X"
		if _, err := e.svc.AddCaseNote(cwCtx, col, c.ID, "其妻手机 139 1234 5678，身份证"+id); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.LogCaseContact(cwCtx, col, c.ID, CaseContact{Outcome: compliance.Connected,
			Note: "让打+86-139-1234-5678"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.LogContact(cwCtx, col, ContactRequest{CaseID: c.ID, Channel: compliance.Call, To: "phone:1",
			Outcome: compliance.NoAnswer, Notes: "备用号码" + phone}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.RevealPII(cwCtx, col, c.BorrowerID, "借款人说新号码是"+phone); err != nil {
			t.Fatal(err)
		}
		sup := e.as(auth.Supervisor)
		p, _, err := e.svc.RecordPayment(cwCtx, sup, ledger.Payment{ExternalID: "MASK-1", LoanID: c.LoanIDs[0],
			Amount: money.Yuan(10), PaidOn: cwStart, Channel: "bank"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ReversePayment(cwCtx, sup, p.ID, "付款人身份证"+id+"不是借款人"); err != nil {
			t.Fatal(err)
		}
		e.read(t, func(tx *sqlstore.Tx) error {
			for _, q := range []string{
				"SELECT COUNT(*) FROM case_events WHERE zh LIKE ? OR en LIKE ?",
				"SELECT COUNT(*) FROM contact_attempts WHERE notes LIKE ? OR notes LIKE ?",
				"SELECT COUNT(*) FROM audit_events WHERE summary LIKE ? OR summary LIKE ?",
				"SELECT COUNT(*) FROM payments WHERE reversal_reason LIKE ? OR reversal_reason LIKE ?",
			} {
				var n int
				if err := tx.Inspect(cwCtx, q, "%"+phone+"%", "%"+id+"%").Scan(&n); err != nil {
					return err
				}
				if n != 0 {
					t.Errorf("%s: %d rows hold a full number", q, n)
				}
			}
			var masked int
			err := tx.Inspect(cwCtx, "SELECT COUNT(*) FROM case_events WHERE zh LIKE ? AND zh LIKE ?", "%139****5678%",
				"%110105********002X%").Scan(&masked)
			if masked != 1 {
				t.Errorf("%d case notes hold the masked numbers, want 1", masked)
			}
			var notes []string
			rows, err2 := tx.InspectRows(cwCtx, "SELECT notes FROM contact_attempts WHERE notes <> '' ORDER BY id")
			if err2 != nil {
				return err2
			}
			defer rows.Close()
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					return err
				}
				notes = append(notes, s)
			}
			if strings.Join(notes, "|") != "让打139****5678|备用号码139****5678" {
				t.Errorf("contact-log notes = %q", notes)
			}
			return err
		})
	})
}

// TestContactRequest_ErrorsMaskNumbers: a phone number typed where the
// request expects one of the borrower's numbers (phone:13912345678 instead
// of phone:1) is refused without echoing it in full, so the error page or
// problem+json never shows it.
func TestContactRequest_ErrorsMaskNumbers(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 300)
		e.run(t, cwStart)
		col := e.as(auth.Collector)
		wb, err := e.svc.Workbench(cwCtx, col, 10)
		if err != nil || len(wb.Cases) < 1 {
			t.Fatalf("workbench: %d cases, %v", len(wb.Cases), err)
		}
		const phone = "13912345678"
		req := ContactRequest{CaseID: wb.Cases[0].ID, Channel: compliance.Call, To: "phone:" + phone, Outcome: compliance.NoAnswer}
		for name, call := range map[string]func() error{
			"check": func() error { _, err := e.svc.CheckContact(cwCtx, col, req); return err },
			"log":   func() error { _, err := e.svc.LogContact(cwCtx, col, req); return err },
		} {
			err := call()
			if errs.CodeOf(err) != errs.Invalid {
				t.Errorf("%s: %v, want Invalid", name, err)
			}
			text := errs.MessageOf(err) + err.Error()
			for _, f := range errs.FieldsOf(err) {
				text += f.Field + " " + f.Message
			}
			if strings.Contains(text, phone) || !strings.Contains(text, "139****5678") {
				t.Errorf("%s: the error shows %q, want the number masked", name, text)
			}
		}
	})
}
