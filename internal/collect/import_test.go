package collect_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// tables are the tables an import may write, with the audit log.
var tables = []string{"borrowers", "borrower_phones", "contacts", "loans", "installments", "payments", "allocations",
	"loan_positions", "imports", "audit_events"}

// counts returns the row count of every table in tables.
func (f *fixture) counts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range tables {
		out[tb] = f.count(t, "SELECT COUNT(*) FROM "+tb)
	}
	return out
}

// testdata returns an example file of docs/IMPORT.md.
func testdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "importer", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (f *fixture) mustImport(t *testing.T, kind, name, body string) collect.ImportResult {
	t.Helper()
	res, err := f.svc.Import(ctx, admin, kind, name, strings.NewReader(body), false)
	if err != nil {
		t.Fatalf("Import(%s): %v", name, err)
	}
	return res
}

const loanHeader = "external_id,borrower_external_id,product_code,principal,annual_rate,term_months,method,disbursed_on\n"

func TestService_Import_AllOrNothing(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		f.mustImport(t, "borrowers", "borrowers.csv", testdata(t, "borrowers.csv"))
		f.mustImport(t, "loans", "loans.csv", testdata(t, "loans.csv"))
		tests := []struct {
			name, kind, file, body string
			wantRow                int
			wantField              string
		}{
			{"bad check digit in the file", "borrowers", "b.csv",
				"external_id,name,national_id\nB2001,赵六,440305199001151232\nB2002,钱七,440305199001151233\n", 3, "national_id"},
			{"bad amount in the file", "loans", "l.csv",
				loanHeader + "L3001,B1001,CASH12,\"10,000\",0.12,12,equal_installment,2026-01-15\n", 2, "principal"},
			{"unknown borrower in the database", "loans", "l.csv",
				loanHeader + "L3001,B1001,CASH12,1000,0.12,12,equal_installment,2026-01-15\n" +
					"L3002,B9999,CASH12,1000,0.12,12,equal_installment,2026-01-15\n", 3, "borrower_external_id"},
			{"loan terms changed", "loans", "l.csv",
				loanHeader + "L2001,B1001,CASH12,10001.00,0.18,12,equal_installment,2024-03-05\n", 2, "external_id"},
			{"unknown loan", "payments", "p.jsonl",
				`{"external_id":"P9","loan_external_id":"L2001","amount":"10.00","paid_on":"2026-03-01"}` + "\n" +
					`{"external_id":"P10","loan_external_id":"L9999","amount":"10.00","paid_on":"2026-03-01"}` + "\n", 2, "loan_external_id"},
			{"payment in the future", "payments", "p.csv",
				"external_id,loan_external_id,amount,paid_on\nP11,L2001,10.00,2026-03-01\nP12,L2001,10.00,2026-04-01\n", 3, "paid_on"},
			{"contact of an unknown borrower", "contacts", "c.csv",
				"external_id,borrower_external_id,name,relationship,phone,consent_basis,consent_at\n" +
					"C9,B1001,张父,parent,13500135000,loan_application,2024-03-01 10:15:00\n" +
					"C10,B404,张母,parent,13500135001,loan_application,2024-03-01 10:15:00\n", 3, "borrower_external_id"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := f.counts(t)
				_, err := f.svc.Import(ctx, admin, tt.kind, tt.file, strings.NewReader(tt.body), false)
				if errs.CodeOf(err) != errs.Invalid {
					t.Fatalf("err = %v, want Invalid", err)
				}
				fs := errs.FieldsOf(err)
				if len(fs) != 1 || fs[0].Row != tt.wantRow || fs[0].Field != tt.wantField || fs[0].Message == "" {
					t.Errorf("fields = %+v, want one naming row %d, column %s", fs, tt.wantRow, tt.wantField)
				}
				if diff := cmp.Diff(before, f.counts(t)); diff != "" {
					t.Errorf("a rejected file wrote rows (-before +after):\n%s", diff)
				}
			})
		}
		t.Run("unknown kind", func(t *testing.T) {
			_, err := f.svc.Import(ctx, admin, "cars", "x.csv", strings.NewReader("a\n1\n"), false)
			if fs := errs.FieldsOf(err); len(fs) != 1 || fs[0].Field != "kind" {
				t.Errorf("err = %v, want an Invalid error on kind", err)
			}
		})
		f.mustVerify(t)
	})
}

