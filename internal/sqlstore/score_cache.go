package sqlstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/ledger"
	"accord/internal/money"
)

// score_borrower_facts (migration 00038) keeps, for each borrower, what the
// nightly scoring reads of the ledger packed in one value. A value is a
// version byte, the monthly income and the loans, each with its terms, its
// installments and its payments; numbers are varints, counts uvarints, and
// the fields marked Δ are the difference from the same field of the
// previous installment or payment of the loan (from 0 for the first; the
// first due date from the day of disbursement), so that a regular schedule
// and regular payments take a byte or two a field:
//
//	borrower:    income, loan count, loans
//	loan:        id, product code (length, bytes), principal, disbursed on
//	             (days), daily penalty rate (coefficient with sign, scale),
//	             late fee, installment count, installments, payment count,
//	             payments
//	installment: Δseq, Δdue date, Δprincipal, Δinterest
//	payment:     Δid, Δpaid on, Δamount, reversed (0/1)[, reversed at (µs since 1970, UTC)]
//
// A body of another version (version 2 had no differences) is read as no
// body: the borrower is read from the ledger tables and cached again.
const factsVersion = 3

var errFactsBody = errors.New("malformed score_borrower_facts body")

// packBorrowerFacts returns the stored form of f's income and loans, or
// false when a value cannot be packed (a penalty rate whose coefficient
// overflows an int64): such a borrower is read from the ledger tables.
func packBorrowerFacts(f *features.Facts) ([]byte, bool) {
	n := 4
	for _, l := range f.Loans {
		n += 24 + len(l.Loan.ProductCode) + len(l.Schedule)*10 + len(l.Payments)*14
	}
	b := make([]byte, 0, n)
	b = append(b, factsVersion)
	b = binary.AppendVarint(b, int64(f.MonthlyIncome))
	b = binary.AppendUvarint(b, uint64(len(f.Loans)))
	for _, x := range f.Loans {
		l := x.Loan
		coef := l.PenaltyRateDaily.Coef()
		if coef > math.MaxInt64 {
			return nil, false
		}
		rate := int64(coef)
		if l.PenaltyRateDaily.IsNeg() {
			rate = -rate
		}
		b = binary.AppendVarint(b, l.ID)
		b = binary.AppendUvarint(b, uint64(len(l.ProductCode)))
		b = append(b, l.ProductCode...)
		b = binary.AppendVarint(b, int64(l.Principal))
		b = binary.AppendVarint(b, int64(l.DisbursedOn))
		b = binary.AppendVarint(b, rate)
		b = binary.AppendUvarint(b, uint64(l.PenaltyRateDaily.Scale()))
		b = binary.AppendVarint(b, int64(l.LateFee))
		b = appendLoanFacts(b, l.DisbursedOn, x.Schedule, x.Payments)
	}
	return b, true
}

// appendLoanFacts appends a loan's schedule and payments (disbursed on
// disbursed) to b.
func appendLoanFacts(b []byte, disbursed date.Date, sched []ledger.Installment, pays []ledger.Payment) []byte {
	b = binary.AppendUvarint(b, uint64(len(sched)))
	prev := ledger.Installment{DueDate: disbursed}
	for _, in := range sched {
		b = binary.AppendVarint(b, int64(in.Seq-prev.Seq))
		b = binary.AppendVarint(b, int64(in.DueDate-prev.DueDate))
		b = binary.AppendVarint(b, int64(in.Principal-prev.Principal))
		b = binary.AppendVarint(b, int64(in.Interest-prev.Interest))
		prev = in
	}
	b = binary.AppendUvarint(b, uint64(len(pays)))
	var last ledger.Payment
	for _, p := range pays {
		b = binary.AppendVarint(b, p.ID-last.ID)
		b = binary.AppendVarint(b, int64(p.PaidOn-last.PaidOn))
		b = binary.AppendVarint(b, int64(p.Amount-last.Amount))
		last = p
		if !p.Reversed {
			b = append(b, 0)
			continue
		}
		b = append(b, 1)
		at := int64(0)
		if !p.ReversedAt.IsZero() {
			at = p.ReversedAt.UnixMicro()
		}
		b = binary.AppendVarint(b, at)
	}
	return b
}

