package demo

import (
	"fmt"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
)

// Config says what portfolio to generate.
type Config struct {
	Borrowers int       // how many borrowers
	Seed      uint64    // the same seed gives the same portfolio
	AsOf      date.Date // loans are disbursed in the 36 months before; payments run up to it
}

// Bundle is one borrower with everything generated for them, ready for the
// loader. IDs follow the scheme in the package comment.
type Bundle struct {
	Index     int // 0-based; Borrower.ID is Index+1
	Borrower  borrower.Borrower
	Contacts  []borrower.Contact
	Loans     []LoanHistory
	Behaviour Behaviour
}

// LoanHistory is one loan with its schedule and its payments up to the as-of
// date, in PaidOn order. Loan.Status is ledger.StatusFor of the loan's
// replayed position on the as-of date.
type LoanHistory struct {
	Loan     ledger.Loan
	Schedule []ledger.Installment
	Payments []ledger.Payment
}

// Generate generates cfg.Borrowers borrowers and calls emit with each, in
// index order. It stops at the first error emit returns and returns it
// wrapped. It returns an Invalid error for a negative count or a missing
// as-of date.
//
// Borrower i depends only on cfg.Seed, cfg.AsOf and i (see the package
// comment), never on cfg.Borrowers.
func Generate(cfg Config, emit func(Bundle) error) error {
	if cfg.Borrowers < 0 {
		return errs.Field("borrowers", "Number of borrowers must not be negative.")
	}
	if cfg.AsOf.IsZero() {
		return errs.Field("as_of", "As-of date is required.")
	}
	g := newGenerator(cfg)
	for i := range cfg.Borrowers {
		b, err := g.bundle(i)
		if err != nil {
			return fmt.Errorf("generate borrower %d: %w", i+1, err)
		}
		if err := emit(b); err != nil {
			return fmt.Errorf("emit borrower %d: %w", i+1, err)
		}
	}
	return nil
}

// generator holds what every borrower's generation shares.
type generator struct {
	cfg      Config
	products []ledger.Product
	pol      ledger.Policy
}

func newGenerator(cfg Config) *generator {
	return &generator{cfg: cfg, products: Products(), pol: ledger.DefaultPolicy()}
}

// bundle generates borrower i. The order of the draws is part of the output:
// changing it changes every portfolio.
func (g *generator) bundle(i int) (Bundle, error) {
	r := newRNG(g.cfg.Seed, i)
	beh := Behaviour{Kind: Kinds()[kindMix.pick(r)], Seed: r.Uint64() >> 11}
	p := r.person(i+1, g.cfg.AsOf)
	loans := g.loans(r, p)
	g.trouble(r, &beh, loans)
	applied := loans[0].CreatedAt.Add(-r.applicationLead())
	p.CreatedAt, p.UpdatedAt = applied, applied
	out := Bundle{Index: i, Borrower: p.Borrower, Contacts: r.contacts(p, applied), Behaviour: beh}
	for _, l := range loans {
		h, err := g.history(r, l, beh, p.loc)
		if err != nil {
			return Bundle{}, fmt.Errorf("loan %s: %w", l.ExternalID, err)
		}
		out.Loans = append(out.Loans, h)
	}
	return out, nil
}
