package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"accord/internal/casework"
	"accord/internal/classify"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// handleWorkbench handles "GET /workbench": the collector's queue in order
// of value and the "Get next case" button.
func (s *Server) handleWorkbench(w http.ResponseWriter, r *http.Request) {
	wb, err := s.svc.Workbench(r.Context(), actorOf(r), 100)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "workbench.html", map[string]any{"WB": wb, "Empty": r.URL.Query().Get("empty")})
}

// handleWorkbenchNext handles "POST /workbench/next": it hands out the
// next case and opens it.
func (s *Server) handleWorkbenchNext(w http.ResponseWriter, r *http.Request) {
	id, err := s.svc.NextCase(r.Context(), actorOf(r))
	if errors.Is(err, collect.ErrNoContactableCase) { // cases are left, but nobody may be called now
		http.Redirect(w, r, "/workbench?empty=wait", http.StatusSeeOther)
		return
	}
	if errs.CodeOf(err) == errs.NotFound {
		http.Redirect(w, r, "/workbench?empty=1", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// caseFilter reads the case list filters of a query string.
func caseFilter(q url.Values) sqlstore.CaseFilter {
	var f sqlstore.CaseFilter
	str := func(k string) *string {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			return &v
		}
		return nil
	}
	if v := str("status"); v != nil {
		st := casework.Status(*v)
		f.Status = &st
	}
	f.Bucket, f.Queue = str("bucket"), str("queue")
	if v := str("tier"); v != nil {
		t := classify.Tier(*v)
		f.Tier = &t
	}
	if v := str("segment"); v != nil {
		sg := classify.Segment(*v)
		f.Segment = &sg
	}
	if v := str("borrower_id"); v != nil {
		if id, err := strconv.ParseInt(*v, 10, 64); err == nil {
			f.BorrowerID = &id
		}
	}
	if v := str("team_id"); v != nil {
		if id, err := strconv.ParseInt(*v, 10, 64); err == nil {
			f.TeamID = &id
		}
	}
	switch owner := q.Get("owner"); {
	case owner == "none":
		f.Owner = &casework.Owner{}
	case strings.HasPrefix(owner, "collector:"), strings.HasPrefix(owner, "agency:"):
		kind, id, _ := strings.Cut(owner, ":")
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			f.Owner = &casework.Owner{Kind: casework.OwnerKind(kind), ID: n}
		}
	}
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	f.Limit, f.OrderByEV = 100, true
	return f
}

// handleQueueIndex handles "GET /queues": teams and agencies with their
// loads, and the cases the filter selects, for single and bulk
// reassignment.
func (s *Server) handleQueueIndex(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := caseFilter(q)
	if f.Status == nil {
		st := casework.Open
		f.Status = &st
	}
	queues, err := s.svc.Queues(r.Context(), actorOf(r), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	data := map[string]any{"Q": queues, "Query": q, "Buckets": s.svc.BucketNames(), "Segments": classify.Segments,
		"Moved": q.Get("moved")}
	if f.Offset+f.Limit < queues.Total {
		nq := cloneValues(q)
		nq.Set("offset", strconv.Itoa(f.Offset+f.Limit))
		data["Next"] = "/queues?" + nq.Encode()
	}
	s.render(w, r, http.StatusOK, "queue_index.html", data)
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// handleQueueReassign handles "POST /queues/reassign": the checked cases
// (case_id, repeated) go to the chosen collector or agency
// (to=collector:ID or agency:ID), with the reason recorded.
func (s *Server) handleQueueReassign(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, errs.Errorf(errs.Invalid, "The form could not be read."))
		return
	}
	var ids []int64
	for _, v := range r.PostForm["case_id"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	to, err := parseOwner(r.PostFormValue("to"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	n, err := s.svc.ReassignCases(r.Context(), actorOf(r), collect.Reassignment{CaseIDs: ids, To: to,
		Reason: r.PostFormValue("reason"), Lock: r.PostFormValue("lock") != ""})
	if err != nil {
		s.error(w, r, err)
		return
	}
	back := safeNext(r.PostFormValue("back"))
	if !strings.HasPrefix(back, "/queues") && !strings.HasPrefix(back, "/cases/") {
		back = "/queues"
	}
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	http.Redirect(w, r, back+sep+"moved="+strconv.Itoa(n), http.StatusSeeOther)
}

// parseOwner reads "collector:12" or "agency:3".
func parseOwner(v string) (casework.Owner, error) {
	kind, id, ok := strings.Cut(v, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 || (kind != string(casework.ToCollector) && kind != string(casework.ToAgency)) {
		return casework.Owner{}, errs.Field("to", "choose a collector or an agency")
	}
	return casework.Owner{Kind: casework.OwnerKind(kind), ID: n}, nil
}
