package sqlstore

import (
	"strconv"
	"strings"
)

// dialect holds what differs between the engines. Add to it only when a
// real difference forces it.
type dialect struct {
	engine    string
	maxParams int // bound parameters one statement may take
}

// rebind rewrites the ? placeholders of query as $1, $2 … for PostgreSQL and
// leaves it alone for SQLite. Writing ? everywhere and rebinding in this one
// place avoids a trap: SQLite reads $1 as a named parameter and numbers
// parameters by first appearance, so "$2 … $1" silently binds the wrong
// values there. Question marks inside quoted strings, quoted identifiers and
// comments are left as they are.
func (d dialect) rebind(query string) string {
	if d.engine != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			end := len(query)
			if j := strings.IndexByte(query[i+1:], c); j >= 0 {
				end = i + j + 2
			}
			b.WriteString(query[i:end])
			i = end - 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = len(query) - i
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ilike returns a case-insensitive LIKE: SQLite's LIKE already ignores ASCII
// case, PostgreSQL's does not.
func (d dialect) ilike() string {
	if d.engine == Postgres {
		return "ILIKE"
	}
	return "LIKE"
}
