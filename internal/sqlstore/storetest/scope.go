package storetest

import (
	"slices"
	"testing"

	"accord/internal/casework"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// RunScope is the contract suite of the object scope: every list a user
// reads filters by sqlstore.Scope in SQL, and the single-record checks
// agree with the lists, one fresh database per test.
func RunScope(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"Lists", testScopeLists},
		{"SingleRecords", testScopeSingle},
		{"WithOtherFilters", testScopeWithFilters},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// scopeBook is a small book: borrowers placed with agency 7, owned by
// collector 5, waiting in queue "early", placed with agency 7 but closed,
// and without a case; each with a loan and a message.
type scopeBook struct {
	placed, own, queued, closed, none int64 // borrower ids
	cPlaced, cOwn, cQueued, cClosed   int64 // case ids
}

var (
	scopeAgency    = casework.Owner{Kind: casework.ToAgency, ID: 7}
	scopeCollector = casework.Owner{Kind: casework.ToCollector, ID: 5}
)

func newScopeBook(t *testing.T, db *sqlstore.DB) scopeBook {
	t.Helper()
	var ids [5]int64
	for i := range ids {
		ids[i] = mustBorrowerID(t, db, i+1)
		l := newLoan(ids[i], i+1)
		m := newMessage(ids[i], "scope:"+l.ExternalID)
		write(t, db, func(tx *sqlstore.Tx) error {
			if err := tx.CreateLoan(ctx, &l); err != nil {
				return err
			}
			_, err := tx.EnqueueMessage(ctx, &m)
			return err
		})
	}
	bk := scopeBook{placed: ids[0], own: ids[1], queued: ids[2], closed: ids[3], none: ids[4]}
	placed, own, queued, closed := cwNewCase(bk.placed), cwNewCase(bk.own), cwNewCase(bk.queued), cwNewCase(bk.closed)
	placed.Owner, own.Owner, closed.Owner = scopeAgency, scopeCollector, scopeAgency
	closed.Status, closed.ClosedOn, closed.CloseReason = casework.Closed, cwDay, "cured"
	cwInsert(t, db, &placed, &own, &queued, &closed)
	bk.cPlaced, bk.cOwn, bk.cQueued, bk.cClosed = placed.ID, own.ID, queued.ID, closed.ID
	write(t, db, func(tx *sqlstore.Tx) error {
		_, err := tx.InsertTasks(ctx, []sqlstore.Task{
			{CaseID: queued.ID, BorrowerID: bk.queued, Kind: sqlstore.TaskCall, Queue: "early", Priority: 3, DueOn: cwDay, DedupKey: "q", CreatedOn: cwDay},
			// a task for someone else on the placed case does not widen anyone's scope
			{CaseID: placed.ID, BorrowerID: bk.placed, Kind: sqlstore.TaskCall, Queue: "late", Priority: 3, DueOn: cwDay,
				Assignee: casework.Owner{Kind: casework.ToCollector, ID: 99}, DedupKey: "p", CreatedOn: cwDay},
		})
		return err
	})
	return bk
}

// scopeCases are the scopes under test with the borrowers and cases each
// reaches.
func (bk scopeBook) scopeCases() []struct {
	name      string
	scope     sqlstore.Scope
	borrowers []int64
	cases     []int64
} {
	return []struct {
		name      string
		scope     sqlstore.Scope
		borrowers []int64
		cases     []int64
	}{
		{"all", sqlstore.ScopeAll, []int64{bk.placed, bk.own, bk.queued, bk.closed, bk.none},
			[]int64{bk.cPlaced, bk.cOwn, bk.cQueued, bk.cClosed}},
		{"agency", sqlstore.Scope{Owner: scopeAgency}, []int64{bk.placed}, []int64{bk.cPlaced, bk.cClosed}},
		{"other agency", sqlstore.Scope{Owner: casework.Owner{Kind: casework.ToAgency, ID: 8}}, nil, nil},
		{"collector", sqlstore.Scope{Owner: scopeCollector}, []int64{bk.own}, []int64{bk.cOwn}},
		{"collector with queue", sqlstore.Scope{Owner: scopeCollector, Queues: []string{"early", "late"}},
			[]int64{bk.own, bk.queued}, []int64{bk.cOwn, bk.cQueued}},
		{"assignee of a task", sqlstore.Scope{Owner: casework.Owner{Kind: casework.ToCollector, ID: 99}},
			[]int64{bk.placed}, []int64{bk.cPlaced}},
		{"nothing", sqlstore.Scope{}, nil, nil},
	}
}

func sorted(ids []int64) []int64 {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

func testScopeLists(t *testing.T, db *sqlstore.DB) {
	bk := newScopeBook(t, db)
	for _, sc := range bk.scopeCases() {
		read(t, db, func(tx *sqlstore.Tx) error {
			bs, total, err := tx.Borrowers(ctx, sqlstore.BorrowerFilter{Scope: &sc.scope, Masked: true})
			got := []int64{}
			for _, b := range bs {
				got = append(got, b.ID)
			}
			if err != nil || total != len(sc.borrowers) || !slices.Equal(sorted(got), sorted(sc.borrowers)) {
				t.Errorf("%s: Borrowers = %v (total %d), %v; want %v", sc.name, got, total, err, sc.borrowers)
			}
			loans, total, err := tx.Loans(ctx, sqlstore.LoanFilter{Scope: &sc.scope})
			got = []int64{}
			for _, l := range loans {
				got = append(got, l.Loan.BorrowerID)
			}
			if err != nil || total != len(sc.borrowers) || !slices.Equal(sorted(got), sorted(sc.borrowers)) {
				t.Errorf("%s: Loans of borrowers %v (total %d), %v; want %v", sc.name, got, total, err, sc.borrowers)
			}
			msgs, total, err := tx.Messages(ctx, sqlstore.MessageFilter{Scope: &sc.scope})
			got = []int64{}
			for _, m := range msgs {
				got = append(got, m.BorrowerID)
			}
			if err != nil || total != len(sc.borrowers) || !slices.Equal(sorted(got), sorted(sc.borrowers)) {
				t.Errorf("%s: Messages to borrowers %v (total %d), %v; want %v", sc.name, got, total, err, sc.borrowers)
			}
			cases, total, err := tx.Cases(ctx, sqlstore.CaseFilter{Scope: &sc.scope})
			got = []int64{}
			for _, c := range cases {
				got = append(got, c.ID)
			}
			if err != nil || total != len(sc.cases) || !slices.Equal(sorted(got), sorted(sc.cases)) {
				t.Errorf("%s: Cases = %v (total %d), %v; want %v", sc.name, got, total, err, sc.cases)
			}
			return nil
		})
	}
	// A nil Scope is every record (the nightly run, the CLI).
	read(t, db, func(tx *sqlstore.Tx) error {
		if _, total, err := tx.Borrowers(ctx, sqlstore.BorrowerFilter{}); err != nil || total != 5 {
			t.Errorf("Borrowers without a scope: total %d, %v; want 5", total, err)
		}
		return nil
	})
}

func testScopeSingle(t *testing.T, db *sqlstore.DB) {
	bk := newScopeBook(t, db)
	all := []int64{bk.placed, bk.own, bk.queued, bk.closed, bk.none}
	allCases := []int64{bk.cPlaced, bk.cOwn, bk.cQueued, bk.cClosed}
	for _, sc := range bk.scopeCases() {
		read(t, db, func(tx *sqlstore.Tx) error {
			for _, id := range all {
				in, err := tx.BorrowerInScope(ctx, sc.scope, id)
				if err != nil || in != slices.Contains(sc.borrowers, id) {
					t.Errorf("%s: BorrowerInScope(%d) = %v, %v", sc.name, id, in, err)
				}
			}
			for _, id := range allCases {
				in, err := tx.CaseInScope(ctx, sc.scope, id)
				if err != nil || in != slices.Contains(sc.cases, id) {
					t.Errorf("%s: CaseInScope(%d) = %v, %v", sc.name, id, in, err)
				}
			}
			// Records that do not exist are out of every scope, wide or not.
			if in, err := tx.BorrowerInScope(ctx, sc.scope, 1_000_000); in || err != nil {
				t.Errorf("%s: BorrowerInScope(unknown) = %v, %v", sc.name, in, err)
			}
			if in, err := tx.CaseInScope(ctx, sc.scope, 1_000_000); in || err != nil {
				t.Errorf("%s: CaseInScope(unknown) = %v, %v", sc.name, in, err)
			}
			return nil
		})
	}
}

// testScopeWithFilters checks that the scope narrows other filters and
// never widens them: a borrower id outside the scope selects nothing.
func testScopeWithFilters(t *testing.T, db *sqlstore.DB) {
	bk := newScopeBook(t, db)
	agency := sqlstore.Scope{Owner: scopeAgency}
	read(t, db, func(tx *sqlstore.Tx) error {
		if _, total, err := tx.Loans(ctx, sqlstore.LoanFilter{BorrowerID: &bk.own, Scope: &agency}); err != nil || total != 0 {
			t.Errorf("agency loans of the collector's borrower: total %d, %v; want 0", total, err)
		}
		if _, total, err := tx.Loans(ctx, sqlstore.LoanFilter{BorrowerID: &bk.placed, Scope: &agency}); err != nil || total != 1 {
			t.Errorf("agency loans of its placement: total %d, %v; want 1", total, err)
		}
		if _, total, err := tx.Messages(ctx, sqlstore.MessageFilter{BorrowerID: &bk.none, Scope: &agency}); err != nil || total != 0 {
			t.Errorf("agency messages to an unplaced borrower: total %d, %v; want 0", total, err)
		}
		phone := newBorrower(2).Phones[0].Number // the collector's borrower, found by phone
		if _, total, err := tx.Borrowers(ctx, sqlstore.BorrowerFilter{Phone: &phone, Scope: &agency}); err != nil || total != 0 {
			t.Errorf("agency search by another borrower's phone: total %d, %v; want 0", total, err)
		}
		open := casework.Open
		if list, _, err := tx.Cases(ctx, sqlstore.CaseFilter{Status: &open, Scope: &agency}); err != nil || len(list) != 1 || list[0].ID != bk.cPlaced {
			t.Errorf("agency open cases = %v, %v; want [%d]", list, err, bk.cPlaced)
		}
		st := outbox.Queued
		if _, _, err := tx.Messages(ctx, sqlstore.MessageFilter{Status: &st, Scope: &sqlstore.Scope{Owner: scopeCollector, Queues: []string{"early"}}}); err != nil {
			t.Errorf("messages with status and scope: %v", err)
		}
		return nil
	})
}
