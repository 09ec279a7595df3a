package negotiation

import (
	"context"

	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// KeepSource gives the chance-kept model of one borrower's offers: the
// approved plan model in use (internal/scoring, target plan90) with the
// borrower's features as of asOf and income (the assessed monthly income)
// for the offers' burden, and its name for the record. It returns a nil
// model when no plan model is in use (or the borrower has no history to
// score), and the engine then uses offer.DefaultKeep.
type KeepSource interface {
	KeepModel(ctx context.Context, tx *sqlstore.Tx, borrowerID int64, income money.Amount, asOf date.Date) (offer.KeepModel, string, error)
}

// DefaultKeepName is the name recorded with offers priced by the
// documented interim factors (offer.DefaultKeep).
const DefaultKeepName = "default"

// UseKeepSource sets where proposals take their chance-kept model from.
// Call it while wiring, before serving.
func (s *Service) UseKeepSource(k KeepSource) { s.keep = k }

// keepModel returns the chance-kept model for a borrower's offers and its
// name: the source's when it gives one, else offer.DefaultKeep.
func (s *Service) keepModel(ctx context.Context, tx *sqlstore.Tx, borrowerID int64, income money.Amount, asOf date.Date) (offer.KeepModel, string, error) {
	if s.keep != nil {
		m, name, err := s.keep.KeepModel(ctx, tx, borrowerID, income, asOf)
		if err != nil {
			return nil, "", err
		}
		if m != nil {
			return m, name, nil
		}
	}
	return offer.DefaultKeep{}, DefaultKeepName, nil
}
