package collect

import (
	"context"
	"fmt"

	"accord/internal/casework"
	"accord/internal/sqlstore"
)

// OwnerNames returns the display names of the collectors and agencies among
// owners (a case list's owners), for the console to show instead of codes.
// The unassigned owner is left out; an owner that no longer exists maps to
// its code. It returns Forbidden unless by may work cases.
func (s *Service) OwnerNames(ctx context.Context, by Actor, owners []casework.Owner) (map[casework.Owner]string, error) {
	if err := mayWorkCases(by); err != nil {
		return nil, err
	}
	names := map[casework.Owner]string{}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		for _, o := range owners {
			if _, done := names[o]; done || o.IsZero() {
				continue
			}
			n, err := ownerName(ctx, tx, o)
			if err != nil {
				return err
			}
			names[o] = n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("owner names: %w", err)
	}
	return names, nil
}
