package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// runSummary decodes `accord run --json`, keeping every field.
func runSummary(t *testing.T, out string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("run --json printed %q: %v", out, err)
	}
	return m
}

func TestCLI_DemoAndRun(t *testing.T) {
	t.Parallel()
	for _, engine := range e2eEngines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			d := newE2EDB(t, engine)
			out := d.mustRun(t, "demo", "--borrowers", "200", "--seed", "1", "--as-of", "2026-03-01")
			if !strings.Contains(out, "demo portfolio: 200 borrowers") {
				t.Errorf("demo printed %q", out)
			}
			if code, _, errOut := d.run(t, "demo", "--borrowers", "10", "--as-of", "2026-03-01"); code != 1 || !strings.Contains(errOut, "empty database") {
				t.Errorf("second demo = exit %d, %q; want 1 refusing a non-empty database", code, errOut)
			}
			first := runSummary(t, d.mustRun(t, "run", "--as-of", "2026-03-20", "--json"))
			for _, k := range []string{"loans", "delinquent_loans", "by_bucket", "duration_ms", "status_changes"} {
				if _, ok := first[k]; !ok {
					t.Errorf("run summary lacks %q: %v", k, first)
				}
			}
			loans, _ := first["loans"].(float64)
			delinquent, _ := first["delinquent_loans"].(float64)
			open := d.scalar(t, "SELECT COUNT(*) FROM loans WHERE status NOT IN ('paid_off', 'settled')")
			if delinquent == 0 || delinquent >= loans || int(loans) != open {
				t.Errorf("first run: %v loans, %v delinquent; the database has %d loans not paid off", loans, delinquent, open)
			}
			second := runSummary(t, d.mustRun(t, "run", "--as-of", "2026-03-20", "--json"))
			if second["status_changes"] != 0.0 {
				t.Errorf("second run changed %v statuses", second["status_changes"])
			}
			for _, m := range []map[string]any{first, second} {
				for k := range m {
					if strings.HasSuffix(k, "_ms") || k == "touched" || k == "steps" || strings.HasSuffix(k, "_changes") || strings.HasSuffix(k, "_opened") ||
						strings.HasSuffix(k, "_closed") || strings.HasSuffix(k, "_created") || strings.HasSuffix(k, "_queued") || strings.HasSuffix(k, "_assigned") {
						delete(m, k) // timings and what the run (and its nightly steps) did, not the state it leaves
					}
				}
			}
			if diff := cmp.Diff(first, second); diff != "" {
				t.Errorf("second run of the same date (-first +second):\n%s", diff)
			}
			if code, _, errOut := d.run(t, "run", "--as-of", "2026-13-01"); code != 2 || !strings.Contains(errOut, "--as-of") {
				t.Errorf("run --as-of 2026-13-01 = exit %d, %q; want 2 naming --as-of", code, errOut)
			}
		})
	}
}

const borrowersCSV = "external_id,name,national_id,phones\n" +
	"B1001,张三,440305199001151232,+8613800138000\n" +
	"B1002,李四,440106198507224567,137 0013 7000\n" +
	"B1003,王五,,\n"

