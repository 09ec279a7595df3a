package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore/storetest"
)

func TestPortalSQLite(t *testing.T) {
	t.Parallel()
	storetest.RunPortal(t, storetest.OpenSQLite)
}

func TestPortalPostgres(t *testing.T) {
	t.Parallel()
	storetest.RunPortal(t, storetest.OpenPostgres)
}
