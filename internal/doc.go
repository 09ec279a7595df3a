// Package internal holds Accord's code. Imports point one way only:
//
//	errs, money, date              value types and the shared error vocabulary
//	  → domain (pure Go, no I/O):  borrower, ledger, delinquency, calendar, compliance,
//	                                classify, strategy, casework, audit, auth, pii, demo, promise,
//	                                offer (affordability and offers), plan (restructured plans),
//	                                visit and route (field visits, day plans), model (scoring),
//	                                bot (what a borrower's message means), csvsafe
//	  → sqlstore                    the only package that speaks SQL (SQLite and PostgreSQL)
//	  → collect                     use cases: load in a transaction, call rules, save, audit
//	  → negotiation                 negotiation use cases (promises to pay …); collect calls it
//	                                only through interfaces it declares (collect.Promises)
//	  → web, jobs, notify           edges: HTTP console and API, scheduled work, delivery
//	  → cmd/accord                  wiring
//
// Domain packages take the date or time as an argument and never read a clock,
// a database or the network.
package internal
