package storetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/govalues/decimal"

	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// Run runs the contract suite against databases from open, one fresh
// database per test. Every store method is covered, so a method that works
// on one engine and not the other fails here.
func Run(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"Placeholders", testPlaceholders},
		{"TxRollbackAndReadOnly", testTxRollbackAndReadOnly},
		{"ConcurrentWriters", testConcurrentWriters},
		{"BorrowerCRUD", testBorrowerCRUD},
		{"BorrowerList", testBorrowerList},
		{"BorrowerUpsert", testBorrowerUpsert},
		{"BorrowerEncryptedAtRest", testBorrowerEncryptedAtRest},
		{"Contacts", testContacts},
		{"Products", testProducts},
		{"Loans", testLoans},
		{"LoanFilter", testLoanFilter},
		{"Schedule", testSchedule},
		{"Payments", testPayments},
		{"Allocations", testAllocations},
		{"Positions", testPositions},
		{"Portfolio", testPortfolio},
		{"SnapshotPortfolio", testSnapshotPortfolio},
		{"RunStatus", testRunStatus},
		{"Users", testUsers},
		{"SessionsAndTokens", testSessionsAndTokens},
		{"Idempotency", testIdempotency},
		{"Imports", testImports},
		{"Audit", testAudit},
		{"AuditConcurrent", testAuditConcurrent},
		{"AuditRollbackLeavesNoGap", testAuditRollback},
		{"BulkInsert", testBulkInsert},
		{"AgingChunk", testAgingChunk},
		{"LoginThrottle", testLoginThrottle},
		{"TokenExpiry", testTokenExpiry},
		{"AuditMAC", testAuditMAC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

var ctx = context.Background()

// write runs fn in a write transaction and fails the test on error.
func write(t *testing.T, db *sqlstore.DB, fn func(*sqlstore.Tx) error) {
	t.Helper()
	if err := db.InTx(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// read runs fn in a read transaction and fails the test on error.
func read(t *testing.T, db *sqlstore.DB, fn func(*sqlstore.Tx) error) {
	t.Helper()
	if err := db.Read(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// wantCode fails the test unless err has code.
func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Errorf("error = %v (code %q), want code %q", err, errs.CodeOf(err), code)
	}
}

// diff compares with decimals by value.
func diff(want, got any) string {
	return cmp.Diff(want, got, cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Cmp(b) == 0 }))
}

func ptr[T any](v T) *T { return &v }
