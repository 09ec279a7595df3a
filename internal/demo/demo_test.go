package demo

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
)

var asOf = date.MustParse("2026-03-31")

// generate returns the bundles of cfg.
func generate(t testing.TB, cfg Config) []Bundle {
	t.Helper()
	var out []Bundle
	if err := Generate(cfg, func(b Bundle) error { out = append(out, b); return nil }); err != nil {
		t.Fatalf("Generate() error = %v", err)
	}
	return out
}

// digest returns a hash of the JSON encoding of every bundle of cfg.
func digest(t *testing.T, cfg Config) [32]byte {
	t.Helper()
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, b := range generate(t, cfg) {
		if err := enc.Encode(b); err != nil {
			t.Fatal(err)
		}
	}
	return [32]byte(h.Sum(nil))
}

func TestGenerate_Deterministic(t *testing.T) {
	t.Parallel()
	cfg := Config{Borrowers: 500, Seed: 7, AsOf: asOf}
	if digest(t, cfg) != digest(t, cfg) {
		t.Error("two runs of the same Config differ")
	}
	other := cfg
	other.Seed = 8
	if digest(t, cfg) == digest(t, other) {
		t.Error("seeds 7 and 8 gave the same portfolio")
	}
}

func TestGenerate_IndependentOfN(t *testing.T) {
	t.Parallel()
	small := generate(t, Config{Borrowers: 10, Seed: 3, AsOf: asOf})
	large := generate(t, Config{Borrowers: 1000, Seed: 3, AsOf: asOf})
	for i, b := range small {
		got, _ := json.Marshal(b)
		want, _ := json.Marshal(large[i])
		if string(got) != string(want) {
			t.Errorf("borrower %d differs between N=10 and N=1000", i+1)
		}
	}
}

func TestGenerate_Errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
	}{
		{"NegativeBorrowers", Config{Borrowers: -1, AsOf: asOf}},
		{"NoAsOf", Config{Borrowers: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Generate(tt.cfg, func(Bundle) error { return nil })
			if errs.CodeOf(err) != errs.Invalid {
				t.Errorf("Generate() error = %v, want Invalid", err)
			}
		})
	}
	t.Run("EmitError", func(t *testing.T) {
		stop := errors.New("stop")
		n := 0
		err := Generate(Config{Borrowers: 5, AsOf: asOf}, func(Bundle) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("Generate() = %v after %d bundles, want stop after 1", err, n)
		}
	})
}

func TestGenerate_IDs(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	unique := func(kind, id string) {
		if seen[id] {
			t.Errorf("%s external id %s repeats", kind, id)
		}
		seen[id] = true
	}
	for _, b := range generate(t, Config{Borrowers: 2000, Seed: 1, AsOf: asOf}) {
		unique("borrower", b.Borrower.ExternalID)
		if b.Borrower.ID != int64(b.Index+1) {
			t.Errorf("borrower %s has ID %d, want %d", b.Borrower.ExternalID, b.Borrower.ID, b.Index+1)
		}
		for _, c := range b.Contacts {
			unique("contact", c.ExternalID)
			if c.ID/10 != b.Borrower.ID || c.BorrowerID != b.Borrower.ID {
				t.Errorf("contact %s (ID %d) is not under borrower %d", c.ExternalID, c.ID, b.Borrower.ID)
			}
		}
		for _, l := range b.Loans {
			unique("loan", l.Loan.ExternalID)
			if l.Loan.ID/10 != b.Borrower.ID || l.Loan.BorrowerID != b.Borrower.ID {
				t.Errorf("loan %s (ID %d) is not under borrower %d", l.Loan.ExternalID, l.Loan.ID, b.Borrower.ID)
			}
			for _, p := range l.Payments {
				unique("payment", p.ExternalID)
				if p.ID/1000 != l.Loan.ID || p.LoanID != l.Loan.ID {
					t.Errorf("payment %s (ID %d) is not under loan %d", p.ExternalID, p.ID, l.Loan.ID)
				}
			}
		}
	}
}

func TestProducts(t *testing.T) {
	t.Parallel()
	ps := Products()
	if len(ps) != len(productMix) {
		t.Fatalf("%d products, %d mix rows", len(ps), len(productMix))
	}
	codes := map[string]bool{}
	for i, p := range ps {
		if p.ID != int64(i+1) || codes[p.Code] || p.TermMonths < 1 || !p.PenaltyRateDaily.IsPos() || p.LateFee <= 0 {
			t.Errorf("product %+v is malformed or repeats a code", p)
		}
		codes[p.Code] = true
	}
	if !slices.ContainsFunc(ps, func(p ledger.Product) bool { return p.Method == ledger.InterestFirst }) ||
		!slices.ContainsFunc(ps, func(p ledger.Product) bool { return p.Method == ledger.EqualPrincipal }) {
		t.Error("products do not cover every repayment method")
	}
}
