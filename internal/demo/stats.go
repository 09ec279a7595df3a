package demo

import "accord/internal/ledger"

// Stats counts what a generated portfolio holds.
type Stats struct {
	Borrowers  int
	Loans      int
	Payments   int
	Contacts   int
	Behaviours map[Kind]int
	Statuses   map[ledger.Status]int // by Loan.Status on the as-of date
}

// Add counts b.
func (s *Stats) Add(b Bundle) {
	if s.Behaviours == nil {
		s.Behaviours = map[Kind]int{}
		s.Statuses = map[ledger.Status]int{}
	}
	s.Borrowers++
	s.Contacts += len(b.Contacts)
	s.Behaviours[b.Behaviour.Kind]++
	for _, l := range b.Loans {
		s.Loans++
		s.Payments += len(l.Payments)
		s.Statuses[l.Loan.Status]++
	}
}
