package scoring

import (
	"context"
	"encoding/json"
	"fmt"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/sqlstore"
)

// SetPassSizesForTest sets the nightly pass's borrower ids per slice and
// slices per read transaction, so that a small book is read in many.
func (s *Service) SetPassSizesForTest(span int64, renew int) { s.span, s.renew = span, renew }

// WarningsByIDs returns the warnings the early-warning scan finds as of
// asOf, read as the scan read before warnSlice: ScoringFacts (whole rows)
// by lists of the active borrowers. The reference the scan's slices are
// held to.
func (s *Service) WarningsByIDs(ctx context.Context, asOf date.Date) ([]sqlstore.EarlyWarning, error) {
	w, err := s.startWarnScan(ctx, asOf)
	if err != nil {
		return nil, err
	}
	var out []sqlstore.EarlyWarning
	for start := 0; start < len(w.active); start += 97 {
		ids := w.active[start:min(start+97, len(w.active))]
		err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
			facts, err := tx.ScoringFacts(ctx, ids, s.zone)
			if err != nil {
				return err
			}
			signals, err := s.warningSignals(ctx, tx, ids, asOf)
			if err != nil {
				return err
			}
			recent, err := tx.WarningsBetween(ctx, ids, asOf.AddDays(-WarningQuiet), asOf.AddDays(-1))
			if err != nil {
				return err
			}
			for _, id := range ids {
				f := facts[id]
				if f == nil {
					continue
				}
				f.Policy = s.opts.Policy
			next:
				for _, x := range append(features.Detect(f, asOf), features.DetectSignals(f, signals[id], asOf)...) {
					for _, r := range recent {
						if r.BorrowerID == id && r.Code == x.Code {
							continue next
						}
					}
					ev, err := json.Marshal(x.Evidence)
					if err != nil {
						return err
					}
					out = append(out, sqlstore.EarlyWarning{BorrowerID: id, AsOf: asOf, Code: x.Code, ZH: x.ZH, EN: x.EN, Evidence: ev})
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// WarningsOfBook returns the warnings warnSlice finds as of asOf on the
// whole book read as the nightly pass reads it: ranges of span borrower
// ids by ScoringFactsPass, leaving out the borrowers whose loans are all
// cached as paid off by asOf (warnSlice reads those that are active).
func (s *Service) WarningsOfBook(ctx context.Context, asOf date.Date, span int64) (out []sqlstore.EarlyWarning, skipped int, err error) {
	w, err := s.startWarnScan(ctx, asOf)
	if err != nil {
		return nil, 0, err
	}
	err = s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		lo, hi, err := tx.ScoringBorrowerSpan(ctx)
		if err != nil {
			return err
		}
		for after := lo - 1; after < hi; after += span {
			sc := sqlstore.FactsScope{After: after, UpTo: min(after+span, hi), PaidOffBy: asOf, PolicyKey: s.policyKey}
			p, err := tx.ScoringFactsPass(ctx, sc, s.zone)
			if err != nil {
				return err
			}
			skipped += p.Skipped
			got, err := w.warnSlice(ctx, tx, sc, p.Facts)
			if err != nil {
				return err
			}
			out = append(out, got...)
		}
		return nil
	})
	return out, skipped, err
}

// WarnScopes returns the slices the early-warning scan reads for active.
func WarnScopes(active []int64) []sqlstore.FactsScope {
	return (&warnScan{active: active}).scanScopes()
}

// MarkDone marks the cached borrowers ids paid off on day on under the
// service's ledger policy, as a night does when it finds all their loans
// paid off.
func (s *Service) MarkDone(ctx context.Context, ids []int64, on date.Date) error {
	var list []sqlstore.Done
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		p, err := tx.ScoringFactsPass(ctx, sqlstore.FactsScope{IDs: ids}, s.zone)
		for i, f := range p.Facts {
			if !p.Rows[i].Ledger {
				list = append(list, sqlstore.Done{BorrowerID: f.BorrowerID, Version: p.Rows[i].Version, On: on})
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	if len(list) != len(ids) {
		return fmt.Errorf("%d of %d borrowers cached", len(list), len(ids))
	}
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.MarkDone(ctx, list, s.policyKey) })
}
