package storetest

import (
	"testing"

	"accord/internal/casework"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// testNextCaseCandidates: the candidates "Get next case" walks come in
// queue order, skip cases worked today and others' cases, and claiming one
// twice succeeds once.
func testNextCaseCandidates(t *testing.T, db *sqlstore.DB) {
	me := casework.Owner{Kind: casework.ToCollector, ID: 3}
	cs := []*sqlstore.Case{ptr(cwNewCase(1)), ptr(cwNewCase(2)), ptr(cwNewCase(3)), ptr(cwNewCase(4))}
	for i, c := range cs {
		c.Owner, c.EV = me, money.Amount(100_00*(i+1)) // the highest value first
	}
	cs[3].Owner = casework.Owner{Kind: casework.ToCollector, ID: 9}
	cs[1].WorkedOn = cwDay
	cwInsert(t, db, cs...)
	var got []sqlstore.CaseRef
	read(t, db, func(tx *sqlstore.Tx) error {
		var err error
		got, err = tx.NextCaseCandidates(ctx, me, cwDay, 10, 0)
		return err
	})
	if len(got) != 2 || got[0].ID != cs[2].ID || got[1].ID != cs[0].ID || got[0].BorrowerID != 3 {
		t.Fatalf("NextCaseCandidates = %+v, want cases of borrowers 3 and 1", got)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		page, err := tx.NextCaseCandidates(ctx, me, cwDay, 1, 1)
		if len(page) != 1 || page[0].ID != cs[0].ID {
			t.Errorf("second page = %+v", page)
		}
		return err
	})
	var first, second bool
	write(t, db, func(tx *sqlstore.Tx) error {
		var err error
		if first, err = tx.ClaimCase(ctx, cs[2].ID, cwDay); err != nil {
			return err
		}
		second, err = tx.ClaimCase(ctx, cs[2].ID, cwDay)
		return err
	})
	if !first || second {
		t.Errorf("ClaimCase twice = %v, %v; want true, false", first, second)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		left, err := tx.NextCaseCandidates(ctx, me, cwDay, 10, 0)
		if len(left) != 1 || left[0].ID != cs[0].ID {
			t.Errorf("after the claim: %+v", left)
		}
		tomorrow, err2 := tx.NextCaseCandidates(ctx, me, cwDay.AddDays(1), 10, 0)
		if len(tomorrow) != 3 {
			t.Errorf("tomorrow: %d candidates, want 3", len(tomorrow))
		}
		if err != nil {
			return err
		}
		return err2
	})
}
