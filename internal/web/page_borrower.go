package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Errorf(errs.NotFound, "Not found.")
	}
	return id, nil
}

func actorOf(r *http.Request) collect.Actor {
	a := collect.Actor{RequestID: requestID(r.Context())}
	if p := principalOf(r.Context()); p != nil {
		a.User = p.User
	}
	return a
}

// borrowerFilter reads the console's single search box: a phone number,
// the last four digits of one (尾号), a customer number or a name prefix.
func borrowerFilter(q string) sqlstore.BorrowerFilter {
	var f sqlstore.BorrowerFilter
	q = strings.TrimSpace(q)
	switch {
	case q == "":
	case len(q) == 4 && strings.Trim(q, "0123456789") == "":
		f.PhoneTail = &q // 尾号: the last four digits of a phone
	case strings.HasPrefix(q, "+") || (len(q) == 11 && strings.HasPrefix(q, "1") && strings.Trim(q, "0123456789") == ""):
		if !strings.HasPrefix(q, "+") {
			q = "+86" + q
		}
		f.Phone = &q
	case strings.Trim(q, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == "":
		f.ExternalID = &q
	default:
		f.NamePrefix = &q
	}
	return f
}

// handleBorrowerIndex handles "GET /borrowers".
func (s *Server) handleBorrowerIndex(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	f := borrowerFilter(q)
	f.Limit, f.Offset = 50, max(offset, 0)
	list, total, err := s.svc.Borrowers(r.Context(), actorOf(r), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	link := func(off int) string { return "/borrowers?q=" + url.QueryEscape(q) + "&offset=" + strconv.Itoa(off) }
	data := map[string]any{"Query": q, "Items": list, "Total": total}
	if f.Offset > 0 {
		data["Prev"] = link(max(f.Offset-f.Limit, 0))
	}
	if f.Offset+f.Limit < total {
		data["Next"] = link(f.Offset + f.Limit)
	}
	s.render(w, r, http.StatusOK, "borrowers.html", data)
}

// handleBorrowerShow handles "GET /borrowers/{id}".
func (s *Server) handleBorrowerShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	page, err := s.svc.Borrower(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	data := struct {
		collect.BorrowerPage
		OpenCase       *sqlstore.Case // the borrower's open case, when the user may work it
		AddressChanges []addressChangeRow
		VisitT         map[string]string
		Dispute        *disputeForm // the dispute outcome form, when open and the user may record it
	}{BorrowerPage: page, VisitT: visitLabels(langOf(r)), Dispute: disputeFormFor(r, page.Borrower.Flags)}
	if data.AddressChanges, err = s.addressChangeRows(r, id); err != nil {
		s.error(w, r, err)
		return
	}
	if a := actorOf(r); a.User.Can(auth.PermCaseWork) {
		open := casework.Open
		cases, _, err := s.svc.Cases(r.Context(), a, sqlstore.CaseFilter{BorrowerID: &id, Status: &open, Limit: 1})
		if err != nil {
			s.error(w, r, err)
			return
		}
		if len(cases) > 0 {
			data.OpenCase = &cases[0]
		}
	}
	s.render(w, r, http.StatusOK, "borrower.html", data)
}

// handleBorrowerReveal handles "POST /borrowers/{id}/reveal" (htmx): it
// returns the unmasked values as a fragment; the reveal is audited.
func (s *Server) handleBorrowerReveal(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	rev, err := s.svc.RevealPII(r.Context(), actorOf(r), id, r.PostFormValue("reason"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<dl class="facts revealed"><dt>ID</dt><dd id="revealed-id">%s</dd><dt>☎</dt><dd id="revealed-phones">%s</dd></dl>`,
		html.EscapeString(rev.NationalID), html.EscapeString(strings.Join(rev.Phones, ", ")))
}
