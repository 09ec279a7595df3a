package sqlstore

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
)

// The casework step of the nightly run works on chunks of borrowers in id
// order: NextCaseBorrowers finds the next ids with a delinquent loan or an
// open case, LoadCaseChunk reads everything about them in a few multi-row
// queries, and the Save… methods below write what changed with multi-row
// statements.

// NextCaseBorrowers returns up to limit borrower ids above after, ascending,
// of borrowers with a loan past due (by the stored positions) or an open
// case.
func (tx *Tx) NextCaseBorrowers(ctx context.Context, after int64, limit int) ([]int64, error) {
	a, err := tx.int64s(ctx, `SELECT DISTINCT borrower_id FROM loan_positions WHERE dpd > 0 AND borrower_id > ?
		ORDER BY borrower_id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("next delinquent borrowers: %w", err)
	}
	b, err := tx.int64s(ctx, `SELECT borrower_id FROM cases WHERE status = 'open' AND borrower_id > ?
		ORDER BY borrower_id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("next case borrowers: %w", err)
	}
	out := make([]int64, 0, limit)
	for i, j := 0, 0; len(out) < limit && (i < len(a) || j < len(b)); {
		var next int64
		switch {
		case j >= len(b) || (i < len(a) && a[i] < b[j]):
			next = a[i]
			i++
		case i >= len(a) || b[j] < a[i]:
			next = b[j]
			j++
		default:
			next = a[i]
			i, j = i+1, j+1
		}
		out = append(out, next)
	}
	return out, nil
}

func (tx *Tx) int64s(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(num(&id)); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, interpretError(rows.Err())
}

// CaseBorrower is what the nightly run needs to know about a borrower:
// Region is the province of their first address, Phone their first number
// (decrypted, for messages).
type CaseBorrower struct {
	ID       int64
	Name     string
	Language string
	Region   string
	Income   money.Amount
	Flags    []string
	Phone    string
}

// CaseLoan is one of a borrower's loans with its stored position (zero, and
// Aged false, for a loan the nightly run never aged) and the amount of its
// next unpaid installment.
type CaseLoan struct {
	ID, BorrowerID  int64
	Status          ledger.Status
	ProductCode     string
	Position        ledger.Position
	Bucket          string
	Aged            bool
	NextInstallment money.Amount
}

// PaymentMark is a payment as the nightly run counts it.
type PaymentMark struct {
	ID, LoanID int64
	PaidOn     date.Date
	Amount     money.Amount
}

// CaseChunk is everything the casework step reads for a set of borrowers.
// Payments holds, per loan, the payments not reversed made in the recent
// window, in date order; CasePayments every payment already attributed to
// each open case (AddCasePayments).
type CaseChunk struct {
	Borrowers    map[int64]CaseBorrower
	Loans        map[int64][]CaseLoan // by borrower id, in loan id order
	Cases        map[int64]Case       // open case by borrower id
	Payments     map[int64][]PaymentMark
	CasePayments map[int64][]PaymentMark // by case id
	Tasks        map[int64][]Task        // open tasks by case id
	Contacts     map[int64][]ContactMark // contact events since the contact window began, by case id

	lists map[int64]string // by case id: flags and products as stored (Unchanged)
}

// CaseChunkWindow bounds what LoadCaseChunk reads: payments from Recent on
// and contacts from Contacts on, both up to AsOf.
type CaseChunkWindow struct {
	AsOf, Recent, Contacts date.Date
}

