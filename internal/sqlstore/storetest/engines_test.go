package storetest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// outcomeTB records how a helper ended the test: Fatalf or Skipf stop the
// goroutine as testing does.
type outcomeTB struct {
	testing.TB
	fatal, skip string
}

func (o *outcomeTB) Helper() {}
func (o *outcomeTB) Fatalf(format string, args ...any) {
	o.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (o *outcomeTB) Skipf(format string, args ...any) {
	o.skip = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestRequirePostgres(t *testing.T) {
	tests := []struct {
		name               string
		env                map[string]string
		wantDSN            string
		wantFail, wantSkip bool
	}{
		{"DSN set", map[string]string{PostgresEnv: "postgres://x"}, "postgres://x", false, false},
		{"DSN set in CI", map[string]string{PostgresEnv: "postgres://x", "CI": "true"}, "postgres://x", false, false},
		{"no DSN on a laptop skips", map[string]string{}, "", false, true},
		{"no DSN in CI fails", map[string]string{"CI": "true"}, "", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &outcomeTB{TB: t}
			var got string
			done := make(chan struct{})
			go func() {
				defer close(done)
				got = requirePostgres(o, func(k string) string { return tt.env[k] })
			}()
			<-done
			if got != tt.wantDSN || (o.fatal != "") != tt.wantFail || (o.skip != "") != tt.wantSkip {
				t.Errorf("requirePostgres = %q, fatal %q, skip %q; want %q, fail %v, skip %v",
					got, o.fatal, o.skip, tt.wantDSN, tt.wantFail, tt.wantSkip)
			}
			if tt.wantFail && !strings.Contains(o.fatal, PostgresEnv) {
				t.Errorf("the failure does not name %s: %q", PostgresEnv, o.fatal)
			}
		})
	}
}

// TestOnlyStoretestReadsThePostgresDSN fails when Go code outside this
// package reads ACCORD_TEST_POSTGRES (by name or through PostgresEnv): such
// a test would decide on its own whether a missing server skips, and in CI
// it must fail. Use OpenPostgres, PostgresDSN, RequirePostgres or Engines.
func TestOnlyStoretestReadsThePostgresDSN(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	self, _ := filepath.Abs(".")
	var offenders []string
	for _, top := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path == self || d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") {
				return nil
			}
			for _, at := range dsnReads(t, path) {
				rel, _ := filepath.Rel(root, path)
				offenders = append(offenders, rel+":"+at)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range offenders {
		t.Errorf("%s reads the PostgreSQL test DSN itself; use storetest (OpenPostgres, PostgresDSN, Engines)", o)
	}
}

// dsnReads returns the lines of file where code (not a comment) names
// PostgresEnv or the literal "ACCORD_TEST_POSTGRES".
func dsnReads(t *testing.T, file string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Logf("skip %s: %v", file, err) // someone's work in progress
		return nil
	}
	var at []string
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if n.Sel.Name == "PostgresEnv" {
				at = append(at, strconv.Itoa(fset.Position(n.Pos()).Line))
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING && strings.Contains(n.Value, PostgresEnv) {
				at = append(at, strconv.Itoa(fset.Position(n.Pos()).Line))
			}
		}
		return true
	})
	return at
}
