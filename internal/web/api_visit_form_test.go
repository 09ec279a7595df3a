package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"strings"
	"testing"

	"accord/internal/collect"
	"accord/internal/fieldwork"
)

// multipartOutcome posts fields and files (name → bytes, as attachments)
// to the outcome API as user.
func (d *visitDay) multipartOutcome(t *testing.T, user string, id int64, fields map[string]string, files map[string][]byte,
	contentLength int64) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="attachments"; filename=%q`, name))
		h.Set("Content-Type", "image/jpeg")
		if strings.HasSuffix(name, ".m4a") {
			h.Set("Content-Type", "audio/mp4")
		}
		p, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		p.Write(data)
	}
	mw.Close()
	tok, err := d.svc.CreateToken(context.Background(), collect.System("test"), user, "test")
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", fmt.Sprintf("/api/v1/visits/%d/outcome", id), &body)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if contentLength > 0 {
		req.ContentLength = contentLength
	}
	rec := httptest.NewRecorder()
	d.srv.ServeHTTP(rec, req)
	return rec
}

// TestVisitOutcomeAPI_Multipart: the outcome API takes a multipart form
// with a photo and a 2 MiB recording as files: the promise is recorded,
// each file kept with its SHA-256 and served back unchanged, and the
// temporary files the form spooled are gone. Unknown fields and too large
// bodies are refused, writing nothing; a correction sent as a form is a
// new entry pointing at the old one, which stays as it was.
func TestVisitOutcomeAPI_Multipart(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where multipart spools files over formMemory
	d := newVisitDay(t)
	ctx := context.Background()
	v := d.v
	if _, err := d.fw.CheckIn(ctx, d.as("fa1"), v.ID, fieldwork.CheckInRequest{Lat: v.Lat, Lon: v.Lon, Partner: "fa2", RecordingDevice: "REC-7"}); err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{"kind": "promise", "amount": "1000.00", "promise_date": v.PlannedOn.AddDays(7).String(), "note": "下周还款"}

	rec := d.multipartOutcome(t, "fa1", v.ID, map[string]string{"kind": "promise", "amount": "1000.00", "colour": "red"}, nil, 0)
	if rec.Code != http.StatusBadRequest && rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "colour") {
		t.Errorf("an unknown field: %d %s; want a 400/422 naming colour", rec.Code, rec.Body.String())
	}
	rec = d.multipartOutcome(t, "fa1", v.ID, fields, map[string][]byte{"door.jpg": []byte("x")}, visitBodyLimit+1)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over %d bytes: %d, want 413", visitBodyLimit, rec.Code)
	}
	page, err := d.fw.Visit(ctx, d.as("supervisor"), v.ID)
	if err != nil || page.Visit.State != "checked_in" || len(page.Entries) != 0 {
		t.Fatalf("after refused forms: %+v, %v; want the visit checked in with no entry", page.Visit.State, err)
	}

	photo, recording := []byte("\xff\xd8\xff a photo of the door"), bytes.Repeat([]byte("recording "), 210_000)
	rec = d.multipartOutcome(t, "fa1", v.ID, fields, map[string][]byte{"door.jpg": photo, "talk.m4a": recording}, 0)
	wantStatus(t, rec, http.StatusCreated, "the multipart outcome")
	var out outcomeView
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.PromiseID == 0 || out.Visit.State != "done" || len(out.Entry.Attachments) != 2 {
		t.Fatalf("outcome = %+v", out)
	}
	want := map[string][]byte{"door.jpg": photo, "talk.m4a": recording}
	for _, a := range out.Entry.Attachments {
		sum := sha256.Sum256(want[a.Name])
		if a.SHA256 != hex.EncodeToString(sum[:]) || a.Size != int64(len(want[a.Name])) {
			t.Errorf("attachment %s: sha256 %s size %d; want %x, %d", a.Name, a.SHA256, a.Size, sum, len(want[a.Name]))
		}
		got := d.do(t, "supervisor", "GET", fmt.Sprintf("/api/v1/visit-attachments/%d", a.ID), nil)
		wantStatus(t, got, http.StatusOK, "the attachment")
		if !bytes.Equal(got.Body.Bytes(), want[a.Name]) || got.Header().Get("X-Content-SHA256") != a.SHA256 {
			t.Errorf("attachment %s served back differs", a.Name)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left after the request: %v", left)
	}

	rec = d.multipartOutcome(t, "fa1", v.ID, map[string]string{"kind": "promise", "amount": "800.00",
		"promise_date": v.PlannedOn.AddDays(7).String(), "note": "更正：承诺800元", "corrects": fmt.Sprint(out.Entry.ID)},
		map[string][]byte{"door2.jpg": []byte("\xff\xd8 another photo")}, 0)
	wantStatus(t, rec, http.StatusCreated, "the correction")
	var fix outcomeView
	if err := json.Unmarshal(rec.Body.Bytes(), &fix); err != nil {
		t.Fatal(err)
	}
	page, err = d.fw.Visit(ctx, d.as("supervisor"), v.ID)
	if err != nil || fix.Entry.CorrectsID != out.Entry.ID || fix.PromiseID != 0 || len(page.Entries) != 2 ||
		page.Entries[0].AmountMinor != 100000 || len(page.Entries[0].Attachments) != 2 {
		t.Errorf("correction %+v; entries %+v (%v); want a new entry pointing at the unchanged first", fix.Entry, page.Entries, err)
	}
}
