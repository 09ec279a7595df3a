package scoring_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/model"
	"accord/internal/scoring"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestTrainingRows_SameAsByIDs: the rows training reads from the book (by
// ranges of borrower ids, in parallel, every snapshot date from one read)
// are the rows of the per-borrower reader (ScoringFacts by lists of ids,
// whole rows): the same borrowers and dates in the same order, the same
// features, outcomes and split, for every target and with one snapshot;
// from the ledger tables before any night cached the facts, and from
// score_borrower_facts after (with payments reversed since, which the
// triggers take out of the cache); on both engines.
func TestTrainingRows_SameAsByIDs(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, eng storetest.Engine) {
		e := newEnv(t, eng.Open(t), 300, 14)
		asOf := start.AddDays(13)
		e.setDay(asOf.AddDays(100))
		var ids []int64
		for id := range oldFacts(t, e.db, e.svc.Zone()) {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		enrich(t, e.db, asOf, ids) // contacts, promises, plans and reversals
		reqs := []scoring.TrainRequest{
			{Target: features.Cure30, AsOf: asOf, Snapshots: 6, Every: 7},
			{Target: features.Roll30, AsOf: asOf, Snapshots: 3, Every: 10},
			{Target: features.EW90, AsOf: asOf.AddDays(60), Snapshots: 4, Every: 14},
			{Target: features.Cure30, AsOf: asOf, Snapshots: 1},
			{Target: features.PlanKept, AsOf: asOf.AddDays(90), Snapshots: 6, Every: 14},
			{Target: features.PlanKept, AsOf: asOf.AddDays(90), Snapshots: 1, Every: 90},
		}
		check := func(phase string) {
			t.Helper()
			old := oldFacts(t, e.db, e.svc.Zone())
			for _, r := range reqs {
				got, err := e.score.TrainingRows(ctx, r)
				if err != nil {
					t.Fatalf("%s: TrainingRows %s: %v", phase, r.Target, err)
				}
				want := referenceRows(t, e, old, ids, r)
				if len(want) < 20 || len(got) != len(want) {
					t.Fatalf("%s: %s × %d: %d rows, by ids %d", phase, r.Target, r.Snapshots, len(got), len(want))
				}
				for i := range want {
					g, w := got[i], want[i]
					if g.BorrowerID != w.BorrowerID || g.AsOf != w.AsOf || g.Y != w.Y || g.Train != w.Train || !sameVector(g.V, w.V) {
						t.Fatalf("%s: %s × %d row %d:\n got %+v\nwant %+v", phase, r.Target, r.Snapshots, i, g, w)
					}
				}
			}
		}
		check("ledger tables")
		cacheAll(t, e.db)
		reverseSome(t, e.db, asOf, ids[1:])
		check("cached facts")
	})
}

// referenceRows builds r's rows as training did before it read the book
// by ranges: from ScoringFacts, borrower by borrower (ids ascending).
func referenceRows(t *testing.T, e *env, old map[int64]*features.Facts, ids []int64, r scoring.TrainRequest) []features.Row {
	t.Helper()
	last := r.AsOf.AddDays(-r.Target.Horizon())
	dates := make([]date.Date, r.Snapshots)
	for k := range r.Snapshots {
		dates[r.Snapshots-1-k] = last.AddDays(-k * r.Every)
	}
	var terms map[int64][]features.PlanTerms
	if r.Target == features.PlanKept {
		if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
			var err error
			terms, err = tx.ScoringPlanTerms(ctx, ids)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	var rows []features.Row
	for _, id := range ids {
		f := old[id]
		f.Policy = e.svc.Policy()
		if r.Target == features.PlanKept {
			for _, row := range features.PlanRows(f, terms[id], dates[0].AddDays(-r.Every), last, r.AsOf) {
				row.Train = !row.AsOf.AddDays(1).After(last.AddDays(-r.Every))
				if len(dates) == 1 {
					row.Train = !model.HoldOut(int(id))
				}
				rows = append(rows, row)
			}
			continue
		}
		for k, d := range dates {
			v := features.Compute(f, d)
			if !r.Target.Eligible(v) {
				continue
			}
			train := k < len(dates)-1
			if len(dates) == 1 {
				train = !model.HoldOut(int(id))
			}
			rows = append(rows, features.Row{BorrowerID: id, AsOf: d, V: v, Y: features.Label(f, d, r.Target, nil), Train: train})
		}
	}
	return rows
}

// cacheAll stores the packed facts of every borrower not cached yet, as a
// night does.
func cacheAll(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	var packed []sqlstore.PackedFacts
	if err := db.Read(ctx, func(tx *sqlstore.Tx) error {
		lo, hi, err := tx.ScoringBorrowerSpan(ctx)
		if err != nil {
			return err
		}
		p, err := tx.ScoringFactsPass(ctx, sqlstore.FactsScope{After: lo - 1, UpTo: hi}, time.UTC)
		for i, f := range p.Facts {
			if p.Rows[i].Ledger {
				pf, ok := sqlstore.PackFacts(f, p.Rows[i], 0)
				if !ok {
					return fmt.Errorf("borrower %d: facts cannot be packed", f.BorrowerID)
				}
				packed = append(packed, pf)
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(packed) == 0 {
		t.Fatal("no borrower to cache")
	}
	if err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		_, err := tx.CacheScoringFacts(ctx, packed, 0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
