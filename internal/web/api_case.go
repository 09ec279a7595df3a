package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/classify"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

type caseListInput struct {
	Status     string `query:"status" enum:"open,closed," doc:"open or closed"`
	Bucket     string `query:"bucket" doc:"M1 … M7+"`
	Tier       string `query:"tier" enum:"low,medium,high,"`
	Segment    string `query:"segment" enum:"willing_able,willing_unable,unwilling_able,unwilling_unable,"`
	Queue      string `query:"queue" doc:"call queue the strategy chose"`
	Owner      string `query:"owner" doc:"collector:ID, agency:ID, or none for unassigned"`
	BorrowerID int64  `query:"borrower_id" minimum:"0"`
	OrderByEV  bool   `query:"order_by_ev" doc:"highest expected value first (a work queue); otherwise newest first"`
	Limit      int    `query:"limit" minimum:"1" maximum:"1000" default:"50"`
	Offset     int    `query:"offset" minimum:"0" default:"0"`
}

func (in *caseListInput) filter() sqlstore.CaseFilter {
	f := sqlstore.CaseFilter{Limit: in.Limit, Offset: in.Offset, OrderByEV: in.OrderByEV}
	if in.Status != "" {
		st := casework.Status(in.Status)
		f.Status = &st
	}
	f.Bucket, f.Queue = optional(in.Bucket), optional(in.Queue)
	if in.Tier != "" {
		t := classify.Tier(in.Tier)
		f.Tier = &t
	}
	if in.Segment != "" {
		sg := classify.Segment(in.Segment)
		f.Segment = &sg
	}
	if in.BorrowerID > 0 {
		f.BorrowerID = &in.BorrowerID
	}
	if in.Owner == "none" {
		f.Owner = &casework.Owner{}
	} else if o, err := parseOwner(in.Owner); err == nil {
		f.Owner = &o
	}
	return f
}

type caseList struct {
	Items []caseView `json:"items"`
	Total int        `json:"total"`
}

type caseNoteInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Text string `json:"text" minLength:"1" maxLength:"2000" doc:"The note; recorded on the timeline and in the audit log"`
	}
}

type caseContactInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Channel       string       `json:"channel,omitempty" enum:"call,visit,sms,email," doc:"call when empty"`
		Outcome       string       `json:"outcome" enum:"connected,no_answer,busy,voicemail,refused,invalid_number"`
		PromiseAmount money.Amount `json:"promise_amount,omitempty" doc:"A promise to pay made in a connected call, in yuan"`
		PromiseDue    date.Date    `json:"promise_due,omitzero" doc:"The promised date, today to 30 days ahead"`
		Hardship      string       `json:"hardship,omitempty" enum:"job_loss,illness,other,"`
		Note          string       `json:"note,omitempty" maxLength:"2000"`
	}
}

type reassignInput struct {
	Body struct {
		CaseIDs []int64 `json:"case_ids" minItems:"1" maxItems:"500"`
		To      string  `json:"to" doc:"collector:ID or agency:ID"`
		Reason  string  `json:"reason" minLength:"1" maxLength:"500" doc:"Why; recorded on each case and in the audit log"`
		Lock    bool    `json:"lock,omitempty" doc:"Keep the cases there: the nightly assignment leaves them alone"`
	}
}

type reassignOutput struct {
	Body struct {
		Moved int `json:"moved"`
	}
}

type nextCaseOutput struct {
	Body struct {
		CaseID int64 `json:"case_id"`
	}
}

func (s *Server) registerCaseAPI() {
	tags := []string{"cases"}
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "listCases", Method: http.MethodGet, Path: "/api/v1/cases",
		Summary: "List cases (a collector sees their own)", Tags: tags},
		func(ctx context.Context, in *caseListInput) (*struct{ Body caseList }, error) {
			items, total, err := s.svc.Cases(ctx, apiActor(ctx), in.filter())
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body caseList }{caseList{Items: viewsOf(nonNil(items), caseViewOf), Total: total}}, nil
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "getCase", Method: http.MethodGet, Path: "/api/v1/cases/{id}",
		Summary: "A case with its borrower (masked), loans, timeline, tasks, script and the reasons behind its grade", Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body casePageView }, error) {
			p, err := s.svc.Case(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			p.Events, p.Tasks, p.Loans = nonNil(p.Events), nonNil(p.Tasks), nonNil(p.Loans)
			return &struct{ Body casePageView }{casePageViewOf(p)}, nil
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "addCaseNote", Method: http.MethodPost, Path: "/api/v1/cases/{id}/notes",
		Summary: "Add a note to a case's timeline", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *caseNoteInput) (*struct{ Body caseEventView }, error) {
			e, err := s.svc.AddCaseNote(ctx, apiActor(ctx), in.ID, in.Body.Text)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body caseEventView }{caseEventViewOf(e)}, nil
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "logCaseOutcome", Method: http.MethodPost, Path: "/api/v1/cases/{id}/outcomes",
		Summary: "Log a contact outcome on a case (promise to pay, hardship)", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *caseContactInput) (*struct{}, error) {
			b := in.Body
			err := s.svc.LogCaseContact(ctx, apiActor(ctx), in.ID, collect.CaseContact{Channel: b.Channel,
				Outcome: compliance.Outcome(b.Outcome), PromiseAmount: b.PromiseAmount, PromiseDue: b.PromiseDue,
				Hardship: b.Hardship, Note: b.Note})
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{}{}, nil
		})
	register(s, auth.PermCaseManage, huma.Operation{OperationID: "reassignCases", Method: http.MethodPost, Path: "/api/v1/cases/reassign",
		Summary: "Move cases to a collector or an agency, with the reason", Tags: tags},
		func(ctx context.Context, in *reassignInput) (*reassignOutput, error) {
			to, err := parseOwner(in.Body.To)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			n, err := s.svc.ReassignCases(ctx, apiActor(ctx), collect.Reassignment{CaseIDs: in.Body.CaseIDs, To: to,
				Reason: in.Body.Reason, Lock: in.Body.Lock})
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			out := &reassignOutput{}
			out.Body.Moved = n
			return out, nil
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "getWorkbench", Method: http.MethodGet, Path: "/api/v1/workbench",
		Summary: "The caller's queue, highest expected value first", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body workbenchView }, error) {
			wb, err := s.svc.Workbench(ctx, apiActor(ctx), 200)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			wb.Cases, wb.QueueTasks = nonNil(wb.Cases), nonNil(wb.QueueTasks)
			return &struct{ Body workbenchView }{workbenchViewOf(wb)}, nil
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "nextCase", Method: http.MethodPost, Path: "/api/v1/workbench/next",
		Summary: "Get next case: the caller's highest-value open case not worked today (404 when none)", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*nextCaseOutput, error) {
			id, err := s.svc.NextCase(ctx, apiActor(ctx))
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			out := &nextCaseOutput{}
			out.Body.CaseID = id
			return out, nil
		})
}
