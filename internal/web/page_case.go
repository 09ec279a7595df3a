package web

import (
	"net/http"
	"strconv"

	"accord/internal/casework"
	"accord/internal/promise"
)

// handleCaseIndex handles "GET /cases": the cases the user may see, by
// value, with the same filters as the team queues.
func (s *Server) handleCaseIndex(w http.ResponseWriter, r *http.Request) {
	f := caseFilter(r.URL.Query())
	list, total, err := s.svc.Cases(r.Context(), actorOf(r), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	owners, err := s.caseOwnerLabels(r.Context(), actorOf(r), langOf(r), list)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case_index.html", map[string]any{"Items": list, "Total": total, "Query": r.URL.Query(), "Owners": owners})
}

// handleCaseShow handles "GET /cases/{id}".
func (s *Server) handleCaseShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	page, err := s.svc.Case(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	promises, err := s.neg.ListPromises(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	lang := langOf(r)
	s.render(w, r, http.StatusOK, "case_show.html", map[string]any{"P": page,
		"Today": s.svc.Today(), "Saved": savedText(lang, r.URL.Query().Get("saved")), "SavedKey": r.URL.Query().Get("saved"), "Promises": promises, "Channels": promise.Channels,
		"MaxDue": s.svc.Today().AddDays(s.neg.Policy().MaxDays), "NegLink": negLabels(lang)["title"],
		"ContactFlow": contactLabels(lang)["flow"], "Unassigned": ownerLabel(lang, casework.Owner{}, nil)})
}

// savedText is the banner after a form of the case page was saved: the
// contact flow's own, or the console catalog's case.saved.<what>; "" for
// none or an unknown one.
func savedText(lang, what string) string {
	if what == "" {
		return ""
	}
	if what == "contact" {
		return contactLabels(lang)["saved"]
	}
	if k := "case.saved." + what; tr(lang, k) != k {
		return tr(lang, k)
	}
	return ""
}

// handleCaseNoteCreate handles "POST /cases/{id}/notes".
func (s *Server) handleCaseNoteCreate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.svc.AddCaseNote(r.Context(), actorOf(r), id, r.PostFormValue("text")); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?saved=note#timeline", http.StatusSeeOther)
}

// handleCaseUnlock handles "POST /cases/{id}/unlock".
func (s *Server) handleCaseUnlock(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.svc.UnlockCase(r.Context(), actorOf(r), id); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
