package collect

import (
	"context"
	"slices"

	"accord/internal/date"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// WarningDays is how far back the strategy's warnings variable looks: the
// early warnings stored in the 30 days before the night.
const WarningDays = 30

// recentWarnings returns the codes of the early warnings stored for
// borrowers ids in the WarningDays days before asOf, each code once per
// borrower, in the order first stored.
func recentWarnings(ctx context.Context, tx *sqlstore.Tx, ids []int64, asOf date.Date) (map[int64][]string, error) {
	ws, err := tx.WarningsBetween(ctx, ids, asOf.AddDays(-WarningDays), asOf.AddDays(-1))
	if err != nil {
		return nil, err
	}
	out := map[int64][]string{}
	for _, w := range ws {
		if !slices.Contains(out[w.BorrowerID], w.Code) {
			out[w.BorrowerID] = append(out[w.BorrowerID], w.Code)
		}
	}
	return out, nil
}

// withWarnings sets f's warnings from the codes by borrower (empty when
// the borrower has none).
func withWarnings(f strategy.Facts, codes map[int64][]string) strategy.Facts {
	f.Warnings = codes[f.BorrowerID]
	if f.Warnings == nil {
		f.Warnings = []string{}
	}
	return f
}
