package fieldwork_test

import (
	"database/sql"
	"errors"
	"testing"

	"accord/internal/fieldwork"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// failInserts makes every insert into table fail until the returned func
// is called: a stand-in for a crash or a lost connection half-way through
// a use case.
func failInserts(t *testing.T, e *env, table string) (restore func()) {
	t.Helper()
	stmts, undo := []string{"CREATE TRIGGER test_fail_insert BEFORE INSERT ON " + table +
		" BEGIN SELECT RAISE(ABORT, 'injected failure'); END"}, []string{"DROP TRIGGER test_fail_insert"}
	if e.db.Engine() == "postgres" {
		stmts = []string{"CREATE FUNCTION test_fail_insert() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RAISE EXCEPTION 'injected failure'; END $f$",
			"CREATE TRIGGER test_fail_insert BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION test_fail_insert()"}
		undo = []string{"DROP TRIGGER test_fail_insert ON " + table, "DROP FUNCTION test_fail_insert()"}
	}
	exec := func(list []string) {
		e.write(t, func(tx *sqlstore.Tx) error {
			for _, q := range list {
				if err := tx.Inspect(ctx, q).Scan(); err != nil && !errors.Is(err, sql.ErrNoRows) {
					return err
				}
			}
			return nil
		})
	}
	exec(stmts)
	return func() { exec(undo) }
}

// TestRecordOutcome_RetryMakesOnePromise: when recording a promise outcome
// fails after the promise would have been made, nothing is kept, and the
// retry makes exactly one promise record; so does a negotiation outcome
// with its round.
func TestRecordOutcome_RetryMakesOnePromise(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 400)
		cs := e.eligibleCases(t, 2)
		v1, v2 := approvedNoticed(t, e, cs[0]), approvedNoticed(t, e, cs[1])
		savePair(t, e, "东区一组", "fa1", "fa2", "REC-7", v1)
		day := start.AddDays(2)
		e.at(start.AddDays(1), "17:00")
		if _, err := e.fw.PlanDay(ctx, e.as("supervisor"), day); err != nil {
			t.Fatalf("PlanDay: %v", err)
		}
		fa1 := e.as("fa1")
		for _, id := range []int64{v1.ID, v2.ID} {
			page, err := e.fw.Visit(ctx, fa1, id)
			if err != nil {
				t.Fatal(err)
			}
			e.set(page.Visit.PlannedStart)
			if _, err := e.fw.CheckIn(ctx, fa1, id, fieldwork.CheckInRequest{Lat: page.Visit.Lat, Lon: page.Visit.Lon, Partner: "fa2",
				RecordingDevice: "REC-7"}); err != nil {
				t.Fatalf("CheckIn(%d): %v", id, err)
			}
		}
		outcomes := []struct {
			v     sqlstore.Visit
			o     fieldwork.NewOutcome
			count string
		}{
			{v1, fieldwork.NewOutcome{Kind: visit.Promise, Note: "下周还款", Amount: money.Yuan(1000), PromiseDate: day.AddDays(7)},
				"SELECT COUNT(*) FROM promises WHERE case_id = ? AND channel = 'visit'"},
			{v2, fieldwork.NewOutcome{Kind: visit.Negotiation, Note: "希望分期"},
				"SELECT COUNT(*) FROM negotiation_rounds WHERE case_id = ?"},
		}
		for _, tc := range outcomes {
			restore := failInserts(t, e, "visit_entries")
			if _, err := e.fw.RecordOutcome(ctx, fa1, tc.v.ID, tc.o); err == nil {
				t.Fatalf("%s: RecordOutcome succeeded with the entry insert failing", tc.o.Kind)
			}
			restore()
			if n := e.count(t, tc.count, tc.v.CaseID); n != 0 {
				t.Errorf("%s: %d records kept from the failed attempt, want 0", tc.o.Kind, n)
			}
			out, err := e.fw.RecordOutcome(ctx, fa1, tc.v.ID, tc.o)
			if err != nil {
				t.Fatalf("%s: retry: %v", tc.o.Kind, err)
			}
			if n := e.count(t, tc.count, tc.v.CaseID); n != 1 || (out.PromiseID == 0 && out.RoundID == 0) {
				t.Errorf("%s: %d records after the retry (result %+v), want 1", tc.o.Kind, n, out)
			}
			if _, err := e.fw.RecordOutcome(ctx, fa1, tc.v.ID, tc.o); err == nil {
				t.Errorf("%s: a second submission of a done visit was taken", tc.o.Kind)
			}
			if n := e.count(t, tc.count, tc.v.CaseID); n != 1 {
				t.Errorf("%s: %d records after a second submission, want 1", tc.o.Kind, n)
			}
		}
	})
}
