package web_test

import (
	"bytes"
	"os"
	"testing"

	"accord/internal/web"
)

// TestOpenAPIDocIsCurrent keeps docs/openapi.json equal to what the server
// serves at /api/v1/openapi.json. Regenerate it with `make openapi`.
func TestOpenAPIDocIsCurrent(t *testing.T) {
	srv, err := web.New(nil, web.Options{Version: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := srv.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../docs/openapi.json")
	if err != nil {
		t.Fatalf("read docs/openapi.json: %v (run make openapi)", err)
	}
	if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
		t.Error("docs/openapi.json differs from the API the code serves; run make openapi")
	}
}
