package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"accord/internal/errs"
)

// OfferPolicyVersion is one saved version of the offer policy. Body is the
// JSON document as saved (offer.ParsePolicy reads it); its status is one of
// StrategyDraft, StrategyPublished and StrategyRetired, which mean the same
// for offer policies as for strategies.
type OfferPolicyVersion struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Version     int             `json:"version"`
	Body        json.RawMessage `json:"body"`
	Status      string          `json:"status"`
	CreatedBy   string          `json:"created_by"`
	CreatedAt   time.Time       `json:"created_at"`
	PublishedBy string          `json:"published_by,omitempty"`
	PublishedAt time.Time       `json:"published_at,omitzero"`
	RetiredAt   time.Time       `json:"retired_at,omitzero"`
}

const offerPolicyCols = "id, name, version, body, status, created_by, created_at, published_by, published_at, retired_at"

func scanOfferPolicy(scan func(...any) error) (OfferPolicyVersion, error) {
	var v OfferPolicyVersion
	var body string
	err := scan(&v.ID, &v.Name, num(&v.Version), &body, &v.Status, &v.CreatedBy, instant{&v.CreatedAt}, &v.PublishedBy,
		instant{&v.PublishedAt}, instant{&v.RetiredAt})
	v.Body = json.RawMessage(body)
	return v, err
}

// CreateOfferPolicyVersion stores v as a draft with the next version number
// of its name and sets v's ID, Version, Status and CreatedAt. It returns a
// Conflict error if two saves race for one number.
func (tx *Tx) CreateOfferPolicyVersion(ctx context.Context, v *OfferPolicyVersion) error {
	if err := tx.get(ctx, "Offer policy", "SELECT COALESCE(MAX(version), 0) + 1 FROM offer_policies WHERE name = ?",
		[]any{v.Name}, num(&v.Version)); err != nil {
		return fmt.Errorf("next version of offer policy %s: %w", v.Name, err)
	}
	v.Status, v.CreatedAt = StrategyDraft, tx.now
	err := tx.get(ctx, "Offer policy", `INSERT INTO offer_policies (name, version, body, status, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, []any{v.Name, v.Version, string(v.Body), v.Status, v.CreatedBy,
		ts(v.CreatedAt)}, &v.ID)
	return conflict(err, "Offer policy %s version %d already exists; try again.", v.Name, v.Version)
}

// OfferPolicyVersion returns version id. It returns a NotFound error if
// there is none.
func (tx *Tx) OfferPolicyVersion(ctx context.Context, id int64) (OfferPolicyVersion, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+offerPolicyCols+" FROM offer_policies WHERE id = ?"), id)
	v, err := scanOfferPolicy(row.Scan)
	return v, noRow(err, fmt.Sprintf("Offer policy version %d", id))
}

// PublishedOfferPolicy returns the published version. It returns a NotFound
// error if none has been published.
func (tx *Tx) PublishedOfferPolicy(ctx context.Context) (OfferPolicyVersion, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+offerPolicyCols+" FROM offer_policies WHERE status = ?"),
		StrategyPublished)
	v, err := scanOfferPolicy(row.Scan)
	return v, noRow(err, "Published offer policy")
}

// OfferPolicyVersions returns the newest versions first, at most limit
// (DefaultLimit when 0).
func (tx *Tx) OfferPolicyVersions(ctx context.Context, limit int) ([]OfferPolicyVersion, error) {
	rows, err := tx.query(ctx, "SELECT "+offerPolicyCols+" FROM offer_policies ORDER BY id DESC"+page(limit, 0))
	if err != nil {
		return nil, fmt.Errorf("list offer policies: %w", err)
	}
	defer rows.Close()
	var out []OfferPolicyVersion
	for rows.Next() {
		v, err := scanOfferPolicy(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan offer policy: %w", err)
		}
		out = append(out, v)
	}
	return out, interpretError(rows.Err())
}

// PublishOfferPolicyVersion publishes version id, retiring the version that
// was published, and returns it. It returns a NotFound error if there is no
// such version and a Conflict error if it is retired. Publishing the
// published version changes nothing.
func (tx *Tx) PublishOfferPolicyVersion(ctx context.Context, id int64, by string) (OfferPolicyVersion, error) {
	v, err := tx.OfferPolicyVersion(ctx, id)
	if err != nil {
		return v, err
	}
	switch v.Status {
	case StrategyPublished:
		return v, nil
	case StrategyRetired:
		return v, errs.Errorf(errs.Conflict, "Offer policy version %d is retired; save it as a new version to publish it again.", id)
	}
	if _, err := tx.exec(ctx, "UPDATE offer_policies SET status = ?, retired_at = ? WHERE status = ?",
		StrategyRetired, ts(tx.now), StrategyPublished); err != nil {
		return v, fmt.Errorf("retire published offer policy: %w", err)
	}
	if _, err := tx.exec(ctx, "UPDATE offer_policies SET status = ?, published_by = ?, published_at = ? WHERE id = ?",
		StrategyPublished, by, ts(tx.now), id); err != nil {
		return v, fmt.Errorf("publish offer policy %d: %w", id, err)
	}
	v.Status, v.PublishedBy, v.PublishedAt = StrategyPublished, by, tx.now
	return v, nil
}
