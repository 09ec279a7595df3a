package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/offer"
)

// OfferStatus is where a stored offer stands: proposed → approved or
// rejected; an approved offer → accepted (its agreement was accepted) or
// expired (another offer of the case was accepted, or offers were proposed
// again).
type OfferStatus string

// The offer statuses.
const (
	OfferProposed OfferStatus = "proposed"
	OfferApproved OfferStatus = "approved"
	OfferRejected OfferStatus = "rejected"
	OfferAccepted OfferStatus = "accepted"
	OfferExpired  OfferStatus = "expired"
)

// Offer is one offer of the engine as stored for a case: the whole
// offer.Offer, the assessment and policy version it came from, its rank in
// the engine's order, the team whose restructuring budget it counts against,
// and who proposed and decided it.
type Offer struct {
	ID             int64           `json:"id"`
	BorrowerID     int64           `json:"borrower_id"`
	CaseID         int64           `json:"case_id"`
	AssessmentID   int64           `json:"assessment_id"`
	Policy         offer.PolicyRef `json:"policy"`
	AsOf           date.Date       `json:"as_of"`
	Rank           int             `json:"rank"` // 1 = the engine's first choice
	TeamID         int64           `json:"team_id,omitempty"`
	Offer          offer.Offer     `json:"offer"`
	Concession     money.Amount    `json:"concession"` // waived in all, what the team budget counts
	Status         OfferStatus     `json:"status"`
	ProposedBy     string          `json:"proposed_by"`
	ProposedByID   int64           `json:"proposed_by_id,omitempty"`
	ProposedAt     time.Time       `json:"proposed_at"`
	DecidedBy      string          `json:"decided_by,omitempty"`
	DecidedByID    int64           `json:"decided_by_id,omitempty"`
	DecidedAt      time.Time       `json:"decided_at,omitzero"`
	DecisionReason string          `json:"decision_reason,omitempty"`
	UpdatedAt      time.Time       `json:"updated_at"`
	// PaidThrough is the last payment on the case's loans when the offer
	// was proposed (LastPaymentIDOf, read with their positions locked):
	// its debt counts the payments up to it; the plan of its agreement
	// counts the later ones. -1 when there was none; 0 for offers stored
	// before migration 00026.
	PaidThrough int64 `json:"-"`
}

const offerCols = `id, borrower_id, case_id, assessment_id, policy_name, policy_version, as_of, rank, team_id, offer,
	concession_minor, status, proposed_by, proposed_by_id, proposed_at, decided_by, decided_by_id, decided_at,
	decision_reason, updated_at, paid_through`

type offerRow struct {
	o    *Offer
	body string
}

func (r *offerRow) dest() []any {
	o := r.o
	return []any{num(&o.ID), num(&o.BorrowerID), num(&o.CaseID), num(&o.AssessmentID), &o.Policy.Name,
		num(&o.Policy.Version), &o.AsOf, num(&o.Rank), num(&o.TeamID), &r.body, num(&o.Concession), &o.Status,
		&o.ProposedBy, num(&o.ProposedByID), instant{&o.ProposedAt}, &o.DecidedBy, num(&o.DecidedByID),
		instant{&o.DecidedAt}, &o.DecisionReason, instant{&o.UpdatedAt}, num(&o.PaidThrough)}
}

