package web

import (
	"bytes"
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/collect"
)

type importInput struct {
	Kind     string `query:"kind" required:"true" enum:"borrowers,contacts,loans,payments"`
	DryRun   bool   `query:"dry_run" doc:"Validate only; write nothing"`
	Filename string `query:"filename" doc:"Name of the file, for the record; .jsonl means JSON lines, anything else CSV"`
	RawBody  []byte `contentType:"text/csv"`
}

func (s *Server) registerImportAPI() {
	register(s, auth.PermImport, huma.Operation{OperationID: "importFile", Method: http.MethodPost, Path: "/api/v1/imports",
		Summary: "Import a CSV or JSON-lines file all-or-nothing", Tags: []string{"imports"}, MaxBodyBytes: 512 << 20,
		Description: "The body is the file. A file is applied whole or not at all; every invalid row is reported with its row number, column and reason. " +
			"Importing the same file again changes nothing. Columns: docs/IMPORT.md."},
		func(ctx context.Context, in *importInput) (*struct{ Body collect.ImportResult }, error) {
			name := in.Filename
			if name == "" {
				name = "upload.csv"
			}
			res, err := s.svc.Import(ctx, apiActor(ctx), in.Kind, name, bytes.NewReader(in.RawBody), in.DryRun)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body collect.ImportResult }{res}, nil
		})
}
