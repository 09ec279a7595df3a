// Package testkit holds the test fixtures that tests of several packages
// share (collect, negotiation, web, cmd/accord): a clock tests can fix and
// move, actors by role, one stored user per role, and a borrower with
// loans booked through the use cases. Databases come from
// accord/internal/sqlstore/storetest (OpenSQLite, OpenPostgres, Engines),
// the only place that opens them.
//
// A typical use-case test:
//
//	storetest.Engines(t, func(t *testing.T, e storetest.Engine) {
//		clock := testkit.NewClock(testkit.T0)
//		svc := testkit.Service(e.Open(t), clock, collect.Options{})
//		b, loans := testkit.BorrowerWithLoans(t, svc, "1", 2, nil)
//		…
//	})
//
// Only test code imports testkit. It imports collect, so tests inside
// package collect (package collect, not collect_test) cannot use it.
package testkit
