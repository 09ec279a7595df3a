// Package sqlstore is the only package in Accord that speaks SQL. One set of
// hand-written queries serves both engines:
//
//   - SQLite (the default, embedded; modernc.org/sqlite, pure Go) for a
//     single node with a few hundred thousand accounts, and
//   - PostgreSQL 15 (pgx through database/sql) for production at scale.
//
// Queries are written once with ? placeholders, next to the method that uses
// them, and rebound to $1, $2 … for PostgreSQL by one function (rebind). The
// few places where the engines truly differ (bulk loading, case-insensitive
// matching) go through the dialect value. The schema lives in two migration
// trees, migrations/sqlite and migrations/postgres, with the same file names.
//
// Every store method lives on *Tx and runs inside DB.InTx (read-write) or
// DB.Read (read-only), so a use case loads, changes and audits in one
// transaction:
//
//	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
//		loan, err := tx.Loan(ctx, id)
//		…
//		return tx.AppendAudit(ctx, event)
//	})
//
// Errors come back as errs codes: NotFound for a missing row, Conflict for a
// duplicate key, Invalid for a reference to a missing row; anything else is
// Internal. Personal data (national ids, phone numbers) is encrypted with a
// pii.Cipher on the way in and decrypted on the way out; a keyed hash finds
// it and a masked copy shows it without decrypting.
//
// Money is stored as integer fen in *_minor columns, calendar dates as date
// (PostgreSQL) or 'YYYY-MM-DD' text (SQLite), instants in UTC with
// microsecond precision (what PostgreSQL keeps), rates as NUMERIC or text.
package sqlstore
