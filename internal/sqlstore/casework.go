package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"accord/internal/casework"
	"accord/internal/classify"
	"accord/internal/date"
	"accord/internal/money"
)

// Case is a casework case as stored: its life (status, dates), what the
// nightly run derived for it (bucket, tier, segment, amounts,
// expected value, the strategy rule that decided its treatment), its owner,
// and the counters the console and the strategy read (contacts, promises).
// LoanIDs come from case_loans.
type Case struct {
	ID            int64                `json:"id"`
	BorrowerID    int64                `json:"borrower_id"`
	Status        casework.Status      `json:"status"`
	CloseReason   casework.CloseReason `json:"close_reason,omitempty"`
	OpenedOn      date.Date            `json:"opened_on"`
	ClosedOn      date.Date            `json:"closed_on,omitzero"`
	Bucket        string               `json:"bucket"`
	BucketRank    int                  `json:"bucket_rank"`
	MaxBucketRank int                  `json:"max_bucket_rank"`
	DPD           int                  `json:"dpd"`
	Tier          classify.Tier        `json:"tier"`
	Segment       classify.Segment     `json:"segment"`
	Reasons       []classify.Reason    `json:"reasons,omitempty"` // not stored: filled when a case is shown
	Overdue       money.Amount         `json:"overdue"`
	Balance       money.Amount         `json:"balance"`
	Paid30d       money.Amount         `json:"paid_30d"`
	Recovered     money.Amount         `json:"recovered"` // paid on the case's loans since it opened
	Cost          money.Amount         `json:"cost"`      // messages, calls, visits, commission spent on it
	EV            money.Amount         `json:"ev"`        // expected value of working it today
	StrategyID    int64                `json:"strategy_id"`
	ExperimentID  int64                `json:"experiment_id,omitempty"`
	Arm           string               `json:"arm,omitempty"`
	Rule          string               `json:"rule"`
	RuleSince     date.Date            `json:"rule_since,omitzero"`
	Queue         string               `json:"queue"`

	Owner      casework.Owner `json:"owner"`
	OwnerSince date.Date      `json:"owner_since,omitzero"`
	PlacedOn   date.Date      `json:"placed_on,omitzero"`
	RecallOn   date.Date      `json:"recall_on,omitzero"`
	Locked     bool           `json:"locked"`

	LastContactAt   time.Time    `json:"last_contact_at,omitzero"`
	LastConnectedOn date.Date    `json:"last_connected_on,omitzero"`
	LastProgressOn  date.Date    `json:"last_progress_on,omitzero"`
	Attempts        int          `json:"attempts"`
	Connected       int          `json:"connected"`
	Attempts7d      int          `json:"attempts_7d"`
	Connected7d     int          `json:"connected_7d"`
	PromisesKept    int          `json:"promises_kept"`
	PromisesBroken  int          `json:"promises_broken"`
	PromiseMadeOn   date.Date    `json:"promise_made_on,omitzero"`
	PromiseDue      date.Date    `json:"promise_due,omitzero"` // zero when no promise is open
	PromiseAmount   money.Amount `json:"promise_amount"`
	PromiseBrokenOn date.Date    `json:"promise_broken_on,omitzero"` // the last day a promise was judged broken or partly kept
	Hardship        string       `json:"hardship,omitempty"`

	Flags    []string  `json:"flags"`
	Language string    `json:"language"`
	Region   string    `json:"region"`
	Products []string  `json:"products"`
	Loans    int       `json:"loans"` // delinquent loans
	HasPhone bool      `json:"has_phone"`
	WorkedOn date.Date `json:"worked_on,omitzero"` // last day a collector opened it from the queue or logged work

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	LoanIDs   []int64   `json:"loan_ids"`
}

// caseCols lists every column of cases in table order; caseDest and
// caseArgs follow it.
const caseCols = `id, borrower_id, status, close_reason, opened_on, closed_on, bucket, bucket_rank, max_bucket_rank, dpd,
	tier, segment, overdue_minor, balance_minor, paid_30d_minor, recovered_minor, cost_minor, ev_minor, strategy_id,
	experiment_id, arm, rule, rule_since, queue, owner_kind, owner_id, owner_since, placed_on, recall_on, locked,
	last_contact_at, last_connected_on, last_progress_on, attempts, connected, attempts_7d, connected_7d, promises_kept,
	promises_broken, promise_made_on, promise_due, promise_amount_minor, hardship, flags, language, region, products, loans,
	has_phone, worked_on, promise_broken_on, created_at, updated_at`

const caseColCount = 53

// insertCaseCols are caseCols without the id, which the database assigns.
var insertCaseCols = strings.TrimPrefix(caseCols, "id, ")

