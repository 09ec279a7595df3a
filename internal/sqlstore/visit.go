package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
)

// Visit is one field visit (上门催收) as stored, from request to outcome.
// Its state machine is package visit's; fieldwork loads a Visit, applies
// the rule and saves it with UpdateVisit. Money is in fen; clock times
// (PrefFrom, SlotFrom …) are the borrower's local "HH:MM".
type Visit struct {
	ID          int64  `json:"id"`
	BorrowerID  int64  `json:"borrower_id"`
	CaseID      int64  `json:"case_id"`
	State       string `json:"state"`
	Source      string `json:"source"`            // strategy or collector
	TaskID      int64  `json:"task_id,omitempty"` // the strategy's visit task it came from
	Rule        string `json:"rule,omitempty"`    // the strategy rule that recommended it
	Purpose     string `json:"purpose"`
	Target      string `json:"target,omitempty"` // what to ask for: an amount, a negotiation to open
	RequestedBy string `json:"requested_by"`

	RequestedAt time.Time `json:"requested_at"`
	AddressKind string    `json:"address_kind,omitempty"`
	AddressLine string    `json:"address_line"`
	AddressCity string    `json:"address_city,omitempty"`
	Region      string    `json:"region,omitempty"`
	Lat         float64   `json:"lat"`
	Lon         float64   `json:"lon"`
	TimeZone    string    `json:"time_zone"`

	OverdueMinor  int64  `json:"overdue"`
	RecoveryRate  string `json:"recovery_rate"` // decimal text, 0.15 for 15%
	ExpectedMinor int64  `json:"expected_value"`
	RoadKm        string `json:"road_km"` // decimal text, there and back
	CostMinor     int64  `json:"cost"`
	DurationMin   int    `json:"duration_min"`

	PrefFrom     string         `json:"pref_from,omitempty"` // the time the borrower said suits them
	PrefUntil    string         `json:"pref_until,omitempty"`
	PrefWeekdays []time.Weekday `json:"pref_weekdays,omitempty"`

	DecidedBy    string    `json:"decided_by,omitempty"`
	DecidedAt    time.Time `json:"decided_at,omitzero"`
	DecisionNote string    `json:"decision_note,omitempty"`

	NoticeSentAt    time.Time `json:"notice_sent_at,omitzero"`
	NoticeMessageID int64     `json:"notice_message_id,omitempty"` // the outbox message that told the borrower
	NoticeFor       string    `json:"notice_for,omitempty"`        // the date and time the notice named

	PairID          int64     `json:"pair_id,omitempty"`
	PlannedOn       date.Date `json:"planned_on,omitempty"`
	SlotFrom        string    `json:"slot_from,omitempty"`
	SlotUntil       string    `json:"slot_until,omitempty"`
	PlannedStart    time.Time `json:"planned_start,omitzero"`
	RecordingDevice string    `json:"recording_device,omitempty"`

	CheckedInAt      time.Time `json:"checked_in_at,omitzero"`
	CheckInLat       float64   `json:"checkin_lat,omitempty"`
	CheckInLon       float64   `json:"checkin_lon,omitempty"`
	CheckInDistanceM float64   `json:"checkin_distance_m,omitempty"`
	CheckInFlagged   bool      `json:"checkin_flagged,omitempty"`
	CheckInAgents    []string  `json:"checkin_agents,omitempty"`
	CheckedOutAt     time.Time `json:"checked_out_at,omitzero"`

	DoneAt       time.Time `json:"done_at,omitzero"`
	OutcomeKind  string    `json:"outcome_kind,omitempty"`
	CancelledAt  time.Time `json:"cancelled_at,omitzero"`
	CancelReason string    `json:"cancel_reason,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

const visitCols = `id, borrower_id, case_id, state, source, task_id, rule, purpose, target, requested_by, requested_at,
	address_kind, address_line, address_city, region, lat, lon, time_zone, overdue_minor, recovery_rate, expected_minor,
	road_km, cost_minor, duration_min, pref_from, pref_until, pref_weekdays, decided_by, decided_at, decision_note,
	notice_sent_at, notice_message_id, notice_for, pair_id, planned_on, slot_from, slot_until, planned_start,
	recording_device, checked_in_at, checkin_lat, checkin_lon, checkin_distance_m, checkin_flagged, checkin_agents,
	checked_out_at, done_at, outcome_kind, cancelled_at, cancel_reason, created_at, updated_at`

// visitArgs returns v's columns after id, in visitCols order.
func visitArgs(v *Visit) ([]any, error) {
	wd, err := toJSON(v.PrefWeekdays)
	if err != nil {
		return nil, err
	}
	agents, err := toJSON(v.CheckInAgents)
	if err != nil {
		return nil, err
	}
	var task any
	if v.TaskID != 0 {
		task = v.TaskID
	}
	return []any{v.BorrowerID, v.CaseID, v.State, v.Source, task, v.Rule, v.Purpose, v.Target, v.RequestedBy,
		ts(v.RequestedAt), v.AddressKind, v.AddressLine, v.AddressCity, v.Region, v.Lat, v.Lon, v.TimeZone, v.OverdueMinor,
		decText(v.RecoveryRate), v.ExpectedMinor, decText(v.RoadKm), v.CostMinor, v.DurationMin, v.PrefFrom, v.PrefUntil, wd,
		v.DecidedBy, ts(v.DecidedAt), v.DecisionNote, ts(v.NoticeSentAt), v.NoticeMessageID, v.NoticeFor, v.PairID,
		v.PlannedOn, v.SlotFrom, v.SlotUntil, ts(v.PlannedStart), v.RecordingDevice, ts(v.CheckedInAt), v.CheckInLat,
		v.CheckInLon, v.CheckInDistanceM, v.CheckInFlagged, agents, ts(v.CheckedOutAt), ts(v.DoneAt), v.OutcomeKind,
		ts(v.CancelledAt), v.CancelReason, ts(v.CreatedAt), ts(v.UpdatedAt)}, nil
}

func decText(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

func scanVisit(scan func(...any) error) (Visit, error) {
	var v Visit
	var task *int64
	var wd, agents string
	err := scan(num(&v.ID), num(&v.BorrowerID), num(&v.CaseID), &v.State, &v.Source, &task, &v.Rule, &v.Purpose,
		&v.Target, &v.RequestedBy, instant{&v.RequestedAt}, &v.AddressKind, &v.AddressLine, &v.AddressCity, &v.Region,
		&v.Lat, &v.Lon, &v.TimeZone, num(&v.OverdueMinor), &v.RecoveryRate, num(&v.ExpectedMinor), &v.RoadKm,
		num(&v.CostMinor), num(&v.DurationMin), &v.PrefFrom, &v.PrefUntil, &wd, &v.DecidedBy, instant{&v.DecidedAt},
		&v.DecisionNote, instant{&v.NoticeSentAt}, num(&v.NoticeMessageID), &v.NoticeFor, num(&v.PairID), &v.PlannedOn,
		&v.SlotFrom, &v.SlotUntil, instant{&v.PlannedStart}, &v.RecordingDevice, instant{&v.CheckedInAt}, &v.CheckInLat,
		&v.CheckInLon, &v.CheckInDistanceM, &v.CheckInFlagged, &agents, instant{&v.CheckedOutAt}, instant{&v.DoneAt},
		&v.OutcomeKind, instant{&v.CancelledAt}, &v.CancelReason, instant{&v.CreatedAt}, instant{&v.UpdatedAt})
	if err != nil {
		return v, interpretError(err)
	}
	if task != nil {
		v.TaskID = *task
	}
	if err := fromJSON(wd, &v.PrefWeekdays); err != nil {
		return v, err
	}
	return v, fromJSON(agents, &v.CheckInAgents)
}

// CreateVisit stores v and sets its ID; CreatedAt and UpdatedAt are the
// transaction's time when zero. A second visit for the same strategy task
// is a Conflict.
func (tx *Tx) CreateVisit(ctx context.Context, v *Visit) error {
	v.CreatedAt = tx.at(v.CreatedAt)
	v.UpdatedAt = v.CreatedAt
	args, err := visitArgs(v)
	if err != nil {
		return err
	}
	err = tx.get(ctx, "Visit", "INSERT INTO visits ("+visitCols[len("id, "):]+") VALUES ("+placeholders(len(args))+
		") RETURNING id", args, &v.ID)
	if err != nil {
		return fmt.Errorf("create visit on case %d: %w", v.CaseID, conflict(err, "A visit for task %d already exists.", v.TaskID))
	}
	return nil
}

// UpdateVisit saves every column of v (found by ID) and sets UpdatedAt to
// the transaction's time. v.UpdatedAt must be what was loaded: when the
// visit was changed since (by another transaction), it returns a Conflict
// error and changes nothing. It returns a NotFound error if there is no
// such visit.
func (tx *Tx) UpdateVisit(ctx context.Context, v *Visit) error {
	loaded := v.UpdatedAt
	v.UpdatedAt = tx.at(time.Time{})
	args, err := visitArgs(v)
	if err != nil {
		return err
	}
	set := ""
	for i, c := range splitCols(visitCols)[1:] {
		if i > 0 {
			set += ", "
		}
		set += c + " = ?"
	}
	res, err := tx.exec(ctx, "UPDATE visits SET "+set+" WHERE id = ? AND updated_at = ?", append(args, v.ID, ts(loaded))...)
	if err != nil {
		return fmt.Errorf("update visit %d: %w", v.ID, interpretError(err))
	}
	if err := affected(res, fmt.Sprintf("Visit %d", v.ID)); errs.CodeOf(err) == errs.NotFound {
		if _, err := tx.Visit(ctx, v.ID); err != nil {
			return err
		}
		return errs.Errorf(errs.Conflict, "Visit %d was changed meanwhile; load it again.", v.ID)
	} else if err != nil {
		return err
	}
	return nil
}

// Visit returns visit id. It returns a NotFound error if there is none.
func (tx *Tx) Visit(ctx context.Context, id int64) (Visit, error) {
	rows, err := tx.query(ctx, "SELECT "+visitCols+" FROM visits WHERE id = ?", id)
	if err != nil {
		return Visit{}, fmt.Errorf("visit %d: %w", id, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Visit{}, interpretError(err)
		}
		return Visit{}, notFound(fmt.Sprintf("Visit %d", id))
	}
	return scanVisit(rows.Scan)
}

// VisitFilter selects visits. Zero fields select everything.
type VisitFilter struct {
	IDs        []int64
	States     []string
	CaseID     int64
	BorrowerID int64
	PairID     int64
	PlannedOn  date.Date
	Region     string
	// Scope, when set, keeps the visits whose case is in it.
	Scope *Scope
	// Agent, when set, keeps the visits planned for a pair this user
	// (username) is one of.
	Agent         string
	Limit, Offset int // Limit 0: DefaultLimit; -1: no limit
}

func (f VisitFilter) where() where {
	var w where
	if len(f.IDs) > 0 {
		w.add("v.id IN ("+placeholders(len(f.IDs))+")", int64Args(f.IDs)...)
	}
	if len(f.States) > 0 {
		args := make([]any, len(f.States))
		for i, s := range f.States {
			args[i] = s
		}
		w.add("v.state IN ("+placeholders(len(args))+")", args...)
	}
	if f.CaseID != 0 {
		w.add("v.case_id = ?", f.CaseID)
	}
	if f.BorrowerID != 0 {
		w.add("v.borrower_id = ?", f.BorrowerID)
	}
	if f.PairID != 0 {
		w.add("v.pair_id = ?", f.PairID)
	}
	if f.PlannedOn != 0 {
		w.add("v.planned_on = ?", f.PlannedOn)
	}
	if f.Region != "" {
		w.add("v.region = ?", f.Region)
	}
	if f.Agent != "" {
		w.add("EXISTS (SELECT 1 FROM field_pairs fp WHERE fp.id = v.pair_id AND (fp.agent1 = ? OR fp.agent2 = ?))", f.Agent, f.Agent)
	}
	w.addCaseScope(f.Scope, "c")
	return w
}

// Visits returns a page of the visits f selects, newest first, and how many
// there are in all.
func (tx *Tx) Visits(ctx context.Context, f VisitFilter) ([]Visit, int, error) {
	w := f.where()
	from := " FROM visits v JOIN cases c ON c.id = v.case_id"
	var total int
	if err := tx.get(ctx, "Visits", "SELECT COUNT(*)"+from+w.String(), w.args, &total); err != nil {
		return nil, 0, fmt.Errorf("count visits: %w", err)
	}
	lim := page(f.Limit, f.Offset)
	if f.Limit < 0 {
		lim = ""
	}
	rows, err := tx.query(ctx, "SELECT "+prefixed(visitCols, "v")+from+w.String()+" ORDER BY v.id DESC"+lim, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list visits: %w", err)
	}
	defer rows.Close()
	out := []Visit{}
	for rows.Next() {
		v, err := scanVisit(rows.Scan)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, interpretError(rows.Err())
}

// VisitTasks returns, of the task ids given, those a visit already came
// from.
func (tx *Tx) VisitTasks(ctx context.Context, taskIDs []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(taskIDs) == 0 {
		return out, nil
	}
	rows, err := tx.query(ctx, "SELECT task_id FROM visits WHERE task_id IN ("+placeholders(len(taskIDs))+")", int64Args(taskIDs)...)
	if err != nil {
		return nil, fmt.Errorf("visit tasks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, interpretError(err)
		}
		out[id] = true
	}
	return out, interpretError(rows.Err())
}

// splitCols splits a column list into its trimmed names.
func splitCols(cols string) []string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = strings.TrimSpace(c)
	}
	return parts
}
