package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore/storetest"
)

func TestScopeSQLite(t *testing.T) {
	t.Parallel()
	storetest.RunScope(t, storetest.OpenSQLite)
}

func TestScopePostgres(t *testing.T) {
	t.Parallel()
	storetest.RunScope(t, storetest.OpenPostgres)
}
