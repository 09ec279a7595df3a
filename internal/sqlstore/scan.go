package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// ts returns t as the store keeps instants: UTC, truncated to the
// microsecond (PostgreSQL's precision, so both engines give back the same
// value), and NULL for the zero time.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

// instant scans an instant into *t: UTC, and the zero time for NULL.
type instant struct{ t *time.Time }

func (s instant) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.t = time.Time{}
	case time.Time:
		*s.t = v.UTC()
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	default:
		return fmt.Errorf("scan instant: unsupported %T", src)
	}
	return nil
}

func (s instant) parse(v string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano} {
		if t, err := time.Parse(layout, v); err == nil {
			*s.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("scan instant: %q is not a time", v)
}

// nullString returns s, or NULL for "" (for optional unique columns such as
// a payment's external id, where many rows may have none).
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// text scans a nullable text column into *s ("" for NULL).
type text struct{ s *string }

func (t text) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t.s = ""
	case string:
		*t.s = v
	case []byte:
		*t.s = string(v)
	default:
		return fmt.Errorf("scan text: unsupported %T", src)
	}
	return nil
}

// toJSON encodes v for a JSON text column; a nil slice is stored as [].
func toJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode json: %w", err)
	}
	if string(b) == "null" {
		return "[]", nil
	}
	return string(b), nil
}

// fromJSON decodes a JSON text column into v; "" leaves v alone.
func fromJSON(s string, v any) error {
	if s == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("decode json: %w", err)
	}
	return nil
}

// placeholders returns n comma-separated placeholders: "?, ?, ?".
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// rowsOf returns "(?, ?), (?, ?)" for rows tuples of cols placeholders each.
func rowsOf(rows, cols int) string {
	tuple := "(" + placeholders(cols) + ")"
	var b strings.Builder
	b.Grow(rows * (len(tuple) + 2))
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
	}
	return b.String()
}

// int64Args returns ids as query arguments, for "IN (" + placeholders(n) + ")".
func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// where collects the conditions of a list query.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// page returns the LIMIT and OFFSET clause for a list: limit defaults to
// DefaultLimit and is capped at MaxLimit.
func page(limit, offset int) string {
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	return fmt.Sprintf(" LIMIT %d OFFSET %d", limit, max(offset, 0))
}

// List sizes: a Filter's Limit of 0 means DefaultLimit; more than MaxLimit
// is cut to MaxLimit.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// likePrefix returns a LIKE pattern matching strings that start with p, with
// LIKE's wildcards in p escaped (use with ESCAPE '\').
func likePrefix(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(p) + "%"
}

// truncated returns t as the store gives it back (see ts).
func truncated(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

// integer scans an integer column straight into *p. database/sql would
// otherwise format each integer as text and parse it back for any
// destination but *int64 and the like, which the aging read does millions
// of times a night.
type integer[T ~int64 | ~int] struct{ p *T }

func (n integer[T]) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*n.p = T(v)
	case nil:
		*n.p = 0
	default:
		return fmt.Errorf("scan integer: unsupported %T", src)
	}
	return nil
}

// num returns a Scanner for the integer column scanned into p.
func num[T ~int64 | ~int](p *T) integer[T] { return integer[T]{p} }

// prefixed returns a comma-separated column list with every column
// qualified by alias: "a, b" → "p.a, p.b".
func prefixed(cols, alias string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
