package sqlstore_test

import (
	"testing"

	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestTx_AddCaseCost: a visit's cost adds to the case's running cost; a
// missing case is NotFound and a negative cost Invalid, changing nothing.
func TestTx_AddCaseCost(t *testing.T) {
	for _, e := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			db := e.open(t)
			_, _, c := vCase(t, db, 1, "M2")
			vWrite(t, db, func(tx *sqlstore.Tx) error {
				if err := tx.AddCaseCost(vctx, c.ID, money.Amount(13852)); err != nil {
					return err
				}
				return tx.AddCaseCost(vctx, c.ID, money.Amount(150))
			})
			err := db.InTx(vctx, func(tx *sqlstore.Tx) error { return tx.AddCaseCost(vctx, c.ID+1000, money.Amount(1)) })
			if errs.CodeOf(err) != errs.NotFound {
				t.Errorf("AddCaseCost(missing case) = %v, want NotFound", err)
			}
			err = db.InTx(vctx, func(tx *sqlstore.Tx) error { return tx.AddCaseCost(vctx, c.ID, money.Amount(-1)) })
			if errs.CodeOf(err) != errs.Invalid {
				t.Errorf("AddCaseCost(-1) = %v, want Invalid", err)
			}
			var got sqlstore.Case
			if err := db.Read(vctx, func(tx *sqlstore.Tx) error {
				var err error
				got, err = tx.Case(vctx, c.ID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if want := c.Cost + 13852 + 150; got.Cost != want {
				t.Errorf("case cost = %d, want %d", got.Cost, want)
			}
		})
	}
}
