package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore/storetest"
)

func TestContactSQLite(t *testing.T) {
	t.Parallel()
	storetest.RunContact(t, storetest.OpenSQLite)
}

func TestContactPostgres(t *testing.T) {
	t.Parallel()
	storetest.RunContact(t, storetest.OpenPostgres)
}
