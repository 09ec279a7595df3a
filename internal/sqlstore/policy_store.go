package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// PolicyRecord is the tenant's contact policy for one jurisdiction profile
// (CN, US, UK) as stored: the settings as JSON (collect reads them into a
// compliance.Policy) and whether this profile is the one in force.
type PolicyRecord struct {
	Jurisdiction string          `json:"jurisdiction"`
	Policy       json.RawMessage `json:"policy"`
	Active       bool            `json:"active"`
	UpdatedAt    time.Time       `json:"updated_at"`
	UpdatedBy    string          `json:"updated_by"`
}

// ContactPolicies returns every stored profile policy, by jurisdiction.
func (tx *Tx) ContactPolicies(ctx context.Context) ([]PolicyRecord, error) {
	rows, err := tx.query(ctx, "SELECT jurisdiction, policy, active, updated_at, updated_by FROM contact_policies ORDER BY jurisdiction")
	if err != nil {
		return nil, fmt.Errorf("list contact policies: %w", err)
	}
	defer rows.Close()
	var out []PolicyRecord
	for rows.Next() {
		var (
			r      PolicyRecord
			policy string
		)
		if err := rows.Scan(&r.Jurisdiction, &policy, &r.Active, instant{&r.UpdatedAt}, &r.UpdatedBy); err != nil {
			return nil, fmt.Errorf("scan contact policy: %w", err)
		}
		r.Policy = json.RawMessage(policy)
		out = append(out, r)
	}
	return out, interpretError(rows.Err())
}

// SaveContactPolicy stores the settings of r.Jurisdiction, creating the row
// if needed and leaving which profile is active alone. It sets UpdatedAt.
// Validate the settings (compliance.Policy.Validate) first: the store keeps
// what it is given.
func (tx *Tx) SaveContactPolicy(ctx context.Context, r *PolicyRecord) error {
	if len(r.Policy) == 0 {
		r.Policy = json.RawMessage("{}")
	}
	r.UpdatedAt = tx.now
	_, err := tx.exec(ctx, `INSERT INTO contact_policies (jurisdiction, policy, active, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (jurisdiction) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at,
		updated_by = excluded.updated_by`, r.Jurisdiction, string(r.Policy), false, ts(r.UpdatedAt), r.UpdatedBy)
	if err != nil {
		return fmt.Errorf("save contact policy %s: %w", r.Jurisdiction, err)
	}
	return nil
}

// ActivateContactPolicy makes jurisdiction the profile in force, and no
// other.
func (tx *Tx) ActivateContactPolicy(ctx context.Context, jurisdiction, by string) error {
	_, err := tx.exec(ctx, `INSERT INTO contact_policies (jurisdiction, policy, active, updated_at, updated_by) VALUES (?, '{}', ?, ?, ?)
		ON CONFLICT (jurisdiction) DO NOTHING`, jurisdiction, false, ts(tx.now), by)
	if err != nil {
		return fmt.Errorf("activate contact policy %s: %w", jurisdiction, err)
	}
	if _, err := tx.exec(ctx, "UPDATE contact_policies SET active = (jurisdiction = ?), updated_at = ?, updated_by = ?",
		jurisdiction, ts(tx.now), by); err != nil {
		return fmt.Errorf("activate contact policy %s: %w", jurisdiction, err)
	}
	return nil
}
