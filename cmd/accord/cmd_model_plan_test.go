package main

import (
	"fmt"
	"strings"
	"testing"

	"accord/internal/date"
)

// TestModelTrainPlan90: `accord model train --target plan90` trains the
// plan model on the plans in the database (rows are plans, their outcome
// whether they broke within 90 days), another user approves and promotes
// it; on both engines.
func TestModelTrainPlan90(t *testing.T) {
	t.Parallel()
	for _, engine := range e2eEngines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			d := newE2EDB(t, engine)
			d.mustRun(t, "demo", "--borrowers", "300", "--as-of", "2026-03-01", "--history-days", "0")
			if code, _, errOut := d.run(t, "model", "train", "--target", "plan90", "--as", "supervisor", "--as-of", "2026-12-01"); code != 2 ||
				!strings.Contains(errOut, "0 training rows for plan90") {
				t.Errorf("plan90 without plans: exit %d, %q; want 2 saying there are no rows", code, errOut)
			}
			db := d.sqlDB(t)
			rows, err := db.Query("SELECT id, monthly_income_minor FROM borrowers ORDER BY id LIMIT 150")
			if err != nil {
				t.Fatal(err)
			}
			type b struct{ id, income int64 }
			var list []b
			for rows.Next() {
				var x b
				if err := rows.Scan(&x.id, &x.income); err != nil {
					t.Fatal(err)
				}
				list = append(list, x)
			}
			rows.Close()
			first := date.MustParse("2026-04-10")
			for i, x := range list {
				start := first.AddDays(i * 140 / len(list))
				burden := 0.2 + 0.2*float64(i%5)
				amount := int64(burden * float64(max(x.income, 500000)))
				broken := "NULL"
				if (burden > 0.5) != (i%7 == 3) {
					broken = "'" + start.AddDays(20).String() + "'"
				}
				id := 5000 + i
				for _, q := range []string{
					fmt.Sprintf(`INSERT INTO plans (id, borrower_id, agreement_id, status, start_on, financed_minor, grace_days, reset_after,
						revisit_months, revisit_months_good, broken_on, accepted_at, created_at, updated_at)
						VALUES (%d, %d, %d, 'completed', '%s', %d, 5, 3, 3, 6, %s, '2026-04-01T00:00:00Z', '2026-04-01T00:00:00Z', '2026-04-01T00:00:00Z')`,
						id, x.id, id, start, 3*amount, broken),
					fmt.Sprintf(`INSERT INTO plan_installments (borrower_id, plan_id, seq, due_on, amount_minor) VALUES
						(%d, %d, 1, '%s', %d), (%d, %d, 2, '%s', %d), (%d, %d, 3, '%s', %d)`,
						x.id, id, start.AddMonthsClamped(1), amount, x.id, id, start.AddMonthsClamped(2), amount, x.id, id, start.AddMonthsClamped(3), amount),
				} {
					if _, err := db.Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
			}
			out := d.mustRun(t, "model", "train", "--target", "plan90", "--as", "supervisor", "--as-of", "2026-12-01",
				"--snapshots", "5", "--every", "30", "--l2", "1")
			if !strings.Contains(out, "trained plan90 version 1") || !strings.Contains(out, "out of time") {
				t.Fatalf("train printed %q", out)
			}
			d.mustRun(t, "model", "approve", "1", "--as", "admin")
			if out := d.mustRun(t, "model", "promote", "1", "--as", "admin"); !strings.Contains(out, "is now the champion") {
				t.Errorf("promote printed %q", out)
			}
		})
	}
}
