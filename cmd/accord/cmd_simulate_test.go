package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"accord/internal/sqlstore/storetest"
)

// accordCW runs the accord command with args and returns its exit status,
// stdout and stderr.
func accordCW(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain(strings.NewReader(""), &out, &errb)
	code := m.Run(context.Background(), append([]string{"accord", "--log-level", "warn"}, args...))
	m.Close()
	return code, out.String(), errb.String()
}

// TestSimulate_EndToEnd: demo → run → run again (nothing new) → simulate
// on a copy, which leaves the live database as it was; on PostgreSQL,
// which cannot be copied from here, simulate refuses without --write.
func TestSimulate_EndToEnd(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			db := []string{"--db", "sqlite:" + filepath.Join(dir, "accord.db"), "--key-file", filepath.Join(dir, "accord.key")}
			if engine == "postgres" {
				db[1] = cwPostgres(t)
			}
			if code, _, errb := accordCW(t, append(db, "demo", "--borrowers", "300", "--as-of", "2026-03-01")...); code != 0 {
				t.Fatalf("demo: %d %s", code, errb)
			}
			var first, second map[string]any
			for i, dst := range []*map[string]any{&first, &second} {
				code, out, errb := accordCW(t, append(db, "run", "--as-of", "2026-03-02", "--json")...)
				if code != 0 || json.Unmarshal([]byte(out), dst) != nil {
					t.Fatalf("run %d: %d %s %s", i+1, code, out, errb)
				}
			}
			if first["cases_opened"].(float64) == 0 || first["tasks_created"].(float64) == 0 {
				t.Errorf("first run opened nothing: %v", first)
			}
			for _, k := range []string{"cases_opened", "tasks_created", "messages_queued"} {
				if second[k].(float64) != 0 {
					t.Errorf("second run: %s = %v, want 0", k, second[k])
				}
			}
			args := append(db, "simulate", "--from", "2026-03-03", "--days", "4")
			code, out, errb := accordCW(t, args...)
			if engine == "postgres" {
				if code != 2 || !strings.Contains(errb, "--write") {
					t.Errorf("simulate on PostgreSQL without --write: %d %s", code, errb)
				}
				code, out, errb = accordCW(t, append(args, "--write")...)
			}
			if code != 0 {
				t.Fatalf("simulate: %d %s", code, errb)
			}
			lines := 0
			var last map[string]json.RawMessage
			sc := bufio.NewScanner(strings.NewReader(out))
			for sc.Scan() {
				lines++
				last = nil
				if err := json.Unmarshal(sc.Bytes(), &last); err != nil {
					t.Fatalf("line %d is not JSON: %s", lines, sc.Text())
				}
			}
			if lines != 5 || last["summary"] == nil {
				t.Errorf("simulate printed %d lines, last %v", lines, last)
			}
			if engine == "sqlite" {
				// The live database saw none of it: the next run of 2026-03-02
				// is still a re-run, and no day after it was ever run.
				code, out, _ := accordCW(t, append(db, "run", "--as-of", "2026-03-02", "--json")...)
				var again map[string]any
				if code != 0 || json.Unmarshal([]byte(out), &again) != nil || again["cases_open"] != first["cases_open"] ||
					again["cases_closed"].(float64) != 0 {
					t.Errorf("live database changed by the simulation: %v", again)
				}
			}
		})
	}
}

// cwPostgres returns a DSN for a schema of its own on the test server.
func cwPostgres(t *testing.T) string {
	t.Helper()
	return storetest.PostgresDSN(t)
}