// CreateOffer stores o as proposed and sets its ID and Concession;
// ProposedAt is the transaction's time when zero.
func (tx *Tx) CreateOffer(ctx context.Context, o *Offer) error {
	body, err := toJSON(o.Offer)
	if err != nil {
		return err
	}
	limits, err := toJSON(o.Offer.Limits)
	if err != nil {
		return err
	}
	o.Status, o.Concession = OfferProposed, concessionOf(o.Offer)
	o.ProposedAt = tx.at(o.ProposedAt)
	o.UpdatedAt = o.ProposedAt
	x := o.Offer
	err = tx.get(ctx, "Offer", `INSERT INTO negotiation_offers (borrower_id, case_id, assessment_id, offer_key,
		policy_name, policy_version, as_of, kind, offer, total_payable_minor, waived_minor, concession_minor, annual_rate,
		npv_minor, p_kept, expected_recovery_minor, affordable, approval_level, limits, rank, team_id, status,
		proposed_by, proposed_by_id, proposed_at, updated_at, paid_through)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{o.BorrowerID, o.CaseID, o.AssessmentID, x.ID, o.Policy.Name, o.Policy.Version, o.AsOf, string(x.Kind),
			body, int64(x.TotalPayable), int64(x.Waived.Total()), int64(o.Concession), x.AnnualRate.String(),
			int64(x.NPV), pkeptString(x.PKept), int64(x.ExpectedRecovery), x.Affordable, string(x.Approval), limits,
			o.Rank, o.TeamID, string(o.Status), o.ProposedBy, o.ProposedByID, ts(o.ProposedAt), ts(o.UpdatedAt), o.PaidThrough},
		&o.ID)
	if err != nil {
		return fmt.Errorf("create offer on case %d: %w", o.CaseID, err)
	}
	return nil
}

// Offer returns the offer with id. It returns a NotFound error if there is
// none.
func (tx *Tx) Offer(ctx context.Context, id int64) (Offer, error) {
	var o Offer
	r := offerRow{o: &o}
	err := tx.get(ctx, fmt.Sprintf("Offer %d", id), "SELECT "+offerCols+" FROM negotiation_offers WHERE id = ?",
		[]any{id}, r.dest()...)
	if err != nil {
		return o, err
	}
	return o, fromJSON(r.body, &o.Offer)
}

// OfferFilter selects offers. Zero fields select everything.
type OfferFilter struct {
	CaseID   int64
	Statuses []OfferStatus
	Limit    int // 0: 500
}

// Offers returns the offers f selects, newest proposal first and in the
// engine's order within one proposal.
func (tx *Tx) Offers(ctx context.Context, f OfferFilter) ([]Offer, error) {
	var w where
	if f.CaseID != 0 {
		w.add("case_id = ?", f.CaseID)
	}
	if len(f.Statuses) > 0 {
		args := make([]any, len(f.Statuses))
		for i, s := range f.Statuses {
			args[i] = string(s)
		}
		w.add("status IN ("+placeholders(len(args))+")", args...)
	}
	if f.Limit <= 0 {
		f.Limit = 500
	}
	rows, err := tx.query(ctx, "SELECT "+offerCols+" FROM negotiation_offers"+w.String()+
		" ORDER BY assessment_id DESC, proposed_at DESC, rank, id"+page(f.Limit, 0), w.args...)
	if err != nil {
		return nil, fmt.Errorf("offers: %w", err)
	}
	defer rows.Close()
	var out []Offer
	for rows.Next() {
		var o Offer
		r := offerRow{o: &o}
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, interpretError(err)
		}
		if err := fromJSON(r.body, &o.Offer); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, interpretError(rows.Err())
}

// OfferDecision is a change of an offer's status and who made it.
type OfferDecision struct {
	From   []OfferStatus // the statuses the offer may be in
	To     OfferStatus
	By     string
	ByID   int64
	Reason string
	At     time.Time // the transaction's time when zero
}

// DecideOffer moves offer id from one of d.From to d.To, recording who
// and why (approve and reject set decided_*; accept and expire keep them).
// It returns NotFound when there is no such offer and a Conflict error when
// it is not in one of d.From.
func (tx *Tx) DecideOffer(ctx context.Context, id int64, d OfferDecision) error {
	at := tx.at(d.At)
	args := []any{string(d.To), ts(at)}
	set := "status = ?, updated_at = ?"
	if d.To == OfferApproved || d.To == OfferRejected {
		set += ", decided_by = ?, decided_by_id = ?, decided_at = ?, decision_reason = ?"
		args = append(args, d.By, d.ByID, ts(at), d.Reason)
	}
	args = append(args, id)
	from := make([]any, len(d.From))
	for i, s := range d.From {
		from[i] = string(s)
	}
	args = append(args, from...)
	res, err := tx.exec(ctx, "UPDATE negotiation_offers SET "+set+" WHERE id = ? AND status IN ("+
		placeholders(len(from))+")", args...)
	if err != nil {
		return fmt.Errorf("decide offer %d: %w", id, err)
	}
	if err := affected(res, fmt.Sprintf("Offer %d", id)); err != nil {
		if _, gerr := tx.Offer(ctx, id); gerr != nil {
			return gerr
		}
		return errs.Errorf(errs.Conflict, "The offer is no longer %s.", d.From[0])
	}
	return nil
}

// ExpireOffers expires case caseID's proposed and approved offers but
// keep (0: none) and returns how many it expired.
func (tx *Tx) ExpireOffers(ctx context.Context, caseID, keep int64) (int, error) {
	res, err := tx.exec(ctx, `UPDATE negotiation_offers SET status = 'expired', updated_at = ?
		WHERE case_id = ? AND id <> ? AND status IN ('proposed', 'approved')`, ts(truncated(tx.now)), caseID, keep)
	if err != nil {
		return 0, fmt.Errorf("expire offers of case %d: %w", caseID, err)
	}
	n, err := res.RowsAffected()
	return int(n), interpretError(err)
}

// The sums of a team's restructuring budget, read under its lock on every
// approval that waives something; the covering indexes of migration 00023
// answer both from the index alone.
const (
	teamConcessionsSQL = `SELECT COALESCE(SUM(concession_minor), 0) FROM negotiation_offers
		WHERE team_id = ? AND decided_at >= ? AND decided_at < ? AND status IN ('approved', 'accepted')`
	teamOutstandingSQL = `SELECT COALESCE(SUM(c.balance_minor), 0) FROM cases c
		JOIN collectors k ON k.id = c.owner_id WHERE c.owner_kind = 'collector' AND c.status = 'open' AND k.team_id = ?`
)

// TeamConcessions returns the concessions of team teamID's offers approved
// in [from, to) that are still approved or accepted (an approved offer that
// expired unaccepted gives its concession back).
func (tx *Tx) TeamConcessions(ctx context.Context, teamID int64, from, to time.Time) (money.Amount, error) {
	var n int64
	err := tx.get(ctx, "Team concessions", teamConcessionsSQL, []any{teamID, ts(from), ts(to)}, &n)
	return money.Amount(n), err
}

// LockTeamBudget serialises approvals against team teamID's restructuring
// budget until tx ends: on PostgreSQL it locks the team's row, so a second
// approval waits and then sees the first one's concession; SQLite's one
// writer gives the same guarantee. A team that does not exist locks
// nothing.
func (tx *Tx) LockTeamBudget(ctx context.Context, teamID int64) error {
	if tx.db.d.engine != Postgres || tx.readOnly {
		return nil
	}
	var id int64
	err := tx.get(ctx, "Team", "SELECT id FROM teams WHERE id = ? FOR UPDATE", []any{teamID}, &id)
	if errs.CodeOf(err) == errs.NotFound {
		return nil
	}
	return err
}

// TeamOutstanding returns the balance of the open cases held by team
// teamID's collectors.
func (tx *Tx) TeamOutstanding(ctx context.Context, teamID int64) (money.Amount, error) {
	var n int64
	err := tx.get(ctx, "Team outstanding", teamOutstandingSQL, []any{teamID}, &n)
	return money.Amount(n), err
}

// Decision is one entry of an offer's approval record: proposed, approved
// or rejected, by whom, with which authority level, when and why.
type Decision struct {
	ID         int64     `json:"id"`
	BorrowerID int64     `json:"borrower_id"`
	OfferID    int64     `json:"offer_id"`
	Action     string    `json:"action"` // propose, approve, reject
	Username   string    `json:"username"`
	UserID     int64     `json:"user_id,omitempty"`
	Level      string    `json:"level,omitempty"` // the approver's authority level
	Reason     string    `json:"reason,omitempty"`
	At         time.Time `json:"at"`
}

// AddDecision appends d to its offer's approval record and sets its ID; At
// is the transaction's time when zero.
func (tx *Tx) AddDecision(ctx context.Context, d *Decision) error {
	d.At = tx.at(d.At)
	err := tx.get(ctx, "Decision", `INSERT INTO negotiation_decisions (borrower_id, offer_id, action, username, user_id,
		level, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{d.BorrowerID, d.OfferID, d.Action, d.Username, d.UserID, d.Level, d.Reason, ts(d.At)}, &d.ID)
	if err != nil {
		return fmt.Errorf("add decision on offer %d: %w", d.OfferID, err)
	}
	return nil
}

// Decisions returns offer offerID's approval record, oldest first.
func (tx *Tx) Decisions(ctx context.Context, offerID int64) ([]Decision, error) {
	rows, err := tx.query(ctx, `SELECT id, borrower_id, offer_id, action, username, user_id, level, reason, at
		FROM negotiation_decisions WHERE offer_id = ? ORDER BY id`, offerID)
	if err != nil {
		return nil, fmt.Errorf("decisions on offer %d: %w", offerID, err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		if err := rows.Scan(num(&d.ID), num(&d.BorrowerID), num(&d.OfferID), &d.Action, &d.Username, num(&d.UserID),
			&d.Level, &d.Reason, instant{&d.At}); err != nil {
			return nil, interpretError(err)
		}
		out = append(out, d)
	}
	return out, interpretError(rows.Err())
}
