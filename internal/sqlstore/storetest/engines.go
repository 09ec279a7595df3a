package storetest

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"accord/internal/sqlstore"
)

// This file is the only place tests find their databases: every package's
// tests open them through OpenSQLite, OpenPostgres, SQLiteDSN, PostgresDSN
// or Engines, so "PostgreSQL is required in CI" is decided once, here
// (TestOnlyStoretestReadsThePostgresDSN keeps it that way).

// Engine is a database engine the tests run on.
type Engine struct {
	Name string                        // "sqlite" or "postgres"
	Open func(testing.TB) *sqlstore.DB // a fresh, migrated database, closed when the test ends
	DSN  func(testing.TB) string       // a fresh, empty database as --db and sqlstore.Open take it
}

// SQLite and Postgres are the two engines; AllEngines lists both.
var (
	SQLite   = Engine{Name: "sqlite", Open: OpenSQLite, DSN: SQLiteDSN}
	Postgres = Engine{Name: "postgres", Open: OpenPostgres, DSN: PostgresDSN}
)

// AllEngines returns SQLite and PostgreSQL, in that order.
func AllEngines() []Engine { return []Engine{SQLite, Postgres} }

// Engines runs fn once per engine as parallel subtests named after the
// engine. The PostgreSQL subtest skips without ACCORD_TEST_POSTGRES, and
// fails without it when CI is set.
//
//	storetest.Engines(t, func(t *testing.T, e storetest.Engine) {
//		db := e.Open(t)
//		…
//	})
func Engines(t *testing.T, fn func(t *testing.T, e Engine)) {
	t.Helper()
	for _, e := range AllEngines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, e)
		})
	}
}

// BenchEngines runs fn once per engine as sub-benchmarks; PostgreSQL as in
// Engines.
func BenchEngines(b *testing.B, fn func(b *testing.B, e Engine)) {
	b.Helper()
	for _, e := range AllEngines() {
		b.Run(e.Name, func(b *testing.B) { fn(b, e) })
	}
}

// SQLiteDSN returns the DSN of a new SQLite file in a temporary directory.
func SQLiteDSN(tb testing.TB) string {
	tb.Helper()
	return "sqlite:" + filepath.Join(tb.TempDir(), "accord.db")
}

// PostgresDSN returns the DSN of a fresh, empty schema of its own on the
// server named by ACCORD_TEST_POSTGRES (search_path set to it), dropped
// when the test ends. See RequirePostgres for what happens without one.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	dsn := RequirePostgres(tb)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { admin.Close() })
	schema := "test_" + randomHex(8)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

// RequirePostgres returns the DSN of the test PostgreSQL server
// (ACCORD_TEST_POSTGRES). Without one it skips the test, unless CI is set:
// a PostgreSQL test that silently skips in CI would hide a broken engine,
// so there it fails.
func RequirePostgres(tb testing.TB) string {
	tb.Helper()
	return requirePostgres(tb, os.Getenv)
}

func requirePostgres(tb testing.TB, getenv func(string) string) string {
	tb.Helper()
	dsn := getenv(PostgresEnv)
	if dsn == "" {
		if getenv("CI") != "" {
			tb.Fatalf("%s is not set, and CI is: PostgreSQL tests must run in CI (start one with scripts/pg.sh)", PostgresEnv)
		}
		tb.Skipf("%s is not set; skipping PostgreSQL", PostgresEnv)
	}
	return dsn
}
