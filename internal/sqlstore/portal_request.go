package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// PortalRequest is something a borrower asked for on the portal or through
// the bot: a dispute, a complaint, a stop-contact request, a plan or a
// promise. FlagsAdded are the borrower flags it set.
type PortalRequest struct {
	ID         int64     `json:"id"`
	BorrowerID int64     `json:"borrower_id"`
	CaseID     int64     `json:"case_id,omitempty"`
	LoanID     int64     `json:"loan_id,omitempty"`
	Kind       string    `json:"kind"`
	Channel    string    `json:"channel"`
	Note       string    `json:"note,omitempty"`
	FlagsAdded []string  `json:"flags_added"`
	CreatedAt  time.Time `json:"created_at"`
}

// CreatePortalRequest stores r and sets its ID. It returns an Invalid
// error for an unknown kind.
func (tx *Tx) CreatePortalRequest(ctx context.Context, r *PortalRequest) error {
	flags, err := toJSON(r.FlagsAdded)
	if err != nil {
		return err
	}
	r.CreatedAt = truncated(r.CreatedAt)
	err = tx.get(ctx, "Portal request", `INSERT INTO portal_requests (borrower_id, case_id, loan_id, kind, channel, note,
		flags_added, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{r.BorrowerID, r.CaseID, r.LoanID, r.Kind, r.Channel, r.Note, flags, ts(r.CreatedAt)}, &r.ID)
	if err != nil {
		return fmt.Errorf("create portal request: %w", err)
	}
	return nil
}

// PortalRequests returns borrower id's requests, newest first (at most 100).
func (tx *Tx) PortalRequests(ctx context.Context, borrowerID int64) ([]PortalRequest, error) {
	rows, err := tx.query(ctx, `SELECT id, borrower_id, case_id, loan_id, kind, channel, note, flags_added, created_at
		FROM portal_requests WHERE borrower_id = ? ORDER BY id DESC LIMIT 100`, borrowerID)
	if err != nil {
		return nil, fmt.Errorf("list portal requests: %w", err)
	}
	defer rows.Close()
	var out []PortalRequest
	for rows.Next() {
		var r PortalRequest
		var flags string
		if err := rows.Scan(&r.ID, &r.BorrowerID, &r.CaseID, &r.LoanID, &r.Kind, &r.Channel, &r.Note, &flags,
			instant{&r.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan portal request: %w", err)
		}
		if err := fromJSON(flags, &r.FlagsAdded); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, interpretError(rows.Err())
}
