package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// The staff side of the chatbot: the console lists the conversations a
// person may see and shows one with its messages, what the bot understood
// and did, and the tasks it gave people (the handover inbox). A collector
// sees the conversations of borrowers whose open case they work, an agency
// those of its placements, supervisors, compliance and auditors every one
// (collect's object scope); the permission is borrower:read.

// ConversationQuery selects conversations for staff.
type ConversationQuery struct {
	Status     string // open or handed_over; "" both
	Vulnerable bool   // only vulnerable borrowers
	Limit      int    // 50 when zero; at most 200
	Offset     int
}

// ConversationItem is a conversation in the staff list.
type ConversationItem struct {
	ID         int64     `json:"id"`
	BorrowerID int64     `json:"borrower_id"`
	Channel    string    `json:"channel"`
	Lang       string    `json:"lang"`
	Status     string    `json:"status"`
	Vulnerable bool      `json:"vulnerable"`
	Turns      int       `json:"turns"`
	LastInAt   time.Time `json:"last_in_at,omitzero"`
	CreatedAt  time.Time `json:"created_at"`
}

// ConversationDetail is one conversation for staff.
type ConversationDetail struct {
	ConversationItem
	Step  string       `json:"step"` // where the dialogue stands: what the bot waits for
	Turns []StaffTurn  `json:"turns"`
	Tasks []StaffTask  `json:"tasks"` // the tasks the bot gave people on the borrower's cases
	Case  *StaffCaseID `json:"case,omitempty"`
}

// StaffCaseID names the borrower's open case and its owner.
type StaffCaseID struct {
	ID    int64          `json:"id"`
	Owner casework.Owner `json:"owner"`
}

// StaffTurn is one message of the borrower and the bot's answer, as staff
// see it: the text as stored (numbers masked), the parsed intent and the
// action taken.
type StaffTurn struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	Borrower string    `json:"borrower"`
	Intent   string    `json:"intent"`
	Action   string    `json:"action,omitempty"`
	Answer   Answer    `json:"answer"`
}

// StaffTask is a task the bot created for a person.
type StaffTask struct {
	ID       int64          `json:"id"`
	CaseID   int64          `json:"case_id"`
	Kind     string         `json:"kind"`
	Status   string         `json:"status"`
	Queue    string         `json:"queue"`
	Priority int            `json:"priority"`
	Assignee casework.Owner `json:"assignee"`
	DueOn    date.Date      `json:"due_on"`
	Detail   string         `json:"detail,omitempty"`
}

func mayRead(by collect.Actor) error {
	if !by.User.Can(auth.PermBorrowerRead) {
		return errs.Errorf(errs.Forbidden, "Your role may not read borrowers' conversations.")
	}
	return nil
}

// Conversations returns a page of the conversations q selects that by may
// see, the latest message first, and how many there are in all. It returns
// Forbidden without borrower:read and an Invalid error naming status.
func (s *Service) Conversations(ctx context.Context, by collect.Actor, q ConversationQuery) ([]ConversationItem, int, error) {
	if err := mayRead(by); err != nil {
		return nil, 0, err
	}
	if q.Status != "" && q.Status != sqlstore.ChatOpen && q.Status != sqlstore.ChatHandedOver {
		return nil, 0, errs.Fields("The filter is not valid.", errs.FieldError{Field: "status", Message: "must be open or handed_over"})
	}
	var out []ConversationItem
	total := 0
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.collect.ScopeOf(ctx, tx, by)
		if err != nil || sc.None() {
			return err
		}
		rows, n, err := tx.Conversations(ctx, sqlstore.ChatConversationFilter{Status: q.Status, Vulnerable: q.Vulnerable,
			Scope: &sc, Limit: q.Limit, Offset: q.Offset})
		total = n
		for _, r := range rows {
			out = append(out, itemOf(r))
		}
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list conversations: %w", err)
	}
	return out, total, nil
}

func itemOf(r sqlstore.ChatConversationRow) ConversationItem {
	return ConversationItem{ID: r.ID, BorrowerID: r.BorrowerID, Channel: r.Channel, Lang: r.Lang, Status: r.Status,
		Vulnerable: r.Vulnerable, Turns: r.Turns, LastInAt: r.LastInAt, CreatedAt: r.CreatedAt}
}

