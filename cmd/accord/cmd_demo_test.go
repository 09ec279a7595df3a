package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLI_DemoAllOrNothing: `accord demo` that fails halfway (a fault
// injected after half the borrowers) exits 1 and leaves nothing behind —
// no borrowers, users, department or demo mark, and an audit chain that
// verifies against the anchor file written outside the database — and the
// demo then loads in full, still verifying, on both engines.
func TestCLI_DemoAllOrNothing(t *testing.T) {
	t.Parallel()
	for _, engine := range e2eEngines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			d := newE2EDB(t, engine)
			demo := []string{"demo", "--borrowers", "80", "--seed", "2", "--as-of", "2026-03-01", "--history-days", "2"}
			code, out, errOut := d.run(t, append(demo, "--fail-after", "40")...)
			if code != 1 || !strings.Contains(errOut, "Injected fault after 40 borrowers") || !strings.Contains(errOut, "taken back") {
				t.Fatalf("demo with a fault = exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			for _, table := range []string{"borrowers", "loans", "payments", "loan_positions", "portfolio_snapshots", "products",
				"users", "teams", "collectors", "demo_runs"} {
				if n := d.count(t, table); n != 0 {
					t.Errorf("%d rows in %s after the failed demo", n, table)
				}
			}
			if out := d.mustRun(t, "audit", "verify"); !strings.Contains(out, "audit chain intact") {
				t.Errorf("audit verify after the failed demo: %s", out)
			}

			out = d.mustRun(t, demo...)
			if !strings.Contains(out, "demo portfolio: 80 borrowers") || d.count(t, "borrowers") != 80 || d.count(t, "teams") == 0 ||
				d.count(t, "demo_runs") != 0 {
				t.Fatalf("demo after the failed one: %s", out)
			}
			out = d.mustRun(t, "audit", "verify")
			anchors, err := os.ReadFile(filepath.Join(filepath.Dir(d.keyFile), "accord-audit.anchor"))
			if err != nil || len(anchors) == 0 {
				t.Fatalf("no anchor file after the demo: %v", err)
			}
			if !strings.Contains(out, "audit chain intact") || strings.Contains(out, " 0 anchors") {
				t.Errorf("audit verify after the demo: %s", out)
			}
			if code, _, errOut := d.run(t, demo...); code != 1 || !strings.Contains(errOut, "already holds 80 borrowers") {
				t.Errorf("a second demo = exit %d: %s", code, errOut)
			}
		})
	}
}
