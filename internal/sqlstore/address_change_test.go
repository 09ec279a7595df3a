package sqlstore_test

import (
	"testing"

	"accord/internal/borrower"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestTx_AddressChanges: changes are listed newest first with the address
// they replaced, and the database refuses to change or delete one.
func TestTx_AddressChanges(t *testing.T) {
	for _, e := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			db := e.open(t)
			b, _, _ := vCase(t, db, 1, "M2")
			first := sqlstore.AddressChange{BorrowerID: b.ID, Address: borrower.Address{Kind: "home", Line: "新区1号", City: "上海市", Lat: 31.2, Lon: 121.5},
				Previous: &b.Addresses[0], Source: "visit", VisitID: 7, EntryID: 9, RecordedBy: "fa1", CreatedAt: vT}
			second := sqlstore.AddressChange{BorrowerID: b.ID, Address: borrower.Address{Kind: "work", Line: "园区2号"}, Source: "visit",
				VisitID: 8, EntryID: 10, RecordedBy: "fa2"}
			vWrite(t, db, func(tx *sqlstore.Tx) error {
				if err := tx.AddAddressChange(vctx, &first); err != nil {
					return err
				}
				return tx.AddAddressChange(vctx, &second)
			})
			var got []sqlstore.AddressChange
			vWrite(t, db, func(tx *sqlstore.Tx) error {
				var err error
				got, err = tx.AddressChanges(vctx, b.ID)
				return err
			})
			if len(got) != 2 || got[0].ID != second.ID || got[1].ID != first.ID || got[0].Previous != nil ||
				got[1].Previous == nil || *got[1].Previous != b.Addresses[0] || got[1].Address != first.Address ||
				!got[1].CreatedAt.Equal(vT) || got[1].VisitID != 7 || got[1].EntryID != 9 || got[1].RecordedBy != "fa1" {
				t.Errorf("AddressChanges = %+v", got)
			}
			for _, q := range []string{"UPDATE borrower_address_changes SET recorded_by = 'x' WHERE id = ?",
				"DELETE FROM borrower_address_changes WHERE id = ?"} {
				err := db.InTx(vctx, func(tx *sqlstore.Tx) error {
					_, err := tx.InspectRows(vctx, q, first.ID)
					return err
				})
				if err == nil {
					t.Errorf("%s was allowed", q)
				}
			}
		})
	}
}
