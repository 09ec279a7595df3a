package selfservice

import (
	"context"

	"accord/internal/casework"
	"accord/internal/sqlstore"
)

// openCase returns who's open case, and false when there is none.
func openCase(ctx context.Context, tx *sqlstore.Tx, who Borrower) (sqlstore.Case, bool, error) {
	id, st := who.ID, casework.Open
	list, _, err := tx.Cases(ctx, sqlstore.CaseFilter{BorrowerID: &id, Status: &st, Limit: 1})
	if err != nil || len(list) == 0 {
		return sqlstore.Case{}, false, err
	}
	return list[0], true, nil
}

// OpenCase returns the id of who's open case, or 0 when nothing is overdue.
func (s *Service) OpenCase(ctx context.Context, who Borrower) (int64, error) {
	var id int64
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		c, ok, err := openCase(ctx, tx, who)
		if ok {
			id = c.ID
		}
		return err
	})
	return id, err
}
