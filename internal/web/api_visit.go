package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/fieldwork"
	"accord/internal/money"
	"accord/internal/visit"
)

// visitBodyLimit is the largest body of the routes that carry photos and
// recordings (base64 in JSON, or files in a multipart form).
const visitBodyLimit = 32 << 20

type visitCreateInput struct {
	Body struct {
		CaseID       int64          `json:"case_id" doc:"The case to visit; one the caller may work"`
		Purpose      string         `json:"purpose" maxLength:"2000" doc:"Why the visit is asked for (required)"`
		Target       string         `json:"target,omitempty" maxLength:"2000" doc:"What to ask for: an amount, a negotiation to open"`
		AddressKind  string         `json:"address_kind,omitempty" doc:"Which of the borrower's addresses: home (default), work …"`
		PrefFrom     string         `json:"pref_from,omitempty" doc:"The time the borrower said suits them, local HH:MM (both ends or neither)"`
		PrefUntil    string         `json:"pref_until,omitempty"`
		PrefWeekdays []time.Weekday `json:"pref_weekdays,omitempty" doc:"0 (Sunday) to 6; empty: any day"`
		DurationMin  int            `json:"duration_min,omitempty" doc:"Expected time on site; 45 when 0"`
	}
}

type visitListInput struct {
	State     string `query:"state" doc:"requested, approved, rejected, noticed, planned, checked_in, done, cancelled"`
	CaseID    int64  `query:"case_id"`
	PairID    int64  `query:"pair_id"`
	PlannedOn string `query:"planned_on" doc:"YYYY-MM-DD"`
	Region    string `query:"region"`
	Limit     int    `query:"limit" minimum:"0" maximum:"1000"`
	Offset    int    `query:"offset" minimum:"0"`
}

type visitNoteInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Note string `json:"note,omitempty" maxLength:"2000" doc:"Why; required to reject, cancel or complain"`
	}
}

type visitBulkInput struct {
	Body struct {
		IDs     []int64 `json:"ids" doc:"1 to 200 visits"`
		Approve bool    `json:"approve" doc:"true approves, false rejects (note required)"`
		Note    string  `json:"note,omitempty" maxLength:"2000"`
	}
}

type visitNoticeInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Date date.Date `json:"date" doc:"The day of the visit; the notice names it and the window"`
	}
}

type visitCheckInInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body fieldwork.CheckInRequest
}

type visitOutcomeInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Kind        visit.Kind                `json:"kind" doc:"met_borrower, met_other, not_home, moved, refused, incident, paid_official, promise, negotiation"`
		Note        string                    `json:"note,omitempty" maxLength:"2000"`
		MetWhom     string                    `json:"met_whom,omitempty"`
		NewAddress  *borrower.Address         `json:"new_address,omitempty"`
		Amount      money.Amount              `json:"amount,omitempty"`
		PaymentRef  string                    `json:"payment_ref,omitempty" doc:"paid_official: the official channel's reference"`
		PromiseDate date.Date                 `json:"promise_date,omitempty"`
		Attachments []fieldwork.NewAttachment `json:"attachments,omitempty" doc:"Photos and recordings, base64; at most 5"`
		Corrects    int64                     `json:"corrects,omitempty" doc:"The entry this one corrects (0: the visit's outcome)"`
	}
}

type pairSaveInput struct {
	Body pairView
}

type pairUpdateInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body pairView
}

type dayInput struct {
	Date string `path:"date" doc:"YYYY-MM-DD"`
}

type reportInput struct {
	From string `query:"from" doc:"YYYY-MM-DD"`
	To   string `query:"to" doc:"YYYY-MM-DD"`
}

type incidentListInput struct {
	Open bool `query:"open" doc:"only those not acknowledged yet"`
}

type (
	visitList struct {
		Items []visitView `json:"items"`
		Total int         `json:"total"`
	}
	pairList struct {
		Items []pairView `json:"items"`
	}
	dayPlanList struct {
		On      date.Date     `json:"on"`
		Plans   []dayPlanView `json:"plans"`
		LeftOut []leftOutView `json:"left_out"`
	}
	bulkList struct {
		Items []bulkResultView `json:"items"`
	}
	incidentList struct {
		Items []incidentView `json:"items"`
	}
)

func parseDay(field, s string) (date.Date, error) {
	d, err := date.Parse(s)
	if err != nil {
		return 0, errs.Field(field, "%q is not a date (YYYY-MM-DD)", s)
	}
	return d, nil
}

