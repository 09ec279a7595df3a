package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"accord/internal/sqlstore/storetest"
)

// e2eDB is a database for end-to-end tests of the accord command: an
// empty SQLite file in a temporary directory, or a schema of its own on the
// PostgreSQL server of ACCORD_TEST_POSTGRES.
type e2eDB struct {
	engine  string
	dsn     string // as --db takes it
	keyFile string
}

// e2eEngines are the engines the storage-related tests run on.
var e2eEngines = []string{"sqlite", "postgres"}

func newE2EDB(t *testing.T, engine string) *e2eDB {
	t.Helper()
	dir := t.TempDir()
	d := &e2eDB{engine: engine, keyFile: filepath.Join(dir, "accord.key")}
	if engine == "sqlite" {
		d.dsn = storetest.SQLiteDSN(t)
		return d
	}
	d.dsn = storetest.PostgresDSN(t)
	return d
}

// run runs accord with the database flags and args and returns the exit
// status and what it printed.
func (d *e2eDB) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runAccord(t, context.Background(), nil, append([]string{"--db", d.dsn, "--key-file", d.keyFile, "--log-level", "warn"}, args...)...)
}

func runAccord(t *testing.T, ctx context.Context, ready chan string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain(strings.NewReader(""), &out, &errb)
	m.Ready = ready
	code = m.Run(ctx, append([]string{"accord"}, args...))
	m.Close()
	return code, out.String(), errb.String()
}

