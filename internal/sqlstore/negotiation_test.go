package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore/storetest"
)

func TestNegotiationSQLite(t *testing.T) {
	t.Parallel()
	storetest.RunNegotiation(t, storetest.OpenSQLite)
}

func TestNegotiationPostgres(t *testing.T) {
	t.Parallel()
	storetest.RunNegotiation(t, storetest.OpenPostgres)
}
