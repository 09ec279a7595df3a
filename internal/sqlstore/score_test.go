package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore/storetest"
)

func TestScoringSQLite(t *testing.T) {
	t.Parallel()
	storetest.RunScoring(t, storetest.OpenSQLite)
}

func TestScoringPostgres(t *testing.T) {
	t.Parallel()
	storetest.RunScoring(t, storetest.OpenPostgres)
}
