package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore/storetest"
)

func TestPlanSQLite(t *testing.T) {
	t.Parallel()
	storetest.RunPlan(t, storetest.OpenSQLite)
}

func TestPlanPostgres(t *testing.T) {
	t.Parallel()
	storetest.RunPlan(t, storetest.OpenPostgres)
}