// LoadCaseChunk reads borrowers ids (ascending, as NextCaseBorrowers
// returns them) with their loans, positions, open cases, recent payments,
// open tasks and recent contacts. Because ids holds every borrower with an
// open case between its first and last id, the case, task and contact
// queries select that borrower range rather than a list of ids.
func (tx *Tx) LoadCaseChunk(ctx context.Context, ids []int64, w CaseChunkWindow) (CaseChunk, error) {
	ch := CaseChunk{Borrowers: make(map[int64]CaseBorrower, len(ids)), Loans: make(map[int64][]CaseLoan, len(ids)),
		Cases: map[int64]Case{}, lists: map[int64]string{}, Payments: map[int64][]PaymentMark{}, Tasks: map[int64][]Task{},
		Contacts: map[int64][]ContactMark{}, CasePayments: map[int64][]PaymentMark{}}
	if len(ids) == 0 {
		return ch, nil
	}
	lo, hi := ids[0], ids[len(ids)-1]
	steps := []func() error{
		func() error { return tx.chunkBorrowers(ctx, ids, &ch) },
		func() error { return tx.chunkPhones(ctx, ids, &ch) },
		func() error { return tx.chunkLoans(ctx, ids, &ch) },
		func() error { return tx.chunkCases(ctx, lo, hi, &ch) },
		func() error { return tx.chunkPaymentMarks(ctx, ids, w, &ch) },
		func() error { return tx.chunkTasks(ctx, lo, hi, &ch) },
		func() error { return tx.chunkContacts(ctx, lo, hi, w.Contacts, &ch) },
		func() error { return tx.chunkCasePayments(ctx, lo, hi, &ch) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return ch, err
		}
	}
	return ch, nil
}

