package main

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"time"

	"accord/internal/audit/anchorfile"
	"accord/internal/errs"
	"accord/internal/pii"
)

// The audit key and the anchor file live outside the database, beside the
// PII key unless configured:
//
//	ACCORD_AUDIT_KEY           the key itself (hex or base64), instead of a file
//	ACCORD_AUDIT_KEY_FILE      default accord-audit.key beside the PII key file
//	ACCORD_AUDIT_ANCHOR        default accord-audit.anchor beside the key file
//	ACCORD_AUDIT_ANCHOR_EVERY  how often a running process anchors the head, default 10s
//
// Every process that opens the database signs the events it appends with
// the key, anchors the chain's head at that interval while it runs and once
// more when it stops.
func (m *Main) auditPaths() (keyFile, anchor string) {
	dir := filepath.Dir(m.cfg.KeyFile)
	keyFile = os.Getenv("ACCORD_AUDIT_KEY_FILE")
	if keyFile == "" {
		keyFile = filepath.Join(dir, "accord-audit.key")
	}
	anchor = os.Getenv("ACCORD_AUDIT_ANCHOR")
	if anchor == "" {
		anchor = filepath.Join(filepath.Dir(keyFile), "accord-audit.anchor")
	}
	return keyFile, anchor
}

// openAudit loads (or creates) the audit key, gives it to the database and
// starts anchoring the chain's head in the anchor file.
func (m *Main) openAudit(ctx context.Context) error {
	keyFile, anchorPath := m.auditPaths()
	key, err := pii.LoadAuditKey(os.Getenv("ACCORD_AUDIT_KEY"), keyFile)
	if err != nil {
		return err
	}
	every := 10 * time.Second
	if v := os.Getenv("ACCORD_AUDIT_ANCHOR_EVERY"); v != "" {
		if every, err = time.ParseDuration(v); err != nil || every <= 0 {
			return errs.Errorf(errs.Invalid, "ACCORD_AUDIT_ANCHOR_EVERY must be a duration such as 10s, not %q.", v)
		}
	}
	m.db.SetAuditKey(key)
	af := anchorfile.New(anchorPath, key)
	actx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-actx.Done():
				return
			case <-t.C:
				m.anchorAudit(actx, af)
			}
		}
	})
	m.closers = append(m.closers, func() error {
		cancel()
		wg.Wait()
		m.anchorAudit(context.Background(), af)
		return nil
	})
	return nil
}

// anchorAudit appends the chain's head to the anchor file when it advanced
// (never past the head of before a demo load in progress, which an undo
// keeps: collect.Service.AnchorHead).
func (m *Main) anchorAudit(ctx context.Context, af *anchorfile.File) {
	seq, hash, err := m.svc.AnchorHead(ctx)
	if err != nil {
		m.log.Warn("audit anchor: read head", "err", err)
		return
	}
	if seq == 0 {
		return
	}
	if _, err := af.Write(seq, hash, time.Now()); err != nil {
		m.log.Error("audit anchor: write", "path", af.Path(), "err", err)
	}
}
