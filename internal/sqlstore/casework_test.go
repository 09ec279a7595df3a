package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore/storetest"
)

func TestCaseworkSQLite(t *testing.T) {
	t.Parallel()
	storetest.RunCasework(t, storetest.OpenSQLite)
}

func TestCaseworkPostgres(t *testing.T) {
	t.Parallel()
	storetest.RunCasework(t, storetest.OpenPostgres)
}