// unpackBorrowerFacts reads a value packBorrowerFacts wrote for borrower id,
// taking its slices from a (nil: its own).
func unpackBorrowerFacts(b []byte, id int64, a *factsSlab) (*features.Facts, error) {
	if len(b) == 0 || b[0] != factsVersion {
		return nil, errFactsBody
	}
	if a == nil {
		a = &factsSlab{}
	}
	r := factsReader{b: b[1:]}
	f := a.facts()
	f.BorrowerID, f.MonthlyIncome = id, money.Amount(r.varint())
	f.Loans = a.loans(int(r.uvarint()))
	for i := range f.Loans {
		x := &f.Loans[i]
		l := &x.Loan
		l.ID, l.BorrowerID = r.varint(), id
		l.ProductCode = a.intern(r.bytes())
		l.Principal, l.DisbursedOn = money.Amount(r.varint()), date.Date(r.varint())
		rate, scale := r.varint(), r.uvarint()
		var err error
		if l.PenaltyRateDaily, err = decimal.New(rate, int(scale)); err != nil {
			return nil, errFactsBody
		}
		l.LateFee = money.Amount(r.varint())
		x.Schedule, x.Payments = r.loanFacts(l.ID, l.DisbursedOn, a)
	}
	if r.bad || len(r.b) != 0 {
		return nil, errFactsBody
	}
	return f, nil
}

// loanFacts reads a schedule and payments appendLoanFacts wrote for loan
// loanID, disbursed on disbursed.
func (r *factsReader) loanFacts(loanID int64, disbursed date.Date, a *factsSlab) ([]ledger.Installment, []ledger.Payment) {
	sched := a.installments(int(r.uvarint()))
	prev := ledger.Installment{DueDate: disbursed}
	for i := range sched {
		prev = ledger.Installment{Seq: prev.Seq + int(r.varint()), DueDate: prev.DueDate + date.Date(r.varint()),
			Principal: prev.Principal + money.Amount(r.varint()), Interest: prev.Interest + money.Amount(r.varint())}
		sched[i] = prev
	}
	pays := a.payments(int(r.uvarint()))
	var id int64
	var on date.Date
	var amount money.Amount
	for i := range pays {
		id, on, amount = id+r.varint(), on+date.Date(r.varint()), amount+money.Amount(r.varint())
		p := &pays[i]
		p.ID, p.LoanID, p.PaidOn, p.Amount = id, loanID, on, amount
		if r.byte() == 1 {
			p.Reversed = true
			if at := r.varint(); at != 0 {
				p.ReversedAt = time.UnixMicro(at).UTC()
			}
		}
	}
	return sched, pays
}

// factsSlab hands out the facts, loans, installments and payments of the
// borrowers a read unpacks from a few large arrays instead of an
// allocation each (a night unpacks millions), and one copy of each
// product code. Each slice it returns has its length as its capacity, so
// an append to it copies rather than overwrite a neighbour; an empty one
// is nil, as read from the ledger tables. reset hands the same arrays out
// again, zeroed, for a reader whose earlier facts are no longer used
// (FactsBuffer): the nightly pass unpacks some 6 million payments, 900 MB,
// and allocating them afresh for every slice cost more collecting garbage
// than unpacking them.
type factsSlab struct {
	f     slabOf[features.Facts]
	l     slabOf[features.Loan]
	in    slabOf[ledger.Installment]
	p     slabOf[ledger.Payment]
	codes map[string]string
}

const slabSize = 2048

func (a *factsSlab) facts() *features.Facts { return &a.f.take(1)[0] }

func (a *factsSlab) loans(n int) []features.Loan { return a.l.take(n) }

func (a *factsSlab) installments(n int) []ledger.Installment { return a.in.take(n) }

