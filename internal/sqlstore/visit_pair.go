package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// FieldPair is two field agents who visit together (two collectors, as
// CN-VISIT requires): their base, working hours (local "HH:MM"), speed,
// region, daily capacity and the recording device bound to their visits.
type FieldPair struct {
	ID              int64     `json:"id"`
	Name            string    `json:"name"`
	Agent1          string    `json:"agent1"` // usernames
	Agent2          string    `json:"agent2"`
	BaseLat         float64   `json:"base_lat"`
	BaseLon         float64   `json:"base_lon"`
	DayFrom         string    `json:"day_from"`
	DayUntil        string    `json:"day_until"`
	SpeedKmh        float64   `json:"speed_kmh"`
	Region          string    `json:"region,omitempty"`
	Capacity        int       `json:"capacity"`
	RecordingDevice string    `json:"recording_device,omitempty"`
	Active          bool      `json:"active"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

const pairCols = `id, name, agent1, agent2, base_lat, base_lon, day_from, day_until, speed_kmh, region, capacity,
	recording_device, active, created_at, updated_at`

func scanPair(scan func(...any) error) (FieldPair, error) {
	var p FieldPair
	err := scan(num(&p.ID), &p.Name, &p.Agent1, &p.Agent2, &p.BaseLat, &p.BaseLon, &p.DayFrom, &p.DayUntil, &p.SpeedKmh,
		&p.Region, num(&p.Capacity), &p.RecordingDevice, &p.Active, instant{&p.CreatedAt}, instant{&p.UpdatedAt})
	return p, interpretError(err)
}

// SavePair creates p (ID 0) or replaces every field of pair p.ID, and sets
// ID and the times. A second pair of the same name is a Conflict; an
// unknown ID is NotFound.
func (tx *Tx) SavePair(ctx context.Context, p *FieldPair) error {
	p.UpdatedAt = tx.at(time.Time{})
	args := []any{p.Name, p.Agent1, p.Agent2, p.BaseLat, p.BaseLon, p.DayFrom, p.DayUntil, p.SpeedKmh, p.Region,
		p.Capacity, p.RecordingDevice, p.Active}
	if p.ID == 0 {
		p.CreatedAt = p.UpdatedAt
		err := tx.get(ctx, "FieldPair", `INSERT INTO field_pairs (name, agent1, agent2, base_lat, base_lon, day_from,
			day_until, speed_kmh, region, capacity, recording_device, active, created_at, updated_at)
			VALUES (`+placeholders(14)+") RETURNING id", append(args, ts(p.CreatedAt), ts(p.UpdatedAt)), &p.ID)
		if err != nil {
			return fmt.Errorf("create pair %q: %w", p.Name, conflict(err, "A pair named %q already exists.", p.Name))
		}
		return nil
	}
	res, err := tx.exec(ctx, `UPDATE field_pairs SET name = ?, agent1 = ?, agent2 = ?, base_lat = ?, base_lon = ?,
		day_from = ?, day_until = ?, speed_kmh = ?, region = ?, capacity = ?, recording_device = ?, active = ?,
		updated_at = ? WHERE id = ?`, append(args, ts(p.UpdatedAt), p.ID)...)
	if err != nil {
		return fmt.Errorf("update pair %d: %w", p.ID, conflict(interpretError(err), "A pair named %q already exists.", p.Name))
	}
	if err := affected(res, fmt.Sprintf("Pair %d", p.ID)); err != nil {
		return err
	}
	return tx.get(ctx, "FieldPair", "SELECT created_at FROM field_pairs WHERE id = ?", []any{p.ID}, instant{&p.CreatedAt})
}

// Pair returns pair id. It returns a NotFound error if there is none.
func (tx *Tx) Pair(ctx context.Context, id int64) (FieldPair, error) {
	rows, err := tx.query(ctx, "SELECT "+pairCols+" FROM field_pairs WHERE id = ?", id)
	if err != nil {
		return FieldPair{}, fmt.Errorf("pair %d: %w", id, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return FieldPair{}, interpretError(err)
		}
		return FieldPair{}, notFound(fmt.Sprintf("Pair %d", id))
	}
	return scanPair(rows.Scan)
}

// Pairs returns the pairs by id: only the active ones when activeOnly, and
// only those agent (a username) is one of when agent is not "".
func (tx *Tx) Pairs(ctx context.Context, activeOnly bool, agent string) ([]FieldPair, error) {
	var w where
	if activeOnly {
		w.add("active = ?", true)
	}
	if agent != "" {
		w.add("(agent1 = ? OR agent2 = ?)", agent, agent)
	}
	rows, err := tx.query(ctx, "SELECT "+pairCols+" FROM field_pairs"+w.String()+" ORDER BY id", w.args...)
	if err != nil {
		return nil, fmt.Errorf("list pairs: %w", err)
	}
	defer rows.Close()
	out := []FieldPair{}
	for rows.Next() {
		p, err := scanPair(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, interpretError(rows.Err())
}
