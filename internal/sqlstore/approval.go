package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"accord/internal/compliance"
	"accord/internal/errs"
)

// Approval is a request for a contact the governor allows only once a
// named role approves it (decision approval): a visit, a call to a
// debt-related third party, a letter citing real proceedings. It is
// pending until someone holding the role approves or denies it; an approved
// request is used by one contact that matches it (same borrower, channel,
// party, recipient and purpose) before it expires.
type Approval struct {
	ID            int64               `json:"id"`
	BorrowerID    int64               `json:"borrower_id"`
	CaseID        int64               `json:"case_id,omitempty"`
	ContactID     int64               `json:"contact_id,omitempty"`
	Channel       compliance.Channel  `json:"channel"`
	Party         compliance.Party    `json:"party"`
	Address       string              `json:"address,omitempty"`
	AddressMasked string              `json:"address_masked"`
	Purpose       string              `json:"purpose,omitempty"`
	Text          string              `json:"text,omitempty"`
	Rules         []string            `json:"rules"`
	RequiredRoles []string            `json:"required_roles"`
	Decision      compliance.Decision `json:"decision"`
	Status        ApprovalStatus      `json:"status"`
	RequestedBy   int64               `json:"requested_by"`
	RequestedName string              `json:"requested_name"`
	DecidedBy     int64               `json:"decided_by,omitempty"`
	DecidedName   string              `json:"decided_name,omitempty"`
	DecidedRole   string              `json:"decided_role,omitempty"`
	DecidedAt     time.Time           `json:"decided_at,omitzero"`
	Note          string              `json:"note,omitempty"`
	AttemptID     int64               `json:"attempt_id,omitempty"` // the contact that used it
	ExpiresAt     time.Time           `json:"expires_at"`
	CreatedAt     time.Time           `json:"created_at"`
}

// ApprovalStatus is where an approval request stands.
type ApprovalStatus string

// The approval statuses.
const (
	ApprovalPending  ApprovalStatus = "pending"
	ApprovalApproved ApprovalStatus = "approved"
	ApprovalDenied   ApprovalStatus = "denied"
	ApprovalUsed     ApprovalStatus = "used"
)

const approvalCols = `id, borrower_id, case_id, contact_id, channel, party, address_enc, address_masked, purpose, text,
	rules, required_roles, decision, status, requested_by, requested_name, decided_by, decided_name, decided_role,
	decided_at, note, attempt_id, expires_at, created_at`

