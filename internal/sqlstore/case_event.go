package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"accord/internal/date"
)

// The kinds of case event beyond those of package casework (opened,
// loans_added, assigned, closed).
const (
	EventClassified = "classified" // tier or segment changed, with the reasons
	EventTreatment  = "treatment"  // the strategy chose a different rule
	EventNote       = "note"       // a person's note
	EventContact    = "contact"    // a contact attempt and its outcome
	EventPayment    = "payment"    // a payment on one of the case's loans
	EventPromise    = "promise"    // a promise to pay kept or broken
	EventTask       = "task"       // a task completed
	EventMessage    = "message"    // an SMS or email queued by the strategy
)

// CaseEvent is one entry in a case's timeline. DedupKey, when set, makes
// recording it idempotent ("case:12:closed:2026-03-02"); Data holds details
// as JSON.
type CaseEvent struct {
	ID         int64           `json:"id"`
	CaseID     int64           `json:"case_id"`
	BorrowerID int64           `json:"borrower_id"`
	On         date.Date       `json:"on"`
	At         time.Time       `json:"at"`
	Kind       string          `json:"kind"`
	Code       string          `json:"code,omitempty"`
	Actor      string          `json:"actor,omitempty"`
	ZH         string          `json:"zh"`
	EN         string          `json:"en"`
	Data       json.RawMessage `json:"data,omitempty"`
	DedupKey   string          `json:"-"`
}

// AddCaseEvents records events with multi-row statements, skipping any
// whose DedupKey is already recorded, and returns how many it added. At is
// the transaction's time when zero.
func (tx *Tx) AddCaseEvents(ctx context.Context, evs []CaseEvent) (int, error) {
	added := 0
	const cols = 11
	per := min(tx.db.d.maxParams/cols, 500)
	for start := 0; start < len(evs); start += per {
		part := evs[start:min(start+per, len(evs))]
		args := make([]any, 0, len(part)*cols)
		for i := range part {
			e := &part[i]
			if e.At.IsZero() {
				e.At = tx.now
			}
			data := string(e.Data)
			if data == "" {
				data = "{}"
			}
			args = append(args, e.CaseID, e.BorrowerID, e.On, ts(e.At), e.Kind, e.Code, e.Actor, e.ZH, e.EN, data,
				nullString(e.DedupKey))
		}
		res, err := tx.exec(ctx, `INSERT INTO case_events (case_id, borrower_id, on_date, at, kind, code, actor, zh, en, data,
			dedup_key) VALUES `+rowsOf(len(part), cols)+" ON CONFLICT (dedup_key) DO NOTHING", args...)
		if err != nil {
			return added, fmt.Errorf("add case events: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return added, interpretError(err)
		}
		added += int(n)
	}
	return added, nil
}

// CaseEvents returns case id's timeline, oldest first.
func (tx *Tx) CaseEvents(ctx context.Context, caseID int64) ([]CaseEvent, error) {
	rows, err := tx.query(ctx, `SELECT id, case_id, borrower_id, on_date, at, kind, code, actor, zh, en, data,
		COALESCE(dedup_key, '') FROM case_events WHERE case_id = ? ORDER BY on_date, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("list case %d events: %w", caseID, err)
	}
	defer rows.Close()
	var out []CaseEvent
	for rows.Next() {
		var e CaseEvent
		var data string
		if err := rows.Scan(num(&e.ID), num(&e.CaseID), num(&e.BorrowerID), &e.On, instant{&e.At}, &e.Kind, &e.Code,
			&e.Actor, &e.ZH, &e.EN, &data, &e.DedupKey); err != nil {
			return nil, fmt.Errorf("scan case event: %w", err)
		}
		e.Data = json.RawMessage(data)
		out = append(out, e)
	}
	return out, interpretError(rows.Err())
}

// CaseContacts returns the contact events of cases ids on or after since,
// by case: the on-date and the outcome code of each, oldest first.
func (tx *Tx) CaseContacts(ctx context.Context, ids []int64, since date.Date) (map[int64][]ContactMark, error) {
	out := map[int64][]ContactMark{}
	for start := 0; start < len(ids); start += 1000 {
		part := ids[start:min(start+1000, len(ids))]
		rows, err := tx.query(ctx, "SELECT case_id, on_date, code FROM case_events WHERE case_id IN ("+placeholders(len(part))+
			") AND on_date >= ? AND kind = ? ORDER BY case_id, on_date, id", append(int64Args(part), since, EventContact)...)
		if err != nil {
			return nil, fmt.Errorf("load case contacts: %w", err)
		}
		for rows.Next() {
			var id int64
			var m ContactMark
			if err := rows.Scan(num(&id), &m.On, &m.Outcome); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan case contact: %w", err)
			}
			out[id] = append(out[id], m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
	}
	return out, nil
}

// ContactMark is one contact attempt as the nightly run counts it.
type ContactMark struct {
	On      date.Date
	Outcome string
}
