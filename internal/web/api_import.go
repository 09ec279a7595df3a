package web

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/collect"
)

// importInput has no body field on purpose: huma would read the whole file
// into memory first. Resolve keeps the request body instead, and the
// importer reads it as a stream, one line at a time, under the route's body
// limit (Options.MaxImportBytes, enforced by limitBody).
type importInput struct {
	Kind     string `query:"kind" required:"true" enum:"borrowers,contacts,loans,payments"`
	DryRun   bool   `query:"dry_run" doc:"Validate only; write nothing"`
	Filename string `query:"filename" doc:"Name of the file, for the record; .jsonl means JSON lines, anything else CSV"`

	body io.Reader
}

// Resolve implements huma.Resolver: it keeps the body for the handler.
func (in *importInput) Resolve(ctx huma.Context) []error {
	in.body = ctx.BodyReader()
	return nil
}

func (s *Server) registerImportAPI() {
	limit := s.opts.MaxImportBytes
	register(s, auth.PermImport, huma.Operation{OperationID: "importFile", Method: http.MethodPost, Path: "/api/v1/imports",
		Summary: "Import a CSV or JSON-lines file all-or-nothing", Tags: []string{"imports"}, MaxBodyBytes: limit,
		Description: "The body is the file. A file is applied whole or not at all; every invalid row is reported with its row number, column and reason. " +
			"Importing the same file again changes nothing. Columns: docs/IMPORT.md.",
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
			"text/csv": {Schema: &huma.Schema{Type: "string", Format: "binary"}},
		}}},
		func(ctx context.Context, in *importInput) (*struct{ Body collect.ImportResult }, error) {
			name := in.Filename
			if name == "" {
				name = "upload.csv"
			}
			body := in.body
			if body == nil {
				body = http.NoBody
			}
			res, err := s.svc.Import(ctx, apiActor(ctx), in.Kind, name, body, in.DryRun)
			if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
				return nil, huma.NewError(http.StatusRequestEntityTooLarge, tooLargeDetail(mbe.Limit))
			}
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body collect.ImportResult }{res}, nil
		})
}
