package web

import (
	"context"
	"encoding/json"
	"time"

	"accord/internal/borrower"
	"accord/internal/classify"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/fieldwork"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// The field-visit API's own types (the store's rows are not the API).

type visitView struct {
	ID               int64          `json:"id"`
	BorrowerID       int64          `json:"borrower_id"`
	CaseID           int64          `json:"case_id"`
	State            string         `json:"state" doc:"requested, approved, rejected, noticed, planned, checked_in, done, cancelled"`
	Source           string         `json:"source" doc:"strategy or collector"`
	Rule             string         `json:"rule,omitempty"`
	Purpose          string         `json:"purpose"`
	Target           string         `json:"target,omitempty"`
	RequestedBy      string         `json:"requested_by"`
	RequestedAt      time.Time      `json:"requested_at"`
	Address          string         `json:"address"`
	City             string         `json:"city,omitempty"`
	Region           string         `json:"region,omitempty"`
	Lat              float64        `json:"lat"`
	Lon              float64        `json:"lon"`
	Overdue          money.Amount   `json:"overdue"`
	RecoveryRate     string         `json:"recovery_rate"`
	ExpectedValue    money.Amount   `json:"expected_value"`
	RoadKm           string         `json:"road_km"`
	Cost             money.Amount   `json:"cost"`
	DurationMin      int            `json:"duration_min"`
	PrefFrom         string         `json:"pref_from,omitempty"`
	PrefUntil        string         `json:"pref_until,omitempty"`
	PrefWeekdays     []time.Weekday `json:"pref_weekdays,omitempty"`
	DecidedBy        string         `json:"decided_by,omitempty"`
	DecidedAt        time.Time      `json:"decided_at,omitzero"`
	DecisionNote     string         `json:"decision_note,omitempty"`
	NoticeSentAt     time.Time      `json:"notice_sent_at,omitzero"`
	NoticeMessageID  int64          `json:"notice_message_id,omitempty"`
	NoticeFor        string         `json:"notice_for,omitempty"`
	PairID           int64          `json:"pair_id,omitempty"`
	PlannedOn        date.Date      `json:"planned_on,omitempty"`
	SlotFrom         string         `json:"slot_from,omitempty"`
	SlotUntil        string         `json:"slot_until,omitempty"`
	PlannedStart     time.Time      `json:"planned_start,omitzero"`
	RecordingDevice  string         `json:"recording_device,omitempty"`
	CheckedInAt      time.Time      `json:"checked_in_at,omitzero"`
	CheckInDistanceM float64        `json:"checkin_distance_m,omitempty"`
	CheckInFlagged   bool           `json:"checkin_flagged,omitempty"`
	CheckInAgents    []string       `json:"checkin_agents,omitempty"`
	DoneAt           time.Time      `json:"done_at,omitzero"`
	OutcomeKind      string         `json:"outcome_kind,omitempty"`
	CancelledAt      time.Time      `json:"cancelled_at,omitzero"`
	CancelReason     string         `json:"cancel_reason,omitempty"`
}

func visitViewOf(v sqlstore.Visit) visitView {
	return visitView{ID: v.ID, BorrowerID: v.BorrowerID, CaseID: v.CaseID, State: v.State, Source: v.Source, Rule: v.Rule,
		Purpose: v.Purpose, Target: v.Target, RequestedBy: v.RequestedBy, RequestedAt: v.RequestedAt, Address: v.AddressLine,
		City: v.AddressCity, Region: v.Region, Lat: v.Lat, Lon: v.Lon, Overdue: money.Amount(v.OverdueMinor),
		RecoveryRate: v.RecoveryRate, ExpectedValue: money.Amount(v.ExpectedMinor), RoadKm: v.RoadKm, Cost: money.Amount(v.CostMinor),
		DurationMin: v.DurationMin, PrefFrom: v.PrefFrom, PrefUntil: v.PrefUntil, PrefWeekdays: v.PrefWeekdays,
		DecidedBy: v.DecidedBy, DecidedAt: v.DecidedAt, DecisionNote: v.DecisionNote, NoticeSentAt: v.NoticeSentAt,
		NoticeMessageID: v.NoticeMessageID, NoticeFor: v.NoticeFor, PairID: v.PairID, PlannedOn: v.PlannedOn,
		SlotFrom: v.SlotFrom, SlotUntil: v.SlotUntil, PlannedStart: v.PlannedStart, RecordingDevice: v.RecordingDevice,
		CheckedInAt: v.CheckedInAt, CheckInDistanceM: v.CheckInDistanceM, CheckInFlagged: v.CheckInFlagged,
		CheckInAgents: v.CheckInAgents, DoneAt: v.DoneAt, OutcomeKind: v.OutcomeKind, CancelledAt: v.CancelledAt,
		CancelReason: v.CancelReason}
}

type pairView struct {
	ID              int64   `json:"id"`
	Name            string  `json:"name"`
	Agent1          string  `json:"agent1"`
	Agent2          string  `json:"agent2"`
	BaseLat         float64 `json:"base_lat"`
	BaseLon         float64 `json:"base_lon"`
	DayFrom         string  `json:"day_from"`
	DayUntil        string  `json:"day_until"`
	SpeedKmh        float64 `json:"speed_kmh"`
	Region          string  `json:"region,omitempty"`
	Capacity        int     `json:"capacity"`
	RecordingDevice string  `json:"recording_device,omitempty"`
	Active          bool    `json:"active"`
}

func pairViewOf(p sqlstore.FieldPair) pairView {
	return pairView{ID: p.ID, Name: p.Name, Agent1: p.Agent1, Agent2: p.Agent2, BaseLat: p.BaseLat, BaseLon: p.BaseLon,
		DayFrom: p.DayFrom, DayUntil: p.DayUntil, SpeedKmh: p.SpeedKmh, Region: p.Region, Capacity: p.Capacity,
		RecordingDevice: p.RecordingDevice, Active: p.Active}
}

func (p pairView) row(id int64) sqlstore.FieldPair {
	return sqlstore.FieldPair{ID: id, Name: p.Name, Agent1: p.Agent1, Agent2: p.Agent2, BaseLat: p.BaseLat, BaseLon: p.BaseLon,
		DayFrom: p.DayFrom, DayUntil: p.DayUntil, SpeedKmh: p.SpeedKmh, Region: p.Region, Capacity: p.Capacity,
		RecordingDevice: p.RecordingDevice, Active: p.Active}
}

type planStopView struct {
	VisitID int64  `json:"visit_id"`
	Arrive  string `json:"arrive"`
	Start   string `json:"start"`
	Leave   string `json:"leave"`
}

type leftOutView struct {
	VisitID  int64  `json:"visit_id"`
	Reason   string `json:"reason" doc:"A code (no_time_left, no_slot: …, governor: <reasons> …), in English"`
	ReasonZH string `json:"reason_zh,omitempty" doc:"The governor's refusal in Chinese, when the reason is one"`
}

type dayPlanView struct {
	Pair     pairView       `json:"pair"`
	On       date.Date      `json:"on"`
	Version  int            `json:"version"`
	Stops    []planStopView `json:"stops"`
	LeftOut  []leftOutView  `json:"left_out"`
	TravelKm float64        `json:"travel_km"`
	BackAt   string         `json:"back_at"`
	Value    money.Amount   `json:"value"`
	Reason   string         `json:"reason,omitempty"`
	Visits   []visitView    `json:"visits"`
}

func dayPlanViewOf(d fieldwork.DayPlanView) dayPlanView {
	v := dayPlanView{Pair: pairViewOf(d.Pair), On: d.Plan.On, Version: d.Plan.Version, TravelKm: d.Plan.TravelKm,
		BackAt: d.Plan.BackAt, Value: money.Amount(d.Plan.ValueMinor), Reason: d.Plan.Reason,
		Stops: []planStopView{}, LeftOut: leftOutViews(d.Plan.LeftOut), Visits: fwViews(nonNil(d.Visits), visitViewOf)}
	for _, s := range d.Plan.Stops {
		v.Stops = append(v.Stops, planStopView(s))
	}
	return v
}

func leftOutViews(list []sqlstore.PlanLeftOut) []leftOutView {
	out := []leftOutView{}
	for _, l := range list {
		out = append(out, leftOutView(l))
	}
	return out
}

type visitAttachmentView struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

type visitEntryView struct {
	ID          int64                 `json:"id"`
	Kind        string                `json:"kind"`
	Note        string                `json:"note,omitempty"`
	MetWhom     string                `json:"met_whom,omitempty"`
	NewAddress  *borrower.Address     `json:"new_address,omitempty"`
	Amount      money.Amount          `json:"amount,omitempty"`
	PaymentRef  string                `json:"payment_ref,omitempty"`
	PromiseDate date.Date             `json:"promise_date,omitempty"`
	PromiseID   int64                 `json:"promise_id,omitempty"`
	RoundID     int64                 `json:"round_id,omitempty"`
	CorrectsID  int64                 `json:"corrects_id,omitempty"`
	RecordedBy  string                `json:"recorded_by"`
	CreatedAt   time.Time             `json:"created_at"`
	Attachments []visitAttachmentView `json:"attachments"`
}

func visitEntryViewOf(e sqlstore.VisitEntry) visitEntryView {
	v := visitEntryView{ID: e.ID, Kind: e.Kind, Note: e.Note, MetWhom: e.MetWhom, Amount: money.Amount(e.AmountMinor),
		PaymentRef: e.PaymentRef, PromiseDate: e.PromiseOn, PromiseID: e.PromiseID, RoundID: e.RoundID, CorrectsID: e.CorrectsID,
		RecordedBy: e.RecordedBy, CreatedAt: e.CreatedAt, Attachments: []visitAttachmentView{}}
	if e.NewAddress != "" {
		var a borrower.Address
		if json.Unmarshal([]byte(e.NewAddress), &a) == nil {
			v.NewAddress = &a
		}
	}
	for _, a := range e.Attachments {
		v.Attachments = append(v.Attachments, visitAttachmentView{ID: a.ID, Name: a.Name, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256})
	}
	return v
}

type incidentView struct {
	ID             int64     `json:"id"`
	VisitID        int64     `json:"visit_id"`
	Kind           string    `json:"kind" doc:"incident or complaint"`
	Note           string    `json:"note"`
	ReportedBy     string    `json:"reported_by"`
	CreatedAt      time.Time `json:"created_at"`
	AcknowledgedBy string    `json:"acknowledged_by,omitempty"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
}

func incidentViewOf(i sqlstore.VisitIncident) incidentView {
	return incidentView{ID: i.ID, VisitID: i.VisitID, Kind: i.Kind, Note: i.Note, ReportedBy: i.ReportedBy, CreatedAt: i.CreatedAt,
		AcknowledgedBy: i.AcknowledgedBy, AcknowledgedAt: i.AcknowledgedAt}
}

type visitPageView struct {
	Visit     visitView        `json:"visit"`
	Pair      *pairView        `json:"pair,omitempty"`
	Entries   []visitEntryView `json:"entries"`
	Incidents []incidentView   `json:"incidents"`
}

func visitPageViewOf(p fieldwork.VisitPage) visitPageView {
	v := visitPageView{Visit: visitViewOf(p.Visit), Entries: fwViews(nonNil(p.Entries), visitEntryViewOf),
		Incidents: fwViews(nonNil(p.Incidents), incidentViewOf)}
	if p.Pair != nil {
		pv := pairViewOf(*p.Pair)
		v.Pair = &pv
	}
	return v
}

type outcomeView struct {
	Visit      visitView      `json:"visit"`
	Entry      visitEntryView `json:"entry"`
	PromiseID  int64          `json:"promise_id,omitempty"`
	RoundID    int64          `json:"round_id,omitempty"`
	IncidentID int64          `json:"incident_id,omitempty"`
	// AddressChangeID is the borrower's address change a moved outcome
	// with a new address made.
	AddressChangeID int64 `json:"address_change_id,omitempty"`
}

func outcomeViewOf(o fieldwork.OutcomeResult) outcomeView {
	return outcomeView{Visit: visitViewOf(o.Visit), Entry: visitEntryViewOf(o.Entry), PromiseID: o.PromiseID, RoundID: o.RoundID,
		IncidentID: o.IncidentID, AddressChangeID: o.AddressChangeID}
}

type bulkResultView struct {
	ID    int64      `json:"id"`
	OK    bool       `json:"ok"`
	Visit *visitView `json:"visit,omitempty"`
	Error string     `json:"error,omitempty"`
	Code  string     `json:"code,omitempty"`
}

type packLoanView struct {
	LoanID      int64        `json:"loan_id"`
	Product     string       `json:"product"`
	Principal   money.Amount `json:"principal"`
	TermMonths  int          `json:"term_months"`
	DisbursedOn date.Date    `json:"disbursed_on"`
	Bucket      string       `json:"bucket"`
	DPD         int          `json:"dpd"`
	Overdue     money.Amount `json:"overdue"`
}

type packContactView struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship"`
	Phone        string `json:"phone"`
}

type packAttemptView struct {
	StartedAt time.Time `json:"started_at"`
	Channel   string    `json:"channel"`
	Outcome   string    `json:"outcome,omitempty"`
	Decision  string    `json:"decision"`
}

type packOfferView struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Status string `json:"status"`
}

