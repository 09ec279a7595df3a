package scoring

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/features"
	"accord/internal/sqlstore"
)

// WarningQuiet is how many days a warning is not stored again for the
// same borrower and signal.
const WarningQuiet = 30

// earlyWarnings detects the warnings as of asOf (features.Detect) of the
// borrowers with a payment or a contact that day — a signal compares the
// latest payment or the latest calls with the habit before them, so it can
// only change when one of those arrives — and stores those not stored in
// the last WarningQuiet days. This keeps the nightly step proportional to
// the day's activity, not to the book.
func (s *Service) earlyWarnings(ctx context.Context, asOf date.Date, counts map[string]int) error {
	var active []int64
	if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if active, err = tx.BorrowersActiveOn(ctx, asOf, asOf.In(s.zone), asOf.AddDays(1).In(s.zone)); err != nil {
			return err
		}
		more, err := tx.WarningCandidates(ctx, asOf, asOf.In(s.zone), asOf.AddDays(1).In(s.zone))
		active = mergeIDs(active, more)
		return err
	}); err != nil {
		return err
	}
	counts["ew_borrowers_scanned"] = len(active)
	for start := 0; start < len(active); start += s.opts.Chunk {
		ids := active[start:min(start+s.opts.Chunk, len(active))]
		var facts map[int64]*features.Facts
		var signals map[int64]*features.Signals
		var recent []sqlstore.EarlyWarning
		err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
			var err error
			if facts, err = tx.ScoringFacts(ctx, ids, s.zone); err != nil {
				return err
			}
			if signals, err = s.warningSignals(ctx, tx, ids, asOf); err != nil {
				return err
			}
			recent, err = tx.WarningsBetween(ctx, ids, asOf.AddDays(-WarningQuiet), asOf.AddDays(-1))
			return err
		})
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, w := range recent {
			seen[fmt.Sprint(w.BorrowerID, w.Code)] = true
		}
		var out []sqlstore.EarlyWarning
		for _, id := range ids {
			f := facts[id]
			if f == nil {
				continue
			}
			f.Policy = s.opts.Policy
			for _, w := range append(features.Detect(f, asOf), features.DetectSignals(f, signals[id], asOf)...) {
				if seen[fmt.Sprint(id, w.Code)] {
					continue
				}
				ev, err := json.Marshal(w.Evidence)
				if err != nil {
					return err
				}
				out = append(out, sqlstore.EarlyWarning{BorrowerID: id, AsOf: asOf, Code: w.Code, ZH: w.ZH, EN: w.EN, Evidence: ev})
				counts["warnings_"+w.Code]++
			}
		}
		if err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.SaveWarnings(ctx, out) }); err != nil {
			return err
		}
	}
	return nil
}

// WarningPrecision is how the warnings of one signal turned out: of the
// warnings issued whose 90 days have passed, how many borrowers reached
// 30+ DPD within 90 days (the ew90 outcome).
type WarningPrecision struct {
	Code       string  `json:"code"`
	Issued     int     `json:"issued"`
	Matured    int     `json:"matured"` // issued at least 90 days before today
	Delinquent int     `json:"delinquent"`
	Precision  float64 `json:"precision"` // Delinquent / Matured; 0 when none matured
}

// Precision measures the warnings issued from from to to against later
// delinquency, per signal. It needs dashboard:read or model:train.
func (s *Service) Precision(ctx context.Context, by collect.Actor, from, to date.Date) ([]WarningPrecision, error) {
	if !by.User.Can(auth.PermDashboardRead) && !by.User.Can(auth.PermModelTrain) {
		return nil, errs.Errorf(errs.Forbidden, "Your role may not see early-warning results.")
	}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil, errs.Field("from", "give a period from a date to a later one")
	}
	today := s.Today()
	var ws []sqlstore.EarlyWarning
	if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		ws, err = tx.WarningsBetween(ctx, nil, from, to)
		return err
	}); err != nil {
		return nil, err
	}
	at := map[string]int{} // index into out by code
	var ids []int64
	for _, w := range ws {
		if !slices.Contains(ids, w.BorrowerID) {
			ids = append(ids, w.BorrowerID)
		}
	}
	facts := map[int64]*features.Facts{}
	for start := 0; start < len(ids); start += s.opts.Chunk {
		part := ids[start:min(start+s.opts.Chunk, len(ids))]
		if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
			got, err := tx.ScoringFacts(ctx, part, s.zone)
			for k, v := range got {
				facts[k] = v
			}
			return err
		}); err != nil {
			return nil, err
		}
	}
	var out []WarningPrecision
	for _, w := range ws {
		k, ok := at[w.Code]
		if !ok {
			k = len(out)
			at[w.Code] = k
			out = append(out, WarningPrecision{Code: w.Code})
		}
		p := &out[k]
		p.Issued++
		f := facts[w.BorrowerID]
		if f == nil || w.AsOf.AddDays(features.EW90.Horizon()).After(today) {
			continue
		}
		f.Policy = s.opts.Policy
		p.Matured++
		if features.Label(f, w.AsOf, features.EW90, s.opts.Buckets) {
			p.Delinquent++
		}
	}
	for i := range out {
		if out[i].Matured > 0 {
			out[i].Precision = float64(out[i].Delinquent) / float64(out[i].Matured)
		}
	}
	return out, nil
}
