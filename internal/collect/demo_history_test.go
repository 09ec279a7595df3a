package collect

import (
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// positions lists every loan's stored position, without its date and its
// penalty: a loan can be current (0 DPD, so the nightly run's aging leaves
// it alone) with a penalty that a replay on a later day reads differently,
// so the penalty of such a loan depends on the day it was last aged, in
// production as here.
func positions(t *testing.T, db *sqlstore.DB) []string {
	t.Helper()
	var out []string
	err := db.Read(cwCtx, func(tx *sqlstore.Tx) error {
		rows, err := tx.InspectRows(cwCtx, `SELECT loan_id, dpd, bucket, outstanding_principal_minor, overdue_principal_minor,
			overdue_interest_minor FROM loan_positions ORDER BY loan_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, dpd, op, opr, oi int64
			var bucket string
			if err := rows.Scan(&id, &dpd, &bucket, &op, &opr, &oi); err != nil {
				return err
			}
			out = append(out, fmt.Sprint(id, " ", dpd, " ", bucket, " ", op, " ", opr, " ", oi))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLoadDemo_History: with HistoryDays the demo ages the book day by day
// through the nightly run's aging, leaving a snapshot per day and bucket
// transitions on many days, and ends exactly where loading the book as of
// the date directly ends.
func TestLoadDemo_History(t *testing.T) {
	t.Parallel()
	asOf := date.MustParse("2026-03-01")
	load := func(days int) (*sqlstore.DB, *Service) {
		db := storetest.OpenSQLite(t)
		svc := New(db, Options{Now: func() time.Time { return asOf.Time().Add(20 * time.Hour) }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if _, err := svc.LoadDemo(cwCtx, DemoOptions{Borrowers: 600, Seed: 3, AsOf: asOf, HistoryDays: days}, nil); err != nil {
			t.Fatal(err)
		}
		return db, svc
	}
	hdb, _ := load(14)
	ddb, _ := load(0)

	var snaps []sqlstore.SnapshotRow
	var moves int
	days := map[date.Date]bool{}
	err := hdb.Read(cwCtx, func(tx *sqlstore.Tx) error {
		var err error
		if snaps, err = tx.Snapshots(cwCtx, asOf.AddDays(-14), asOf); err != nil {
			return err
		}
		rows, err := tx.InspectRows(cwCtx, "SELECT on_date FROM bucket_transitions")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d date.Date
			if err := rows.Scan(&d); err != nil {
				return err
			}
			days[d] = true
			moves++
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	snapDays := map[date.Date]bool{}
	for _, r := range snaps {
		snapDays[r.AsOf] = true
	}
	if len(snapDays) != 15 {
		t.Errorf("snapshots on %d days, want 15 (as-of and the 14 before)", len(snapDays))
	}
	if moves == 0 || len(days) < 7 {
		t.Errorf("%d bucket transitions on %d days; want transitions on most of the 14 days", moves, len(days))
	}
	for d := range days {
		if d.Before(asOf.AddDays(-13)) || d.After(asOf) {
			t.Errorf("transition on %s, outside the history", d)
		}
	}
	hp, dp := positions(t, hdb), positions(t, ddb)
	if len(hp) != len(dp) || len(hp) == 0 {
		t.Fatalf("%d positions after the history, %d loaded directly", len(hp), len(dp))
	}
	diff := 0
	for i := range hp {
		if hp[i] != dp[i] {
			if diff < 5 {
				t.Errorf("position after the history %q, loaded directly %q", hp[i], dp[i])
			}
			diff++
		}
	}
	if diff > 0 {
		t.Errorf("%d of %d positions differ", diff, len(hp))
	}
}

func TestLoadDemo_HistoryDaysRange(t *testing.T) {
	t.Parallel()
	svc := New(storetest.OpenSQLite(t), Options{})
	_, err := svc.LoadDemo(cwCtx, DemoOptions{Borrowers: 10, Seed: 1, AsOf: date.MustParse("2026-03-01"), HistoryDays: -1}, nil)
	if errs.CodeOf(err) != errs.Invalid {
		t.Errorf("HistoryDays -1: %v, want Invalid", err)
	}
}