type packView struct {
	Visit         visitView                  `json:"visit"`
	Borrower      packBorrowerView           `json:"borrower"`
	Bucket        string                     `json:"bucket"`
	Tier          string                     `json:"tier"`
	Segment       string                     `json:"segment"`
	DPD           int                        `json:"dpd"`
	Overdue       money.Amount               `json:"overdue"`
	Loans         []packLoanView             `json:"loans"`
	Contacts      []packContactView          `json:"contacts"`
	History       []packAttemptView          `json:"contact_history"`
	EarlierVisits []visitView                `json:"earlier_visits"`
	Target        string                     `json:"target"`
	AskAmount     money.Amount               `json:"ask_amount"`
	Offers        []packOfferView            `json:"offers"`
	Approach      classify.Script            `json:"approach"`
	Rules         []compliance.Text          `json:"rules"`
	Channels      []fieldwork.PaymentChannel `json:"payment_channels"`
}

type packBorrowerView struct {
	Name     string   `json:"name" doc:"Masked"`
	Phones   []string `json:"phones" doc:"Masked"`
	Language string   `json:"language"`
	Employer string   `json:"employer,omitempty"`
	Flags    []string `json:"flags"`
}

func packViewOf(p fieldwork.Pack) packView {
	v := packView{Visit: visitViewOf(p.Visit), Bucket: p.Case.Bucket, Tier: string(p.Case.Tier), Segment: string(p.Case.Segment),
		DPD: p.Case.DPD, Overdue: p.Case.Overdue, Loans: []packLoanView{}, Contacts: []packContactView{}, History: []packAttemptView{},
		EarlierVisits: fwViews(nonNil(p.EarlierVisits), visitViewOf), Target: p.Target, AskAmount: p.AskAmount,
		Offers: []packOfferView{}, Approach: p.Approach, Rules: p.Rules, Channels: p.Channels,
		Borrower: packBorrowerView{Name: p.Borrower.Name, Language: p.Borrower.Language, Employer: p.Borrower.Employer,
			Flags: nonNil(p.Borrower.Flags), Phones: []string{}}}
	for _, ph := range p.Borrower.Phones {
		v.Borrower.Phones = append(v.Borrower.Phones, ph.Number)
	}
	for _, l := range p.Loans {
		v.Loans = append(v.Loans, packLoanView{LoanID: l.Loan.ID, Product: l.Loan.ProductCode, Principal: l.Loan.Principal,
			TermMonths: l.Loan.TermMonths, DisbursedOn: l.Loan.DisbursedOn, Bucket: l.Bucket, DPD: l.Position.DPD,
			Overdue: l.Position.OverduePrincipal + l.Position.OverdueInterest + l.Position.PenaltyDue + l.Position.FeesDue})
	}
	for _, c := range p.Contacts {
		v.Contacts = append(v.Contacts, packContactView{Name: c.Name, Relationship: c.Relationship, Phone: c.Phone})
	}
	for _, a := range p.ContactHistory {
		v.History = append(v.History, packAttemptView{StartedAt: a.StartedAt, Channel: string(a.Channel), Outcome: string(a.Outcome),
			Decision: string(a.Decision.Action)})
	}
	for _, o := range p.Offers {
		v.Offers = append(v.Offers, packOfferView{ID: o.ID, Kind: string(o.Offer.Kind), Status: string(o.Status)})
	}
	return v
}

type reportView struct {
	From       date.Date              `json:"from"`
	To         date.Date              `json:"to"`
	ByPair     []fieldwork.ReportRow  `json:"by_pair"`
	ByRegion   []fieldwork.ReportRow  `json:"by_region"`
	Comparison []fieldwork.Comparison `json:"comparison"`
}

// fwView wraps f(v) as a response body, or err as a problem.
func fwView[T, V any](ctx context.Context, s *Server, v T, err error, f func(T) V) (*struct{ Body V }, error) {
	if err != nil {
		return nil, s.apiErr(ctx, err)
	}
	return &struct{ Body V }{f(v)}, nil
}

// fwResult wraps v as a response body, or err as a problem.
func fwResult[T any](ctx context.Context, s *Server, v T, err error) (*struct{ Body T }, error) {
	if err != nil {
		return nil, s.apiErr(ctx, err)
	}
	return &struct{ Body T }{v}, nil
}

// fwViews maps xs through f (nil stays nil).
func fwViews[T, V any](xs []T, f func(T) V) []V {
	if xs == nil {
		return nil
	}
	out := make([]V, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}