// CreateApproval stores a pending request and sets its ID, Status and
// CreatedAt.
func (tx *Tx) CreateApproval(ctx context.Context, a *Approval) error {
	enc, err := tx.encrypt(a.Address)
	if err != nil {
		return err
	}
	if a.Address != "" {
		a.AddressMasked = maskAddress(string(a.Channel), a.Address)
	}
	a.Status, a.CreatedAt, a.ExpiresAt = ApprovalPending, tx.now, truncated(a.ExpiresAt)
	a.Rules, a.RequiredRoles = nonNilStrings(a.Rules), nonNilStrings(a.RequiredRoles)
	rules, err := toJSON(a.Rules)
	if err != nil {
		return err
	}
	roles, err := toJSON(a.RequiredRoles)
	if err != nil {
		return err
	}
	decision, err := decisionJSON(a.Decision)
	if err != nil {
		return err
	}
	err = tx.get(ctx, "Approval", `INSERT INTO contact_approvals (borrower_id, case_id, contact_id, channel, party,
		address_enc, address_hash, address_masked, purpose, text, rules, required_roles, decision, status, requested_by,
		requested_name, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{a.BorrowerID, a.CaseID, a.ContactID, string(a.Channel), string(a.Party), enc, tx.hash(a.Address),
			a.AddressMasked, a.Purpose, a.Text, rules, roles, decision, string(a.Status), a.RequestedBy, a.RequestedName,
			ts(a.ExpiresAt), ts(a.CreatedAt)}, &a.ID)
	if err != nil {
		return fmt.Errorf("create approval: %w", err)
	}
	return nil
}

// Approval returns approval request id. It returns a NotFound error if
// there is none.
func (tx *Tx) Approval(ctx context.Context, id int64) (Approval, error) {
	list, err := tx.approvals(ctx, " WHERE id = ?", id)
	if err != nil {
		return Approval{}, err
	}
	if len(list) == 0 {
		return Approval{}, notFound(fmt.Sprintf("Approval %d", id))
	}
	return list[0], nil
}

// ApprovalFilter selects approval requests. Pointer fields filter only
// when set.
type ApprovalFilter struct {
	BorrowerID *int64
	Status     *ApprovalStatus

	Limit, Offset int
}

// Approvals returns a page of the requests f selects, newest first, and how
// many it selects in all.
func (tx *Tx) Approvals(ctx context.Context, f ApprovalFilter) ([]Approval, int, error) {
	var w where
	if f.BorrowerID != nil {
		w.add("borrower_id = ?", *f.BorrowerID)
	}
	if f.Status != nil {
		w.add("status = ?", string(*f.Status))
	}
	var total int
	if err := tx.get(ctx, "Approvals", "SELECT COUNT(*) FROM contact_approvals"+w.String(), w.args, &total); err != nil {
		return nil, 0, fmt.Errorf("count approvals: %w", err)
	}
	list, err := tx.approvals(ctx, w.String()+" ORDER BY id DESC"+page(f.Limit, f.Offset), w.args...)
	return list, total, err
}

// MatchingApprovals returns the requests of borrowerID for a contact on
// channel with party at the address (any address when it is empty), in any
// of the statuses, that have not expired at now, newest first.
func (tx *Tx) MatchingApprovals(ctx context.Context, borrowerID int64, channel compliance.Channel, party compliance.Party,
	address string, now time.Time, statuses ...ApprovalStatus) ([]Approval, error) {
	args := []any{borrowerID, string(channel), string(party), tx.hash(address), ts(now)}
	for _, s := range statuses {
		args = append(args, string(s))
	}
	return tx.approvals(ctx, ` WHERE borrower_id = ? AND channel = ? AND party = ? AND address_hash = ? AND expires_at > ?
		AND status IN (`+placeholders(len(statuses))+") ORDER BY id DESC", args...)
}

func (tx *Tx) approvals(ctx context.Context, tail string, args ...any) ([]Approval, error) {
	rows, err := tx.query(ctx, "SELECT "+approvalCols+" FROM contact_approvals"+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("list approvals: %w", err)
	}
	defer rows.Close()
	var list []Approval
	for rows.Next() {
		a, err := tx.scanApproval(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, interpretError(rows.Err())
}

func (tx *Tx) scanApproval(rows *sql.Rows) (Approval, error) {
	var (
		a                      Approval
		enc                    []byte
		channel, party, status string
		rules, roles, decision string
	)
	err := rows.Scan(&a.ID, &a.BorrowerID, &a.CaseID, &a.ContactID, &channel, &party, &enc, &a.AddressMasked,
		&a.Purpose, &a.Text, &rules, &roles, &decision, &status, &a.RequestedBy, &a.RequestedName, &a.DecidedBy,
		&a.DecidedName, &a.DecidedRole, instant{&a.DecidedAt}, &a.Note, &a.AttemptID, instant{&a.ExpiresAt},
		instant{&a.CreatedAt})
	if err != nil {
		return a, fmt.Errorf("scan approval: %w", err)
	}
	a.Channel, a.Party, a.Status = compliance.Channel(channel), compliance.Party(party), ApprovalStatus(status)
	if a.Address, err = tx.decrypt(enc); err != nil {
		return a, fmt.Errorf("approval %d address: %w", a.ID, err)
	}
	for _, j := range []struct {
		s string
		v any
	}{{rules, &a.Rules}, {roles, &a.RequiredRoles}, {decision, &a.Decision}} {
		if err := fromJSON(j.s, j.v); err != nil {
			return a, fmt.Errorf("approval %d: %w", a.ID, err)
		}
	}
	return a, nil
}

// DecideApproval approves or denies pending request id on behalf of the
// named user in role, with a note. It returns a NotFound error if there is
// no such request and a Conflict error if it is no longer pending.
func (tx *Tx) DecideApproval(ctx context.Context, id int64, approve bool, userID int64, username, role, note string) (Approval, error) {
	status := ApprovalDenied
	if approve {
		status = ApprovalApproved
	}
	res, err := tx.exec(ctx, `UPDATE contact_approvals SET status = ?, decided_by = ?, decided_name = ?, decided_role = ?,
		decided_at = ?, note = ? WHERE id = ? AND status = 'pending'`,
		string(status), userID, username, role, ts(tx.now), note, id)
	if err != nil {
		return Approval{}, fmt.Errorf("decide approval %d: %w", id, err)
	}
	a, err := tx.Approval(ctx, id)
	if err != nil {
		return a, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return a, errs.Errorf(errs.Conflict, "Approval %d is already %s.", id, a.Status)
	}
	return a, nil
}

// UseApproval marks approved request id as used by contact attempt
// attemptID. It returns a Conflict error if it is not approved (already
// used, or never approved).
func (tx *Tx) UseApproval(ctx context.Context, id, attemptID int64) error {
	res, err := tx.exec(ctx, "UPDATE contact_approvals SET status = 'used', attempt_id = ? WHERE id = ? AND status = 'approved'",
		attemptID, id)
	if err != nil {
		return fmt.Errorf("use approval %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.Errorf(errs.Conflict, "Approval %d is not approved or was already used.", id)
	}
	return nil
}
