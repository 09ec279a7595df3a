package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/fieldwork"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// The outcome API also takes a multipart/form-data body, so that a phone
// uploads its photos and recordings as files rather than base64. The
// fields are those of the JSON body, the new address as new_address.line,
// new_address.city …, and each file a part named attachments.
var outcomeFormText = []string{"kind", "note", "met_whom", "amount", "payment_ref", "promise_date", "corrects",
	"new_address.kind", "new_address.line", "new_address.city", "new_address.region", "new_address.lat", "new_address.lon"}

// outcomeFormBody describes the multipart form in the OpenAPI document,
// beside the JSON body huma derives from the input type.
func outcomeFormBody() *huma.RequestBody {
	props := map[string]*huma.Schema{}
	for _, f := range outcomeFormText {
		props[f] = &huma.Schema{Type: "string"}
	}
	props["kind"].Description = "As in the JSON body"
	props["amount"].Description = "Yuan, as in the JSON body (\"1000.00\")"
	props["attachments"] = &huma.Schema{Type: "array", Description: fmt.Sprintf("Photos and recordings, at most %d files of up to %d MiB",
		fieldwork.MaxAttachments, sqlstore.MaxAttachment>>20), Items: &huma.Schema{Type: "string", Format: "binary"}}
	return &huma.RequestBody{Content: map[string]*huma.MediaType{"multipart/form-data": {
		Schema: &huma.Schema{Type: "object", Properties: props, Required: []string{"kind"}}}}}
}

// outcomeForm answers a multipart/form-data request of recordVisitOutcome
// itself and passes any other to the JSON operation. The body is capped
// (visitBodyLimit) before it is read; files beyond formMemory spool to
// temporary files, removed before returning.
func (s *Server) outcomeForm(ctx huma.Context, next func(huma.Context)) {
	r, w := humago.Unwrap(ctx)
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "multipart/form-data" {
		next(ctx)
		return
	}
	if err := check(r, principalOf(r.Context()), auth.PermVisitWork); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.error(w, r, errs.Field("id", "must be a visit id"))
		return
	}
	if err := r.ParseMultipartForm(formMemory); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			s.tooLarge(w, r, mbe.Limit)
			return
		}
		s.error(w, r, errs.Errorf(errs.Invalid, "The form could not be read: %v.", err))
		return
	}
	defer r.MultipartForm.RemoveAll()
	o, err := outcomeOfForm(r.MultipartForm)
	if err == nil {
		var res fieldwork.OutcomeResult
		if res, err = s.visits.RecordOutcome(r.Context(), actorOf(r), id, o); err == nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(outcomeViewOf(res))
			return
		}
	}
	s.error(w, r, err)
}

// outcomeOfForm reads an outcome from form; it returns Invalid naming each
// field at fault, unknown fields included.
func outcomeOfForm(form *multipart.Form) (fieldwork.NewOutcome, error) {
	var bad []errs.FieldError
	fail := func(field, msg string) { bad = append(bad, errs.FieldError{Field: field, Message: msg}) }
	val := func(name string) string {
		if v := form.Value[name]; len(v) > 0 {
			if len(v) > 1 {
				fail(name, "is given more than once")
			}
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	for name := range form.Value {
		if !slices.Contains(outcomeFormText, name) {
			fail(name, "unknown field (known: "+strings.Join(outcomeFormText, ", ")+", attachments)")
		}
	}
	for name := range form.File {
		if name != "attachments" {
			fail(name, "unknown file field (files go in attachments)")
		}
	}
	o := fieldwork.NewOutcome{Kind: visit.Kind(val("kind")), Note: val("note"), MetWhom: val("met_whom"), PaymentRef: val("payment_ref")}
	if v := val("amount"); v != "" {
		a, err := money.Parse(v)
		if err != nil {
			fail("amount", errs.MessageOf(err))
		}
		o.Amount = a
	}
	if v := val("promise_date"); v != "" {
		d, err := date.Parse(v)
		if err != nil {
			fail("promise_date", "must be YYYY-MM-DD")
		}
		o.PromiseDate = d
	}
	if v := val("corrects"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			fail("corrects", "must be an entry id")
		}
		o.Corrects = n
	}
	o.NewAddress = formAddress(val, fail)
	files := form.File["attachments"]
	if len(files) > fieldwork.MaxAttachments {
		fail("attachments", fmt.Sprintf("at most %d files", fieldwork.MaxAttachments))
		files = nil
	}
	for i, fh := range files {
		data, err := readPart(fh)
		if err != nil {
			fail(fmt.Sprintf("attachments[%d]", i), "could not be read")
			continue
		}
		o.Attachments = append(o.Attachments, fieldwork.NewAttachment{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Data: data})
	}
	if len(bad) > 0 {
		return o, errs.Fields("The outcome is not valid.", bad...)
	}
	return o, nil
}

// formAddress reads new_address.* (nil when no line, city or region is given).
func formAddress(val func(string) string, fail func(field, msg string)) *borrower.Address {
	a := borrower.Address{Kind: val("new_address.kind"), Line: val("new_address.line"), City: val("new_address.city"),
		Region: val("new_address.region")}
	for _, c := range []struct {
		name string
		to   *float64
	}{{"new_address.lat", &a.Lat}, {"new_address.lon", &a.Lon}} {
		if v := val(c.name); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				fail(c.name, "must be a number in decimal degrees")
			}
			*c.to = f
		}
	}
	if a.Line == "" && a.City == "" && a.Region == "" && a.Lat == 0 && a.Lon == 0 {
		return nil
	}
	return &a
}
