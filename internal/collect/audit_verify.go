package collect

import (
	"context"
	"fmt"
	"strconv"

	"accord/internal/audit"
	"accord/internal/sqlstore"
)

// AuditCheck is the outcome of verifying the audit chain.
type AuditCheck struct {
	OK       bool   `json:"ok"`
	Events   int64  `json:"events"`
	FirstBad int64  `json:"first_bad,omitempty"` // seq of the first changed, removed or reordered event
	Reason   string `json:"reason,omitempty"`
	Keyed    bool   `json:"keyed"`   // every event's HMAC under the audit key was checked
	Anchors  int    `json:"anchors"` // anchors kept outside the database that the chain was checked against
}

// VerifyAudit walks the whole audit chain and reports the first event that
// was changed, removed or reordered; see VerifyAuditAnchored.
func (s *Service) VerifyAudit(ctx context.Context) (AuditCheck, error) {
	return s.VerifyAuditAnchored(ctx, nil)
}

// VerifyAuditAnchored walks the whole audit chain and reports the first
// event that was changed, removed or reordered. It also checks the chain
// against the head the store records beside it (read first, so events
// appended while it runs do not count), which reveals events cut off the
// end of the log by someone who did not move the head.
//
// When the database has an audit key (sqlstore.DB.SetAuditKey) every
// event's HMAC must match, which reveals a chain rewritten and rehashed
// from some event on. Each of anchors (read from outside the database,
// checked with audit.ParseAnchors) must match the event it names, and the
// chain must reach the newest one, which reveals events cut off the end
// even when the head was moved back too.
func (s *Service) VerifyAuditAnchored(ctx context.Context, anchors []audit.Anchor) (AuditCheck, error) {
	var headSeq int64
	var headHash, hashAtHead string
	if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		headSeq, headHash, err = tx.AuditHead(ctx)
		return err
	}); err != nil {
		return AuditCheck{}, fmt.Errorf("read audit head: %w", err)
	}
	v := audit.Verifier{Key: s.db.AuditKey()}
	v.ExpectAnchors(anchors)
	err := s.db.AuditEvents(ctx, func(e audit.Event) error {
		if v.Add(e) && e.Seq == headSeq {
			hashAtHead = e.Hash
		}
		return nil
	})
	if err != nil {
		return AuditCheck{}, fmt.Errorf("read audit chain: %w", err)
	}
	bad, reason, ok := v.Finish()
	if last, _ := v.Head(); ok && last < headSeq {
		bad, reason, ok = last+1, fmt.Sprintf("event %d is missing: the log ends at event %d but %d events were written", last+1, last, headSeq), false
	} else if ok && hashAtHead != headHash {
		bad, reason, ok = headSeq, fmt.Sprintf("event %d was altered: its hash does not match the recorded head of the log", headSeq), false
	}
	return AuditCheck{OK: ok, Events: v.Count(), FirstBad: bad, Reason: reason, Keyed: len(v.Key) > 0, Anchors: len(anchors)}, nil
}

// AuditHead returns the Seq and Hash of the newest audit event, for an
// anchor written outside the database.
func (s *Service) AuditHead(ctx context.Context) (seq int64, hash string, err error) {
	err = s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		seq, hash, err = tx.AuditHead(ctx)
		return err
	})
	return seq, hash, err
}

// SealAudit gives the events written before the audit key existed their
// HMAC, once. Sealing blesses what is stored, so it first checks the chain
// (hashes, head, anchors) and refuses when it is broken, when an event
// that has an HMAC has a wrong one, or when an event without one follows an
// event with one (someone stripped the HMACs of a rewritten tail). It
// returns how many events it sealed and records an audit event for it.
func (s *Service) SealAudit(ctx context.Context, by Actor, anchors []audit.Anchor) (int64, error) {
	key := s.db.AuditKey()
	if len(key) == 0 {
		return 0, fmt.Errorf("seal audit: no audit key configured")
	}
	headSeq, _, err := s.AuditHead(ctx)
	if err != nil {
		return 0, err
	}
	var v audit.Verifier // without the key: the unsealed events have no MAC yet
	v.ExpectAnchors(anchors)
	var macErr error
	var sealedSeen int64
	if err := s.db.AuditEvents(ctx, func(e audit.Event) error {
		if e.Seq > headSeq || macErr != nil {
			return nil
		}
		v.Add(e)
		switch {
		case e.MAC != "" && e.MAC != audit.MAC(key, e.Seq, e.Hash):
			macErr = fmt.Errorf("event %d has a wrong HMAC: not sealing the chain", e.Seq)
		case e.MAC != "":
			sealedSeen = e.Seq
		case sealedSeen > 0:
			macErr = fmt.Errorf("event %d has no HMAC but event %d before it has one: not sealing the chain", e.Seq, sealedSeen)
		}
		return nil
	}); err != nil {
		return 0, err
	}
	if macErr != nil {
		return 0, macErr
	}
	if bad, reason, ok := v.Finish(); !ok {
		return 0, fmt.Errorf("audit chain broken at event %d (%s): not sealing it", bad, reason)
	}
	if last, _ := v.Head(); last != headSeq {
		return 0, fmt.Errorf("audit chain ends at event %d but the head is %d: not sealing it", last, headSeq)
	}
	var n int64
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if n, err = tx.SealAuditEvents(ctx, headSeq); err != nil || n == 0 {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "audit.seal", "audit", strconv.FormatInt(headSeq, 10), map[string]any{"sealed": n}))
	})
	return n, err
}
