package pii_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"accord/internal/errs"
	"accord/internal/pii"
)

func TestLoadAuditKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "accord-audit.key")
	k1, err := pii.LoadAuditKey("", path)
	if err != nil || len(k1) != pii.KeySize {
		t.Fatalf("LoadAuditKey created %d bytes, %v", len(k1), err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("audit key file: %v, %v; want 0600", info, err)
	}
	if k2, err := pii.LoadAuditKey("", path); err != nil || !bytes.Equal(k1, k2) {
		t.Errorf("second load = %x, %v; want the same key", k2, err)
	}
	pk, _ := pii.LoadKey("", filepath.Join(dir, "accord.key"))
	if bytes.Equal(pk, k1) {
		t.Error("the audit key equals the PII key")
	}
	if _, err := pii.LoadAuditKey("not a key", path); errs.CodeOf(err) != errs.Invalid || !strings.Contains(errs.MessageOf(err), "ACCORD_AUDIT_KEY") {
		t.Errorf("bad ACCORD_AUDIT_KEY: %v", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := pii.LoadAuditKey("", path); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("audit key file readable by others: %v, want Invalid", err)
	}
}
