package sqlstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
)

// score_loan_facts (migration 00024) keeps each loan's schedule and
// payments packed in one value for the nightly scoring. A value is a
// version byte, then the installments and the payments, each a count and
// then their fields as varints:
//
//	installment: seq, due date (days), principal, interest
//	payment:     id, paid on (days), amount, reversed (0/1)[, reversed at (µs since 1970, UTC)]

const factsVersion = 1

var errFactsBody = errors.New("malformed score_loan_facts body")

// packLoanFacts returns the stored form of a loan's schedule and payments.
func packLoanFacts(sched []ledger.Installment, pays []ledger.Payment) []byte {
	b := make([]byte, 0, 2+len(sched)*10+len(pays)*14)
	b = append(b, factsVersion)
	b = binary.AppendUvarint(b, uint64(len(sched)))
	for _, in := range sched {
		b = binary.AppendVarint(b, int64(in.Seq))
		b = binary.AppendVarint(b, int64(in.DueDate))
		b = binary.AppendVarint(b, int64(in.Principal))
		b = binary.AppendVarint(b, int64(in.Interest))
	}
	b = binary.AppendUvarint(b, uint64(len(pays)))
	for _, p := range pays {
		b = binary.AppendVarint(b, p.ID)
		b = binary.AppendVarint(b, int64(p.PaidOn))
		b = binary.AppendVarint(b, int64(p.Amount))
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

// unpackLoanFacts reads a value packLoanFacts wrote for loan loanID.
func unpackLoanFacts(b []byte, loanID int64) ([]ledger.Installment, []ledger.Payment, error) {
	r := factsReader{b: b}
	if len(b) == 0 || b[0] != factsVersion {
		return nil, nil, errFactsBody
	}
	r.b = b[1:]
	sched := make([]ledger.Installment, r.uvarint())
	for i := range sched {
		sched[i] = ledger.Installment{Seq: int(r.varint()), DueDate: date.Date(r.varint()),
			Principal: money.Amount(r.varint()), Interest: money.Amount(r.varint())}
	}
	pays := make([]ledger.Payment, r.uvarint())
	for i := range pays {
		p := &pays[i]
		p.ID, p.LoanID, p.PaidOn, p.Amount = r.varint(), loanID, date.Date(r.varint()), money.Amount(r.varint())
		if r.byte() == 1 {
			p.Reversed = true
			if at := r.varint(); at != 0 {
				p.ReversedAt = time.UnixMicro(at).UTC()
			}
		}
	}
	if r.bad || len(r.b) != 0 {
		return nil, nil, errFactsBody
	}
	return sched, pays, nil
}

// factsReader reads varints, remembering whether one was malformed.
type factsReader struct {
	b   []byte
	bad bool
}

func (r *factsReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
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

func (r *factsReader) byte() byte {
	if len(r.b) == 0 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// PaidOff is a cached loan found paid off on a night (see MarkPaidOff).
type PaidOff struct {
	LoanID int64
	On     date.Date
}

// MarkPaidOff records that the cached loans of list were paid off on their
// dates, as the replay of their cached facts under the ledger policy with
// fingerprint policyKey found on a night when all their payments were known
// (migration 00029). A loan whose cached row was dropped since it was read
// (something of it changed) is not marked.
func (tx *Tx) MarkPaidOff(ctx context.Context, list []PaidOff, policyKey int64) error {
	tuple := "(?, ?)" // SQLite: the values keep their types (a date is text)
	if tx.db.d.engine == Postgres {
		tuple = "(CAST(? AS BIGINT), CAST(? AS DATE))"
	}
	for start := 0; start < len(list); start += 500 {
		part := list[start:min(start+500, len(list))]
		args := make([]any, 0, 2*len(part)+1)
		args = append(args, policyKey)
		var b strings.Builder
		for i, p := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
			args = append(args, p.LoanID, p.On)
		}
		_, err := tx.exec(ctx, `UPDATE score_loan_facts SET paid_off_on = v.column2, policy_key = ?
			FROM (VALUES `+b.String()+`) AS v WHERE score_loan_facts.loan_id = v.column1`, args...)
		if err != nil {
			return fmt.Errorf("mark paid-off loans: %w", err)
		}
	}
	return nil
}
