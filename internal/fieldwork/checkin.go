package fieldwork

import (
	"context"
	"fmt"
	"strings"

	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/pii"
	"accord/internal/route"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// CheckInRequest is the check-in of a pair at the door, from a phone.
type CheckInRequest struct {
	Lat             float64 `json:"lat"`
	Lon             float64 `json:"lon"`
	Partner         string  `json:"partner"`          // the other agent present (username)
	RecordingDevice string  `json:"recording_device"` // the device recording the visit
}

// CheckIn records the check-in of planned visit id by by, one of the
// agents of its pair, with partner present and the recording device on.
// The governor is asked again now (CN-VISIT: two collectors, the device
// bound to the visit at planning, the allowed hours, the notice); a
// refusal is audited and returned as a *RefusedError, and the visit stays
// planned. A check-in farther from the address than the policy's radius
// is flagged for the supervisor. It returns Invalid naming lat, lon or
// partner, Forbidden, NotFound or Conflict (not planned, or not today).
func (s *Service) CheckIn(ctx context.Context, by collect.Actor, id int64, r CheckInRequest) (sqlstore.Visit, error) {
	at := route.Point{Lat: r.Lat, Lon: r.Lon}
	if r.Lat < -90 || r.Lat > 90 || r.Lon < -180 || r.Lon > 180 || (r.Lat == 0 && r.Lon == 0) {
		return sqlstore.Visit{}, errs.Field("lat", "give the phone's position (latitude within ±90, longitude within ±180)")
	}
	p, err := s.Policy(ctx)
	if err != nil {
		return sqlstore.Visit{}, err
	}
	cal, _, err := s.collect.HolidayCalendar(ctx)
	if err != nil {
		return sqlstore.Visit{}, err
	}
	var v sqlstore.Visit
	var refusal *RefusedError
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var pr sqlstore.FieldPair
		if v, pr, err = s.workVisit(ctx, tx, by, id); err != nil {
			return err
		}
		if v.State != string(visit.Planned) {
			return errs.Errorf(errs.Conflict, "Visit %d is %s: only a planned visit is checked in.", id, v.State)
		}
		if v.PlannedOn != s.Today() {
			return errs.Errorf(errs.Conflict, "Visit %d is planned for %s, not today.", id, v.PlannedOn)
		}
		other := pr.Agent2
		if by.User.Username == pr.Agent2 {
			other = pr.Agent1
		}
		collectors := []string{by.User.Username}
		if p := strings.TrimSpace(r.Partner); p != "" {
			if p != other {
				// The typed name is echoed masked: a phone number typed here
				// must not come back in full on the error page.
				return errs.Field("partner", "%q is not the other agent of pair %s", pii.MaskFreeText(p), pr.Name)
			}
			collectors = append(collectors, p)
		}
		device := ""
		if strings.TrimSpace(r.RecordingDevice) == v.RecordingDevice {
			device = v.RecordingDevice
		}
		b, err := tx.Borrower(ctx, v.BorrowerID)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		pair := pr
		pair.Agent1, pair.Agent2, pair.RecordingDevice = collectors[0], "", device
		if len(collectors) > 1 {
			pair.Agent2 = collectors[1]
		}
		if err := s.checkVisit(cal, v, b, pair, now, p); err != nil {
			var ok bool
			if refusal, ok = AsRefused(err); !ok {
				return err
			}
			return s.audit(ctx, tx, by, "visit.checkin_refused", v, map[string]any{"rules": refusal.Decision.Rules,
				"failed": failedOf(refusal), "collectors": collectors})
		}
		d := domain(v)
		if err := d.CheckInNow(at, now, p); err != nil {
			return err
		}
		apply(&v, d)
		v.CheckInLat, v.CheckInLon, v.CheckInAgents = r.Lat, r.Lon, collectors
		if err := tx.UpdateVisit(ctx, &v); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, "visit.checkin", v, map[string]any{"distance_m": int64(v.CheckInDistanceM),
			"flagged": v.CheckInFlagged, "collectors": collectors, "recording_device": device})
	})
	if err != nil {
		return sqlstore.Visit{}, fmt.Errorf("check in visit %d: %w", id, err)
	}
	if refusal != nil {
		return v, refusal
	}
	return v, nil
}

// failedOf lists the conditions the governor found unmet.
func failedOf(r *RefusedError) []string {
	var out []string
	for _, d := range r.Decision.Details {
		out = append(out, d.Failed...)
	}
	return out
}
