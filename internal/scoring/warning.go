package scoring

import (
	"context"
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

// earlyWarnings detects the warnings as of asOf (features.Detect and
// DetectSignals) of the borrowers with something new that day
// (startWarnScan) and stores those not stored in the last WarningQuiet
// days. This keeps the nightly step proportional to the day's activity,
// not to the book. It reads their facts by slices as the nightly pass
// does (scanScopes, warnSlice), in parallel.
func (s *Service) earlyWarnings(ctx context.Context, asOf date.Date, counts map[string]int) error {
	w, err := s.startWarnScan(ctx, asOf)
	if err != nil {
		return err
	}
	counts["ew_borrowers_scanned"] = len(w.active)
	parts, err := readSlices(ctx, s, w.scanScopes(), func(ctx context.Context, tx *sqlstore.Tx, sc sqlstore.FactsScope) ([]sqlstore.EarlyWarning, error) {
		facts, _, err := tx.ScoringFactsIn(ctx, sc, s.zone)
		if err != nil {
			return nil, err
		}
		return w.warnSlice(ctx, tx, sc, facts)
	})
	if err != nil {
		return err
	}
	var out []sqlstore.EarlyWarning
	for _, p := range parts {
		out = append(out, p...)
	}
	countWarnings(counts, out)
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.SaveWarnings(ctx, out) })
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
// delinquency, per signal. It needs dashboard:read or model:train. It
// reads the warned borrowers' facts by lists in parallel (readSlices).
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
	of := map[int64][]int{} // indexes into ws by borrower
	var ids []int64
	for i, w := range ws {
		if _, ok := of[w.BorrowerID]; !ok {
			ids = append(ids, w.BorrowerID)
		}
		of[w.BorrowerID] = append(of[w.BorrowerID], i)
	}
	slices.Sort(ids)
	// outcome[i]: 0 not matured (or no facts), 1 matured, 2 matured and
	// followed by 30+ DPD within 90 days.
	outcome := make([]uint8, len(ws))
	_, err := readSlices(ctx, s, listScopes(ids), func(ctx context.Context, tx *sqlstore.Tx, sc sqlstore.FactsScope) (struct{}, error) {
		facts, _, err := tx.ScoringFactsIn(ctx, sc, s.zone)
		if err != nil {
			return struct{}{}, err
		}
		for _, f := range facts {
			f.Policy = s.opts.Policy
			for _, i := range of[f.BorrowerID] { // each index belongs to one slice
				if d := ws[i].AsOf; !d.AddDays(features.EW90.Horizon()).After(today) {
					outcome[i] = 1
					if features.Label(f, d, features.EW90, s.opts.Buckets) {
						outcome[i] = 2
					}
				}
			}
		}
		return struct{}{}, nil
	})
	if err != nil {
		return nil, err
	}
	at := map[string]int{} // index into out by code
	var out []WarningPrecision
	for i, w := range ws {
		k, ok := at[w.Code]
		if !ok {
			k = len(out)
			at[w.Code] = k
			out = append(out, WarningPrecision{Code: w.Code})
		}
		p := &out[k]
		p.Issued++
		if outcome[i] > 0 {
			p.Matured++
		}
		if outcome[i] == 2 {
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
