package storetest

import (
	"encoding/json"
	"slices"
	"testing"

	"accord/internal/date"
	"accord/internal/sqlstore"
)

// RunLatestScores is the contract test of LatestScores: per borrower the
// newest score of the target dated before the given day, its reasons'
// features in stored order, and nothing for borrowers without one.
func RunLatestScores(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	db := open(t)
	m := newScoreModel("cure30", "lin")
	roll := newScoreModel("roll30", "lin")
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreateScoreModel(ctx, &m); err != nil {
			return err
		}
		return tx.CreateScoreModel(ctx, &roll)
	})
	d1, d2, d3 := date.MustParse("2026-03-01"), date.MustParse("2026-03-02"), date.MustParse("2026-03-03")
	score := func(b int64, target string, model int64, d date.Date, p float64, reasons string) sqlstore.BorrowerScore {
		return sqlstore.BorrowerScore{BorrowerID: b, Target: target, AsOf: d, ModelID: model, Arm: "champion", Probability: p,
			Points: 600, Reasons: json.RawMessage(reasons)}
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.SaveScores(ctx, []sqlstore.BorrowerScore{
			score(1, "cure30", m.ID, d1, 0.2, `[{"feature":"dpd","effect":-0.4,"zh":"a","en":"b"}]`),
			score(1, "cure30", m.ID, d2, 0.3,
				`[{"feature":"promises_broken","effect":-0.6,"zh":"a","en":"b"},{"feature":"dpd","effect":-0.2,"zh":"a","en":"b"}]`),
			score(1, "cure30", m.ID, d3, 0.9, `[]`), // the day asked about: not before it
			score(2, "roll30", roll.ID, d2, 0.5, `[]`),
			score(3, "cure30", m.ID, d1, 0.7, `[]`),
		})
	})
	var got map[int64]sqlstore.LatestScore
	read(t, db, func(tx *sqlstore.Tx) error {
		var err error
		got, err = tx.LatestScores(ctx, []int64{1, 2, 3, 4}, "cure30", d3)
		return err
	})
	if len(got) != 2 {
		t.Fatalf("LatestScores = %v, want borrowers 1 and 3", got)
	}
	if s := got[1]; s.AsOf != d2 || s.Probability != 0.3 || s.Points != 600 || !slices.Equal(s.Reasons, []string{"promises_broken", "dpd"}) {
		t.Errorf("borrower 1: %+v, want the score of %s with reasons promises_broken, dpd", s, d2)
	}
	if s := got[3]; s.AsOf != d1 || s.Probability != 0.7 || s.Reasons == nil || len(s.Reasons) != 0 {
		t.Errorf("borrower 3: %+v", s)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		var err error
		got, err = tx.LatestScores(ctx, []int64{1}, "cure30", d1)
		return err
	})
	if len(got) != 0 {
		t.Errorf("nothing before %s, got %v", d1, got)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		var err error
		got, err = tx.LatestScores(ctx, nil, "cure30", d3)
		return err
	})
	if len(got) != 0 {
		t.Errorf("no borrowers asked, got %v", got)
	}
}

// RunLastScores is the contract test of score_last: the last stored score
// per target and borrower, read by a range or a list of borrowers; a later
// score replaces it, an earlier one (an older night run again) does not.
func RunLastScores(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	db := open(t)
	d1, d2, d3 := date.MustParse("2026-03-01"), date.MustParse("2026-03-02"), date.MustParse("2026-03-03")
	last := func(b int64, target string, d date.Date, p float64) sqlstore.LastScore {
		return sqlstore.LastScore{BorrowerID: b, Target: target, AsOf: d, ModelID: 7, Arm: "champion", Probability: p}
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.SaveLastScores(ctx, []sqlstore.LastScore{last(1, "ew90", d1, 0.1), last(2, "ew90", d2, 0.2),
			last(3, "ew90", d2, 0.3), last(2, "cure30", d2, 0.5)})
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		l := last(1, "ew90", d3, 0.15)
		l.Arm, l.ModelID = "challenger", 8
		return tx.SaveLastScores(ctx, []sqlstore.LastScore{l, last(2, "ew90", d1, 0.9)}) // 2: older than held
	})
	var byRange, byList map[int64]sqlstore.LastScore
	read(t, db, func(tx *sqlstore.Tx) error {
		var err error
		if byRange, err = tx.LastScoresIn(ctx, "ew90", sqlstore.FactsScope{After: 0, UpTo: 2}); err != nil {
			return err
		}
		byList, err = tx.LastScoresIn(ctx, "ew90", sqlstore.FactsScope{IDs: []int64{2, 3, 4}})
		return err
	})
	want1 := sqlstore.LastScore{BorrowerID: 1, Target: "ew90", AsOf: d3, ModelID: 8, Arm: "challenger", Probability: 0.15}
	if len(byRange) != 2 || byRange[1] != want1 || byRange[2] != last(2, "ew90", d2, 0.2) {
		t.Errorf("LastScoresIn(1…2) = %+v, want borrower 1 replaced on %s and 2 kept from %s", byRange, d3, d2)
	}
	if len(byList) != 2 || byList[3] != last(3, "ew90", d2, 0.3) || byList[2].Probability != 0.2 {
		t.Errorf("LastScoresIn([2 3 4]) = %+v", byList)
	}
}