// caseRow holds the JSON columns of a case while it is scanned.
type caseRow struct {
	c                       *Case
	flags, products, ownerK string
}

func (r *caseRow) dest() []any {
	c := r.c
	return []any{num(&c.ID), num(&c.BorrowerID), &c.Status, &c.CloseReason, &c.OpenedOn, &c.ClosedOn, &c.Bucket,
		num(&c.BucketRank), num(&c.MaxBucketRank), num(&c.DPD), &c.Tier, &c.Segment, num(&c.Overdue),
		num(&c.Balance), num(&c.Paid30d), num(&c.Recovered), num(&c.Cost), num(&c.EV), num(&c.StrategyID),
		num(&c.ExperimentID), &c.Arm, &c.Rule, &c.RuleSince, &c.Queue, &r.ownerK, num(&c.Owner.ID), &c.OwnerSince,
		&c.PlacedOn, &c.RecallOn, &c.Locked, instant{&c.LastContactAt}, &c.LastConnectedOn, &c.LastProgressOn,
		num(&c.Attempts), num(&c.Connected), num(&c.Attempts7d), num(&c.Connected7d), num(&c.PromisesKept),
		num(&c.PromisesBroken), &c.PromiseMadeOn, &c.PromiseDue, num(&c.PromiseAmount), &c.Hardship, &r.flags,
		&c.Language, &c.Region, &r.products, num(&c.Loans), &c.HasPhone, &c.WorkedOn, &c.PromiseBrokenOn, instant{&c.CreatedAt},
		instant{&c.UpdatedAt}}
}

func (r *caseRow) finish() error {
	c := r.c
	c.Owner.Kind = casework.OwnerKind(r.ownerK)
	if r.flags != "[]" {
		if err := fromJSON(r.flags, &c.Flags); err != nil {
			return err
		}
	}
	if r.products == "[]" {
		return nil
	}
	return fromJSON(r.products, &c.Products)
}

func scanCase(scan func(...any) error) (Case, error) {
	var c Case
	r := caseRow{c: &c}
	if err := scan(r.dest()...); err != nil {
		return c, err
	}
	return c, r.finish()
}

// caseArgs appends c's columns in caseCols order, or in insertCaseCols
// order (without the id) when c.ID is 0.
func caseArgs(a []any, c *Case) ([]any, error) {
	flags, err := toJSON(c.Flags)
	if err != nil {
		return nil, err
	}
	products, err := toJSON(c.Products)
	if err != nil {
		return nil, err
	}
	if c.ID != 0 {
		a = append(a, c.ID)
	}
	created := c.CreatedAt
	if created.IsZero() {
		created = c.UpdatedAt
	}
	return append(a, c.BorrowerID, string(c.Status), string(c.CloseReason), c.OpenedOn, c.ClosedOn, c.Bucket,
		c.BucketRank, c.MaxBucketRank, c.DPD, string(c.Tier), string(c.Segment), int64(c.Overdue),
		int64(c.Balance), int64(c.Paid30d), int64(c.Recovered), int64(c.Cost), int64(c.EV), c.StrategyID, c.ExperimentID,
		c.Arm, c.Rule, c.RuleSince, c.Queue, string(c.Owner.Kind), c.Owner.ID, c.OwnerSince, c.PlacedOn, c.RecallOn,
		c.Locked, ts(c.LastContactAt), c.LastConnectedOn, c.LastProgressOn, c.Attempts, c.Connected, c.Attempts7d,
		c.Connected7d, c.PromisesKept, c.PromisesBroken, c.PromiseMadeOn, c.PromiseDue, int64(c.PromiseAmount),
		c.Hardship, flags, c.Language, c.Region, products, c.Loans, c.HasPhone, c.WorkedOn, c.PromiseBrokenOn, ts(created),
		ts(c.UpdatedAt)), nil
}

// Case returns case id with its loan ids. It returns a NotFound error if
// there is none.
func (tx *Tx) Case(ctx context.Context, id int64) (Case, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+caseCols+" FROM cases WHERE id = ?"), id)
	c, err := scanCase(row.Scan)
	if err != nil {
		return c, noRow(err, fmt.Sprintf("Case %d", id))
	}
	loans, err := tx.caseLoanIDs(ctx, []int64{id})
	c.LoanIDs = loans[id]
	return c, err
}