func TestCLI_Import(t *testing.T) {
	t.Parallel()
	for _, engine := range e2eEngines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			d := newE2EDB(t, engine)
			d.mustRun(t, "migrate")
			tables := []string{"borrowers", "borrower_phones", "imports", "audit_events"}
			counts := func() map[string]int {
				m := map[string]int{}
				for _, tb := range tables {
					m[tb] = d.count(t, tb)
				}
				return m
			}
			empty := counts()

			bad := writeFile(t, "borrowers.csv", borrowersCSV+"B1004,赵六,440305199001151233,+8613900139000\nB1005,,,\n")
			code, out, errOut := d.run(t, "import", "--kind", "borrowers", bad)
			if code != 2 || out != "" {
				t.Errorf("bad file = exit %d, stdout %q; want 2 and nothing printed", code, out)
			}
			for _, want := range []string{"row 5, national_id", "row 6, name", "borrowers.csv"} {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q: %s", want, errOut)
				}
			}
			if diff := cmp.Diff(empty, counts()); diff != "" {
				t.Errorf("a rejected file wrote rows (-before +after):\n%s", diff)
			}

			good := writeFile(t, "borrowers.csv", borrowersCSV)
			out = d.mustRun(t, "import", "--kind", "borrowers", "--dry-run", good)
			if !strings.Contains(out, "dry run") || !strings.Contains(out, "3 created") {
				t.Errorf("dry run printed %q", out)
			}
			if diff := cmp.Diff(empty, counts()); diff != "" {
				t.Errorf("a dry run wrote rows (-before +after):\n%s", diff)
			}

			var first, second struct{ Rows, Created, Updated, Unchanged int }
			_ = json.Unmarshal([]byte(d.mustRun(t, "import", "--kind", "borrowers", "--json", good)), &first)
			if first.Rows != 3 || first.Created != 3 {
				t.Errorf("first import = %+v", first)
			}
			after := counts()
			_ = json.Unmarshal([]byte(d.mustRun(t, "import", "--kind", "borrowers", "--json", good)), &second)
			if second.Created+second.Updated != 0 || second.Unchanged != 3 {
				t.Errorf("second import = %+v, want 3 unchanged", second)
			}
			again := counts()
			if again["borrowers"] != after["borrowers"] || again["borrower_phones"] != after["borrower_phones"] {
				t.Errorf("second import changed rows: %v, then %v", after, again)
			}

			for _, c := range []struct {
				name      string
				args      []string
				wantInErr string
			}{
				{"no file", []string{"import", "--kind", "borrowers"}, "FILE"},
				{"missing file", []string{"import", "--kind", "borrowers", "/nonexistent.csv"}, "FILE"},
				{"unknown kind", []string{"import", "--kind", "cars", good}, "kind"},
				{"no kind", []string{"import", good}, "kind"},
			} {
				if code, _, errOut := d.run(t, c.args...); code != 2 || !strings.Contains(errOut, c.wantInErr) {
					t.Errorf("%s: exit %d, %q; want 2 naming %s", c.name, code, errOut, c.wantInErr)
				}
			}
		})
	}
}

func TestCLI_AuditVerify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		tamper   []string
		wantCode int
		wantErr  string
	}{
		{"intact", nil, 0, ""},
		{"summary of event 3 changed", []string{`UPDATE audit_events SET summary = '{"rows":999}' WHERE seq = 3`}, 1, "event 3"},
		{"middle event 3 deleted", []string{`DELETE FROM audit_events WHERE seq = 3`}, 1, "event 3"},
		{"last event 5 deleted", []string{`DELETE FROM audit_events WHERE seq = 5`}, 1, "event 5"},
		{"events 2 and 3 swapped", []string{
			`UPDATE audit_events SET seq = -2 WHERE seq = 2`,
			`UPDATE audit_events SET seq = 2 WHERE seq = 3`,
			`UPDATE audit_events SET seq = 3 WHERE seq = -2`,
		}, 1, "event 2"},
	}
	for _, engine := range e2eEngines {
		for _, tt := range tests {
			t.Run(engine+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				d := newE2EDB(t, engine)
				for i := range 5 { // five imports: five audit events
					f := writeFile(t, "b.csv", fmt.Sprintf("external_id,name\nB%d,王五\n", i))
					d.mustRun(t, "import", "--kind", "borrowers", f)
				}
				if n := d.count(t, "audit_events"); n != 5 {
					t.Fatalf("%d audit events, want 5", n)
				}
				d.exec(t, tt.tamper...)
				code, out, errOut := d.run(t, "audit", "verify")
				if code != tt.wantCode || !strings.Contains(errOut, tt.wantErr) {
					t.Errorf("audit verify = exit %d, stdout %q, stderr %q; want %d naming %q", code, out, errOut, tt.wantCode, tt.wantErr)
				}
				if tt.wantCode == 0 && !strings.Contains(out, "intact: 5 events") {
					t.Errorf("audit verify printed %q", out)
				}
			})
		}
	}
}
