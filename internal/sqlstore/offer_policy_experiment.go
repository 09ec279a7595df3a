package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/offer"
)

// Offer policy experiments are stored as Experiment values whose Champion
// and Challenger are offer policy version ids (offer_policy_experiments).

const offerExperimentCols = "id, name, champion_id, challenger_id, share, status, started_on, stopped_on, created_by, created_at"

// CreateOfferPolicyExperiment stores e as active and sets its ID. It
// returns a Conflict error if another offer policy experiment is active and
// an Invalid error if a version does not exist.
func (tx *Tx) CreateOfferPolicyExperiment(ctx context.Context, e *Experiment) error {
	e.Status, e.CreatedAt = ExperimentActive, tx.now
	err := tx.get(ctx, "Offer policy experiment", `INSERT INTO offer_policy_experiments (name, champion_id, challenger_id,
		share, status, started_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, []any{e.Name,
		e.Champion, e.Challenger, e.ChallengerShare, e.Status, e.StartedOn, e.CreatedBy, ts(e.CreatedAt)}, &e.ID)
	return conflict(err, "Another offer policy experiment is running; stop it first.")
}

// OfferPolicyExperiment returns offer policy experiment id. It returns a
// NotFound error if there is none.
func (tx *Tx) OfferPolicyExperiment(ctx context.Context, id int64) (Experiment, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+offerExperimentCols+
		" FROM offer_policy_experiments WHERE id = ?"), id)
	e, err := scanExperiment(row.Scan)
	return e, noRow(err, fmt.Sprintf("Offer policy experiment %d", id))
}

// ActiveOfferPolicyExperiment returns the running offer policy experiment.
// It returns a NotFound error if none runs.
func (tx *Tx) ActiveOfferPolicyExperiment(ctx context.Context) (Experiment, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+offerExperimentCols+
		" FROM offer_policy_experiments WHERE status = ?"), ExperimentActive)
	e, err := scanExperiment(row.Scan)
	return e, noRow(err, "Active offer policy experiment")
}

// OfferPolicyExperiments returns every offer policy experiment, newest
// first.
func (tx *Tx) OfferPolicyExperiments(ctx context.Context) ([]Experiment, error) {
	rows, err := tx.query(ctx, "SELECT "+offerExperimentCols+" FROM offer_policy_experiments ORDER BY id DESC")
	if err != nil {
		return nil, fmt.Errorf("list offer policy experiments: %w", err)
	}
	defer rows.Close()
	var out []Experiment
	for rows.Next() {
		e, err := scanExperiment(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan offer policy experiment: %w", err)
		}
		out = append(out, e)
	}
	return out, interpretError(rows.Err())
}

// StopOfferPolicyExperiment stops offer policy experiment id as of on. It
// returns a NotFound error if there is no such experiment and a Conflict
// error if it has stopped.
func (tx *Tx) StopOfferPolicyExperiment(ctx context.Context, id int64, on date.Date) error {
	res, err := tx.exec(ctx, "UPDATE offer_policy_experiments SET status = ?, stopped_on = ? WHERE id = ? AND status = ?",
		ExperimentStopped, on, id, ExperimentActive)
	if err != nil {
		return fmt.Errorf("stop offer policy experiment %d: %w", id, err)
	}
	if err := affected(res, fmt.Sprintf("Offer policy experiment %d", id)); err != nil {
		if _, err2 := tx.OfferPolicyExperiment(ctx, id); err2 != nil {
			return err2
		}
		return errs.Errorf(errs.Conflict, "Offer policy experiment %d has already stopped.", id)
	}
	return nil
}

// PolicyTotals is what the offers of one policy version, proposed within a
// period, came to: the offers and the cases they were made on, how many
// were accepted, the plans made from accepted agreements, how many of
// those were completed (kept) or broken (a plan superseded after it broke
// counts as broken), and the payments received on the plans' loans from
// each plan's start (not reversed; for a superseded plan, only those
// posted before the plan that replaced it).
type PolicyTotals struct {
	Policy    offer.PolicyRef `json:"policy"`
	Offers    int             `json:"offers"`
	Cases     int             `json:"cases"`
	Accepted  int             `json:"accepted"`
	Plans     int             `json:"plans"`
	Kept      int             `json:"kept"`
	Broken    int             `json:"broken"`
	Recovered money.Amount    `json:"recovered"`
}

// OfferPolicyTotals returns the totals of the offers of policy p proposed
// (as of) from from to to, both included; a zero to means no end.
func (tx *Tx) OfferPolicyTotals(ctx context.Context, p offer.PolicyRef, from, to date.Date) (PolicyTotals, error) {
	return tx.policyTotals(ctx, p, from, to, 0)
}

// ExperimentArmTotals is OfferPolicyTotals of the offers of policy p that
// offer policy experiment experimentID's split chose (as recorded with
// each offer): offers of a team pinned to the version, or kept out of
// experiments, and offers made before the experiment started do not count.
func (tx *Tx) ExperimentArmTotals(ctx context.Context, experimentID int64, p offer.PolicyRef, from, to date.Date) (PolicyTotals, error) {
	return tx.policyTotals(ctx, p, from, to, experimentID)
}

func (tx *Tx) policyTotals(ctx context.Context, p offer.PolicyRef, from, to date.Date, experimentID int64) (PolicyTotals, error) {
	t := PolicyTotals{Policy: p}
	where := " WHERE o.policy_name = ? AND o.policy_version = ? AND o.as_of >= ?"
	args := []any{p.Name, p.Version, from}
	if !to.IsZero() {
		where += " AND o.as_of <= ?"
		args = append(args, to)
	}
	if experimentID != 0 {
		where += " AND EXISTS (SELECT 1 FROM negotiation_offer_policies u WHERE u.offer_id = o.id AND u.experiment_id = ?)"
		args = append(args, experimentID)
	}
	err := tx.get(ctx, "Offer policy totals", `SELECT COUNT(*), COUNT(DISTINCT o.case_id),
		COALESCE(CAST(SUM(CASE WHEN o.status = 'accepted' THEN 1 ELSE 0 END) AS BIGINT), 0),
		COUNT(p.id), COALESCE(CAST(SUM(CASE WHEN p.status = 'completed' THEN 1 ELSE 0 END) AS BIGINT), 0),
		COALESCE(CAST(SUM(CASE WHEN p.status = 'broken' OR p.status = 'superseded' AND p.broken_on IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), 0)
		FROM negotiation_offers o LEFT JOIN negotiation_agreements a ON a.offer_id = o.id AND a.status = 'accepted'
		LEFT JOIN plans p ON p.agreement_id = a.id`+where, args,
		num(&t.Offers), num(&t.Cases), num(&t.Accepted), num(&t.Plans), num(&t.Kept), num(&t.Broken))
	if err != nil {
		return t, fmt.Errorf("total offers of policy %s v%d: %w", p.Name, p.Version, err)
	}
	err = tx.get(ctx, "Offer policy recovery", `SELECT COALESCE(CAST(SUM(pay.amount_minor) AS BIGINT), 0)
		FROM negotiation_offers o JOIN negotiation_agreements a ON a.offer_id = o.id AND a.status = 'accepted'
		JOIN plans p ON p.agreement_id = a.id JOIN plan_loans pl ON pl.plan_id = p.id
		JOIN payments pay ON pay.loan_id = pl.loan_id AND pay.paid_on >= p.start_on AND NOT pay.reversed
			AND (p.status <> 'superseded' OR pay.id <= (SELECT MIN(p2.after_payment_id) FROM plans p2
				JOIN plan_loans pl2 ON pl2.plan_id = p2.id WHERE pl2.loan_id = pl.loan_id AND p2.id > p.id))`+where, args,
		num(&t.Recovered))
	if err != nil {
		return t, fmt.Errorf("total recovery of policy %s v%d: %w", p.Name, p.Version, err)
	}
	return t, nil
}
