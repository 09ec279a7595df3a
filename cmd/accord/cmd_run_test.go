package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRunList: each accord run is recorded, and run --list shows the recent
// runs newest first with their status, as text or JSON.
func TestRunList(t *testing.T) {
	for _, engine := range e2eEngines {
		t.Run(engine, func(t *testing.T) {
			d := newE2EDB(t, engine)
			if out := d.mustRun(t, "run", "--list"); !strings.Contains(out, "no runs yet") {
				t.Errorf("list before any run: %q", out)
			}
			d.mustRun(t, "run", "--as-of", "2026-03-20")
			d.mustRun(t, "run", "--as-of", "2026-03-21")
			var runs []struct {
				AsOf    string          `json:"as_of"`
				Status  string          `json:"status"`
				Summary json.RawMessage `json:"summary"`
				Error   string          `json:"error"`
			}
			out := d.mustRun(t, "run", "--list", "--json", "--limit", "5")
			if err := json.Unmarshal([]byte(out), &runs); err != nil {
				t.Fatalf("run --list --json: %v: %q", err, out)
			}
			if len(runs) != 2 || runs[0].AsOf != "2026-03-21" || runs[1].AsOf != "2026-03-20" || runs[0].Status != "ok" ||
				!strings.Contains(string(runs[0].Summary), `"as_of":"2026-03-21"`) {
				t.Errorf("runs = %+v", runs)
			}
			text := d.mustRun(t, "run", "--list", "--limit", "1")
			if !strings.Contains(text, "2026-03-21  ok") || strings.Contains(text, "2026-03-20") {
				t.Errorf("run --list --limit 1:\n%s", text)
			}
			if code, _, errOut := d.run(t, "run", "--list", "--limit", "0"); code != 2 || !strings.Contains(errOut, "--limit") {
				t.Errorf("--limit 0: exit %d, %q", code, errOut)
			}
		})
	}
}
