package storetest

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

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
// per target and borrower, which a scoring read with FactsScope.LastOf
// carries along with each borrower's facts (read from the ledger tables or
// from their cached copy), by a range or a list of borrowers; a later score
// replaces it, an earlier one (an older night run again) does not.
func RunLastScores(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	db := open(t)
	first := date.MustParse("2026-01-15")
	var b [4]int64
	for i := range b {
		b[i] = mustBorrower(t, db, i+1)
		mustLoan(t, db, b[i], i+1, first)
	}
	d1, d2, d3 := date.MustParse("2026-03-01"), date.MustParse("2026-03-02"), date.MustParse("2026-03-03")
	last := func(i int, target string, d date.Date, p float64) sqlstore.LastScore {
		return sqlstore.LastScore{BorrowerID: b[i], Target: target, AsOf: d, ModelID: 7, Arm: "champion", Probability: p}
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.SaveLastScores(ctx, []sqlstore.LastScore{last(0, "ew90", d1, 0.1), last(1, "ew90", d2, 0.2),
			last(2, "ew90", d2, 0.3), last(1, "cure30", d2, 0.5), last(3, "cure30", d2, 0.6)})
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		l := last(0, "ew90", d3, 0.15)
		l.Arm, l.ModelID = "challenger", 8
		return tx.SaveLastScores(ctx, []sqlstore.LastScore{l, last(1, "ew90", d1, 0.9)}) // 1: older than held
	})
	pass := func(scope sqlstore.FactsScope) (map[int64]sqlstore.StoredScore, sqlstore.FactsPass) {
		t.Helper()
		var p sqlstore.FactsPass
		read(t, db, func(tx *sqlstore.Tx) (err error) {
			p, err = tx.ScoringFactsPass(ctx, scope, time.UTC)
			return err
		})
		got := map[int64]sqlstore.StoredScore{}
		for i, f := range p.Facts {
			got[f.BorrowerID] = p.Rows[i].Last
		}
		return got, p
	}
	want := map[int64]sqlstore.StoredScore{
		b[0]: {ModelID: 8, Arm: "challenger", Probability: 0.15}, // replaced on d3
		b[1]: {ModelID: 7, Arm: "champion", Probability: 0.2},    // kept from d2
		b[2]: {ModelID: 7, Arm: "champion", Probability: 0.3},
		b[3]: {}, // a cure30 score only
	}
	byRange, p := pass(sqlstore.FactsScope{After: b[0] - 1, UpTo: b[3], LastOf: "ew90"})
	if !maps.Equal(byRange, want) {
		t.Errorf("last ew90 scores read by range = %+v, want %+v", byRange, want)
	}
	byList, _ := pass(sqlstore.FactsScope{IDs: []int64{b[1], b[3]}, LastOf: "cure30"})
	if want := map[int64]sqlstore.StoredScore{b[1]: {ModelID: 7, Arm: "champion", Probability: 0.5},
		b[3]: {ModelID: 7, Arm: "champion", Probability: 0.6}}; !maps.Equal(byList, want) {
		t.Errorf("last cure30 scores read by list = %+v, want %+v", byList, want)
	}
	if none, _ := pass(sqlstore.FactsScope{IDs: []int64{b[0]}}); none[b[0]] != (sqlstore.StoredScore{}) {
		t.Errorf("read without LastOf: last = %+v, want none", none[b[0]])
	}

	// Once the facts are cached, they are read from the cache with the same
	// last scores.
	var packed []sqlstore.PackedFacts
	for i, f := range p.Facts {
		if !p.Rows[i].Ledger {
			t.Fatalf("borrower %d: facts not read from the ledger tables on the first read", f.BorrowerID)
		}
		pf, ok := sqlstore.PackFacts(f, p.Rows[i], 0)
		if !ok {
			t.Fatalf("borrower %d: facts not packed", f.BorrowerID)
		}
		packed = append(packed, pf)
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		n, err := tx.CacheScoringFacts(ctx, packed, 0)
		if err == nil && n != len(packed) {
			t.Errorf("cached %d borrowers' facts, want %d", n, len(packed))
		}
		return err
	})
	cached, p := pass(sqlstore.FactsScope{After: b[0] - 1, UpTo: b[3], LastOf: "ew90"})
	for i, r := range p.Rows {
		if r.Ledger {
			t.Errorf("borrower %d: read from the ledger tables after being cached", p.Facts[i].BorrowerID)
		}
	}
	if !maps.Equal(cached, want) {
		t.Errorf("last ew90 scores read with cached facts = %+v, want %+v", cached, want)
	}
}
