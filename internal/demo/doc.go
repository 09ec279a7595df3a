// Package demo generates a synthetic but realistic loan book for
// demonstrations, load tests and the simulation: borrowers with Chinese
// names, valid-format resident identity numbers, phones, addresses and
// registered contacts, their loans of a handful of products, each loan's
// repayment schedule and its payment history up to an as-of date.
//
// Every borrower follows a behaviour (还款行为): always_on_time,
// occasionally_late, hardship, strategic_defaulter or unreachable. The
// behaviour drives the payment history and, through Behaviour.Respond, what
// the borrower does later in a simulation (pays, answers a call, keeps a
// promise). The mix is tuned so that on the as-of date about 15% of the loans
// still open are past due, spread over every bucket from M1 to M7+, and a
// good part of the older loans are paid off.
//
// # Determinism
//
// Generate is a pure function of its Config: the same Config yields
// byte-identical bundles. Borrower i (0-based) draws from its own PCG
// generator seeded from (Config.Seed, i), so it is the same whether 10 or
// 1,000,000 borrowers are generated.
//
// # Identifiers
//
// The loader assigns database ids; the ids in a Bundle are derived from the
// borrower's 1-based number b = index+1 so that they are unique across the
// whole portfolio and stable:
//
//	Borrower.ID = b                          ExternalID "B%08d"   B00000007
//	Contact.ID  = b*10 + k     (k = 1..3)    ExternalID "C%010d"  C0000000071
//	Loan.ID     = b*10 + k     (k = 1..3)    ExternalID "L%010d"  L0000000071
//	Payment.ID  = Loan.ID*1000 + j (j = 1..999, in PaidOn order)
//	                                         ExternalID "P%013d"  P0000000071004
//
// Contacts and loans number their own series, so Contact.ID and Loan.ID may
// coincide; they are different tables.
package demo
