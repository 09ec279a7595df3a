package collect_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"accord/internal/audit"
	"accord/internal/audit/anchorfile"
	"accord/internal/auth"
)

var auditKey = []byte("audit-key-for-tests-0123456789ab")

// keyedFixture is a fixture whose database signs audit events and whose
// head is anchored in a file outside it after six events.
func keyedFixture(t *testing.T, f *fixture) *anchorfile.File {
	t.Helper()
	f.db.SetAuditKey(auditKey)
	for i := range 6 {
		f.newUser(t, fmt.Sprintf("user%d", i), auth.Collector)
	}
	af := anchorfile.New(filepath.Join(t.TempDir(), "accord-audit.anchor"), auditKey)
	seq, hash, err := f.svc.AuditHead(ctx)
	if err != nil || seq != 6 {
		t.Fatalf("AuditHead = %d, %v", seq, err)
	}
	if wrote, err := af.Write(seq, hash, t0); err != nil || !wrote {
		t.Fatalf("anchor: %v, %v", wrote, err)
	}
	return af
}

func (f *fixture) verifyAnchored(t *testing.T, af *anchorfile.File) (ok bool, bad int64, reason string) {
	t.Helper()
	anchors, err := af.Read()
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.VerifyAuditAnchored(ctx, anchors)
	if err != nil {
		t.Fatal(err)
	}
	return res.OK, res.FirstBad, res.Reason
}

func TestVerifyAudit_KeyedIntact(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		af := keyedFixture(t, f)
		if ok, bad, reason := f.verifyAnchored(t, af); !ok {
			t.Fatalf("intact chain: broken at %d: %s", bad, reason)
		}
		// Events after the newest anchor are fine: anchors lag the head.
		f.newUser(t, "later", auth.Auditor)
		if ok, bad, reason := f.verifyAnchored(t, af); !ok {
			t.Fatalf("chain grown past the anchor: broken at %d: %s", bad, reason)
		}
	})
}

// TestVerifyAudit_TruncatedTail deletes the newest events and moves the
// head back to the new last event, so the chain and the head agree: only
// the anchor outside the database can tell.
func TestVerifyAudit_TruncatedTail(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		af := keyedFixture(t, f)
		events := f.events(t)
		f.exec(t, "DELETE FROM audit_events WHERE seq > ? RETURNING seq", 4)
		f.exec(t, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 RETURNING seq", 4, events[3].Hash)
		if res := f.mustVerifyUnanchored(t); !res {
			t.Fatal("setup: the truncated chain should still verify without the anchor")
		}
		ok, bad, reason := f.verifyAnchored(t, af)
		if ok || bad != 5 || !strings.Contains(reason, "cut off") {
			t.Errorf("truncated tail: ok %v, first bad %d (%s); want event 5, cut off", ok, bad, reason)
		}
	})
}

// TestVerifyAudit_RewrittenAndRehashed changes an old event and recomputes
// every SHA-256 after it and the head: the plain chain verifies, the HMACs
// and the anchor do not.
func TestVerifyAudit_RewrittenAndRehashed(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		af := keyedFixture(t, f)
		events := f.events(t)
		prev := events[1].Hash
		for i := 2; i < len(events); i++ {
			e := events[i]
			if i == 2 {
				e.Summary = json.RawMessage(`{"roles":["admin"],"username":"user1"}`)
			}
			e.PrevHash = prev
			e.Hash = audit.Hash(prev, e)
			e.MAC = audit.MAC([]byte("the attacker's own key 0123456789"), e.Seq, e.Hash)
			f.exec(t, "UPDATE audit_events SET summary = ?, prev_hash = ?, hash = ?, mac = ? WHERE seq = ? RETURNING seq",
				string(e.Summary), e.PrevHash, e.Hash, e.MAC, e.Seq)
			prev = e.Hash
		}
		f.exec(t, "UPDATE audit_head SET hash = ? WHERE id = 1 RETURNING seq", prev)
		if !f.mustVerifyUnanchored(t) {
			t.Fatal("setup: the rehashed chain should verify without the key")
		}
		ok, bad, reason := f.verifyAnchored(t, af)
		if ok || bad != 3 || !strings.Contains(reason, "HMAC") {
			t.Errorf("rewritten chain: ok %v, first bad %d (%s); want event 3, HMAC", ok, bad, reason)
		}
		// Stripping the HMACs does not help either.
		f.exec(t, "UPDATE audit_events SET mac = '' WHERE seq >= ? RETURNING seq", 3)
		if ok, bad, _ := f.verifyAnchored(t, af); ok || bad != 3 {
			t.Errorf("stripped HMACs: ok %v, first bad %d; want event 3", ok, bad)
		}
		if _, err := f.svc.SealAudit(ctx, admin, nil); err == nil {
			t.Error("SealAudit sealed a chain whose HMACs were stripped after a sealed event")
		}
	})
}

// mustVerifyUnanchored verifies with the hashes and the head only, as
// before the audit key existed.
func (f *fixture) mustVerifyUnanchored(t *testing.T) bool {
	t.Helper()
	var v audit.Verifier
	if err := f.db.AuditEvents(ctx, func(e audit.Event) error {
		v.Add(e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, _, ok := v.Result()
	return ok
}

func TestSealAudit(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		f.newUser(t, "before-key", auth.Collector)
		f.db.SetAuditKey(auditKey)
		f.newUser(t, "after-key", auth.Collector)
		if res, _ := f.svc.VerifyAudit(ctx); res.OK || res.FirstBad != 1 {
			t.Fatalf("unsealed event: %+v, want broken at 1", res)
		}
		n, err := f.svc.SealAudit(ctx, admin, nil)
		if err != nil || n != 1 {
			t.Fatalf("SealAudit = %d, %v; want 1", n, err)
		}
		if res := f.mustVerify(t); !res.Keyed || res.Events != 3 {
			t.Errorf("after sealing: %+v", res)
		}
	})
}
