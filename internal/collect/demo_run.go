package collect

import (
	"context"
	"fmt"

	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// A demo load is all or nothing (accord demo): BeginDemo marks where the
// database stands, the load runs (LoadDemo, the demo users,
// LoadDemoCasework, each in transactions of their own), and then EndDemo
// keeps it or AbortDemo takes everything back to the mark. A load that
// crashed before either is taken back by the next BeginDemo. While a demo
// runs, AnchorHead stays at the mark's head, so that the audit anchor kept
// outside the database never names an event an undo removes; the anchor
// moves to the new head once the demo has finished.

// BeginDemo marks the database for a demo load. A demo left unfinished by
// a crash is taken back first. It returns a Conflict error when the
// database already holds borrowers.
func (s *Service) BeginDemo(ctx context.Context) error {
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		old, err := tx.DemoRun(ctx)
		switch {
		case err == nil:
			s.log.Warn("demo: taking back a demo load that did not finish", "started_at", old.StartedAt)
			if err := tx.UndoDemo(ctx, old); err != nil {
				return err
			}
		case errs.CodeOf(err) != errs.NotFound:
			return err
		}
		_, n, err := tx.Borrowers(ctx, sqlstore.BorrowerFilter{Limit: 1})
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.Errorf(errs.Conflict, "The database already holds %d borrowers; the demo loads only into an empty database.", n)
		}
		m, err := tx.MarkDemo(ctx)
		if err != nil {
			return err
		}
		return tx.CreateDemoRun(ctx, m)
	})
	if err != nil {
		return fmt.Errorf("begin demo: %w", err)
	}
	return nil
}

// EndDemo keeps the demo load in progress. It returns NotFound when none
// is in progress.
func (s *Service) EndDemo(ctx context.Context) error {
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if _, err := tx.DemoRun(ctx); err != nil {
			return err
		}
		return tx.DeleteDemoRun(ctx)
	})
}

// AbortDemo takes the database back to where it stood when BeginDemo
// marked it, in one transaction: everything the demo wrote, including its
// audit events, is removed. It returns NotFound when no demo is in
// progress.
func (s *Service) AbortDemo(ctx context.Context) error {
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		m, err := tx.DemoRun(ctx)
		if err != nil {
			return err
		}
		return tx.UndoDemo(ctx, m)
	})
	if err != nil {
		return fmt.Errorf("take back the demo: %w", err)
	}
	return nil
}

// AnchorHead returns the audit chain head that may be anchored outside the
// database now: the head, or while a demo load is in progress (or left
// unfinished) the head from before it, which an undo keeps.
func (s *Service) AnchorHead(ctx context.Context) (seq int64, hash string, err error) {
	err = s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		m, err := tx.DemoRun(ctx)
		if err == nil {
			seq, hash = m.AuditSeq, m.AuditHash
			return nil
		}
		if errs.CodeOf(err) != errs.NotFound {
			return err
		}
		seq, hash, err = tx.AuditHead(ctx)
		return err
	})
	return seq, hash, err
}
