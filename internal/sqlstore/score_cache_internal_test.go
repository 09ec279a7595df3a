package sqlstore

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/ledger"
	"accord/internal/money"
)

// A borrower's packed facts unpack to the same facts, also many borrowers
// one after another into one slab (a slice taken from it is never
// overwritten by the next borrower's, and grows by copying); every
// truncation of a body is an error, not a panic or a wrong borrower.
func TestPackedFacts_RoundTrip(t *testing.T) {
	borrower := func(id int64, loans int) *features.Facts {
		f := &features.Facts{BorrowerID: id, MonthlyIncome: money.Amount(800_000 + id)}
		for k := range loans {
			l := features.Loan{Loan: ledger.Loan{ID: id*10 + int64(k), BorrowerID: id, ProductCode: []string{"cash", "card"}[k%2],
				Principal: money.Amount(1_000_000 * (k + 1)), DisbursedOn: date.MustParse("2026-01-15").AddDays(k),
				PenaltyRateDaily: decimal.MustParse("0.0005"), LateFee: 5000}}
			for i := range 3 + k {
				l.Schedule = append(l.Schedule, ledger.Installment{Seq: i + 1, DueDate: l.Loan.DisbursedOn.AddDays(30 * (i + 1)),
					Principal: 300_000, Interest: 12_000})
			}
			for i := range k + int(id%3) {
				// ids falling as the dates rise, amounts up and down: negative differences
				p := ledger.Payment{ID: id*100 + int64(9-i), LoanID: l.Loan.ID, Amount: money.Amount(312_000 + 5_000*(i%2)),
					PaidOn: l.Loan.DisbursedOn.AddDays(30 * (i + 1))}
				if i == 1 {
					p.Reversed, p.ReversedAt = true, time.Date(2026, 4, 1, 3, 0, 0, 0, time.UTC)
				}
				l.Payments = append(l.Payments, p)
			}
			f.Loans = append(f.Loans, l)
		}
		return f
	}
	var slab factsSlab
	var got, want []*features.Facts
	for id := range int64(400) {
		f := borrower(id+1, int(id%4)+1)
		b, ok := packBorrowerFacts(f)
		if !ok {
			t.Fatalf("borrower %d not packed", f.BorrowerID)
		}
		u, err := unpackBorrowerFacts(b, f.BorrowerID, &slab)
		if err != nil {
			t.Fatalf("borrower %d: %v", f.BorrowerID, err)
		}
		got, want = append(got, u), append(want, f)
		if id == 0 {
			for n := range len(b) {
				if _, err := unpackBorrowerFacts(b[:n], f.BorrowerID, nil); err == nil {
					t.Errorf("a body cut to %d of %d bytes unpacked", n, len(b))
				}
			}
		}
	}
	// A payment merged into the first borrower's loan grows its own slice.
	got[0].Loans[0].Payments = append(got[0].Loans[0].Payments, ledger.Payment{ID: 1})
	got[0].Loans[0].Payments = got[0].Loans[0].Payments[:len(got[0].Loans[0].Payments)-1]
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("borrower %d unpacked as\n%+v\nwant\n%+v", want[i].BorrowerID, got[i], want[i])
		}
	}

	// Reset, the slab hands out the same memory again, zeroed: the
	// borrowers unpacked again in reverse order (other sizes at each place,
	// a reversed payment's place taken by one that is not) are the same.
	blocks := len(slab.p.blocks) + len(slab.in.blocks) + len(slab.l.blocks) + len(slab.f.blocks)
	slab.reset()
	for i := len(want) - 1; i >= 0; i-- {
		b, _ := packBorrowerFacts(want[i])
		u, err := unpackBorrowerFacts(b, want[i].BorrowerID, &slab)
		if err != nil {
			t.Fatalf("borrower %d again: %v", want[i].BorrowerID, err)
		}
		if !reflect.DeepEqual(u, want[i]) {
			t.Fatalf("borrower %d unpacked again as\n%+v\nwant\n%+v", want[i].BorrowerID, u, want[i])
		}
	}
	if again := len(slab.p.blocks) + len(slab.in.blocks) + len(slab.l.blocks) + len(slab.f.blocks); again > blocks+3 {
		t.Errorf("the slab holds %d blocks after the second round, %d after the first: the memory was not handed out again", again, blocks)
	}
}

// factsReader.varint reads what binary.Varint reads, and calls malformed
// what it does: short, or more than 64 bits.
func TestFactsReaderVarint_SameAsBinaryVarint(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	var cases [][]byte
	for _, v := range []int64{0, 1, -1, 63, -64, 64, -65, 1 << 40, math.MaxInt64, math.MinInt64} {
		cases = append(cases, binary.AppendVarint(nil, v))
	}
	cases = append(cases, nil, []byte{0x80}, bytes.Repeat([]byte{0xff}, 9), append(bytes.Repeat([]byte{0xff}, 9), 0x01),
		append(bytes.Repeat([]byte{0xff}, 9), 0x02), append(bytes.Repeat([]byte{0xff}, 10), 0x00), append(bytes.Repeat([]byte{0x80}, 11), 0x00))
	for range 20000 {
		b := make([]byte, rng.IntN(13))
		for i := range b {
			b[i] = byte(rng.IntN(256))
			if rng.IntN(3) == 0 {
				b[i] |= 0x80
			}
		}
		cases = append(cases, b)
	}
	for _, b := range cases {
		want, n := binary.Varint(b)
		r := factsReader{b: b}
		got := r.varint()
		if n <= 0 {
			if !r.bad || got != 0 {
				t.Fatalf("varint(% x) = %d, bad %v; want malformed", b, got, r.bad)
			}
			continue
		}
		if r.bad || got != want || len(r.b) != len(b)-n {
			t.Fatalf("varint(% x) = %d, %d bytes left, bad %v; want %d, %d left", b, got, len(r.b), r.bad, want, len(b)-n)
		}
	}
}
