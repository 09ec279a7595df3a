package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore/storetest"
)

func TestDemoRun_SQLite(t *testing.T) {
	t.Parallel()
	storetest.RunDemoRun(t, storetest.OpenSQLite)
}

func TestDemoRun_Postgres(t *testing.T) {
	t.Parallel()
	storetest.RunDemoRun(t, storetest.OpenPostgres)
}
