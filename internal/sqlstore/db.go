package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"accord/internal/errs"
	"accord/internal/pii"
)

// The engines, as DB.Engine reports them.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is an open database: a write pool and a read pool (the same pool on
// PostgreSQL), the PII cipher and the engine's dialect.
type DB struct {
	write  *sql.DB
	read   *sql.DB
	cipher *pii.Cipher
	d      dialect

	// Now returns the current time for created_at and updated_at columns and
	// audit events without one. Tests replace it with a fixed clock.
	Now func() time.Time

	auditKey []byte // HMAC key of the audit chain, kept outside the database; see SetAuditKey

	// Prepared statements per pool (SQLite only); see Tx.stmt. Close waits
	// for statements still being prepared in the background.
	readStmts, writeStmts sync.Map
	stmtCount             atomic.Int64
	prepMu                sync.Mutex
	prepClosed            bool
	preparing             sync.WaitGroup
}

// Open opens the database named by dsn: "sqlite:PATH" for a SQLite file
// (created if missing) or "postgres://…" (or "postgresql://…") for
// PostgreSQL. It checks the connection but does not migrate; call Migrate.
// cipher encrypts personal data and may be nil only for a DB that never
// touches it. It returns an Invalid error for a malformed dsn.
func Open(ctx context.Context, dsn string, cipher *pii.Cipher) (*DB, error) {
	db := &DB{cipher: cipher, Now: time.Now}
	var err error
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		err = db.openSQLite(strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		err = db.openPostgres(dsn)
	default:
		return nil, errs.Errorf(errs.Invalid, "Database %q must start with sqlite: or postgres://.", redact(dsn))
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", db.d.engine, err)
	}
	return db, nil
}

// openSQLite opens two pools on one file. The order of the pragmas matters
// and modernc applies busy_timeout first whatever the order here: without it
// a connection opened while another writes fails at once with SQLITE_BUSY
// instead of waiting. WAL lets readers proceed while the writer writes;
// synchronous=NORMAL is durable across application crashes in WAL mode and
// loses at most the last transactions on power loss; foreign_keys is off by
// default in SQLite and must be set on every connection.
//
// All writes go through one connection (SetMaxOpenConns(1)), so concurrent
// InTx calls queue in Go instead of failing with SQLITE_BUSY, and its
// transactions BEGIN IMMEDIATE (_txlock), taking the write lock at the start
// rather than failing to upgrade a read lock halfway through, which matters
// when another process (the CLI beside the server) writes too. Readers are a
// separate pool marked query_only.
func (db *DB) openSQLite(path string) error {
	if path == "" || strings.Contains(path, "?") {
		return errs.Errorf(errs.Invalid, "sqlite: needs a file path without '?', such as sqlite:./accord.db.")
	}
	if err := prepareSQLiteFile(path); err != nil {
		return err
	}
	common := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_time_format=sqlite"
	// Page caches are small: the writer's 16 MiB, each reader's 4 MiB.
	// Larger ones cost more than they save. A reader's whole cache is
	// dropped whenever it starts a transaction after any commit (WAL mode),
	// and every page of a cache is a separate allocation of the C memory
	// allocator, given back page by page with a system call when the cache
	// is cleared or closed. With the earlier 256 MiB writer and 64 MiB
	// readers the 1M-loan night with 50,000 plans took 31.7–37.9 s and
	// 780–870 MiB; with these 24.8–32.4 s and 242–336 MiB, the nightly
	// scoring used a third less CPU, and the 100,000-borrower demo took
	// 95 s instead of 113–118 s (2026-12-06, docs/BENCHMARKS.md). The
	// operating system's file cache keeps the database's pages either way.
	// (Reading through a memory map, mmap_size, was tried and dropped: it
	// gained nothing measurable, and the mapped pages counted in the
	// process's resident size.)
	w, err := sql.Open("sqlite", path+"?"+common+"&_pragma=cache_size(-16384)&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("open sqlite writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", path+"?"+common+"&_pragma=cache_size(-4096)&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return fmt.Errorf("open sqlite readers: %w", err)
	}
	n := max(4, runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db.write, db.read, db.d = w, r, dialect{engine: SQLite, maxParams: 32766}
	return nil
}

// openPostgres opens one pool; PostgreSQL needs no separate readers.
func (db *DB) openPostgres(dsn string) error {
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return errs.Errorf(errs.Invalid, "Database %q is not a valid PostgreSQL URL.", redact(dsn))
	}
	p.SetMaxOpenConns(32)
	p.SetMaxIdleConns(8)
	p.SetConnMaxIdleTime(5 * time.Minute)
	db.write, db.read, db.d = p, p, dialect{engine: Postgres, maxParams: 65535}
	return nil
}

// redact hides a password in a DSN before it goes into an error message.
func redact(dsn string) string {
	scheme, rest, ok := strings.Cut(dsn, "://")
	at := strings.LastIndex(rest, "@")
	if !ok || at < 0 {
		return dsn
	}
	user, _, _ := strings.Cut(rest[:at], ":")
	return scheme + "://" + user + ":***" + rest[at:]
}

// Engine returns "sqlite" or "postgres".
func (db *DB) Engine() string { return db.d.engine }

// Ping checks that both pools can reach the database.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return err
	}
	return db.read.PingContext(ctx)
}

// Close closes the pools. On SQLite it first checkpoints the WAL into the
// database file, so a copied file is complete.
func (db *DB) Close() error {
	db.prepMu.Lock()
	db.prepClosed = true
	db.prepMu.Unlock()
	db.preparing.Wait()
	var err error
	if db.d.engine == SQLite {
		_, err = db.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		err = errors.Join(err, db.read.Close())
	}
	return errors.Join(err, db.write.Close())
}

// now returns db.Now in UTC, to the microsecond that PostgreSQL keeps.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }
