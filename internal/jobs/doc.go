// Package jobs runs Accord's background work: small loops that call the
// use cases of package collect on a ticker and stop when their context is
// cancelled. Each round is idempotent, so a loop may be stopped at any
// point and started again, on this node or another.
//
// Sender delivers the outbox: it claims due messages (collect asks the
// contact governor again for each, with the borrower's history as it is
// at that moment, and holds or blocks what may not go now), hands the
// cleared ones to a notify.Sender, and records the outcome: sent, retried
// after a backoff, or failed. The outbox id is the provider's idempotency
// key, so a crash between handing a message over and recording it, after
// which the message is claimed again once its lease ends and handed over
// again, still delivers it once.
package jobs