func (a *factsSlab) payments(n int) []ledger.Payment { return a.p.take(n) }

func (a *factsSlab) reset() {
	a.f.reset()
	a.l.reset()
	a.in.reset()
	a.p.reset()
}

// slabOf is the arrays of one type a factsSlab hands out from: blocks[at]
// from off on is free, and so are the blocks after it.
type slabOf[T any] struct {
	blocks  [][]T
	at, off int
}

// take returns the next n zeroed elements (nil when n is 0), starting the
// next block, or a new one, when this one has fewer left.
func (s *slabOf[T]) take(n int) []T {
	if n == 0 {
		return nil
	}
	for ; s.at < len(s.blocks); s.at, s.off = s.at+1, 0 {
		if b := s.blocks[s.at]; s.off+n <= len(b) {
			out := b[s.off : s.off+n : s.off+n]
			s.off += n
			clear(out) // handed out before a reset
			return out
		}
	}
	b := make([]T, max(n, slabSize))
	s.blocks = append(s.blocks, b)
	s.at, s.off = len(s.blocks)-1, n
	return b[:n:n]
}

func (s *slabOf[T]) reset() { s.at, s.off = 0, 0 }

// FactsBuffer is memory a reader unpacks cached facts into
// (FactsScope.Into), kept from one read to the next instead of allocated
// for each: a read into it overwrites the facts the previous one returned.
// It is not safe for concurrent use.
type FactsBuffer struct{ slab factsSlab }

// intern returns b as a string, one copy per distinct value.
func (a *factsSlab) intern(b []byte) string {
	if s, ok := a.codes[string(b)]; ok {
		return s
	}
	if a.codes == nil {
		a.codes = map[string]string{}
	}
	s := string(b)
	a.codes[s] = s
	return s
}

// factsReader reads varints, remembering whether one was malformed.
type factsReader struct {
	b   []byte
	bad bool
}