func (tx *Tx) chunkBorrowers(ctx context.Context, ids []int64, ch *CaseChunk) error {
	rows, err := tx.query(ctx, "SELECT id, name, language, monthly_income_minor, COALESCE("+tx.db.d.firstRegion("addresses")+
		", ''), flags FROM borrowers WHERE id IN ("+placeholders(len(ids))+")", int64Args(ids)...)
	if err != nil {
		return fmt.Errorf("chunk borrowers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b CaseBorrower
		var flags string
		if err := rows.Scan(num(&b.ID), &b.Name, &b.Language, num(&b.Income), &b.Region, &flags); err != nil {
			return fmt.Errorf("scan chunk borrower: %w", err)
		}
		if flags != "[]" {
			if err := fromJSON(flags, &b.Flags); err != nil {
				return err
			}
		}
		ch.Borrowers[b.ID] = b
	}
	return interpretError(rows.Err())
}

// firstRegion is the SQL for the region of the first address in the JSON
// list column col, or NULL.
func (d dialect) firstRegion(col string) string {
	if d.engine == Postgres {
		return "(" + col + "::jsonb -> 0 ->> 'region')"
	}
	return "json_extract(" + col + ", '$[0].region')"
}

func (tx *Tx) chunkPhones(ctx context.Context, ids []int64, ch *CaseChunk) error {
	rows, err := tx.query(ctx, "SELECT borrower_id, number_enc FROM borrower_phones WHERE pos = 1 AND borrower_id IN ("+
		placeholders(len(ids))+")", int64Args(ids)...)
	if err != nil {
		return fmt.Errorf("chunk phones: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var enc []byte
		if err := rows.Scan(num(&id), &enc); err != nil {
			return fmt.Errorf("scan chunk phone: %w", err)
		}
		b, ok := ch.Borrowers[id]
		if !ok {
			continue
		}
		if b.Phone, err = tx.decrypt(enc); err != nil {
			return fmt.Errorf("decrypt phone of borrower %d: %w", id, err)
		}
		ch.Borrowers[id] = b
	}
	return interpretError(rows.Err())
}

func (tx *Tx) chunkLoans(ctx context.Context, ids []int64, ch *CaseChunk) error {
	rows, err := tx.query(ctx, "SELECT l.id, l.borrower_id, l.status, l.product_code, p.loan_id IS NOT NULL, "+
		prefixed(positionCols, "p")+`, COALESCE(i.principal_minor + i.interest_minor, 0)
		FROM loans l LEFT JOIN loan_positions p ON p.loan_id = l.id
		LEFT JOIN installments i ON i.loan_id = l.id AND i.seq = p.paid_installments + 1
		WHERE l.borrower_id IN (`+placeholders(len(ids))+") ORDER BY l.borrower_id, l.id", int64Args(ids)...)
	if err != nil {
		return fmt.Errorf("chunk loans: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l CaseLoan
		var r PositionRow
		var bucket string
		var loanID, borrowerID int64
		d := positionDest(&r)
		d[1], d[4] = num(&borrowerID), text{&bucket}
		d[0] = num(&loanID)
		dest := append([]any{num(&l.ID), num(&l.BorrowerID), &l.Status, &l.ProductCode, &l.Aged}, d...)
		if err := rows.Scan(append(dest, num(&l.NextInstallment))...); err != nil {
			return fmt.Errorf("scan chunk loan: %w", err)
		}
		l.Position, l.Bucket = r.Position, bucket
		l.Position.LoanID = l.ID
		ch.Loans[l.BorrowerID] = append(ch.Loans[l.BorrowerID], l)
	}
	return interpretError(rows.Err())
}

// chunkCaseCols are caseCols without what the nightly run recomputes or
// leaves alone (flags, products, the creation and update times), which
// only cost decoding.
var chunkCaseCols = strings.NewReplacer("hardship, flags,", "hardship, '[]',", "region, products,", "region, '[]',",
	"created_at, updated_at", "NULL, NULL").Replace(caseCols)

// chunkCases reads the open cases of borrowers lo to hi with their loan
// ids. On PostgreSQL it locks them until the chunk commits, so that a
// collector logging a contact meanwhile waits instead of having the
// nightly run overwrite the counters it changed; SQLite's one writer gives
// the same guarantee.
func (tx *Tx) chunkCases(ctx context.Context, lo, hi int64, ch *CaseChunk) error {
	lock := ""
	if tx.db.d.engine == Postgres && !tx.readOnly {
		lock = " FOR UPDATE"
	}
	rows, err := tx.query(ctx, "SELECT "+chunkCaseCols+`, flags || '|' || products FROM cases WHERE status = 'open'
		AND borrower_id >= ? AND borrower_id <= ?`+lock, lo, hi)
	if err != nil {
		return fmt.Errorf("chunk cases: %w", err)
	}
	byID := map[int64]int64{}
	for rows.Next() {
		var lists string // as stored, undecoded: for Unchanged
		c, err := scanCase(func(dest ...any) error { return rows.Scan(append(dest, &lists)...) })
		if err != nil {
			rows.Close()
			return fmt.Errorf("scan chunk case: %w", err)
		}
		ch.Cases[c.BorrowerID], byID[c.ID], ch.lists[c.ID] = c, c.BorrowerID, lists
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return interpretError(err)
	}
	rows, err = tx.query(ctx, `SELECT cl.case_id, cl.loan_id FROM cases c JOIN case_loans cl ON cl.case_id = c.id
		WHERE c.status = 'open' AND c.borrower_id >= ? AND c.borrower_id <= ? ORDER BY cl.case_id, cl.loan_id`, lo, hi)
	if err != nil {
		return fmt.Errorf("chunk case loans: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, loan int64
		if err := rows.Scan(num(&id), num(&loan)); err != nil {
			return fmt.Errorf("scan chunk case loan: %w", err)
		}
		if b, ok := byID[id]; ok {
			c := ch.Cases[b]
			c.LoanIDs = append(c.LoanIDs, loan)
			ch.Cases[b] = c
		}
	}
	return interpretError(rows.Err())
}

// openCase reports whether case id is one of the chunk's open cases.
func (ch *CaseChunk) openCase(id, borrowerID int64) bool {
	c, ok := ch.Cases[borrowerID]
	return ok && c.ID == id
}

func (tx *Tx) chunkTasks(ctx context.Context, lo, hi int64, ch *CaseChunk) error {
	rows, err := tx.query(ctx, "SELECT "+taskCols+` FROM tasks WHERE status = 'open' AND borrower_id >= ? AND borrower_id <= ?
		ORDER BY case_id, id`, lo, hi)
	if err != nil {
		return fmt.Errorf("chunk tasks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanTask(rows.Scan)
		if err != nil {
			return fmt.Errorf("scan chunk task: %w", err)
		}
		ch.Tasks[t.CaseID] = append(ch.Tasks[t.CaseID], t)
	}
	return interpretError(rows.Err())
}

func (tx *Tx) chunkContacts(ctx context.Context, lo, hi int64, since date.Date, ch *CaseChunk) error {
	rows, err := tx.query(ctx, `SELECT case_id, borrower_id, on_date, code FROM case_events WHERE kind = 'contact'
		AND borrower_id >= ? AND borrower_id <= ? AND on_date >= ? ORDER BY case_id, on_date, id`, lo, hi, since)
	if err != nil {
		return fmt.Errorf("chunk contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, b int64
		var m ContactMark
		if err := rows.Scan(num(&id), num(&b), &m.On, &m.Outcome); err != nil {
			return fmt.Errorf("scan chunk contact: %w", err)
		}
		if ch.openCase(id, b) {
			ch.Contacts[id] = append(ch.Contacts[id], m)
		}
	}
	return interpretError(rows.Err())
}

func (tx *Tx) chunkCasePayments(ctx context.Context, lo, hi int64, ch *CaseChunk) error {
	rows, err := tx.query(ctx, `SELECT case_id, borrower_id, payment_id, loan_id, paid_on, amount_minor FROM case_payments
		WHERE borrower_id >= ? AND borrower_id <= ? ORDER BY case_id, paid_on, payment_id`, lo, hi)
	if err != nil {
		return fmt.Errorf("chunk case payments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, b int64
		var m PaymentMark
		if err := rows.Scan(num(&id), num(&b), num(&m.ID), num(&m.LoanID), &m.PaidOn, num(&m.Amount)); err != nil {
			return fmt.Errorf("scan chunk case payment: %w", err)
		}
		if ch.openCase(id, b) {
			ch.CasePayments[id] = append(ch.CasePayments[id], m)
		}
	}
	return interpretError(rows.Err())
}

// chunkPaymentMarks reads the payments of the recent window.
func (tx *Tx) chunkPaymentMarks(ctx context.Context, ids []int64, w CaseChunkWindow, ch *CaseChunk) error {
	rows, err := tx.query(ctx, `SELECT p.id, p.loan_id, p.paid_on, p.amount_minor FROM loans l
		JOIN payments p ON p.loan_id = l.id
		WHERE l.borrower_id IN (`+placeholders(len(ids))+`) AND NOT p.reversed AND p.paid_on >= ? AND p.paid_on <= ?
		ORDER BY p.loan_id, p.paid_on, p.id`, append(int64Args(ids), w.Recent, w.AsOf)...)
	if err != nil {
		return fmt.Errorf("chunk payments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m PaymentMark
		if err := rows.Scan(num(&m.ID), num(&m.LoanID), &m.PaidOn, num(&m.Amount)); err != nil {
			return fmt.Errorf("scan chunk payment: %w", err)
		}
		ch.Payments[m.LoanID] = append(ch.Payments[m.LoanID], m)
	}
	return interpretError(rows.Err())
}

// CasePayments returns the payments attributed to cases ids, by case id, in
// date order.
func (tx *Tx) CasePayments(ctx context.Context, ids []int64) (map[int64][]PaymentMark, error) {
	out := map[int64][]PaymentMark{}
	for start := 0; start < len(ids); start += 1000 {
		part := ids[start:min(start+1000, len(ids))]
		rows, err := tx.query(ctx, "SELECT case_id, payment_id, loan_id, paid_on, amount_minor FROM case_payments WHERE case_id IN ("+
			placeholders(len(part))+") ORDER BY case_id, paid_on, payment_id", int64Args(part)...)
		if err != nil {
			return nil, fmt.Errorf("load case payments: %w", err)
		}
		for rows.Next() {
			var id int64
			var m PaymentMark
			if err := rows.Scan(num(&id), num(&m.ID), num(&m.LoanID), &m.PaidOn, num(&m.Amount)); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan case payment: %w", err)
			}
			out[id] = append(out[id], m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
	}
	return out, nil
}

// InsertCases creates cases (whose ID must be 0) with multi-row statements
// and sets their IDs. It returns a Conflict error if a borrower already has
// an open case.
func (tx *Tx) InsertCases(ctx context.Context, list []*Case) error {
	per := min(tx.db.d.maxParams/caseColCount, 400)
	for start := 0; start < len(list); start += per {
		part := list[start:min(start+per, len(list))]
		args := make([]any, 0, len(part)*(caseColCount-1))
		byBorrower := make(map[int64]*Case, len(part))
		var err error
		for _, c := range part {
			if c.ID != 0 {
				return errs.Errorf(errs.Invalid, "Case %d already has an id.", c.ID)
			}
			stamp(&c.CreatedAt, &c.UpdatedAt, tx.now)
			if args, err = caseArgs(args, c); err != nil {
				return err
			}
			byBorrower[c.BorrowerID] = c
		}
		rows, err := tx.query(ctx, "INSERT INTO cases ("+insertCaseCols+") VALUES "+rowsOf(len(part), caseColCount-1)+
			" RETURNING id, borrower_id", args...)
		if err != nil {
			return conflict(fmt.Errorf("insert cases: %w", err), "A borrower already has an open case.")
		}
		for rows.Next() {
			var id, b int64
			if err := rows.Scan(num(&id), num(&b)); err != nil {
				rows.Close()
				return fmt.Errorf("scan case id: %w", err)
			}
			if c := byBorrower[b]; c != nil {
				c.ID = id
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return conflict(interpretError(err), "A borrower already has an open case.")
		}
	}
	return nil
}

// Unchanged reports whether saving c, one of the chunk's open cases as the
// nightly run leaves it, would store the row the chunk read: every column
// SaveCases writes but updated_at the same.
func (ch *CaseChunk) Unchanged(c Case) bool {
	before, ok := ch.Cases[c.BorrowerID]
	if !ok || before.ID != c.ID {
		return false
	}
	flags, err := toJSON(c.Flags)
	if err != nil {
		return false
	}
	products, err := toJSON(c.Products)
	if err != nil || flags+"|"+products != ch.lists[c.ID] {
		return false
	}
	for _, x := range []*Case{&c, &before} {
		x.Reasons, x.LoanIDs, x.Flags, x.Products, x.CreatedAt, x.UpdatedAt = nil, nil, nil, nil, time.Time{}, time.Time{}
	}
	return reflect.DeepEqual(c, before)
}

// SaveCases writes every column of existing cases (ID set), with
// multi-row statements.
func (tx *Tx) SaveCases(ctx context.Context, list []Case) error {
	var convErr error
	err := tx.insertRowsThen(ctx, "INSERT INTO cases ("+caseCols+") VALUES ", ` ON CONFLICT (id) DO UPDATE SET
		status = excluded.status, close_reason = excluded.close_reason, closed_on = excluded.closed_on,
		bucket = excluded.bucket, bucket_rank = excluded.bucket_rank, max_bucket_rank = excluded.max_bucket_rank,
		dpd = excluded.dpd, tier = excluded.tier, segment = excluded.segment,
		overdue_minor = excluded.overdue_minor, balance_minor = excluded.balance_minor, paid_30d_minor = excluded.paid_30d_minor,
		recovered_minor = excluded.recovered_minor, cost_minor = excluded.cost_minor, ev_minor = excluded.ev_minor,
		strategy_id = excluded.strategy_id, experiment_id = excluded.experiment_id, arm = excluded.arm, rule = excluded.rule,
		rule_since = excluded.rule_since, queue = excluded.queue, owner_kind = excluded.owner_kind, owner_id = excluded.owner_id,
		owner_since = excluded.owner_since, placed_on = excluded.placed_on, recall_on = excluded.recall_on,
		locked = excluded.locked, last_progress_on = excluded.last_progress_on, attempts_7d = excluded.attempts_7d,
		connected_7d = excluded.connected_7d, promises_kept = excluded.promises_kept, promises_broken = excluded.promises_broken,
		promise_made_on = excluded.promise_made_on, promise_due = excluded.promise_due,
		promise_amount_minor = excluded.promise_amount_minor, flags = excluded.flags, language = excluded.language,
		region = excluded.region, products = excluded.products, loans = excluded.loans, has_phone = excluded.has_phone,
		updated_at = excluded.updated_at`, caseColCount, len(list), 400, func(i int, a []any) []any {
		c := &list[i]
		c.UpdatedAt = tx.now
		out, err := caseArgs(a, c)
		if err != nil {
			convErr = err
			return a
		}
		return out
	})
	if convErr != nil {
		return convErr
	}
	if err != nil {
		return fmt.Errorf("save cases: %w", err)
	}
	return nil
}

// CaseLoanRow links a loan to a case from a date.
type CaseLoanRow struct {
	CaseID, LoanID int64
	AddedOn        date.Date
}

// AddCaseLoans links loans to cases; links that exist are left alone.
func (tx *Tx) AddCaseLoans(ctx context.Context, list []CaseLoanRow) error {
	err := tx.insertRowsThen(ctx, "INSERT INTO case_loans (case_id, loan_id, added_on) VALUES ",
		" ON CONFLICT (case_id, loan_id) DO NOTHING", 3, len(list), 1000, func(i int, a []any) []any {
			return append(a, list[i].CaseID, list[i].LoanID, list[i].AddedOn)
		})
	if err != nil {
		return fmt.Errorf("add case loans: %w", err)
	}
	return nil
}

// CasePayment is a payment attributed to a case and to who owned it.
type CasePayment struct {
	PaymentID, CaseID, BorrowerID, LoanID int64
	PaidOn                                date.Date
	Amount                                money.Amount
	Bucket                                string
	Owner                                 casework.Owner
	TeamID                                int64
}

// AddCasePayments records attributions; a payment already attributed keeps
// its first attribution. It returns how many it added.
func (tx *Tx) AddCasePayments(ctx context.Context, list []CasePayment) (int, error) {
	added := 0
	const cols = 10
	for start := 0; start < len(list); start += 1000 {
		part := list[start:min(start+1000, len(list))]
		args := make([]any, 0, len(part)*cols)
		for _, p := range part {
			args = append(args, p.PaymentID, p.CaseID, p.BorrowerID, p.LoanID, p.PaidOn, int64(p.Amount), p.Bucket,
				string(p.Owner.Kind), p.Owner.ID, p.TeamID)
		}
		res, err := tx.exec(ctx, `INSERT INTO case_payments (payment_id, case_id, borrower_id, loan_id, paid_on, amount_minor,
			bucket, owner_kind, owner_id, team_id) VALUES `+rowsOf(len(part), cols)+" ON CONFLICT (payment_id) DO NOTHING", args...)
		if err != nil {
			return added, fmt.Errorf("add case payments: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return added, interpretError(err)
		}
		added += int(n)
	}
	return added, nil
}

// LoanHistories returns loans ids with their schedules and payments
// (reversed ones included), ordered by id, for replaying: the casework step
// reads this way the loans the aging step did not touch. PrevAsOf and the
// other previous-position fields are left zero.
func (tx *Tx) LoanHistories(ctx context.Context, ids []int64) ([]LoanBundle, error) {
	var out []LoanBundle
	for start := 0; start < len(ids); start += 1000 {
		part := ids[start:min(start+1000, len(ids))]
		rows, err := tx.query(ctx, "SELECT "+loanCols+" FROM loans l WHERE l.id IN ("+placeholders(len(part))+") ORDER BY l.id",
			int64Args(part)...)
		if err != nil {
			return nil, fmt.Errorf("load loan histories: %w", err)
		}
		var bundles []LoanBundle
		for rows.Next() {
			var b LoanBundle
			if err := rows.Scan(loanDest(&b.Loan)...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan loan: %w", err)
			}
			bundles = append(bundles, b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
		if len(bundles) == 0 {
			continue
		}
		got := make([]int64, len(bundles))
		for i, b := range bundles {
			got[i] = b.Loan.ID
		}
		if err := tx.chunkSchedules(ctx, got, bundles); err != nil {
			return nil, err
		}
		if err := tx.chunkPayments(ctx, got, bundles); err != nil {
			return nil, err
		}
		out = append(out, bundles...)
	}
	return out, nil
}
