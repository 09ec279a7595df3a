package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// testPlaceholders pins the ? → $n rewrite: out-of-order binding would show
// as values in the wrong columns, and a ? inside a string literal must stay.
func testPlaceholders(t *testing.T, db *sqlstore.DB) {
	q := "SELECT ?, ?, '?', ?"
	want := q
	if db.Engine() == sqlstore.Postgres {
		want = "SELECT $1, $2, '?', $3"
	}
	if got := db.Rebind(q); got != want {
		t.Errorf("Rebind(%q) = %q, want %q", q, got, want)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		var a, b, lit, c string
		if err := tx.Inspect(ctx, "SELECT CAST(? AS TEXT), CAST(? AS TEXT), '?', CAST(? AS TEXT)", "one", "two", "three").
			Scan(&a, &b, &lit, &c); err != nil {
			return err
		}
		if got := strings.Join([]string{a, b, lit, c}, ","); got != "one,two,?,three" {
			t.Errorf("bound values = %s, want one,two,?,three", got)
		}
		return nil
	})
}

func testTxRollbackAndReadOnly(t *testing.T, db *sqlstore.DB) {
	boom := errors.New("boom")
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		b := newBorrower(1)
		if err := tx.CreateBorrower(ctx, &b); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx error = %v, want boom", err)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		_, err := tx.BorrowerByExternalID(ctx, "B-00001")
		wantCode(t, err, errs.NotFound)
		return nil
	})

	func() {
		defer func() {
			if recover() == nil {
				t.Error("InTx swallowed a panic")
			}
		}()
		_ = db.InTx(ctx, func(tx *sqlstore.Tx) error { panic("fn panicked") })
	}()
	// The writer must be usable after a panic rolled back.
	write(t, db, func(tx *sqlstore.Tx) error {
		b := newBorrower(2)
		return tx.CreateBorrower(ctx, &b)
	})

	err = db.Read(ctx, func(tx *sqlstore.Tx) error {
		b := newBorrower(3)
		return tx.CreateBorrower(ctx, &b)
	})
	if err == nil {
		t.Error("a write inside Read succeeded")
	}
}

// testConcurrentWriters checks that parallel write transactions queue
// rather than fail with SQLITE_BUSY or deadlock.
func testConcurrentWriters(t *testing.T, db *sqlstore.DB) {
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
					b := newBorrower(w*100 + i)
					return tx.CreateBorrower(ctx, &b)
				})
				if err != nil {
					errc <- fmt.Errorf("worker %d: %w", w, err)
					return
				}
			}
		}()
	}
	// Readers run alongside.
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if err := db.Read(ctx, func(tx *sqlstore.Tx) error {
					_, _, err := tx.Borrowers(ctx, sqlstore.BorrowerFilter{Limit: 5})
					return err
				}); err != nil {
					errc <- fmt.Errorf("reader: %w", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		_, total, err := tx.Borrowers(ctx, sqlstore.BorrowerFilter{})
		if total != workers*each {
			t.Errorf("borrowers = %d, want %d", total, workers*each)
		}
		return err
	})
}
