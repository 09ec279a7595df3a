// Package storetest is the contract test suite of sqlstore: Run exercises
// every store method against a database, and OpenSQLite and OpenPostgres
// provide fresh, migrated ones, so the same tests prove both engines.
//
// Other packages' tests use OpenSQLite for a real database:
//
//	db := storetest.OpenSQLite(t)
//	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { … })
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// PostgresEnv names the variable holding the DSN of the PostgreSQL server
// tests use, e.g. postgres://postgres@127.0.0.1:55432/accord_test?sslmode=disable
// (scripts/pg.sh prints one).
const PostgresEnv = "ACCORD_TEST_POSTGRES"

// Key is the PII key of test databases. Tests that check ciphertext build a
// pii.Cipher from it.
var Key = []byte("accord-test-key-0123456789abcdef")

// Cipher returns a cipher with Key.
func Cipher(tb testing.TB) *pii.Cipher {
	tb.Helper()
	c, err := pii.NewCipher(Key)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// OpenSQLite returns a migrated SQLite database in a temporary directory,
// closed when the test ends.
func OpenSQLite(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	return openMigrated(tb, SQLiteDSN(tb))
}

// OpenPostgres returns a migrated PostgreSQL database of its own: a fresh
// schema on the server named by ACCORD_TEST_POSTGRES (see PostgresDSN),
// dropped when the test ends. Without that variable the test is skipped,
// unless CI is set: there it fails.
func OpenPostgres(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	return openMigrated(tb, PostgresDSN(tb))
}

func openMigrated(tb testing.TB, dsn string) *sqlstore.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, Cipher(tb))
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
