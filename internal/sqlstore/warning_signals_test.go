package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore/storetest"
)

func TestWarningSignalsSQLite(t *testing.T) {
	t.Parallel()
	storetest.RunWarningSignals(t, storetest.OpenSQLite)
}

func TestWarningSignalsPostgres(t *testing.T) {
	t.Parallel()
	storetest.RunWarningSignals(t, storetest.OpenPostgres)
}
