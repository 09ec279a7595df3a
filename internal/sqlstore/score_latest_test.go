package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore/storetest"
)

func TestLatestScoresSQLite(t *testing.T) {
	t.Parallel()
	storetest.RunLatestScores(t, storetest.OpenSQLite)
}

func TestLatestScoresPostgres(t *testing.T) {
	t.Parallel()
	storetest.RunLatestScores(t, storetest.OpenPostgres)
}

func TestLastScoresSQLite(t *testing.T) {
	t.Parallel()
	storetest.RunLastScores(t, storetest.OpenSQLite)
}

func TestLastScoresPostgres(t *testing.T) {
	t.Parallel()
	storetest.RunLastScores(t, storetest.OpenPostgres)
}