func (r *factsReader) varint() int64 {
	// binary.Varint, written so that the compiler inlines it: the unpack
	// reads some 40 million a night, most of one byte.
	var x uint64
	var shift uint
	for i, c := range r.b {
		if c < 0x80 {
			if i > 9 || i == 9 && c > 1 { // more than 64 bits
				break
			}
			r.b = r.b[i+1:]
			x |= uint64(c) << shift
			return int64(x>>1) ^ -int64(x&1)
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	r.bad, r.b = true, nil
	return 0
}

func (r *factsReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > uint64(len(r.b)) { // a count never exceeds the bytes left
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *factsReader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.bad, r.b = true, nil
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *factsReader) byte() byte {
	if len(r.b) == 0 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// PackedFacts is a borrower's facts as a scoring pass read them from the
// ledger tables, packed for CacheScoringFacts.
type PackedFacts struct {
	BorrowerID int64
	Version    int64 // of the borrower's score_borrower_facts row, read before the ledger tables
	Noted      bool  // its noted payment changes were merged (FactsRow.Payments)
	Body       []byte
	DoneOn     date.Date // all the loans paid off by then (zero: not all)
}

// PackFacts packs f, read (wholly or its payments) from the ledger tables
// as row says, with doneOn the day all its loans were paid off (zero when
// some is not), for CacheScoringFacts; false when f cannot be packed.
func PackFacts(f *features.Facts, row FactsRow, doneOn date.Date) (PackedFacts, bool) {
	b, ok := packBorrowerFacts(f)
	return PackedFacts{BorrowerID: f.BorrowerID, Version: row.Version, Noted: row.Payments, Body: b, DoneOn: doneOn}, ok
}

// CacheScoringFacts stores the packed facts of list for the next nights,
// each only where its borrower's row still has the version read before
// the facts were (nothing of the borrower changed since: the triggers add
// one to it on every change, committed or waited for), with policyKey the
// fingerprint of the ledger policy a DoneOn was found under, and drops the
// payment notes of the Noted borrowers it stored (score_payment_changes:
// their copies hold those payments now). Notes made before a borrower's
// copy was cleared by another change stay until its next payment is
// merged (merging a note again changes nothing). It returns how many it
// stored.
func (tx *Tx) CacheScoringFacts(ctx context.Context, list []PackedFacts, policyKey int64) (int, error) {
	tuple := "(?, ?, ?, ?)" // SQLite: the values keep their types (a date is text)
	if tx.db.d.engine == Postgres {
		tuple = "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BYTEA), CAST(? AS DATE))"
	}
	stored := 0
	for start := 0; start < len(list); start += 200 {
		part := list[start:min(start+200, len(list))]
		args := make([]any, 0, 4*len(part)+1)
		args = append(args, policyKey)
		for _, p := range part {
			var done any
			if p.DoneOn != 0 {
				done = p.DoneOn
			}
			args = append(args, p.BorrowerID, p.Version, p.Body, done)
		}
		res, err := tx.exec(ctx, `UPDATE score_borrower_facts SET body = v.column3, done_on = v.column4, policy_key = ?, payments_stale = 0
			FROM (VALUES `+valueRows(tuple, len(part))+`) AS v
			WHERE score_borrower_facts.borrower_id = v.column1 AND score_borrower_facts.version = v.column2`, args...)
		if err != nil {
			return stored, fmt.Errorf("cache scoring facts: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return stored, fmt.Errorf("cache scoring facts: %w", err)
		}
		stored += int(n)
		// The payment notes merged into the copies cached are in them now.
		var noted []any
		for _, p := range part {
			if p.Noted {
				noted = append(noted, p.BorrowerID)
			}
		}
		if len(noted) == 0 {
			continue
		}
		if _, err := tx.exec(ctx, `DELETE FROM score_payment_changes WHERE borrower_id IN (SELECT borrower_id
			FROM score_borrower_facts WHERE borrower_id IN (`+placeholders(len(noted))+`) AND payments_stale = 0 AND body IS NOT NULL)`,
			noted...); err != nil {
			return stored, fmt.Errorf("drop payment notes: %w", err)
		}
	}
	return stored, nil
}

// Done is a borrower whose cached facts show all its loans paid off by a
// night (see MarkDone).
type Done struct {
	BorrowerID int64
	Version    int64 // of the row the cached facts were read from
	On         date.Date
}

// MarkDone records that the borrowers of list had all their loans paid off
// on their dates, as the replay of their cached facts under the ledger
// policy with fingerprint policyKey found on a night when all their
// payments were known. A borrower whose row changed since it was read is
// not marked.
func (tx *Tx) MarkDone(ctx context.Context, list []Done, policyKey int64) error {
	tuple := "(?, ?, ?)"
	if tx.db.d.engine == Postgres {
		tuple = "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS DATE))"
	}
	for start := 0; start < len(list); start += 300 {
		part := list[start:min(start+300, len(list))]
		args := make([]any, 0, 3*len(part)+1)
		args = append(args, policyKey)
		for _, p := range part {
			args = append(args, p.BorrowerID, p.Version, p.On)
		}
		_, err := tx.exec(ctx, `UPDATE score_borrower_facts SET done_on = v.column3, policy_key = ?
			FROM (VALUES `+valueRows(tuple, len(part))+`) AS v WHERE score_borrower_facts.borrower_id = v.column1
			AND score_borrower_facts.version = v.column2 AND score_borrower_facts.body IS NOT NULL
			AND score_borrower_facts.payments_stale = 0`, args...)
		if err != nil {
			return fmt.Errorf("mark paid-off borrowers: %w", err)
		}
	}
	return nil
}

// valueRows returns n copies of tuple separated by commas: the rows of a
// VALUES list (UPDATE … FROM (VALUES …): SQLite ≥ 3.33 and PostgreSQL both
// name its columns column1, column2 …). SQLite runs such an UPDATE through
// a temporary table holding every column of each row it changes: cheap
// for the narrow score_borrower_facts, not for the 53 columns of cases
// (SetCaseEVs).
func valueRows(tuple string, n int) string {
	return strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")
}
