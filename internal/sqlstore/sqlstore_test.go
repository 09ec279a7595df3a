package sqlstore_test

import (
	"slices"
	"testing"

	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

func TestSQLite(t *testing.T) {
	t.Parallel()
	storetest.Run(t, storetest.OpenSQLite)
}

func TestPostgres(t *testing.T) {
	t.Parallel()
	storetest.Run(t, storetest.OpenPostgres)
}

func TestMigrationTreesMatch(t *testing.T) {
	t.Parallel()
	lite, err := sqlstore.MigrationNames(sqlstore.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := sqlstore.MigrationNames(sqlstore.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || !slices.Equal(lite, pg) {
		t.Errorf("migration trees differ:\nsqlite:   %v\npostgres: %v", lite, pg)
	}
}
