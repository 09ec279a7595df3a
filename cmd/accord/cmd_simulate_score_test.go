package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSimulate_TrainsAndScores trains a cure model on the history `accord
// simulate --write` made, has another user approve and promote it, and
// sees the next simulated night use it: every borrower it scored carries
// the model, with reasons. On SQLite the last night is simulated on a copy
// (the path the fix wires scoring into); PostgreSQL simulates with --write.
func TestSimulate_TrainsAndScores(t *testing.T) {
	t.Parallel()
	for _, engine := range e2eEngines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			d := newE2EDB(t, engine)
			d.mustRun(t, "demo", "--borrowers", "800", "--as-of", "2026-03-01", "--history-days", "0")
			d.mustRun(t, "simulate", "--write", "--from", "2026-03-02", "--days", "12")
			out := d.mustRun(t, "model", "train", "--target", "cure30", "--as", "supervisor", "--as-of", "2026-03-13",
				"--snapshots", "6", "--every", "7", "--l2", "1")
			if !strings.Contains(out, "trained cure30 version 1") {
				t.Fatalf("train printed %q", out)
			}
			d.mustRun(t, "model", "approve", "1", "--as", "admin")
			d.mustRun(t, "model", "promote", "1", "--as", "admin")

			check, night := d, "2026-03-14"
			args := []string{"simulate", "--from", night, "--days", "1"}
			if engine == "sqlite" {
				kept := filepath.Join(t.TempDir(), "sim.db")
				args = append(args, "--keep", kept)
				check = &e2eDB{engine: engine, dsn: "sqlite:" + kept, keyFile: d.keyFile}
			} else {
				args = append(args, "--write")
			}
			d.mustRun(t, args...)
			scored := check.scalar(t, "SELECT COUNT(*) FROM borrower_scores WHERE model_id = 1 AND as_of = '"+night+"'")
			open := check.count(t, "cases WHERE status = 'open'")
			if scored == 0 || scored > open {
				t.Errorf("the simulated night scored %d borrowers with model 1; %d open cases", scored, open)
			}
			if n := check.scalar(t, "SELECT COUNT(*) FROM borrower_scores WHERE model_id = 1 AND as_of = '"+night+
				"' AND reasons = '[]'"); n != 0 {
				t.Errorf("%d scores without reasons", n)
			}
			if engine == "sqlite" && d.count(t, "borrower_scores") != 0 {
				t.Errorf("simulating on a copy scored in the live database")
			}
		})
	}
}
