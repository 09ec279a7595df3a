package scoring

import (
	"context"
	"slices"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// warningSignals loads what features.DetectSignals reads for borrowers
// ids on asOf: payment attempts and phone changes of the last 40 days, and
// the instalments of each running plan as its payments left them on asOf.
func (s *Service) warningSignals(ctx context.Context, tx *sqlstore.Tx, ids []int64, asOf date.Date) (map[int64]*features.Signals, error) {
	out, err := tx.WarningSignals(ctx, ids, asOf.AddDays(-40), s.zone)
	if err != nil {
		return nil, err
	}
	plans, err := tx.RunningPlansOf(ctx, ids)
	if err != nil || len(plans) == 0 {
		return out, err
	}
	pays, err := tx.PlanPayments(ctx, plans)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		sig := out[p.BorrowerID]
		if sig == nil {
			continue
		}
		st := plan.Evaluate(p.Plan, pays[p.ID], asOf)
		for _, in := range st.Instalments {
			sig.PlanInstalments = append(sig.PlanInstalments, features.PlanInstalment{Due: in.Due, Amount: in.Amount, PaidOn: in.PaidOn})
		}
	}
	return out, nil
}

// mergeIDs returns the sorted union of two sorted id lists.
func mergeIDs(a, b []int64) []int64 {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}
