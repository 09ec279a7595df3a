package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Tx is a transaction; every store method is a method of Tx. A Tx from Read
// refuses writes.
type Tx struct {
	tx   *sql.Tx
	conn *sql.Conn // the connection under tx, for PostgreSQL's COPY; nil on SQLite
	db   *DB
	now  time.Time // one timestamp for everything the transaction writes

	readOnly bool // from Read, on the reader pool
}

// InTx runs fn in a read-write transaction and commits it if fn returns nil;
// otherwise (or if fn panics) it rolls back and returns fn's error.
//
// On SQLite, write transactions run one at a time on the single writer
// connection, so fn must not call InTx again (it would wait for itself);
// reading through Read inside fn is fine.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) error {
	if db.d.engine == Postgres {
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return fmt.Errorf("begin: %w", interpretError(err))
		}
		defer conn.Close()
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("begin: %w", interpretError(err))
		}
		return db.run(&Tx{tx: tx, conn: conn, db: db, now: db.now()}, fn)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", interpretError(err))
	}
	return db.run(&Tx{tx: tx, db: db, now: db.now()}, fn)
}

// Read runs fn in a read-only transaction on the reader pool. Everything fn
// reads comes from one snapshot of the database (REPEATABLE READ on
// PostgreSQL; a WAL read transaction on SQLite).
func (db *DB) Read(ctx context.Context, fn func(*Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.d.engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin read: %w", interpretError(err))
	}
	return db.run(&Tx{tx: tx, db: db, now: db.now(), readOnly: true}, fn)
}

func (db *DB) run(tx *Tx, fn func(*Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			_ = tx.tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		if rbErr := tx.tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := tx.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", interpretError(err))
	}
	return nil
}

// Engine returns "sqlite" or "postgres".
func (tx *Tx) Engine() string { return tx.db.d.engine }

// Now returns the time the transaction began (UTC, microseconds), which the
// store writes into created_at and updated_at.
func (tx *Tx) Now() time.Time { return tx.now }

// exec runs a statement written with ? placeholders.
func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := tx.stmt(ctx, query); st != nil {
		res, err := st.ExecContext(ctx, args...)
		return res, interpretError(err)
	}
	res, err := tx.tx.ExecContext(ctx, tx.db.d.rebind(query), args...)
	return res, interpretError(err)
}

// query runs a query written with ? placeholders.
func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.stmt(ctx, query); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, interpretError(err)
	}
	rows, err := tx.tx.QueryContext(ctx, tx.db.d.rebind(query), args...)
	return rows, interpretError(err)
}

// stmt returns query prepared on the transaction's connection, from a
// cache of statements per pool, or nil when the statement is not cached
// yet (or at all: PostgreSQL's pgx driver caches statements itself).
// Parsing the SQL of every query costs SQLite about a fifth of the CPU of a
// typical API read; a prepared statement is parsed once per connection.
//
// A miss prepares the statement in the background: preparing on the pool
// needs a free connection, and the transaction holds one (on the writer
// pool, the only one), so waiting for it here could deadlock.
func (tx *Tx) stmt(ctx context.Context, query string) *sql.Stmt {
	if tx.db.d.engine != SQLite {
		return nil
	}
	cache, pool := &tx.db.readStmts, tx.db.read
	if !tx.readOnly {
		cache, pool = &tx.db.writeStmts, tx.db.write
	}
	if v, ok := cache.Load(query); ok {
		if st, ok := v.(*sql.Stmt); ok {
			return tx.tx.StmtContext(ctx, st)
		}
		return nil // being prepared
	}
	if tx.db.stmtCount.Add(1) > maxCachedStmts {
		return nil
	}
	if _, loaded := cache.LoadOrStore(query, pendingStmt{}); loaded {
		return nil
	}
	tx.db.prepMu.Lock()
	defer tx.db.prepMu.Unlock()
	if tx.db.prepClosed {
		cache.Delete(query)
		return nil
	}
	tx.db.preparing.Add(1)
	go func() {
		defer tx.db.preparing.Done()
		pctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		st, err := pool.PrepareContext(pctx, query)
		if err != nil {
			cache.Delete(query)
			return
		}
		cache.Store(query, st)
	}()
	return nil
}

type pendingStmt struct{}

// maxCachedStmts bounds the statement cache: queries built with a varying
// number of placeholders (multi-row inserts, IN lists) could otherwise grow
// it without end.
const maxCachedStmts = 512

// get runs a query expected to return one row and scans it into dest. It
// returns a NotFound error naming what when there is no row.
func (tx *Tx) get(ctx context.Context, what string, query string, args []any, dest ...any) error {
	var row *sql.Row
	if st := tx.stmt(ctx, query); st != nil {
		row = st.QueryRowContext(ctx, args...)
	} else {
		row = tx.tx.QueryRowContext(ctx, tx.db.d.rebind(query), args...)
	}
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what)
	}
	return interpretError(err)
}

// affected returns a NotFound error naming what when res changed no row.
func affected(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return interpretError(err)
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}

// Inspect runs a query written with ? placeholders and returns its one row
// unscanned. It exists for the contract tests, which check what is really
// stored (ciphertext, not phone numbers) and how placeholders bind;
// application code uses the store methods instead.
func (tx *Tx) Inspect(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.db.d.rebind(query), args...)
}

// Rebind returns query with its ? placeholders as the engine expects them:
// unchanged on SQLite, $1, $2 … on PostgreSQL.
func (db *DB) Rebind(query string) string { return db.d.rebind(query) }
