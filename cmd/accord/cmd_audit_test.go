package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"accord/internal/audit"
	"accord/internal/sqlstore"
)

// TestCLI_AuditAnchored runs the two attacks the SHA-256 chain alone does
// not catch, against a database the accord command wrote: cutting off the
// newest events and moving the head back, and rewriting an old event and
// recomputing every hash after it. accord audit verify catches both with
// the audit key and the anchor file kept beside the PII key.
func TestCLI_AuditAnchored(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		attack  func(t *testing.T, d *e2eDB)
		wantErr string
	}{
		{"intact", func(*testing.T, *e2eDB) {}, ""},
		{"truncated tail", func(t *testing.T, d *e2eDB) {
			d.exec(t, "DELETE FROM audit_events WHERE seq > 3",
				"UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_events WHERE seq = 3) WHERE id = 1")
		}, "event 4 is missing"},
		{"rewritten and rehashed", func(t *testing.T, d *e2eDB) {
			events := d.auditEvents(t)
			prev := events[1].Hash
			var stmts []string
			for _, e := range events[2:] {
				if e.Seq == 3 {
					e.Summary = []byte(`{"rows":999}`)
				}
				e.PrevHash = prev
				e.Hash = audit.Hash(prev, e)
				stmts = append(stmts, fmt.Sprintf("UPDATE audit_events SET summary = '%s', prev_hash = '%s', hash = '%s' WHERE seq = %d",
					e.Summary, e.PrevHash, e.Hash, e.Seq))
				prev = e.Hash
			}
			stmts = append(stmts, fmt.Sprintf("UPDATE audit_head SET hash = '%s' WHERE id = 1", prev))
			d.exec(t, stmts...)
		}, "event 3 was rewritten"},
	}
	for _, engine := range e2eEngines {
		for _, tt := range tests {
			t.Run(engine+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				d := newE2EDB(t, engine)
				for i := range 5 { // five imports: five audit events, each anchored when its command ends
					f := writeFile(t, "b.csv", fmt.Sprintf("external_id,name\nB%d,王五\n", i))
					d.mustRun(t, "import", "--kind", "borrowers", f)
				}
				dir := filepath.Dir(d.keyFile)
				if info, err := os.Stat(filepath.Join(dir, "accord-audit.key")); err != nil || info.Mode().Perm() != 0o600 {
					t.Fatalf("audit key file: %v, %v; want mode 0600", info, err)
				}
				anchors, err := os.ReadFile(filepath.Join(dir, "accord-audit.anchor"))
				if err != nil || strings.Count(string(anchors), "\n") != 5 {
					t.Fatalf("anchor file = %q, %v; want 5 lines", anchors, err)
				}
				tt.attack(t, d)
				code, out, errOut := d.run(t, "audit", "verify")
				if tt.wantErr == "" {
					if code != 0 || !strings.Contains(out, "intact: 5 events") || !strings.Contains(out, "5 anchors") {
						t.Errorf("audit verify = exit %d, %q, %q", code, out, errOut)
					}
					return
				}
				if code != 1 || !strings.Contains(errOut, tt.wantErr) {
					t.Errorf("audit verify = exit %d, stdout %q, stderr %q; want 1 naming %q", code, out, errOut, tt.wantErr)
				}
				// Running commands afterwards does not bless the damage.
				d.mustRun(t, "user", "list")
				if code, _, _ := d.run(t, "audit", "verify"); code != 1 {
					t.Errorf("second audit verify = exit %d, want 1", code)
				}
			})
		}
	}
}

func TestCLI_AuditAnchorFileEdited(t *testing.T) {
	t.Parallel()
	d := newE2EDB(t, "sqlite")
	d.mustRun(t, "user", "create", "--username", "li.wei", "--roles", "admin", "--password", "a good long password")
	path := filepath.Join(filepath.Dir(d.keyFile), "accord-audit.anchor")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), "1 ", "9 ", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := d.run(t, "audit", "verify"); code != 1 || !strings.Contains(errOut, "anchor line 1") {
		t.Errorf("edited anchor file: exit %d, %q", code, errOut)
	}
}

// auditEvents reads the whole audit log directly.
func (d *e2eDB) auditEvents(t *testing.T) []audit.Event {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), d.dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []audit.Event
	if err := db.AuditEvents(context.Background(), func(e audit.Event) error {
		out = append(out, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
