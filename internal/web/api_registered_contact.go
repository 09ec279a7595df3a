package web

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/borrower"
)

// contactRequest is the body of POST /api/v1/borrowers/{id}/contacts.
type contactRequest struct {
	ExternalID   string    `json:"external_id" minLength:"1" maxLength:"64"`
	Name         string    `json:"name" minLength:"1" maxLength:"100"`
	Relationship string    `json:"relationship" enum:"spouse,parent,child,sibling,relative,friend,colleague,other"`
	Phone        string    `json:"phone" doc:"E.164, e.g. +8613700137000; stored encrypted"`
	ConsentBasis string    `json:"consent_basis" minLength:"1" doc:"How the borrower's consent was recorded: loan_application, call_recording, written …"`
	ConsentAt    time.Time `json:"consent_at" doc:"When consent was recorded"`
}

type contactCreateInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body contactRequest
}

func (s *Server) registerRegisteredContactAPI() {
	register(s, auth.PermBorrowerRead, huma.Operation{OperationID: "listBorrowerContacts", Method: http.MethodGet, Path: "/api/v1/borrowers/{id}/contacts",
		Summary: "A borrower's registered contacts (登记联系人), phones masked", Tags: []string{"borrowers"}},
		func(ctx context.Context, in *idParam) (*struct{ Body []borrower.Contact }, error) {
			list, err := s.svc.RegisteredContacts(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []borrower.Contact }{nonNil(list)}, nil
		})
	register(s, auth.PermBorrowerWrite, huma.Operation{OperationID: "createBorrowerContact", Method: http.MethodPost, Path: "/api/v1/borrowers/{id}/contacts",
		Summary: "Register a contact for a borrower, with the consent basis", Tags: []string{"borrowers"}, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *contactCreateInput) (*struct{ Body borrower.Contact }, error) {
			b := in.Body
			c, err := s.svc.AddRegisteredContact(ctx, apiActor(ctx), in.ID, borrower.Contact{ExternalID: b.ExternalID, Name: b.Name,
				Relationship: b.Relationship, Phone: b.Phone, ConsentBasis: b.ConsentBasis, ConsentAt: b.ConsentAt.UTC()})
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body borrower.Contact }{c}, nil
		})
}
