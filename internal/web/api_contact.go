package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/notify"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// refusalProblem is the RFC 9457 problem for a contact the governor did
// not allow: 403 for a block, 409 for a contact waiting on an approval,
// with the decision (rules, reasons in Chinese and English, counts and
// window bounds) beside the usual fields.
type refusalProblem struct {
	huma.ErrorModel
	Decision   compliance.Decision `json:"decision"`
	AttemptID  int64               `json:"attempt_id,omitempty"`
	ApprovalID int64               `json:"approval_id,omitempty"`
}

// contactErr turns a refusal into its problem and any other error as
// apiErr does.
func (s *Server) contactErr(ctx context.Context, err error) error {
	var re *collect.RefusedError
	if !errors.As(err, &re) {
		return s.apiErr(ctx, err)
	}
	status := statusOf[errs.CodeOf(err)]
	path, _ := ctx.Value(keyPath).(string)
	return &refusalProblem{
		ErrorModel: huma.ErrorModel{Type: "about:blank", Title: http.StatusText(status), Status: status,
			Detail: errs.MessageOf(err), Instance: path},
		Decision: re.Decision, AttemptID: re.AttemptID, ApprovalID: re.ApprovalID,
	}
}

type contactInput struct {
	Body collect.ContactRequest
}

type contactLogInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"Repeat a request with the same key and body to get the first outcome without recording the contact twice"`
	Body           collect.ContactRequest
}

type contactListInput struct {
	BorrowerID int64  `query:"borrower_id" minimum:"0"`
	CaseID     int64  `query:"case_id" minimum:"0"`
	From       string `query:"from" format:"date" doc:"First day (lender time), default 7 days ago"`
	To         string `query:"to" format:"date" doc:"Last day (lender time), default today"`
	Flagged    bool   `query:"flagged" doc:"Only contacts the governor blocked, warned about or held for approval"`
	Limit      int    `query:"limit" minimum:"1" maximum:"1000" default:"50"`
	Offset     int    `query:"offset" minimum:"0" default:"0"`
}

type contactList struct {
	Items []contactAttemptView `json:"items"`
	Total int                  `json:"total"`
}

type messageInput struct {
	Body collect.MessageRequest
}

type messageListInput struct {
	BorrowerID int64  `query:"borrower_id" minimum:"0"`
	Status     string `query:"status" enum:"queued,held,sending,sent,failed,blocked,cancelled,"`
	Limit      int    `query:"limit" minimum:"1" maximum:"1000" default:"50"`
	Offset     int    `query:"offset" minimum:"0" default:"0"`
}

type messageList struct {
	Items []outbox.Message `json:"items"`
	Total int              `json:"total"`
}

type approvalListInput struct {
	Status string `query:"status" enum:"pending,approved,denied,used," doc:"Default: every status"`
	Limit  int    `query:"limit" minimum:"1" maximum:"1000" default:"50"`
	Offset int    `query:"offset" minimum:"0" default:"0"`
}

type approvalList struct {
	Items []approvalView `json:"items"`
	Total int            `json:"total"`
}

type approvalDecisionInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Approve bool   `json:"approve"`
		Note    string `json:"note,omitempty" maxLength:"1000"`
	}
}

type smsReportInput struct {
	Timestamp string `header:"X-Timestamp" doc:"Unix seconds; within 5 minutes of our clock"`
	Signature string `header:"X-Signature" doc:"hex HMAC-SHA256 under the gateway secret of X-Timestamp, a newline and the body"`
	RawBody   []byte
}

type smsReportOutput struct {
	Body struct {
		Received int `json:"received"`
		Matched  int `json:"matched"`
	}
}

func (s *Server) registerContactAPI() {
	register(s, auth.PermContactLog, huma.Operation{OperationID: "checkContact", Method: http.MethodPost, Path: "/api/v1/contacts/check",
		Summary: "Ask the contact governor about a proposed contact (records nothing)", Tags: []string{"contacts"},
		Description: "Returns allow, warn, approval or block with every rule that fired, its counts and window bounds, " +
			"and the reasons in Chinese and English. \"to\" may be a number or email of the borrower's, or a reference: " +
			"phone:N, email:N, contact:ID."},
		func(ctx context.Context, in *contactInput) (*struct{ Body collect.CheckResult }, error) {
			res, err := s.svc.CheckContact(ctx, apiActor(ctx), in.Body)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body collect.CheckResult }{res}, nil
		})
	register(s, auth.PermContactLog, huma.Operation{OperationID: "logContact", Method: http.MethodPost, Path: "/api/v1/contacts",
		Summary: "Record a contact attempt in the contact log, through the governor", Tags: []string{"contacts"},
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity},
		Description: "The governor checks the contact again. A refused contact is recorded as refused (evidence, not a contact) " +
			"and the answer is 403 (block) or 409 (needs approval, with approval_id) carrying the decision."},
		func(ctx context.Context, in *contactLogInput) (*struct{ Body contactResultView }, error) {
			res, err := s.svc.LogContactKeyed(ctx, apiActor(ctx), in.IdempotencyKey, in.Body)
			if err != nil {
				return nil, s.contactErr(ctx, err)
			}
			return &struct{ Body contactResultView }{contactResultViewOf(res)}, nil
		})
	register(s, auth.PermComplianceRead, huma.Operation{OperationID: "listContacts", Method: http.MethodGet, Path: "/api/v1/contacts",
		Summary: "The contact log, newest first (addresses masked)", Tags: []string{"contacts"}},
		func(ctx context.Context, in *contactListInput) (*struct{ Body contactList }, error) {
			f := sqlstore.ContactAttemptFilter{Masked: true, Limit: in.Limit, Offset: in.Offset}
			if in.BorrowerID > 0 {
				f.BorrowerID = &in.BorrowerID
			}
			if in.CaseID > 0 {
				f.CaseID = &in.CaseID
			}
			if in.Flagged {
				f.Flagged = &in.Flagged
			}
			from, to, err := s.complianceDays(in.From, in.To)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			f.From, f.To = &from, &to
			items, total, err := s.svc.ContactLog(ctx, apiActor(ctx), f)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body contactList }{contactList{viewsOf(nonNil(items), contactAttemptViewOf), total}}, nil
		})
	s.registerMessageAPI()
	s.registerApprovalAPI()
}

func (s *Server) registerMessageAPI() {
	register(s, auth.PermContactLog, huma.Operation{OperationID: "sendMessage", Method: http.MethodPost, Path: "/api/v1/messages",
		Summary: "Send an SMS or email to a borrower through the outbox and the governor", Tags: []string{"messages"},
		DefaultStatus: http.StatusAccepted, Errors: []int{http.StatusForbidden, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *messageInput) (*struct{ Body outbox.Message }, error) {
			m, err := s.svc.SendMessage(ctx, apiActor(ctx), in.Body)
			if err != nil {
				return nil, s.contactErr(ctx, err)
			}
			return &struct{ Body outbox.Message }{m}, nil
		})
	register(s, auth.PermContactLog, huma.Operation{OperationID: "listMessages", Method: http.MethodGet, Path: "/api/v1/messages",
		Summary: "Outbox messages, newest first (addresses masked)", Tags: []string{"messages"}},
		func(ctx context.Context, in *messageListInput) (*struct{ Body messageList }, error) {
			f := sqlstore.MessageFilter{Limit: in.Limit, Offset: in.Offset}
			if in.BorrowerID > 0 {
				f.BorrowerID = &in.BorrowerID
			}
			if in.Status != "" {
				st := outbox.Status(in.Status)
				f.Status = &st
			}
			items, total, err := s.svc.Messages(ctx, apiActor(ctx), f)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body messageList }{messageList{nonNil(items), total}}, nil
		})
	register(s, permSigned, huma.Operation{OperationID: "smsReport", Method: http.MethodPost, Path: "/api/v1/notify/sms-report",
		Summary: "Delivery reports (状态报告) pushed by the SMS gateway", Tags: []string{"messages"},
		Errors: []int{http.StatusUnauthorized},
		Description: "A JSON array (or one object) of {out_id, biz_id, phone, status, report_time}; out_id is the outbox id. " +
			"Authenticated by the gateway's signature, not by a user: X-Timestamp (Unix seconds, within 5 minutes) and " +
			"X-Signature = hex(HMAC-SHA256(secret, X-Timestamp + newline + body)) with the gateway secret " +
			"(ACCORD_SMS_REPORT_SECRET, else ACCORD_SMS_APP_SECRET). A bad signature, a stale timestamp or a replay is 401. Idempotent."},
		func(ctx context.Context, in *smsReportInput) (*smsReportOutput, error) {
			if err := s.opts.SMSReports.Verify(in.Timestamp, in.Signature, in.RawBody, s.svc.Now()); err != nil {
				s.log.Warn("sms report refused", "err", errs.MessageOf(err), "request_id", requestID(ctx))
				return nil, s.apiErr(ctx, err)
			}
			reports, err := notify.ParseSMSReport(in.RawBody)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			list := make([]collect.DeliveryReport, len(reports))
			for i, r := range reports {
				list[i] = collect.DeliveryReport{MessageID: r.MessageID, Delivered: r.Status == notify.StatusDelivered, Code: r.Code, At: r.At}
			}
			by := collect.System("sms-gateway")
			by.RequestID = requestID(ctx)
			n, err := s.svc.RecordDeliveryReports(ctx, by, list)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			out := &smsReportOutput{}
			out.Body.Received, out.Body.Matched = len(reports), n
			return out, nil
		})
}

func (s *Server) registerApprovalAPI() {
	register(s, auth.PermApprove, huma.Operation{OperationID: "listApprovals", Method: http.MethodGet, Path: "/api/v1/approvals",
		Summary: "Contact approval requests, newest first", Tags: []string{"contacts"}},
		func(ctx context.Context, in *approvalListInput) (*struct{ Body approvalList }, error) {
			f := sqlstore.ApprovalFilter{Limit: in.Limit, Offset: in.Offset}
			if in.Status != "" {
				st := sqlstore.ApprovalStatus(in.Status)
				f.Status = &st
			}
			items, total, err := s.svc.Approvals(ctx, apiActor(ctx), f)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body approvalList }{approvalList{viewsOf(nonNil(items), approvalViewOf), total}}, nil
		})
	register(s, auth.PermApprove, huma.Operation{OperationID: "decideApproval", Method: http.MethodPost, Path: "/api/v1/approvals/{id}/decision",
		Summary: "Approve or deny a contact approval request (the role the rules named; not your own request)", Tags: []string{"contacts"}},
		func(ctx context.Context, in *approvalDecisionInput) (*struct{ Body approvalView }, error) {
			a, err := s.svc.DecideApproval(ctx, apiActor(ctx), in.ID, in.Body.Approve, in.Body.Note)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body approvalView }{approvalViewOf(a)}, nil
		})
}

// complianceDays reads an inclusive range of days in the lender's zone, by
// default the last 7 days up to today (the service's clock), as instants
// [from, to).
func (s *Server) complianceDays(from, to string) (time.Time, time.Time, error) {
	zone := s.zone()
	today := s.now().In(zone)
	f, t := today.AddDate(0, 0, -6), today
	var err error
	if from != "" {
		if f, err = time.ParseInLocation(time.DateOnly, from, zone); err != nil {
			return f, t, errs.Field("from", "%q is not a date", from)
		}
	}
	if to != "" {
		if t, err = time.ParseInLocation(time.DateOnly, to, zone); err != nil {
			return f, t, errs.Field("to", "%q is not a date", to)
		}
	}
	y, m, d := f.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, zone)
	y, m, d = t.Date()
	end := time.Date(y, m, d+1, 0, 0, 0, 0, zone)
	if !start.Before(end) {
		return start, end, errs.Field("to", "is before from")
	}
	return start, end, nil
}
