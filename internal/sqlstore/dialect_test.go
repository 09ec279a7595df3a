package sqlstore

import "testing"

func TestDialect_Rebind(t *testing.T) {
	t.Parallel()
	pg, lite := dialect{engine: Postgres}, dialect{engine: SQLite}
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{"INSERT INTO t VALUES (?, ?), (?, ?)", "INSERT INTO t VALUES ($1, $2), ($3, $4)"},
		{"SELECT '?', ? FROM t", "SELECT '?', $1 FROM t"},
		{`SELECT "odd?col", ? FROM t`, `SELECT "odd?col", $1 FROM t`},
		{"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"},
		{"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"},
		{"SELECT 'unterminated ?", "SELECT 'unterminated ?"},
		{"SELECT ? --?", "SELECT $1 --?"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := pg.rebind(tt.in); got != tt.want {
				t.Errorf("postgres rebind(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := lite.rebind(tt.in); got != tt.in {
				t.Errorf("sqlite rebind(%q) = %q, want it unchanged", tt.in, got)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	got := redact("postgres://accord:s3cret@db:5432/accord?sslmode=disable")
	if got != "postgres://accord:***@db:5432/accord?sslmode=disable" {
		t.Errorf("redact = %q", got)
	}
}
