// Package features turns what is known about a borrower on a date into the
// numbers a scoring model reads, and builds the outcomes (targets) models
// are trained to predict.
//
// A feature vector is computed "as of" a date D from plain facts, each
// carrying its own date: the loans with their schedules and payments, the
// contact log, promises to pay, repayment plans and field visits. Compute
// ignores every fact dated after D (a payment paid later, a call made
// later, a promise's verdict reached later, a plan started later), so a
// model trained on past snapshots never sees the future: the no-look-ahead
// property test in this package proves it on random histories.
//
// Jargon: DPD is days past due of the oldest unpaid installment; a
// borrower's DPD is the largest of their loans'. A right-party contact
// (RPC) is a call that reached the borrower in person. Cure is the
// borrower's DPD returning to 0; roll forward is moving to a later bucket
// (M1 → M2 …).
//
// Targets (see Label) look forward from D over a horizon and are used only
// to train, never to score:
//
//   - cure30: a delinquent borrower is at 0 DPD on some day within 30 days
//     (propensity to pay);
//   - roll30: a delinquent borrower reaches the next bucket within 30 days;
//   - ew90: a current borrower reaches 30+ DPD within 90 days (early
//     warning).
//
// The package is pure: no clock, database or network.
package features