// registerVisitAPI registers the field-visit API (issue 8). Requests need
// visit:request, decisions, notices, pairs and planning visit:approve, the
// day's work visit:work; reads need case:work (collectors, field agents,
// supervisors) and the use cases check the caller's reach (case scope, or
// the field agent's own pair).
func (s *Server) registerVisitAPI() {
	tags := []string{"visits"}
	reg := func(perm auth.Permission, id, method, path, summary string) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Tags: tags}
	}
	op := reg(auth.PermVisitRequest, "createVisit", http.MethodPost, "/api/v1/visits", "Ask for a field visit on a case, with a purpose")
	op.DefaultStatus = http.StatusCreated
	register(s, auth.PermVisitRequest, op, func(ctx context.Context, in *visitCreateInput) (*struct{ Body visitView }, error) {
		b := in.Body
		v, err := s.visits.RequestVisit(ctx, apiActor(ctx), fieldwork.NewRequest{CaseID: b.CaseID, Purpose: b.Purpose, Target: b.Target,
			AddressKind: b.AddressKind, PrefFrom: b.PrefFrom, PrefUntil: b.PrefUntil, PrefWeekdays: b.PrefWeekdays, DurationMin: b.DurationMin})
		return fwView(ctx, s, v, err, visitViewOf)
	})
	register(s, auth.PermCaseWork, reg(auth.PermCaseWork, "listVisits", http.MethodGet, "/api/v1/visits",
		"Visits the caller may see, newest first (a field agent: their pairs')"),
		func(ctx context.Context, in *visitListInput) (*struct{ Body visitList }, error) {
			q := fieldwork.Query{CaseID: in.CaseID, PairID: in.PairID, Region: in.Region, Limit: in.Limit, Offset: in.Offset}
			if in.State != "" {
				q.States = []string{in.State}
			}
			if in.PlannedOn != "" {
				d, err := parseDay("planned_on", in.PlannedOn)
				if err != nil {
					return nil, s.apiErr(ctx, err)
				}
				q.PlannedOn = d
			}
			list, total, err := s.visits.Visits(ctx, apiActor(ctx), q)
			return fwResult(ctx, s, visitList{Items: fwViews(nonNil(list), visitViewOf), Total: total}, err)
		})
	register(s, auth.PermCaseWork, reg(auth.PermCaseWork, "getVisit", http.MethodGet, "/api/v1/visits/{id}",
		"A visit with its outcomes, corrections and incidents"),
		func(ctx context.Context, in *idParam) (*struct{ Body visitPageView }, error) {
			p, err := s.visits.Visit(ctx, apiActor(ctx), in.ID)
			return fwView(ctx, s, p, err, visitPageViewOf)
		})
	register(s, auth.PermVisitApprove, reg(auth.PermVisitApprove, "approveVisit", http.MethodPost, "/api/v1/visits/{id}/approve",
		"Approve a requested visit (not one's own request)"),
		func(ctx context.Context, in *visitNoteInput) (*struct{ Body visitView }, error) {
			v, err := s.visits.Approve(ctx, apiActor(ctx), in.ID, in.Body.Note)
			return fwView(ctx, s, v, err, visitViewOf)
		})
	register(s, auth.PermVisitApprove, reg(auth.PermVisitApprove, "rejectVisit", http.MethodPost, "/api/v1/visits/{id}/reject",
		"Reject a requested visit, with the reason"),
		func(ctx context.Context, in *visitNoteInput) (*struct{ Body visitView }, error) {
			v, err := s.visits.Reject(ctx, apiActor(ctx), in.ID, in.Body.Note)
			return fwView(ctx, s, v, err, visitViewOf)
		})
	register(s, auth.PermVisitApprove, reg(auth.PermVisitApprove, "decideVisits", http.MethodPost, "/api/v1/visits/decisions",
		"Approve or reject many requested visits, each on its own"),
		func(ctx context.Context, in *visitBulkInput) (*struct{ Body bulkList }, error) {
			res, err := s.visits.DecideMany(ctx, apiActor(ctx), in.Body.IDs, in.Body.Approve, in.Body.Note)
			out := bulkList{Items: []bulkResultView{}}
			for _, r := range res {
				b := bulkResultView{ID: r.ID, OK: r.OK, Error: r.Error, Code: string(r.Code)}
				if r.Visit != nil {
					vv := visitViewOf(*r.Visit)
					b.Visit = &vv
				}
				out.Items = append(out.Items, b)
			}
			return fwResult(ctx, s, out, err)
		})
	register(s, auth.PermCaseWork, reg(auth.PermCaseWork, "cancelVisit", http.MethodPost, "/api/v1/visits/{id}/cancel",
		"Call a visit off, with the reason; a planned day is re-planned without it"),
		func(ctx context.Context, in *visitNoteInput) (*struct{ Body visitView }, error) {
			v, err := s.visits.Cancel(ctx, apiActor(ctx), in.ID, in.Body.Note)
			return fwView(ctx, s, v, err, visitViewOf)
		})
	register(s, auth.PermVisitApprove, reg(auth.PermVisitApprove, "noticeVisit", http.MethodPost, "/api/v1/visits/{id}/notice",
		"Tell the borrower of an approved visit by SMS, through the governor, at least the notice period ahead"),
		func(ctx context.Context, in *visitNoticeInput) (*struct{ Body visitView }, error) {
			v, err := s.visits.SendNotice(ctx, apiActor(ctx), in.ID, in.Body.Date)
			return fwView(ctx, s, v, err, visitViewOf)
		})
	register(s, auth.PermCaseWork, reg(auth.PermCaseWork, "getVisitPack", http.MethodGet, "/api/v1/visits/{id}/pack",
		"The visit's preparation pack (masked): profile, contract, repayment, contacts, history, offers, approach, rules, official payment channels"),
		func(ctx context.Context, in *idParam) (*struct{ Body packView }, error) {
			p, err := s.visits.Preparation(ctx, apiActor(ctx), in.ID)
			return fwView(ctx, s, p, err, packViewOf)
		})
	register(s, auth.PermVisitWork, reg(auth.PermVisitWork, "checkInVisit", http.MethodPost, "/api/v1/visits/{id}/check-in",
		"Check in at the door from a phone: position, partner, recording device; the governor is asked again"),
		func(ctx context.Context, in *visitCheckInInput) (*struct{ Body visitView }, error) {
			v, err := s.visits.CheckIn(ctx, apiActor(ctx), in.ID, in.Body)
			return fwView(ctx, s, v, err, visitViewOf)
		})
	op = reg(auth.PermVisitWork, "recordVisitOutcome", http.MethodPost, "/api/v1/visits/{id}/outcome",
		"Record a checked-in visit's outcome (or a correction), with photos and recordings")
	op.DefaultStatus, op.MaxBodyBytes = http.StatusCreated, visitBodyLimit
	op.RequestBody, op.Middlewares = outcomeFormBody(), huma.Middlewares{s.outcomeForm} // also multipart (api_visit_form.go)
	register(s, auth.PermVisitWork, op, func(ctx context.Context, in *visitOutcomeInput) (*struct{ Body outcomeView }, error) {
		b := in.Body
		o, err := s.visits.RecordOutcome(ctx, apiActor(ctx), in.ID, fieldwork.NewOutcome{Kind: b.Kind, Note: b.Note, MetWhom: b.MetWhom,
			NewAddress: b.NewAddress, Amount: b.Amount, PaymentRef: b.PaymentRef, PromiseDate: b.PromiseDate,
			Attachments: b.Attachments, Corrects: b.Corrects})
		return fwView(ctx, s, o, err, outcomeViewOf)
	})
	op = reg(auth.PermCaseWork, "createVisitComplaint", http.MethodPost, "/api/v1/visits/{id}/complaints",
		"Record a complaint about a visit; it reaches the supervisor as an open incident")
	op.DefaultStatus = http.StatusCreated
	register(s, auth.PermCaseWork, op, func(ctx context.Context, in *visitNoteInput) (*struct{ Body incidentView }, error) {
		i, err := s.visits.ReportComplaint(ctx, apiActor(ctx), in.ID, in.Body.Note)
		return fwView(ctx, s, i, err, incidentViewOf)
	})
	register(s, auth.PermVisitApprove, reg(auth.PermVisitApprove, "listVisitIncidents", http.MethodGet, "/api/v1/visit-incidents",
		"Incidents and complaints, newest first"),
		func(ctx context.Context, in *incidentListInput) (*struct{ Body incidentList }, error) {
			list, err := s.visits.Incidents(ctx, apiActor(ctx), in.Open)
			return fwResult(ctx, s, incidentList{Items: fwViews(nonNil(list), incidentViewOf)}, err)
		})
	register(s, auth.PermVisitApprove, reg(auth.PermVisitApprove, "acknowledgeVisitIncident", http.MethodPost,
		"/api/v1/visit-incidents/{id}/acknowledge", "Mark an incident or complaint seen"),
		func(ctx context.Context, in *idParam) (*struct{}, error) {
			if err := s.visits.AcknowledgeIncident(ctx, apiActor(ctx), in.ID); err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{}{}, nil
		})
	s.registerPairAPI(reg)
}