// Conversation returns conversation id with its last 200 turns and the
// bot's tasks on the borrower's cases. A conversation outside by's scope
// is NotFound, as a missing one; Forbidden without borrower:read.
func (s *Service) Conversation(ctx context.Context, by collect.Actor, id int64) (ConversationDetail, error) {
	if err := mayRead(by); err != nil {
		return ConversationDetail{}, err
	}
	var d ConversationDetail
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.collect.ScopeOf(ctx, tx, by)
		if err != nil {
			return err
		}
		c, err := tx.Conversation(ctx, id)
		if errs.CodeOf(err) == errs.NotFound {
			return errs.Errorf(errs.NotFound, "Conversation %d not found.", id)
		}
		if err != nil {
			return err
		}
		if ok, err := tx.BorrowerInScope(ctx, sc, c.BorrowerID); err != nil || !ok {
			if err == nil {
				err = errs.Errorf(errs.NotFound, "Conversation %d not found.", id)
			}
			return err
		}
		list, _, err := tx.Conversations(ctx, sqlstore.ChatConversationFilter{BorrowerID: c.BorrowerID, Limit: 200})
		if err != nil {
			return err
		}
		for _, r := range list {
			if r.ID == id {
				d.ConversationItem = itemOf(r)
			}
		}
		var st convState
		if err := json.Unmarshal(c.State, &st); err == nil {
			d.Step = string(st.Bot.Step)
			if st.Awaiting != "" {
				d.Step = st.Awaiting
			}
		}
		if d.Turns, err = staffTurns(ctx, tx, id); err != nil {
			return err
		}
		d.Tasks, d.Case, err = botTasks(ctx, tx, c.BorrowerID)
		return err
	})
	if err != nil {
		return ConversationDetail{}, fmt.Errorf("conversation %d: %w", id, err)
	}
	return d, nil
}

func staffTurns(ctx context.Context, tx *sqlstore.Tx, id int64) ([]StaffTurn, error) {
	turns, err := tx.ChatTurns(ctx, id, 200)
	if err != nil {
		return nil, err
	}
	out := make([]StaffTurn, 0, len(turns))
	for _, t := range turns {
		st := StaffTurn{Seq: t.Seq, At: t.CreatedAt, Intent: t.Intent, Action: t.Action}
		if err := json.Unmarshal(t.Reply, &st.Answer); err != nil {
			return nil, fmt.Errorf("turn %d: %w", t.ID, err)
		}
		if t.InboundID != 0 {
			in, err := tx.ContactAttempt(ctx, t.InboundID)
			if err != nil && errs.CodeOf(err) != errs.NotFound {
				return nil, err
			}
			st.Borrower = in.Content
		}
		out = append(out, st)
	}
	return out, nil
}

// botTasks returns the tasks the bot gave people on the borrower's cases
// (kinds chat_*), open first, and the borrower's open case.
func botTasks(ctx context.Context, tx *sqlstore.Tx, borrowerID int64) ([]StaffTask, *StaffCaseID, error) {
	cases, _, err := tx.Cases(ctx, sqlstore.CaseFilter{BorrowerID: &borrowerID, Limit: 20})
	if err != nil {
		return nil, nil, err
	}
	var open *StaffCaseID
	var out []StaffTask
	for _, c := range cases {
		if c.Status == casework.Open && open == nil {
			open = &StaffCaseID{ID: c.ID, Owner: c.Owner}
		}
		id := c.ID
		tasks, _, err := tx.Tasks(ctx, sqlstore.TaskFilter{CaseID: &id, Limit: 200})
		if err != nil {
			return nil, nil, err
		}
		for _, t := range tasks {
			if !strings.HasPrefix(t.Kind, "chat_") {
				continue
			}
			out = append(out, StaffTask{ID: t.ID, CaseID: t.CaseID, Kind: t.Kind, Status: t.Status, Queue: t.Queue,
				Priority: t.Priority, Assignee: t.Assignee, DueOn: t.DueOn, Detail: t.Detail})
		}
	}
	return out, open, nil
}
