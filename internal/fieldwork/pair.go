package fieldwork

import (
	"context"
	"fmt"
	"strings"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/route"
	"accord/internal/sqlstore"
)

// SavePair creates (p.ID 0) or changes a field pair. Both agents must be
// users who hold visit:work, and different; the hours, base, speed and
// capacity must be valid for the planner. It returns Forbidden unless by
// holds visit:approve, Invalid naming the fields, NotFound or Conflict (a
// name taken).
func (s *Service) SavePair(ctx context.Context, by collect.Actor, p sqlstore.FieldPair) (sqlstore.FieldPair, error) {
	if err := may(by, auth.PermVisitApprove, "manage field pairs"); err != nil {
		return sqlstore.FieldPair{}, err
	}
	p.Name, p.Region, p.RecordingDevice = strings.TrimSpace(p.Name), strings.TrimSpace(p.Region), strings.TrimSpace(p.RecordingDevice)
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := validatePair(ctx, tx, p); err != nil {
			return err
		}
		if err := tx.SavePair(ctx, &p); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "visit.pair_save", "pair", fmt.Sprint(p.ID),
			map[string]any{"name": p.Name, "agents": []string{p.Agent1, p.Agent2}, "region": p.Region, "capacity": p.Capacity,
				"recording_device": p.RecordingDevice, "active": p.Active}))
	})
	if err != nil {
		return sqlstore.FieldPair{}, fmt.Errorf("save pair %q: %w", p.Name, err)
	}
	return p, nil
}

func validatePair(ctx context.Context, tx *sqlstore.Tx, p sqlstore.FieldPair) error {
	var fe []errs.FieldError
	add := func(f, m string) { fe = append(fe, errs.FieldError{Field: f, Message: m}) }
	if p.Name == "" || len([]rune(p.Name)) > 100 {
		add("name", "1 to 100 characters")
	}
	for _, a := range []struct{ field, name string }{{"agent1", p.Agent1}, {"agent2", p.Agent2}} {
		u, err := tx.UserByUsername(ctx, a.name)
		switch {
		case errs.CodeOf(err) == errs.NotFound || a.name == "":
			add(a.field, fmt.Sprintf("no user %q", a.name))
		case err != nil:
			return err
		case !u.Can(auth.PermVisitWork) || u.Disabled:
			add(a.field, fmt.Sprintf("%q is not an active field agent", a.name))
		}
	}
	if p.Agent1 != "" && p.Agent1 == p.Agent2 {
		add("agent2", "a pair is two different people")
	}
	from, err1 := route.ParseClock(p.DayFrom)
	until, err2 := route.ParseClock(p.DayUntil)
	if err1 != nil {
		add("day_from", "must be HH:MM")
	}
	if err2 != nil {
		add("day_until", "must be HH:MM")
	}
	if err1 == nil && err2 == nil {
		rp := route.Pair{ID: "p", Base: route.Point{Lat: p.BaseLat, Lon: p.BaseLon}, From: from, Until: until,
			SpeedKmh: p.SpeedKmh, Capacity: p.Capacity}
		for _, f := range errs.FieldsOf(route.ValidatePairs([]route.Pair{rp})) {
			add(pairFields[strings.TrimPrefix(f.Field, "pairs[0].")], f.Message)
		}
	}
	if len(fe) > 0 {
		return errs.Fields("The pair is not valid.", fe...)
	}
	return nil
}

// pairFields names the planner's pair fields as a stored pair's.
var pairFields = map[string]string{"base": "base_lat", "from": "day_from", "until": "day_until", "speed_kmh": "speed_kmh",
	"capacity": "capacity", "id": "name"}

// Pairs returns the field pairs: every pair for visit:approve, only one's
// own for a field agent.
func (s *Service) Pairs(ctx context.Context, by collect.Actor) ([]sqlstore.FieldPair, error) {
	agent := ""
	switch {
	case by.User.Can(auth.PermVisitApprove):
	case by.User.Can(auth.PermVisitWork):
		agent = by.User.Username
	default:
		return nil, errs.Errorf(errs.Forbidden, "Your role may not see field pairs.")
	}
	var out []sqlstore.FieldPair
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		out, err = tx.Pairs(ctx, false, agent)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list pairs: %w", err)
	}
	return out, nil
}