// caseLoanIDs returns the loan ids of each case in ids, ascending.
func (tx *Tx) caseLoanIDs(ctx context.Context, ids []int64) (map[int64][]int64, error) {
	out := make(map[int64][]int64, len(ids))
	for start := 0; start < len(ids); start += 1000 {
		part := ids[start:min(start+1000, len(ids))]
		rows, err := tx.query(ctx, "SELECT case_id, loan_id FROM case_loans WHERE case_id IN ("+placeholders(len(part))+
			") ORDER BY case_id, loan_id", int64Args(part)...)
		if err != nil {
			return nil, fmt.Errorf("load case loans: %w", err)
		}
		for rows.Next() {
			var c, l int64
			if err := rows.Scan(num(&c), num(&l)); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan case loan: %w", err)
			}
			out[c] = append(out[c], l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
	}
	return out, nil
}

// CaseFilter selects cases. Pointer fields filter only when set (nil means
// any): the ardanlabs convention, so that "status = open" and "status not
// given" are different.
type CaseFilter struct {
	Status     *casework.Status
	BorrowerID *int64
	Owner      *casework.Owner // the zero Owner selects unassigned cases
	TeamID     *int64          // cases owned by the team's collectors
	Bucket     *string
	Tier       *classify.Tier
	Segment    *classify.Segment
	Queue      *string
	IDs        []int64
	Scope      *Scope // only cases in this scope (nil: every case)

	// OrderByEV orders by expected value, highest first (a work queue);
	// otherwise by id, newest first.
	OrderByEV     bool
	Limit, Offset int
}

func (f CaseFilter) where() *where {
	w := &where{}
	if f.Status != nil {
		w.add("c.status = ?", string(*f.Status))
	}
	if f.BorrowerID != nil {
		w.add("c.borrower_id = ?", *f.BorrowerID)
	}
	if f.Owner != nil {
		w.add("c.owner_id = ? AND c.owner_kind = ?", f.Owner.ID, string(f.Owner.Kind))
	}
	if f.TeamID != nil {
		w.add("c.owner_kind = 'collector' AND c.owner_id IN (SELECT id FROM collectors WHERE team_id = ?)", *f.TeamID)
	}
	if f.Bucket != nil {
		w.add("c.bucket = ?", *f.Bucket)
	}
	if f.Tier != nil {
		w.add("c.tier = ?", string(*f.Tier))
	}
	if f.Segment != nil {
		w.add("c.segment = ?", string(*f.Segment))
	}
	if f.Queue != nil {
		w.add("c.queue = ?", *f.Queue)
	}
	if len(f.IDs) > 0 {
		w.add("c.id IN ("+placeholders(len(f.IDs))+")", int64Args(f.IDs)...)
	}
	w.addCaseScope(f.Scope, "c")
	return w
}

// Cases returns a page of the cases f selects and how many it selects in
// all. LoanIDs are filled in.
func (tx *Tx) Cases(ctx context.Context, f CaseFilter) ([]Case, int, error) {
	w := f.where()
	var total int
	if err := tx.get(ctx, "Cases", "SELECT COUNT(*) FROM cases c"+w.String(), w.args, &total); err != nil {
		return nil, 0, fmt.Errorf("count cases: %w", err)
	}
	order := " ORDER BY c.id DESC"
	if f.OrderByEV {
		order = " ORDER BY c.ev_minor DESC, c.balance_minor DESC, c.id"
	}
	list, err := tx.cases(ctx, "SELECT "+prefixed(caseCols, "c")+" FROM cases c"+w.String()+order+page(f.Limit, f.Offset), w.args...)
	return list, total, err
}

func (tx *Tx) cases(ctx context.Context, query string, args ...any) ([]Case, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	var list []Case
	for rows.Next() {
		c, err := scanCase(rows.Scan)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan case: %w", err)
		}
		list = append(list, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, interpretError(err)
	}
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	loans, err := tx.caseLoanIDs(ctx, ids)
	for i := range list {
		list[i].LoanIDs = loans[list[i].ID]
	}
	return list, err
}

// EachOpenCase calls fn with every open case in id order, a page at a time,
// without loan ids: the strategy preview reads today's cases this way.
func (tx *Tx) EachOpenCase(ctx context.Context, fn func(Case) error) error {
	for after := int64(0); ; {
		rows, err := tx.query(ctx, "SELECT "+caseCols+" FROM cases WHERE status = 'open' AND id > ? ORDER BY id LIMIT 2000", after)
		if err != nil {
			return fmt.Errorf("list open cases: %w", err)
		}
		var page []Case
		for rows.Next() {
			c, err := scanCase(rows.Scan)
			if err != nil {
				rows.Close()
				return fmt.Errorf("scan case: %w", err)
			}
			page = append(page, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return interpretError(err)
		}
		for _, c := range page {
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(page) < 2000 {
			return nil
		}
		after = page[len(page)-1].ID
	}
}

// NextCase hands out the open case owned by o with the highest expected
// value that has not been worked on today, marking it worked on today so
// that the next call hands out the next one. It returns a NotFound error
// when the queue is empty for today.
func (tx *Tx) NextCase(ctx context.Context, o casework.Owner, today date.Date) (int64, error) {
	// One statement, so that the writer is held as briefly as possible; the
	// outer condition makes a concurrent second request for the same case
	// (PostgreSQL re-checks it after waiting for the row) find nothing.
	var id int64
	err := tx.get(ctx, "Next case", `UPDATE cases SET worked_on = ? WHERE id = (SELECT id FROM cases
		WHERE owner_id = ? AND owner_kind = ? AND status = 'open' AND (worked_on IS NULL OR worked_on < ?)
		ORDER BY ev_minor DESC, balance_minor DESC, id LIMIT 1) AND (worked_on IS NULL OR worked_on < ?) RETURNING id`,
		[]any{today, o.ID, string(o.Kind), today, today}, num(&id))
	return id, err
}

// CaseContactUpdate is what a logged contact changes on a case. Nil pointer
// fields are left alone.
type CaseContactUpdate struct {
	At            time.Time
	On            date.Date
	Connected     bool
	PromiseDue    *date.Date // a new promise to pay (replacing an open one)
	PromiseAmount money.Amount
	Hardship      *string
	CostAdded     money.Amount
}

// RecordCaseContact counts a contact attempt on case id: attempts, the
// connected count and date, the last progress date, a promise if one was
// made, a declared hardship, the cost; and marks the case worked on that
// day. It returns a NotFound error if there is no such case.
func (tx *Tx) RecordCaseContact(ctx context.Context, id int64, u CaseContactUpdate) error {
	sets := []string{"attempts = attempts + 1", "last_contact_at = ?", "worked_on = ?", "cost_minor = cost_minor + ?", "updated_at = ?"}
	args := []any{ts(u.At), u.On, int64(u.CostAdded), ts(tx.now)}
	if u.Connected {
		sets = append(sets, "connected = connected + 1", "last_connected_on = ?",
			"last_progress_on = CASE WHEN last_progress_on IS NULL OR last_progress_on < ? THEN ? ELSE last_progress_on END")
		args = append(args, u.On, u.On, u.On)
	}
	if u.PromiseDue != nil {
		sets = append(sets, "promise_made_on = ?", "promise_due = ?", "promise_amount_minor = ?")
		args = append(args, u.On, *u.PromiseDue, int64(u.PromiseAmount))
	}
	if u.Hardship != nil {
		sets = append(sets, "hardship = ?")
		args = append(args, *u.Hardship)
	}
	res, err := tx.exec(ctx, "UPDATE cases SET "+strings.Join(sets, ", ")+" WHERE id = ?", append(args, id)...)
	if err != nil {
		return fmt.Errorf("record contact on case %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("Case %d", id))
}

// ReassignCases gives the open cases ids to owner to on date on, locked
// (kept by the nightly assignment) when lock is set, and moves their open
// tasks with them. It returns the cases as they were before, in id order;
// closed or missing cases are left out.
func (tx *Tx) ReassignCases(ctx context.Context, ids []int64, to casework.Owner, on date.Date, lock bool) ([]Case, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	st := casework.Open
	before, _, err := tx.Cases(ctx, CaseFilter{IDs: ids, Status: &st, Limit: MaxLimit})
	if err != nil {
		return nil, err
	}
	if len(before) == 0 {
		return nil, nil
	}
	open := make([]int64, len(before))
	for i, c := range before {
		open[i] = c.ID
	}
	args := append([]any{string(to.Kind), to.ID, on, lock, ts(tx.now)}, int64Args(open)...)
	if _, err := tx.exec(ctx, `UPDATE cases SET owner_kind = ?, owner_id = ?, owner_since = ?, locked = ?, placed_on = NULL,
		recall_on = NULL, updated_at = ? WHERE id IN (`+placeholders(len(open))+")", args...); err != nil {
		return nil, fmt.Errorf("reassign cases: %w", err)
	}
	if err := tx.ReassignTasks(ctx, open, to); err != nil {
		return nil, err
	}
	return reverseByID(before), nil
}

func reverseByID(list []Case) []Case {
	out := make([]Case, len(list))
	for i := range list {
		out[len(list)-1-i] = list[i]
	}
	return out
}

// SetCaseLock sets or clears the manual-assignment lock of case id. It
// returns a NotFound error if there is no such case.
func (tx *Tx) SetCaseLock(ctx context.Context, id int64, locked bool) error {
	res, err := tx.exec(ctx, "UPDATE cases SET locked = ?, updated_at = ? WHERE id = ?", locked, ts(tx.now), id)
	if err != nil {
		return fmt.Errorf("lock case %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("Case %d", id))
}
