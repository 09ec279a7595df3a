package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// OfferPolicyUsed is the offer policy that produced a stored offer: its
// offer_policies id (0 for the policy configured in code) and the document
// as the engine read it.
type OfferPolicyUsed struct {
	OfferID      int64           `json:"offer_id"`
	PolicyID     int64           `json:"policy_id,omitempty"`
	ExperimentID int64           `json:"experiment_id,omitempty"` // the offer policy experiment whose arm chose it
	Body         json.RawMessage `json:"body"`
}

// SaveOfferPolicyUsed records which policy produced offer u.OfferID of
// borrowerID. Each offer has one; saving a second answers Conflict.
func (tx *Tx) SaveOfferPolicyUsed(ctx context.Context, borrowerID int64, u OfferPolicyUsed) error {
	_, err := tx.exec(ctx, `INSERT INTO negotiation_offer_policies (offer_id, borrower_id, policy_id, experiment_id, body)
		VALUES (?, ?, ?, ?, ?)`, u.OfferID, borrowerID, u.PolicyID, u.ExperimentID, string(u.Body))
	return conflict(err, "Offer %d already has its policy recorded.", u.OfferID)
}

// OfferPolicyUsed returns the policy recorded for offer offerID. It returns
// a NotFound error for an offer stored before policies were recorded.
func (tx *Tx) OfferPolicyUsed(ctx context.Context, offerID int64) (OfferPolicyUsed, error) {
	u := OfferPolicyUsed{OfferID: offerID}
	var body string
	err := tx.get(ctx, fmt.Sprintf("Policy of offer %d", offerID),
		"SELECT policy_id, experiment_id, body FROM negotiation_offer_policies WHERE offer_id = ?", []any{offerID},
		num(&u.PolicyID), num(&u.ExperimentID), &body)
	u.Body = json.RawMessage(body)
	return u, err
}

// TeamNegotiation is one version of a team's negotiation settings: the
// offer policy version its cases use (PolicyID; 0 follows the published
// version, and the running offer policy experiment when Experiment) and
// its monthly restructuring budget share (BudgetShare, a decimal string;
// "" takes the lender's default).
type TeamNegotiation struct {
	ID          int64     `json:"id"`
	TeamID      int64     `json:"team_id"`
	Version     int       `json:"version"`
	PolicyID    int64     `json:"policy_id"`
	Experiment  bool      `json:"experiment"`
	BudgetShare string    `json:"budget_share"`
	Note        string    `json:"note,omitempty"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
}

const teamNegotiationCols = "id, team_id, version, policy_id, experiment, budget_share, note, created_by, created_at"

func scanTeamNegotiation(scan func(...any) error) (TeamNegotiation, error) {
	var t TeamNegotiation
	err := scan(&t.ID, &t.TeamID, num(&t.Version), &t.PolicyID, &t.Experiment, &t.BudgetShare, &t.Note, &t.CreatedBy,
		instant{&t.CreatedAt})
	return t, err
}

// CreateTeamNegotiation stores t as the next version of its team's
// settings and sets its ID, Version and CreatedAt. It returns a Conflict
// error if two saves race for one number.
func (tx *Tx) CreateTeamNegotiation(ctx context.Context, t *TeamNegotiation) error {
	if err := tx.get(ctx, "Team settings", "SELECT COALESCE(MAX(version), 0) + 1 FROM team_negotiation_settings WHERE team_id = ?",
		[]any{t.TeamID}, num(&t.Version)); err != nil {
		return fmt.Errorf("next version of team %d's settings: %w", t.TeamID, err)
	}
	t.CreatedAt = tx.now
	err := tx.get(ctx, "Team settings", `INSERT INTO team_negotiation_settings (team_id, version, policy_id, experiment,
		budget_share, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{t.TeamID, t.Version, t.PolicyID, t.Experiment, t.BudgetShare, t.Note, t.CreatedBy, ts(t.CreatedAt)}, &t.ID)
	return conflict(err, "Team %d's settings version %d already exists; try again.", t.TeamID, t.Version)
}

// TeamNegotiation returns the settings in force for team teamID (its
// newest version). It returns a NotFound error if the team was never
// configured.
func (tx *Tx) TeamNegotiation(ctx context.Context, teamID int64) (TeamNegotiation, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+teamNegotiationCols+
		" FROM team_negotiation_settings WHERE team_id = ? ORDER BY version DESC LIMIT 1"), teamID)
	t, err := scanTeamNegotiation(row.Scan)
	return t, noRow(err, fmt.Sprintf("Settings of team %d", teamID))
}

// TeamNegotiationHistory returns every version of team teamID's settings,
// newest first (all teams' when teamID is 0).
func (tx *Tx) TeamNegotiationHistory(ctx context.Context, teamID int64) ([]TeamNegotiation, error) {
	var w where
	if teamID != 0 {
		w.add("team_id = ?", teamID)
	}
	rows, err := tx.query(ctx, "SELECT "+teamNegotiationCols+" FROM team_negotiation_settings"+w.String()+
		" ORDER BY team_id, version DESC", w.args...)
	if err != nil {
		return nil, fmt.Errorf("list team settings: %w", err)
	}
	defer rows.Close()
	var out []TeamNegotiation
	for rows.Next() {
		t, err := scanTeamNegotiation(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan team settings: %w", err)
		}
		out = append(out, t)
	}
	return out, interpretError(rows.Err())
}
