package web

import (
	"encoding/json"
	"time"

	"accord/internal/borrower"
	"accord/internal/casework"
	"accord/internal/classify"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// The API's cases, their timeline and tasks, the case page and the
// workbench: types of web, mapped from the store's rows and the use cases'
// results, so that a column added to a table does not change the API
// (TestAPITypes_NotStoreRows).

// caseView is the API's form of sqlstore.Case.
type caseView struct {
	ID              int64                `json:"id"`
	BorrowerID      int64                `json:"borrower_id"`
	Status          casework.Status      `json:"status"`
	CloseReason     casework.CloseReason `json:"close_reason,omitempty"`
	OpenedOn        date.Date            `json:"opened_on"`
	ClosedOn        date.Date            `json:"closed_on,omitzero"`
	Bucket          string               `json:"bucket"`
	BucketRank      int                  `json:"bucket_rank"`
	MaxBucketRank   int                  `json:"max_bucket_rank"`
	DPD             int                  `json:"dpd"`
	Tier            classify.Tier        `json:"tier"`
	Segment         classify.Segment     `json:"segment"`
	Reasons         []classify.Reason    `json:"reasons,omitempty"`
	Overdue         money.Amount         `json:"overdue"`
	Balance         money.Amount         `json:"balance"`
	Paid30d         money.Amount         `json:"paid_30d"`
	Recovered       money.Amount         `json:"recovered"`
	Cost            money.Amount         `json:"cost"`
	EV              money.Amount         `json:"ev"`
	StrategyID      int64                `json:"strategy_id"`
	ExperimentID    int64                `json:"experiment_id,omitempty"`
	Arm             string               `json:"arm,omitempty"`
	Rule            string               `json:"rule"`
	RuleSince       date.Date            `json:"rule_since,omitzero"`
	Queue           string               `json:"queue"`
	Owner           casework.Owner       `json:"owner"`
	OwnerSince      date.Date            `json:"owner_since,omitzero"`
	PlacedOn        date.Date            `json:"placed_on,omitzero"`
	RecallOn        date.Date            `json:"recall_on,omitzero"`
	Locked          bool                 `json:"locked"`
	LastContactAt   time.Time            `json:"last_contact_at,omitzero"`
	LastConnectedOn date.Date            `json:"last_connected_on,omitzero"`
	LastProgressOn  date.Date            `json:"last_progress_on,omitzero"`
	Attempts        int                  `json:"attempts"`
	Connected       int                  `json:"connected"`
	Attempts7d      int                  `json:"attempts_7d"`
	Connected7d     int                  `json:"connected_7d"`
	PromisesKept    int                  `json:"promises_kept"`
	PromisesBroken  int                  `json:"promises_broken"`
	PromiseMadeOn   date.Date            `json:"promise_made_on,omitzero"`
	PromiseDue      date.Date            `json:"promise_due,omitzero"`
	PromiseAmount   money.Amount         `json:"promise_amount"`
	PromiseBrokenOn date.Date            `json:"promise_broken_on,omitzero"`
	Hardship        string               `json:"hardship,omitempty"`
	Flags           []string             `json:"flags"`
	Language        string               `json:"language"`
	Region          string               `json:"region"`
	Products        []string             `json:"products"`
	Loans           int                  `json:"loans"`
	HasPhone        bool                 `json:"has_phone"`
	WorkedOn        date.Date            `json:"worked_on,omitzero"`
	CreatedAt       time.Time            `json:"created_at"`
	UpdatedAt       time.Time            `json:"updated_at"`
	LoanIDs         []int64              `json:"loan_ids"`
}

func caseViewOf(x sqlstore.Case) caseView {
	return caseView{
		ID:              x.ID,
		BorrowerID:      x.BorrowerID,
		Status:          x.Status,
		CloseReason:     x.CloseReason,
		OpenedOn:        x.OpenedOn,
		ClosedOn:        x.ClosedOn,
		Bucket:          x.Bucket,
		BucketRank:      x.BucketRank,
		MaxBucketRank:   x.MaxBucketRank,
		DPD:             x.DPD,
		Tier:            x.Tier,
		Segment:         x.Segment,
		Reasons:         x.Reasons,
		Overdue:         x.Overdue,
		Balance:         x.Balance,
		Paid30d:         x.Paid30d,
		Recovered:       x.Recovered,
		Cost:            x.Cost,
		EV:              x.EV,
		StrategyID:      x.StrategyID,
		ExperimentID:    x.ExperimentID,
		Arm:             x.Arm,
		Rule:            x.Rule,
		RuleSince:       x.RuleSince,
		Queue:           x.Queue,
		Owner:           x.Owner,
		OwnerSince:      x.OwnerSince,
		PlacedOn:        x.PlacedOn,
		RecallOn:        x.RecallOn,
		Locked:          x.Locked,
		LastContactAt:   x.LastContactAt,
		LastConnectedOn: x.LastConnectedOn,
		LastProgressOn:  x.LastProgressOn,
		Attempts:        x.Attempts,
		Connected:       x.Connected,
		Attempts7d:      x.Attempts7d,
		Connected7d:     x.Connected7d,
		PromisesKept:    x.PromisesKept,
		PromisesBroken:  x.PromisesBroken,
		PromiseMadeOn:   x.PromiseMadeOn,
		PromiseDue:      x.PromiseDue,
		PromiseAmount:   x.PromiseAmount,
		PromiseBrokenOn: x.PromiseBrokenOn,
		Hardship:        x.Hardship,
		Flags:           x.Flags,
		Language:        x.Language,
		Region:          x.Region,
		Products:        x.Products,
		Loans:           x.Loans,
		HasPhone:        x.HasPhone,
		WorkedOn:        x.WorkedOn,
		CreatedAt:       x.CreatedAt,
		UpdatedAt:       x.UpdatedAt,
		LoanIDs:         x.LoanIDs,
	}
}

// caseEventView is the API's form of sqlstore.CaseEvent.
type caseEventView struct {
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
}

func caseEventViewOf(x sqlstore.CaseEvent) caseEventView {
	return caseEventView{
		ID:         x.ID,
		CaseID:     x.CaseID,
		BorrowerID: x.BorrowerID,
		On:         x.On,
		At:         x.At,
		Kind:       x.Kind,
		Code:       x.Code,
		Actor:      x.Actor,
		ZH:         x.ZH,
		EN:         x.EN,
		Data:       x.Data,
	}
}

// taskView is the API's form of sqlstore.Task.
type taskView struct {
	ID         int64          `json:"id"`
	CaseID     int64          `json:"case_id"`
	BorrowerID int64          `json:"borrower_id"`
	Kind       string         `json:"kind"`
	Queue      string         `json:"queue"`
	Priority   int            `json:"priority"`
	DueOn      date.Date      `json:"due_on"`
	Status     string         `json:"status"`
	Assignee   casework.Owner `json:"assignee"`
	Rule       string         `json:"rule"`
	Detail     string         `json:"detail,omitempty"`
	Outcome    string         `json:"outcome,omitempty"`
	DedupKey   string         `json:"dedup_key"`
	CreatedOn  date.Date      `json:"created_on"`
	CreatedAt  time.Time      `json:"created_at"`
	ClosedAt   time.Time      `json:"closed_at,omitzero"`
}

func taskViewOf(x sqlstore.Task) taskView {
	return taskView{
		ID:         x.ID,
		CaseID:     x.CaseID,
		BorrowerID: x.BorrowerID,
		Kind:       x.Kind,
		Queue:      x.Queue,
		Priority:   x.Priority,
		DueOn:      x.DueOn,
		Status:     x.Status,
		Assignee:   x.Assignee,
		Rule:       x.Rule,
		Detail:     x.Detail,
		Outcome:    x.Outcome,
		DedupKey:   x.DedupKey,
		CreatedOn:  x.CreatedOn,
		CreatedAt:  x.CreatedAt,
		ClosedAt:   x.ClosedAt,
	}
}

// casePageView is the API's form of collect.CasePage.
type casePageView struct {
	Case      caseView              `json:"case"`
	Borrower  borrower.Borrower     `json:"borrower"`
	Loans     []collect.LoanSummary `json:"loans"`
	Events    []caseEventView       `json:"events"`
	Tasks     []taskView            `json:"tasks"`
	Owner     string                `json:"owner"`
	Script    collect.Script        `json:"script"`
	Factors   []casework.Factor     `json:"ev_factors" doc:"The rules of thumb behind the case's expected value; empty when a cure model's score values it (ev_score)."`
	ValuedBy  *collect.ScoreValue   `json:"ev_score,omitempty" doc:"The cure score the expected value is reckoned from (balance × chance to 0.1 percentage point), when a cure model in use scored the borrower."`
	CanWork   bool                  `json:"can_work"`
	CanManage bool                  `json:"can_manage"`
}

func casePageViewOf(x collect.CasePage) casePageView {
	return casePageView{
		Case:      caseViewOf(x.Case),
		Borrower:  x.Borrower,
		Loans:     x.Loans,
		Events:    viewsOf(x.Events, caseEventViewOf),
		Tasks:     viewsOf(x.Tasks, taskViewOf),
		Owner:     x.Owner,
		Script:    x.Script,
		Factors:   x.Factors,
		ValuedBy:  x.ValuedBy,
		CanWork:   x.CanWork,
		CanManage: x.CanManage,
	}
}

// workbenchView is the API's form of collect.Workbench.
type workbenchView struct {
	Owner      casework.Owner `json:"owner"`
	Name       string         `json:"name"`
	Cases      []caseView     `json:"cases"`
	Total      int            `json:"total"`
	NotWorked  int            `json:"not_worked_today"`
	QueueTasks []taskView     `json:"queue_tasks"`
	Today      date.Date      `json:"today"`
}

func workbenchViewOf(x collect.Workbench) workbenchView {
	return workbenchView{
		Owner:      x.Owner,
		Name:       x.Name,
		Cases:      viewsOf(x.Cases, caseViewOf),
		Total:      x.Total,
		NotWorked:  x.NotWorked,
		QueueTasks: viewsOf(x.QueueTasks, taskViewOf),
		Today:      x.Today,
	}
}

// viewsOf maps each of xs with f; nil stays nil, so an empty list encodes
// as the store's rows did (null for nil, [] for empty).
func viewsOf[T, V any](xs []T, f func(T) V) []V {
	if xs == nil {
		return nil
	}
	out := make([]V, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}