// mustRun runs accord and fails the test unless it exits 0.
func (d *e2eDB) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := d.run(t, args...)
	if code != 0 {
		t.Fatalf("accord %s = exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// sqlDB opens the test database directly, to count and tamper with rows.
func (d *e2eDB) sqlDB(t *testing.T) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", d.dsn
	if path, ok := strings.CutPrefix(d.dsn, "sqlite:"); ok {
		// Wait for a lock rather than fail: a checkpoint of the command
		// that just ran may still hold one for a moment.
		driver, dsn = "sqlite", path+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// count returns the number of rows of table.
func (d *e2eDB) count(t *testing.T, table string) int {
	t.Helper()
	return d.scalar(t, "SELECT COUNT(*) FROM "+table)
}

// scalar returns the integer a query selects.
func (d *e2eDB) scalar(t *testing.T, query string) int {
	t.Helper()
	var n int
	if err := d.sqlDB(t).QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// exec runs SQL statements directly, in order, each with ? placeholders
// on SQLite and $1 … on PostgreSQL.
func (d *e2eDB) exec(t *testing.T, stmts ...string) {
	t.Helper()
	db := d.sqlDB(t)
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCLI_Schedule(t *testing.T) {
	t.Parallel()
	terms := []string{"schedule", "--principal", "10000.00", "--annual-rate", "0.12", "--months", "12",
		"--method", "equal_installment", "--start", "2026-01-15", "--json"}
	code, out, errOut := runAccord(t, context.Background(), nil, terms...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	const first = `{"installments":[{"seq":1,"due_date":"2026-02-15","principal":"788.49","interest":"100.00","total":"888.49"},`
	if !strings.HasPrefix(out, first) || !strings.HasSuffix(out, `],"total_interest":"661.86"}`+"\n") {
		t.Errorf("schedule --json = %s\nwant it to start %s and end with total_interest 661.86", out, first)
	}
	var got struct {
		Installments []struct {
			Seq                        int
			DueDate                    string `json:"due_date"`
			Principal, Interest, Total string
		}
		TotalInterest string `json:"total_interest"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if n := len(got.Installments); n != 12 || got.Installments[n-1].DueDate != "2027-01-15" || got.Installments[n-1].Seq != 12 {
		t.Errorf("installments = %+v", got.Installments)
	}

	tests := []struct {
		name      string
		change    []string // flag, value pairs replacing those of terms ("" drops the flag)
		wantField string
	}{
		{"principal not an amount", []string{"--principal", "abc"}, "--principal"},
		{"principal with three decimals", []string{"--principal", "1.001"}, "--principal"},
		{"negative principal", []string{"--principal", "-5"}, "principal"},
		{"rate not a number", []string{"--annual-rate", "12%"}, "--annual-rate"},
		{"rate above 1", []string{"--annual-rate", "12"}, "annual_rate"},
		{"no such date", []string{"--start", "2026-02-30"}, "--start"},
		{"months not a number", []string{"--months", "twelve"}, "-months"},
		{"zero months", []string{"--months", "0"}, "months"},
		{"unknown method", []string{"--method", "balloon"}, "method"},
		{"missing principal", []string{"--principal", ""}, "principal"},
		{"unknown flag", []string{"--colour", "red"}, "-colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := withFlag(terms, tt.change[0], tt.change[1])
			code, out, errOut := runAccord(t, context.Background(), nil, args...)
			if code != 2 || out != "" || !strings.Contains(errOut, tt.wantField) {
				t.Errorf("accord %s = exit %d, stdout %q, stderr %q; want exit 2 naming %s", strings.Join(args, " "), code, out, errOut, tt.wantField)
			}
			if strings.Contains(errOut, "Internal error") {
				t.Errorf("a usage mistake is reported as an internal error: %s", errOut)
			}
		})
	}
}

// withFlag returns args with flag's value replaced by value, the flag
// dropped when value is "", or the flag added when args lack it.
func withFlag(args []string, flag, value string) []string {
	var out []string
	found := false
	for i := 0; i < len(args); i++ {
		if args[i] == flag {
			found = true
			i++
			if value != "" {
				out = append(out, flag, value)
			}
			continue
		}
		out = append(out, args[i])
	}
	if !found {
		out = append(out, flag, value)
	}
	return out
}

func TestCLI_UserAndServe(t *testing.T) {
	t.Parallel()
	d := newE2EDB(t, "sqlite")
	if out := d.mustRun(t, "migrate"); !strings.Contains(out, "up to date") {
		t.Errorf("migrate printed %q", out)
	}
	out := d.mustRun(t, "user", "create", "--username", "li.wei", "--name", "李伟", "--roles", "collector,negotiator", "--password", "a good long password")
	if !strings.Contains(out, "created user li.wei") {
		t.Errorf("user create printed %q", out)
	}
	for _, tt := range []struct {
		name      string
		args      []string
		wantCode  int
		wantInErr string
	}{
		{"unknown role", []string{"user", "create", "--username", "x", "--roles", "boss", "--password", "a good long password"}, 2, "roles"},
		{"short password", []string{"user", "create", "--username", "x", "--roles", "auditor", "--password", "short"}, 2, "password"},
		{"taken username", []string{"user", "create", "--username", "li.wei", "--roles", "auditor", "--password", "a good long password"}, 1, "li.wei"},
		{"token for nobody", []string{"user", "token", "--username", "nobody", "--name", "x"}, 1, "nobody"},
	} {
		code, _, errOut := d.run(t, tt.args...)
		if code != tt.wantCode || !strings.Contains(errOut, tt.wantInErr) {
			t.Errorf("%s: exit %d, stderr %q; want %d naming %s", tt.name, code, errOut, tt.wantCode, tt.wantInErr)
		}
	}
	token := strings.TrimSpace(d.mustRun(t, "user", "token", "--username", "li.wei", "--name", "ci"))
	if !strings.HasPrefix(token, "acc_") || len(token) < 30 {
		t.Fatalf("user token printed %q", token)
	}
	if users := d.count(t, "users"); users != 1 {
		t.Errorf("%d users, want 1", users)
	}

	// serve on a free port until the context ends.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var serveErr string
	go func() {
		code, _, errOut := runAccord(t, ctx, ready, "--db", d.dsn, "--key-file", d.keyFile, "--log-level", "warn", "serve", "--addr", "127.0.0.1:0")
		serveErr = errOut
		done <- code
	}()
	var addr string
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("serve exited %d before listening: %s", code, serveErr)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start within 30 s")
	}
	for _, c := range []struct {
		path, token string
		want        int
		wantBody    string
	}{
		{"/healthz", "", http.StatusOK, "ok"},
		{"/readyz", "", http.StatusOK, "ready"},
		{"/api/v1/me", token, http.StatusOK, `"username":"li.wei"`},
		{"/api/v1/me", "", http.StatusUnauthorized, `"status":401`},
		{"/api/v1/openapi.json", "", http.StatusOK, `"openapi":"3.1.0"`},
	} {
		req, _ := http.NewRequest("GET", "http://"+addr+c.path, nil)
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != c.want || !strings.Contains(string(body), c.wantBody) {
			t.Errorf("GET %s = %d %.200s; want %d with %s", c.path, res.StatusCode, body, c.want, c.wantBody)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after the context ended: %s", code, serveErr)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15 s of the context ending")
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Error("the server still answers after serve returned")
	}
}
