package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/errs"
)

// RuleHits is how often the governor's rules fired on one group's contact
// attempts in a period: the compliance console's hit rates by team, agency
// and collector.
type RuleHits struct {
	Key      int64          `json:"key"`            // team, agency or user id; 0 for none (the system, unassigned staff)
	Name     string         `json:"name,omitempty"` // the username, for collectors
	Attempts int            `json:"attempts"`       // log entries, refused ones included
	Flagged  int            `json:"flagged"`        // entries whose decision was not allow
	Rules    map[string]int `json:"rules"`          // rule id → entries it fired on
}

// The groupings of RuleHitsBy.
var ruleHitGroups = map[string]string{"team": "team_id", "agency": "agency_id", "collector": "user_id"}

// RuleHitsBy counts, per team, agency or collector (group), the log entries
// started in [from, to) and the entries each rule fired on, ordered by key.
// It returns an Invalid error for another group.
func (tx *Tx) RuleHitsBy(ctx context.Context, group string, from, to time.Time) ([]RuleHits, error) {
	col, ok := ruleHitGroups[group]
	if !ok {
		return nil, errs.Field("group", "%q is not team, agency or collector", group)
	}
	rows, err := tx.query(ctx, "SELECT "+col+`, MAX(username), COUNT(*), SUM(CASE WHEN action <> 'allow' THEN 1 ELSE 0 END)
		FROM contact_attempts WHERE started_at >= ? AND started_at < ? GROUP BY `+col+" ORDER BY "+col, ts(from), ts(to))
	if err != nil {
		return nil, fmt.Errorf("count contact attempts: %w", err)
	}
	var out []RuleHits
	index := map[int64]int{}
	for rows.Next() {
		var h RuleHits
		if err := rows.Scan(&h.Key, &h.Name, &h.Attempts, &h.Flagged); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan rule hits: %w", err)
		}
		if group != "collector" {
			h.Name = ""
		}
		h.Rules = map[string]int{}
		index[h.Key] = len(out)
		out = append(out, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, interpretError(err)
	}
	rows, err = tx.query(ctx, "SELECT a."+col+`, h.rule, COUNT(*) FROM contact_rule_hits h
		JOIN contact_attempts a ON a.id = h.attempt_id WHERE a.started_at >= ? AND a.started_at < ?
		GROUP BY a.`+col+", h.rule", ts(from), ts(to))
	if err != nil {
		return nil, fmt.Errorf("count rule hits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			key  int64
			rule string
			n    int
		)
		if err := rows.Scan(&key, &rule, &n); err != nil {
			return nil, fmt.Errorf("scan rule hits: %w", err)
		}
		if i, ok := index[key]; ok {
			out[i].Rules[rule] = n
		}
	}
	return out, interpretError(rows.Err())
}

// BorrowerOfCase returns the borrower id of case id, for the contact panel
// on the case page. It returns a NotFound error if there is no such case.
func (tx *Tx) BorrowerOfCase(ctx context.Context, caseID int64) (int64, error) {
	var id int64
	err := tx.get(ctx, fmt.Sprintf("Case %d", caseID), "SELECT borrower_id FROM cases WHERE id = ?", []any{caseID}, &id)
	return id, err
}