func (s *Server) registerPairAPI(reg func(auth.Permission, string, string, string, string) huma.Operation) {
	register(s, auth.PermCaseWork, reg(auth.PermCaseWork, "listFieldPairs", http.MethodGet, "/api/v1/field-pairs",
		"Field pairs (a field agent: their own)"),
		func(ctx context.Context, _ *struct{}) (*struct{ Body pairList }, error) {
			list, err := s.visits.Pairs(ctx, apiActor(ctx))
			return fwResult(ctx, s, pairList{Items: fwViews(nonNil(list), pairViewOf)}, err)
		})
	op := reg(auth.PermVisitApprove, "createFieldPair", http.MethodPost, "/api/v1/field-pairs",
		"Create a field pair: two field agents, base, hours, region, capacity, recording device")
	op.DefaultStatus = http.StatusCreated
	register(s, auth.PermVisitApprove, op, func(ctx context.Context, in *pairSaveInput) (*struct{ Body pairView }, error) {
		p, err := s.visits.SavePair(ctx, apiActor(ctx), in.Body.row(0))
		return fwView(ctx, s, p, err, pairViewOf)
	})
	register(s, auth.PermVisitApprove, reg(auth.PermVisitApprove, "updateFieldPair", http.MethodPut, "/api/v1/field-pairs/{id}",
		"Change a field pair"),
		func(ctx context.Context, in *pairUpdateInput) (*struct{ Body pairView }, error) {
			p, err := s.visits.SavePair(ctx, apiActor(ctx), in.Body.row(in.ID))
			return fwView(ctx, s, p, err, pairViewOf)
		})
	register(s, auth.PermVisitApprove, reg(auth.PermVisitApprove, "planVisitDay", http.MethodPost, "/api/v1/visit-days/{date}/plan",
		"Plan the day of every active pair from the visits ready for it (CN-VISIT asked for each stop)"),
		func(ctx context.Context, in *dayInput) (*struct{ Body dayPlanList }, error) {
			d, err := parseDay("date", in.Date)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			res, err := s.visits.PlanDay(ctx, apiActor(ctx), d)
			return fwResult(ctx, s, dayPlanList{On: d, Plans: fwViews(nonNil(res.Plans), dayPlanViewOf), LeftOut: leftOutViews(res.LeftOut)}, err)
		})
	register(s, auth.PermCaseWork, reg(auth.PermCaseWork, "getVisitDay", http.MethodGet, "/api/v1/visit-days/{date}",
		"The day plans in force (a field agent: their pairs')"),
		func(ctx context.Context, in *dayInput) (*struct{ Body dayPlanList }, error) {
			d, err := parseDay("date", in.Date)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			list, err := s.visits.DayPlans(ctx, apiActor(ctx), d, 0)
			return fwResult(ctx, s, dayPlanList{On: d, Plans: fwViews(nonNil(list), dayPlanViewOf), LeftOut: []leftOutView{}}, err)
		})
	register(s, auth.PermDashboardRead, reg(auth.PermDashboardRead, "getVisitReport", http.MethodGet, "/api/v1/visit-report",
		"Visits per pair and region in a period, and recovery against similar unvisited cases"),
		func(ctx context.Context, in *reportInput) (*struct{ Body reportView }, error) {
			from, err := parseDay("from", in.From)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			to, err := parseDay("to", in.To)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			r, err := s.visits.Report(ctx, apiActor(ctx), from, to)
			return fwResult(ctx, s, reportView(r), err)
		})
}

// handleVisitAttachment serves a visit's photo or recording, if the caller
// may see the visit.
func (s *Server) handleVisitAttachment(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	a, err := s.visits.Attachment(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Disposition", "attachment")
	w.Header().Set("X-Content-SHA256", a.SHA256)
	_, _ = w.Write(a.Data)
}

// handleVisitMap serves the SVG map of pair {id}'s planned day ?date=.
func (s *Server) handleVisitMap(w http.ResponseWriter, r *http.Request) {
	d, err1 := date.Parse(r.URL.Query().Get("date"))
	id, err2 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err1 != nil || err2 != nil {
		s.notFound(w, r)
		return
	}
	svg, err := s.visits.DayMap(r.Context(), actorOf(r), id, d)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	_, _ = w.Write(svg)
}
