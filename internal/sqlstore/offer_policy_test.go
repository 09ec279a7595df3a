package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore/storetest"
)

func TestOfferPolicySQLite(t *testing.T) {
	t.Parallel()
	storetest.RunOfferPolicy(t, storetest.OpenSQLite)
}

func TestOfferPolicyPostgres(t *testing.T) {
	t.Parallel()
	storetest.RunOfferPolicy(t, storetest.OpenPostgres)
}

func TestOfferPolicyTeamSQLite(t *testing.T) {
	t.Parallel()
	storetest.RunOfferPolicyTeam(t, storetest.OpenSQLite)
}

func TestOfferPolicyTeamPostgres(t *testing.T) {
	t.Parallel()
	storetest.RunOfferPolicyTeam(t, storetest.OpenPostgres)
}
