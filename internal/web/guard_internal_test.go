package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

// TestGuard_RemovesMultipartTempFiles: a multipart file larger than
// formMemory is spooled to a temporary file while the handler runs, and
// the file is gone as soon as the handler returns.
func TestGuard_RemovesMultipartTempFiles(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "big.csv")
	_, _ = fw.Write(bytes.Repeat([]byte("x"), formMemory+(256<<10)))
	_ = mw.Close()

	var spooled string
	s := &Server{}
	h := s.guard(permPublic, func(w http.ResponseWriter, r *http.Request) {
		if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) != 1 {
			t.Fatal("the guard did not parse the multipart form")
		}
		f, err := r.MultipartForm.File["file"][0].Open()
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if osf, ok := f.(*os.File); ok {
			spooled = osf.Name()
		}
	})
	req := httptest.NewRequest("POST", "/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	h(httptest.NewRecorder(), req)
	if spooled == "" {
		t.Fatal("the file was not spooled to disk; the test needs a part over formMemory")
	}
	if _, err := os.Stat(spooled); !os.IsNotExist(err) {
		t.Errorf("temporary file %s still exists after the handler returned (%v)", spooled, err)
	}
}
