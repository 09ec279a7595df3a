// Package scoring is the use cases of Accord's scoring models: training a
// model on the lender's own history, approving and promoting it, scoring
// borrowers every night with it, and watching its stability.
//
// Lifecycle of a model version (one series per target, see
// features.Target):
//
//	trained ──approve (another user, model:approve)──▶ approved
//	approved ──promote──▶ champion | challenger (a share of borrowers)
//	champion/challenger ──replaced by another promotion──▶ retired
//
// Training (Train) builds snapshots of every borrower as of several past
// dates, labels each with what happened in the target's horizon after it,
// trains on the older snapshots and validates on the latest one (an
// out-of-time split), and stores the model with its metrics (AUC, KS,
// Brier, calibration) and feature spec. Nothing scores borrowers until the
// version is approved by a user other than its trainer and promoted.
//
// Every night (RunNightly, a collect.NightlyStep) the models in use score
// their population as of the night's date: the borrowers of open cases for
// cure30 and roll30, current borrowers for ew90. Each score is stored with
// its top reason codes (Chinese and English) and arm; cure30's probability
// times the case balance becomes the case's expected value, which orders
// the collectors' queues. The population stability index (PSI) of the
// score and of every feature against the training population is stored,
// and a score PSI above the alert threshold writes an audit event.
package scoring
