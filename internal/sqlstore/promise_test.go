package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore/storetest"
)

func TestPromiseSQLite(t *testing.T) {
	t.Parallel()
	storetest.RunPromise(t, storetest.OpenSQLite)
}

func TestPromisePostgres(t *testing.T) {
	t.Parallel()
	storetest.RunPromise(t, storetest.OpenPostgres)
}
