package collect

import (
	"context"
	"fmt"

	"accord/internal/audit"
	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// Overview is the portfolio by DPD bucket as of the latest nightly run.
type Overview struct {
	AsOf        date.Date    `json:"as_of"`
	Loans       int          `json:"loans"`
	Delinquent  int          `json:"delinquent_loans"`
	Outstanding money.Amount `json:"outstanding"`
	Overdue     money.Amount `json:"overdue"`
	Buckets     []BucketRow  `json:"buckets"`
}

// BucketRow is one bucket of the overview.
type BucketRow struct {
	Name        string       `json:"name"`
	Loans       int          `json:"loans"`
	Outstanding money.Amount `json:"outstanding"`
	Overdue     money.Amount `json:"overdue"`
}

// Overview returns the latest portfolio snapshot; AsOf is zero when the
// nightly run has never run.
func (s *Service) Overview(ctx context.Context, by Actor) (Overview, error) {
	var ov Overview
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		snap, err := tx.LatestSnapshot(ctx)
		if errs.CodeOf(err) == errs.NotFound {
			return nil
		}
		if err != nil {
			return err
		}
		ov.AsOf = snap.AsOf
		m0 := s.bucket(0)
		for _, b := range snap.Buckets {
			ov.Buckets = append(ov.Buckets, BucketRow{Name: b.Bucket, Loans: b.Loans, Outstanding: b.Outstanding, Overdue: b.Overdue})
			ov.Loans += b.Loans
			ov.Outstanding += b.Outstanding
			ov.Overdue += b.Overdue
			if b.Bucket != m0 {
				ov.Delinquent += b.Loans
			}
		}
		return nil
	})
	if err != nil {
		return Overview{}, fmt.Errorf("load overview: %w", err)
	}
	return ov, nil
}

// AuditEvents returns up to limit events with seq below before (the newest
// when before is 0), newest first.
func (s *Service) AuditEvents(ctx context.Context, by Actor, before int64, limit int) ([]audit.Event, error) {
	if !by.User.Can(auth.PermAuditRead) {
		return nil, errs.Errorf(errs.Forbidden, "Your role may not read the audit log.")
	}
	var out []audit.Event
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		f := sqlstore.AuditFilter{Limit: limit}
		if before > 0 {
			f.BeforeSeq = &before
		}
		out, _, err = tx.AuditEventsFor(ctx, f)
		return err
	})
	return out, err
}
