package main

import (
	"strings"
	"testing"
)

// TestModelDatabaseCommands trains a cure model on a demo book's history
// from the command line, has another user approve and promote it, and
// sees the next nightly run score with it; wrong input exits 2 naming the
// field; on both engines.
func TestModelDatabaseCommands(t *testing.T) {
	t.Parallel()
	for _, engine := range e2eEngines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			d := newE2EDB(t, engine)
			d.mustRun(t, "demo", "--borrowers", "800", "--as-of", "2026-03-01", "--history-days", "0")
			for _, tc := range []struct {
				args  []string
				field string
			}{
				{[]string{"model", "train", "--target", "cure31", "--as", "supervisor"}, "--target"},
				{[]string{"model", "train", "--target", "cure30"}, "--as"},
				{[]string{"model", "train", "--target", "cure30", "--as", "nobody"}, "--as"},
				{[]string{"model", "train", "--target", "cure30", "--as", "supervisor", "--as-of", "03/01/2026"}, "--as-of"},
				{[]string{"model", "approve", "x", "--as", "admin"}, "ID"},
				{[]string{"model", "promote", "1", "--as", "admin", "--role", "boss"}, "role"},
			} {
				code, _, errOut := d.run(t, tc.args...)
				if code != 2 || !strings.Contains(errOut, tc.field) {
					t.Errorf("accord %s = exit %d, %q; want 2 naming %s", strings.Join(tc.args, " "), code, errOut, tc.field)
				}
			}
			out := d.mustRun(t, "model", "train", "--target", "cure30", "--as", "supervisor", "--as-of", "2026-03-01",
				"--snapshots", "6", "--every", "7", "--l2", "1")
			if !strings.Contains(out, "trained cure30 version 1 (id 1, logistic)") || !strings.Contains(out, "out of time") {
				t.Fatalf("train printed %q", out)
			}
			if code, _, errOut := d.run(t, "model", "approve", "1", "--as", "supervisor"); code == 0 || !strings.Contains(errOut, "other than its trainer") {
				t.Errorf("the trainer approving: exit %d, %q", code, errOut)
			}
			if code, _, _ := d.run(t, "model", "approve", "1", "--as", "collector"); code == 0 {
				t.Error("a collector approved a model")
			}
			d.mustRun(t, "model", "approve", "1", "--as", "admin")
			out = d.mustRun(t, "model", "promote", "1", "--as", "admin")
			if !strings.Contains(out, "is now the champion") {
				t.Errorf("promote printed %q", out)
			}
			out = d.mustRun(t, "model", "list", "--as", "admin")
			if !strings.Contains(out, "champion") || !strings.Contains(out, "supervisor") {
				t.Errorf("list printed %q", out)
			}
			d.mustRun(t, "run", "--as-of", "2026-03-02")
			db := d.sqlDB(t)
			var scored, open int
			if err := db.QueryRow("SELECT COUNT(*) FROM borrower_scores WHERE model_id = 1").Scan(&scored); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRow("SELECT COUNT(*) FROM cases WHERE status = 'open'").Scan(&open); err != nil {
				t.Fatal(err)
			}
			if scored == 0 || scored > open {
				t.Errorf("the nightly run scored %d borrowers with %d open cases", scored, open)
			}
		})
	}
}
