package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/date"
)

// DayPlan is one version of a pair's planned day: the stops in order with
// their local arrive/start/leave times, the visits left out with the
// reason, the road km travelled and the map drawn from the coordinates.
// Each (re-)plan adds a version; the highest is the plan in force.
type DayPlan struct {
	ID         int64         `json:"id"`
	PairID     int64         `json:"pair_id"`
	On         date.Date     `json:"on"`
	Version    int           `json:"version"`
	Stops      []PlanStop    `json:"stops"`
	LeftOut    []PlanLeftOut `json:"left_out"`
	TravelKm   float64       `json:"travel_km"`
	BackAt     string        `json:"back_at"`
	ValueMinor int64         `json:"value"`
	SVG        string        `json:"-"`
	Reason     string        `json:"reason,omitempty"` // why it was re-planned
	PlannedBy  string        `json:"planned_by"`
	CreatedAt  time.Time     `json:"created_at"`
}

// PlanStop is a visit in a day plan.
type PlanStop struct {
	VisitID int64  `json:"visit_id"`
	Arrive  string `json:"arrive"`
	Start   string `json:"start"`
	Leave   string `json:"leave"`
}

// PlanLeftOut is a visit a day plan does not make, with the reason.
type PlanLeftOut struct {
	VisitID int64  `json:"visit_id"`
	Reason  string `json:"reason"`
	// ReasonZH is the reason in Chinese where it carries words (a
	// governor's refusal), else "".
	ReasonZH string `json:"reason_zh,omitempty"`
}

// AddDayPlan stores p as the next version of its pair's day and sets ID,
// Version and CreatedAt.
func (tx *Tx) AddDayPlan(ctx context.Context, p *DayPlan) error {
	stops, err := toJSON(p.Stops)
	if err != nil {
		return err
	}
	left, err := toJSON(p.LeftOut)
	if err != nil {
		return err
	}
	if err := tx.get(ctx, "DayPlan", "SELECT COALESCE(MAX(version), 0) FROM visit_day_plans WHERE pair_id = ? AND plan_on = ?",
		[]any{p.PairID, p.On}, num(&p.Version)); err != nil {
		return fmt.Errorf("day plan version: %w", err)
	}
	p.Version++
	p.CreatedAt = tx.at(p.CreatedAt)
	err = tx.get(ctx, "DayPlan", `INSERT INTO visit_day_plans (pair_id, plan_on, version, stops, left_out, travel_km,
		back_at, value_minor, svg, reason, planned_by, created_at) VALUES (`+placeholders(12)+") RETURNING id",
		[]any{p.PairID, p.On, p.Version, stops, left, p.TravelKm, p.BackAt, p.ValueMinor, p.SVG, p.Reason, p.PlannedBy,
			ts(p.CreatedAt)}, &p.ID)
	if err != nil {
		return fmt.Errorf("add day plan of pair %d on %s: %w", p.PairID, p.On, err)
	}
	return nil
}

const dayPlanCols = `id, pair_id, plan_on, version, stops, left_out, travel_km, back_at, value_minor, svg, reason,
	planned_by, created_at`

func scanDayPlan(scan func(...any) error) (DayPlan, error) {
	var p DayPlan
	var stops, left string
	if err := scan(num(&p.ID), num(&p.PairID), &p.On, num(&p.Version), &stops, &left, &p.TravelKm, &p.BackAt,
		num(&p.ValueMinor), &p.SVG, &p.Reason, &p.PlannedBy, instant{&p.CreatedAt}); err != nil {
		return p, interpretError(err)
	}
	p.Stops, p.LeftOut = []PlanStop{}, []PlanLeftOut{}
	if err := fromJSON(stops, &p.Stops); err != nil {
		return p, err
	}
	return p, fromJSON(left, &p.LeftOut)
}

// DayPlans returns the plans in force (highest version) on date on, by
// pair id; only pair pairID's when it is not 0.
func (tx *Tx) DayPlans(ctx context.Context, on date.Date, pairID int64) ([]DayPlan, error) {
	q := "SELECT " + dayPlanCols + ` FROM visit_day_plans p WHERE plan_on = ? AND version =
		(SELECT MAX(version) FROM visit_day_plans q WHERE q.pair_id = p.pair_id AND q.plan_on = p.plan_on)`
	args := []any{on}
	if pairID != 0 {
		q += " AND pair_id = ?"
		args = append(args, pairID)
	}
	rows, err := tx.query(ctx, q+" ORDER BY pair_id", args...)
	if err != nil {
		return nil, fmt.Errorf("day plans on %s: %w", on, err)
	}
	defer rows.Close()
	out := []DayPlan{}
	for rows.Next() {
		p, err := scanDayPlan(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, interpretError(rows.Err())
}

// DayPlan returns the plan in force of pair pairID on date on. It returns
// a NotFound error if the day has not been planned.
func (tx *Tx) DayPlan(ctx context.Context, pairID int64, on date.Date) (DayPlan, error) {
	list, err := tx.DayPlans(ctx, on, pairID)
	if err != nil {
		return DayPlan{}, err
	}
	if len(list) == 0 {
		return DayPlan{}, notFound(fmt.Sprintf("The plan of pair %d on %s", pairID, on))
	}
	return list[0], nil
}
