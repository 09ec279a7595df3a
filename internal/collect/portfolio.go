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

// AuditCheck is the outcome of verifying the audit chain.
type AuditCheck struct {
	OK       bool   `json:"ok"`
	Events   int64  `json:"events"`
	FirstBad int64  `json:"first_bad,omitempty"` // seq of the first changed, removed or reordered event
	Reason   string `json:"reason,omitempty"`
}

// VerifyAudit walks the whole audit chain and reports the first event that
// was changed, removed or reordered. It also checks the chain against the
// head the store records beside it (read first, so events appended while
// it runs do not count), which reveals events cut off the end of the log.
func (s *Service) VerifyAudit(ctx context.Context) (AuditCheck, error) {
	var headSeq int64
	var headHash, hashAtHead string
	if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		headSeq, headHash, err = tx.AuditHead(ctx)
		return err
	}); err != nil {
		return AuditCheck{}, fmt.Errorf("read audit head: %w", err)
	}
	var v audit.Verifier
	err := s.db.AuditEvents(ctx, func(e audit.Event) error {
		if v.Add(e) && e.Seq == headSeq {
			hashAtHead = e.Hash
		}
		return nil
	})
	if err != nil {
		return AuditCheck{}, fmt.Errorf("read audit chain: %w", err)
	}
	bad, reason, ok := v.Result()
	if last, _ := v.Head(); ok && last < headSeq {
		bad, reason, ok = last+1, fmt.Sprintf("event %d is missing: the log ends at event %d but %d events were written", last+1, last, headSeq), false
	} else if ok && hashAtHead != headHash {
		bad, reason, ok = headSeq, fmt.Sprintf("event %d was altered: its hash does not match the recorded head of the log", headSeq), false
	}
	return AuditCheck{OK: ok, Events: v.Count(), FirstBad: bad, Reason: reason}, nil
}
