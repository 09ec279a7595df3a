package negotiation

import (
	"context"

	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// activate is being built (issue 7); until then activation refuses.
func (s *Service) activate(ctx context.Context, tx *sqlstore.Tx, a Agreement) error {
	return errs.Errorf(errs.Internal, "Plan activation is not available yet.")
}
