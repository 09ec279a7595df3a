package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"accord/internal/errs"
)

// A demo load (accord demo) writes through many transactions: a portfolio
// in batches, weeks of history, users, a collections department. To make it
// all-or-nothing it first records a DemoMark — where the database stood —
// in demo_runs, and a load that fails, or one that crashed and is started
// again, is taken back to the mark with UndoDemo. While the mark exists the
// audit anchor written outside the database stays at the mark's head
// (collect.Service.AnchorHead), so undoing never leaves an anchor that
// names an event which no longer exists.

// DemoMark is where the database stood when a demo load began.
type DemoMark struct {
	StartedAt time.Time `json:"-"`
	AuditSeq  int64     `json:"-"`
	AuditHash string    `json:"-"`
	// Empty are the tables that held no rows: UndoDemo empties them.
	Empty []string `json:"empty"`
	// Above are the other tables with an id column and their highest id:
	// UndoDemo removes the rows above it. Rows the demo adds to a table
	// that had rows and has no id column are not taken back (the demo
	// writes none).
	Above map[string]int64 `json:"above"`
}

// Tables a demo mark leaves alone: the migrations' bookkeeping, the job
// queue, the audit chain (taken back by its head) and the mark itself.
func markedTable(name string) bool {
	return name != "goose_db_version" && name != "audit_events" && name != "audit_head" && name != "demo_runs" &&
		!strings.HasPrefix(name, "river_") && !strings.HasPrefix(name, "sqlite_")
}

// MarkDemo returns where the database stands now, for a demo load about to
// begin.
func (tx *Tx) MarkDemo(ctx context.Context) (DemoMark, error) {
	m := DemoMark{StartedAt: tx.now, Above: map[string]int64{}}
	var err error
	if m.AuditSeq, m.AuditHash, err = tx.AuditHead(ctx); err != nil {
		return m, err
	}
	tables, err := tx.tablesWithID(ctx)
	if err != nil {
		return m, err
	}
	for _, t := range tables {
		var n int64
		if err := tx.get(ctx, "Table "+t.name, "SELECT COUNT(*) FROM (SELECT 1 FROM "+quoteIdent(t.name)+" LIMIT 1) x", nil, &n); err != nil {
			return m, err
		}
		switch {
		case n == 0:
			m.Empty = append(m.Empty, t.name)
		case t.hasID:
			var top int64
			if err := tx.get(ctx, "Table "+t.name, "SELECT COALESCE(MAX(id), 0) FROM "+quoteIdent(t.name), nil, &top); err != nil {
				return m, err
			}
			m.Above[t.name] = top
		}
	}
	return m, nil
}

type tableInfo struct {
	name  string
	hasID bool
}

// tablesWithID lists the tables a demo mark covers, in name order, saying
// which have an id column.
func (tx *Tx) tablesWithID(ctx context.Context) ([]tableInfo, error) {
	q := `SELECT m.name, EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'id')
		FROM sqlite_master m WHERE m.type = 'table' ORDER BY m.name`
	if tx.db.d.engine == Postgres {
		q = `SELECT t.table_name, EXISTS (SELECT 1 FROM information_schema.columns c
			WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'id')
			FROM information_schema.tables t WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
			ORDER BY t.table_name`
	}
	rows, err := tx.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var out []tableInfo
	for rows.Next() {
		var t tableInfo
		if err := rows.Scan(&t.name, &t.hasID); err != nil {
			return nil, err
		}
		if markedTable(t.name) {
			out = append(out, t)
		}
	}
	return out, rows.Err()
}

// CreateDemoRun records that a demo load began at mark m. It returns a
// Conflict error when one is already recorded.
func (tx *Tx) CreateDemoRun(ctx context.Context, m DemoMark) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, "INSERT INTO demo_runs (id, started_at, audit_seq, audit_hash, mark) VALUES (1, ?, ?, ?, ?)",
		ts(m.StartedAt), m.AuditSeq, m.AuditHash, string(b))
	if err != nil {
		return fmt.Errorf("record demo run: %w", err)
	}
	return nil
}

// DemoRun returns the mark of the demo load in progress (or left behind by
// one that crashed). It returns NotFound when there is none.
func (tx *Tx) DemoRun(ctx context.Context) (DemoMark, error) {
	var m DemoMark
	var raw string
	err := tx.get(ctx, "Demo run", "SELECT started_at, audit_seq, audit_hash, mark FROM demo_runs WHERE id = 1", nil,
		instant{&m.StartedAt}, &m.AuditSeq, &m.AuditHash, &raw)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return m, fmt.Errorf("read demo run: %w", err)
	}
	return m, nil
}

// DeleteDemoRun forgets the demo load in progress: it finished.
func (tx *Tx) DeleteDemoRun(ctx context.Context) error {
	_, err := tx.exec(ctx, "DELETE FROM demo_runs WHERE id = 1")
	return err
}

// UndoDemo takes the database back to mark m: it empties the tables that
// were empty, removes the rows above each other table's highest id, cuts
// the audit chain back to m's head and forgets the demo run. Run it in the
// transaction that decides to undo, so that it is all or nothing too.
func (tx *Tx) UndoDemo(ctx context.Context, m DemoMark) error {
	var stmts []string
	for _, t := range m.Empty {
		stmts = append(stmts, "DELETE FROM "+quoteIdent(t))
	}
	for t, top := range m.Above {
		stmts = append(stmts, fmt.Sprintf("DELETE FROM %s WHERE id > %d", quoteIdent(t), top))
	}
	slices.Sort(stmts)
	if err := tx.execAnyOrder(ctx, stmts); err != nil {
		return fmt.Errorf("undo demo: %w", err)
	}
	if _, err := tx.exec(ctx, "DELETE FROM audit_events WHERE seq > ?", m.AuditSeq); err != nil {
		return fmt.Errorf("undo demo audit events: %w", err)
	}
	if _, err := tx.exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", m.AuditSeq, m.AuditHash); err != nil {
		return fmt.Errorf("undo demo audit head: %w", err)
	}
	return tx.DeleteDemoRun(ctx)
}

// execAnyOrder runs deletes whose order foreign keys constrain. SQLite
// checks the keys at commit (defer_foreign_keys); PostgreSQL's keys are not
// deferrable, so a delete that a key refuses is rolled back to a savepoint
// and tried again after the others, until a round makes no progress.
func (tx *Tx) execAnyOrder(ctx context.Context, stmts []string) error {
	if tx.db.d.engine != Postgres {
		if _, err := tx.tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
			return err
		}
		for _, s := range stmts {
			if _, err := tx.tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, interpretError(err))
			}
		}
		return nil
	}
	for len(stmts) > 0 {
		var left []string
		var last error
		for _, s := range stmts {
			if _, err := tx.tx.ExecContext(ctx, "SAVEPOINT demo_undo"); err != nil {
				return err
			}
			if _, err := tx.tx.ExecContext(ctx, s); err != nil {
				if _, rerr := tx.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT demo_undo"); rerr != nil {
					return rerr
				}
				left, last = append(left, s), fmt.Errorf("%s: %w", s, interpretError(err))
				continue
			}
			if _, err := tx.tx.ExecContext(ctx, "RELEASE SAVEPOINT demo_undo"); err != nil {
				return err
			}
		}
		if len(left) == len(stmts) {
			return errs.Errorf(errs.Internal, "The demo could not be taken back: %v", last)
		}
		stmts = left
	}
	return nil
}

// quoteIdent quotes a table name read from the catalog.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
