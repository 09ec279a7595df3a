package collect

import (
	"fmt"
	"testing"
	"time"

	"accord/internal/casework"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// tableCounts counts the rows the casework step writes.
func (e *cwEnv) tableCounts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"cases", "case_loans", "case_events", "tasks", "case_payments", "experiment_cases"} {
		out[table] = e.count(t, "SELECT COUNT(*) FROM "+table)
	}
	out["messages"] = e.count(t, "SELECT COUNT(*) FROM messages WHERE dedup_key LIKE 'case:%'")
	return out
}

// TestRunCycle_Casework is the end-to-end run of issue 3 on both engines:
// demo → run → run again (nothing new) → the next night → simulate.
func TestRunCycle_Casework(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 400)
		first := e.run(t, cwStart)
		if first.CasesOpened == 0 || first.CasesOpen != first.CasesOpened || first.TasksCreated == 0 || first.MessagesQueued == 0 ||
			first.CasesAssigned == 0 {
			t.Fatalf("first run: %+v", first)
		}
		tiers, segments := 0, 0
		for _, n := range first.ByTier {
			tiers += n
		}
		for _, n := range first.BySegment {
			segments += n
		}
		if tiers != first.CasesOpen || segments != first.CasesOpen {
			t.Errorf("by_tier sums to %d and by_segment to %d, want %d", tiers, segments, first.CasesOpen)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM cases WHERE status = ?", string(casework.Open)); n != first.CasesOpen {
			t.Errorf("open cases in the database = %d, summary says %d", n, first.CasesOpen)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind = 'classified')"); n != 0 {
			t.Errorf("%d cases without a classified event", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM case_events WHERE kind = 'assigned'"); n != first.CasesAssigned {
			t.Errorf("assigned events = %d, summary says %d", n, first.CasesAssigned)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM messages WHERE dedup_key LIKE 'case:%'"); n != first.MessagesQueued {
			t.Errorf("messages = %d, summary says %d", n, first.MessagesQueued)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'case.cycle'"); n == 0 {
			t.Error("no case.cycle audit event")
		}
		before := e.tableCounts(t)

		// An hour later: a case written again would show it in updated_at.
		e.mu.Lock()
		e.late += time.Hour
		e.mu.Unlock()
		again := e.run(t, cwStart)
		if again.CasesOpened != 0 || again.TasksCreated != 0 || again.MessagesQueued != 0 || again.CasesClosed != 0 ||
			again.CasesAssigned != 0 || again.CasesOpen != first.CasesOpen {
			t.Errorf("second run of the same date: %+v", again)
		}
		if after := e.tableCounts(t); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("second run changed row counts:\nbefore %v\nafter  %v", before, after)
		}

		if n := e.count(t, "SELECT COUNT(*) FROM cases WHERE updated_at <> created_at"); n != 0 {
			t.Errorf("second run of the same date wrote %d unchanged cases again", n)
		}

		next := e.run(t, cwStart.AddDays(1))
		if next.CasesOpen < first.CasesOpen {
			t.Errorf("next night: %+v", next)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM cases WHERE updated_at <> created_at"); n == 0 {
			t.Error("the next night wrote no case (their DPD grew)")
		}

		sum, err := e.svc.Simulate(cwCtx, SimulateOptions{From: cwStart.AddDays(2), Days: 5}, nil)
		if err != nil {
			t.Fatalf("Simulate: %v", err)
		}
		if sum.Behaviours != "demo" || sum.Calls == 0 || sum.Payments == 0 || sum.Comparison.Champion.Cases == 0 {
			t.Errorf("simulation summary: %+v", sum)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM cases WHERE status = 'closed'"); n == 0 {
			t.Error("five simulated days closed no case")
		}
	})
}

// TestRunCycle_CrashThenRerun stops a night halfway (a chunk fails to
// write) and runs it again: the end state is the same as a night that ran
// through, case for case, task for task, message for message.
func TestRunCycle_CrashThenRerun(t *testing.T) {
	t.Parallel()
	smooth := newCW(t, storetestOpen(t), 300)
	crashed := newCW(t, storetestOpen(t), 300)
	cfg := DefaultCycleConfig()
	cfg.ChunkBorrowers = 5
	if _, err := smooth.svc.RunCycleWith(cwCtx, cwStart, cfg, nil); err != nil {
		t.Fatal(err)
	}
	half := smooth.count(t, "SELECT COUNT(*) FROM cases") / 2
	mid := smooth.count(t, "SELECT borrower_id FROM cases ORDER BY borrower_id LIMIT 1 OFFSET ?", half)
	boom := fmt.Sprintf(`CREATE TRIGGER boom BEFORE INSERT ON case_events WHEN NEW.borrower_id > %d
		BEGIN SELECT RAISE(ABORT, 'power cut'); END`, mid)
	if err := crashed.db.InTx(cwCtx, func(tx *sqlstore.Tx) error { return tx.Inspect(cwCtx, boom).Err() }); err != nil {
		t.Fatal(err)
	}
	if _, err := crashed.svc.RunCycleWith(cwCtx, cwStart, cfg, nil); err == nil {
		t.Fatal("the run went through the failing chunk")
	} else {
		t.Logf("the night failed as planned: %v", err)
	}
	if n := crashed.count(t, "SELECT COUNT(*) FROM cases"); n == 0 {
		t.Fatal("no chunk committed before the crash")
	}
	if err := crashed.db.InTx(cwCtx, func(tx *sqlstore.Tx) error { return tx.Inspect(cwCtx, "DROP TRIGGER boom").Err() }); err != nil {
		t.Fatal(err)
	}
	if _, err := crashed.svc.RunCycleWith(cwCtx, cwStart, cfg, nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SELECT id, borrower_id, status, bucket, dpd, tier, segment, overdue_minor, ev_minor, rule, queue, owner_kind, owner_id FROM cases ORDER BY id",
		"SELECT case_id, loan_id FROM case_loans ORDER BY case_id, loan_id",
		"SELECT case_id, kind, code, zh, dedup_key FROM case_events ORDER BY dedup_key",
		"SELECT case_id, kind, queue, status, assignee_kind, assignee_id, dedup_key FROM tasks ORDER BY dedup_key",
		"SELECT case_id, template_id, body, dedup_key FROM messages ORDER BY dedup_key",
	} {
		if a, b := dump(t, smooth, q), dump(t, crashed, q); a != b {
			t.Errorf("%s differs after the crash and re-run:\nsmooth  %.300s\ncrashed %.300s", q, a, b)
		}
	}
}

// storetestOpen opens a fresh SQLite database (the crash test uses a
// SQLite trigger to fail a chunk).
func storetestOpen(t *testing.T) *sqlstore.DB {
	t.Helper()
	return storetest.OpenSQLite(t)
}

// dump renders every row of query as text.
func dump(t *testing.T, e *cwEnv, query string) string {
	t.Helper()
	var out []byte
	e.read(t, func(tx *sqlstore.Tx) error {
		rows, err := tx.InspectRows(cwCtx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			out = fmt.Appendf(out, "%v\n", vals)
		}
		return rows.Err()
	})
	return string(out)
}
