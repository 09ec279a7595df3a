package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"accord/internal/errs"
)

// interpretError translates a driver error into an errs code, once, here:
// no rows → NotFound, a unique or primary-key violation → Conflict, a
// foreign-key, not-null or check violation → Invalid. It decides by the
// engine's error code (PostgreSQL's SQLSTATE, SQLite's extended result
// code), never by the message text, which changes between versions and
// languages. Anything else is returned wrapped, and so is Internal.
func interpretError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Errorf(errs.NotFound, "Not found.")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			return errs.Errorf(errs.Conflict, "Already exists.")
		case "23503": // foreign_key_violation
			return errs.Errorf(errs.Invalid, "Refers to a record that does not exist.")
		case "23502", "23514": // not_null_violation, check_violation
			return errs.Errorf(errs.Invalid, "A required value is missing or out of range.")
		}
		return fmt.Errorf("postgres %s: %w", pgErr.Code, err)
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errs.Errorf(errs.Conflict, "Already exists.")
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return errs.Errorf(errs.Invalid, "Refers to a record that does not exist.")
		case sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_CHECK:
			return errs.Errorf(errs.Invalid, "A required value is missing or out of range.")
		}
		return fmt.Errorf("sqlite %d: %w", liteErr.Code(), err)
	}
	return err
}

// notFound returns a NotFound error for what ("Borrower 12").
func notFound(what string) error {
	return errs.Errorf(errs.NotFound, "%s not found.", what)
}

// conflict replaces a Conflict error with one that names what is duplicated
// ("Borrower B-1001 already exists."); other errors pass through.
func conflict(err error, format string, args ...any) error {
	if errs.CodeOf(err) == errs.Conflict {
		return errs.Errorf(errs.Conflict, format, args...)
	}
	return err
}