func TestService_Import_TwiceAndDryRun(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		files := []struct{ kind, name string }{
			{"borrowers", "borrowers.csv"}, {"contacts", "contacts.jsonl"}, {"loans", "loans.csv"}, {"payments", "payments.csv"},
		}
		for _, file := range files {
			t.Run(file.name, func(t *testing.T) {
				body := testdata(t, file.name)
				before := f.counts(t)
				dry, err := f.svc.Import(ctx, admin, file.kind, file.name, strings.NewReader(body), true)
				if err != nil {
					t.Fatalf("dry run: %v", err)
				}
				if diff := cmp.Diff(before, f.counts(t)); diff != "" {
					t.Errorf("dry run wrote rows (-before +after):\n%s", diff)
				}
				first := f.mustImport(t, file.kind, file.name, body)
				if first.Created != first.Rows || first.Rows == 0 || first.Updated+first.Unchanged != 0 {
					t.Errorf("first import = %+v, want every row created", first)
				}
				dry.DryRun = false
				if diff := cmp.Diff(first, dry); diff != "" {
					t.Errorf("dry run reported otherwise than the real import (-real +dry):\n%s", diff)
				}
				applied := f.counts(t)
				if applied["imports"] != before["imports"]+1 || applied["audit_events"] != before["audit_events"]+1 {
					t.Errorf("import wrote %d import records and %d audit events, want 1 and 1",
						applied["imports"]-before["imports"], applied["audit_events"]-before["audit_events"])
				}
				last := f.events(t)[applied["audit_events"]-1]
				if last.Action != "import.apply" || last.EntityType != "import" || last.Actor.Username != admin.User.Username {
					t.Errorf("audit event = %+v", last)
				}

				second := f.mustImport(t, file.kind, file.name, body)
				want := first
				want.Created, want.Unchanged = 0, first.Rows
				if diff := cmp.Diff(want, second); diff != "" {
					t.Errorf("second import (-want +got):\n%s", diff)
				}
				after := f.counts(t)
				for _, tb := range []string{"imports", "audit_events"} { // the second import is recorded, nothing else
					delete(after, tb)
					delete(applied, tb)
				}
				if diff := cmp.Diff(applied, after); diff != "" {
					t.Errorf("second import changed rows (-first +second):\n%s", diff)
				}
			})
		}
		// The payments were allocated: each loan's allocation lines add up to
		// its payments. L2001's second payment (2024-05-06) is a day late, so
		// its penalty (default 0.05% a day) leaves installment 2 a little
		// short; L2002's 1,318.99 is a fen short of its first installment.
		paid, allocated := map[string]int{}, map[string]money.Amount{}
		f.read(t, func(tx *sqlstore.Tx) error {
			rows, _, err := tx.Loans(ctx, sqlstore.LoanFilter{Limit: 10})
			if err != nil {
				return err
			}
			for _, r := range rows {
				paid[r.Loan.ExternalID] = r.Position.PaidInstallments
				as, err := tx.Allocations(ctx, r.Loan.ID)
				if err != nil {
					return err
				}
				for _, a := range as {
					allocated[r.Loan.ExternalID] += a.Amount
				}
			}
			return nil
		})
		if diff := cmp.Diff(map[string]int{"L2001": 1, "L2002": 0, "L2003": 0}, paid); diff != "" {
			t.Errorf("paid installments per loan (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string]money.Amount{"L2001": yuan("1833.60"), "L2002": yuan("1318.99")}, allocated); diff != "" {
			t.Errorf("allocated per loan (-want +got):\n%s", diff)
		}
		f.mustVerify(t)
	})
}
