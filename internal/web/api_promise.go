package web

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/promise"
)

// promiseBook returns the negotiation service wired as svc's promise book,
// wiring one over svc's database when svc has none (as in tests).
func promiseBook(svc *collect.Service, log *slog.Logger) *negotiation.Service {
	if svc == nil { // describing the API only
		return nil
	}
	if n, ok := svc.PromiseBook().(*negotiation.Service); ok {
		return n
	}
	return negotiation.Wire(svc, negotiation.Options{Log: log})
}

type promiseCreateInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Amount     money.Amount `json:"amount" doc:"What the borrower promised to pay, in yuan: more than 0 and at most what they owe"`
		Due        date.Date    `json:"due" doc:"The promised date, today to 30 days ahead"`
		Channel    string       `json:"channel,omitempty" enum:"call,visit,sms,email,portal,bot," doc:"Where it was made; call when empty"`
		Note       string       `json:"note,omitempty" maxLength:"2000"`
		LogContact bool         `json:"log_contact,omitempty" doc:"The promise was made in a contact not logged yet: log it as connected through the contact governor first (a refused contact records no promise)"`
		ContactID  int64        `json:"contact_id,omitempty" doc:"The logged contact attempt it was made in"`
	}
}

type promiseCancelInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Reason string `json:"reason" minLength:"1" maxLength:"2000" doc:"Why: recorded on the case's timeline and in the audit log"`
	}
}

type promiseList struct {
	Items []promise.Promise `json:"items"`
}

// registerPromiseAPI registers the promise-to-pay API: the same permission
// as logging a case outcome; the use cases check contact:log and the
// actor's object scope.
func (s *Server) registerPromiseAPI() {
	tags := []string{"promises"}
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "createPromise", Method: http.MethodPost, Path: "/api/v1/cases/{id}/promises",
		Summary: "Record a promise to pay on a case", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *promiseCreateInput) (*struct{ Body promise.Promise }, error) {
			b := in.Body
			p, err := s.neg.RecordPromise(ctx, apiActor(ctx), in.ID, negotiation.NewPromise{Amount: b.Amount, Due: b.Due,
				Channel: b.Channel, Note: b.Note, LogContact: b.LogContact, ContactID: b.ContactID})
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body promise.Promise }{p}, nil
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "listPromises", Method: http.MethodGet, Path: "/api/v1/cases/{id}/promises",
		Summary: "A case's promises to pay, first due first, with what was paid towards each", Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body promiseList }, error) {
			list, err := s.neg.ListPromises(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body promiseList }{promiseList{Items: nonNil(list)}}, nil
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "cancelPromise", Method: http.MethodPost, Path: "/api/v1/promises/{id}/cancel",
		Summary: "Cancel an open promise to pay, with the reason", Tags: tags},
		func(ctx context.Context, in *promiseCancelInput) (*struct{ Body promise.Promise }, error) {
			p, err := s.neg.CancelPromise(ctx, apiActor(ctx), in.ID, in.Body.Reason)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body promise.Promise }{p}, nil
		})
}
