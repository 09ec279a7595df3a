package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/calendar"
	"accord/internal/collect"
	"accord/internal/compliance"
)

type policyUpdateInput struct {
	Jurisdiction string `path:"jurisdiction" enum:"CN,US,UK"`
	Activate     bool   `query:"activate" doc:"Also make this the profile in force"`
	Body         collect.PolicySettings
}

type calendarYearInput struct {
	Year int `path:"year" minimum:"2000" maximum:"2100"`
}

type calendarYear struct {
	Year    int            `json:"year"`
	Covered bool           `json:"covered" doc:"The calendar has data for this year"`
	Edited  bool           `json:"edited" doc:"An admin replaced the built-in data"`
	Days    []calendar.Day `json:"days"`
}

type calendarUpdateInput struct {
	Year int `path:"year" minimum:"2000" maximum:"2100"`
	Body struct {
		Days []calendar.Entry `json:"days" doc:"Every holiday and adjusted working day of the year; empty restores the built-in year"`
	}
}

type screenInput struct {
	Body struct {
		Text string `json:"text" maxLength:"20000"`
	}
}

// screenResult is a compliance.Screening on the wire: the lexicon terms
// found per category.
type screenResult struct {
	Clean         bool     `json:"clean" doc:"Nothing that would block or need approval"`
	Abuse         []string `json:"abuse"`
	Impersonation []string `json:"impersonation"`
	Legal         []string `json:"legal" doc:"Courts or legal documents: allowed only for real proceedings, with approval"`
	Pressure      []string `json:"pressure"`
	Debt          []string `json:"debt" doc:"Debt facts: never to third parties"`
	OptOut        bool     `json:"opt_out"`
}

func screenOf(sc compliance.Screening) screenResult {
	return screenResult{Clean: len(sc.Abuse)+len(sc.Impersonation)+len(sc.Legal)+len(sc.Pressure) == 0,
		Abuse: nonNil(sc.Abuse), Impersonation: nonNil(sc.Impersonation), Legal: nonNil(sc.Legal),
		Pressure: nonNil(sc.Pressure), Debt: nonNil(sc.Debt), OptOut: sc.OptOut}
}

type complianceOverviewInput struct {
	From   string `query:"from" format:"date"`
	To     string `query:"to" format:"date"`
	Limit  int    `query:"limit" minimum:"1" maximum:"1000" default:"100"`
	Offset int    `query:"offset" minimum:"0" default:"0"`
}

func (s *Server) registerComplianceAPI() {
	register(s, auth.PermComplianceRead, huma.Operation{OperationID: "listPolicies", Method: http.MethodGet, Path: "/api/v1/compliance/policies",
		Summary: "The contact policy in force per profile: rules, tenant settings and resulting limits", Tags: []string{"compliance"}},
		func(ctx context.Context, _ *struct{}) (*struct{ Body []collect.ProfilePolicy }, error) {
			ps, err := s.svc.Policies(ctx, apiActor(ctx))
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []collect.ProfilePolicy }{ps}, nil
		})
	register(s, auth.PermComplianceEdit, huma.Operation{OperationID: "updatePolicy", Method: http.MethodPut, Path: "/api/v1/compliance/policies/{jurisdiction}",
		Summary: "Tighten a profile's limits (admin or compliance officer; never looser than the law)", Tags: []string{"compliance"}},
		func(ctx context.Context, in *policyUpdateInput) (*struct{ Body []collect.ProfilePolicy }, error) {
			j := compliance.Jurisdiction(in.Jurisdiction)
			err := s.svc.SavePolicy(ctx, apiActor(ctx), j, in.Body)
			if err == nil && in.Activate {
				err = s.svc.ActivateProfile(ctx, apiActor(ctx), j)
			}
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			ps, err := s.svc.Policies(ctx, apiActor(ctx))
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []collect.ProfilePolicy }{ps}, nil
		})
	register(s, auth.PermComplianceRead, huma.Operation{OperationID: "getCalendarYear", Method: http.MethodGet, Path: "/api/v1/compliance/calendar/{year}",
		Summary: "Statutory holidays and adjusted working days (调休上班日) of a year", Tags: []string{"compliance"}},
		func(ctx context.Context, in *calendarYearInput) (*struct{ Body calendarYear }, error) {
			out, err := s.calendarYear(ctx, in.Year)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body calendarYear }{out}, nil
		})
	register(s, auth.PermComplianceEdit, huma.Operation{OperationID: "updateCalendarYear", Method: http.MethodPut, Path: "/api/v1/compliance/calendar/{year}",
		Summary: "Replace a year of the holiday calendar (admin or compliance officer; validated row by row)", Tags: []string{"compliance"}},
		func(ctx context.Context, in *calendarUpdateInput) (*struct{ Body calendarYear }, error) {
			if err := s.svc.ReplaceCalendarYear(ctx, apiActor(ctx), in.Year, in.Body.Days); err != nil {
				return nil, s.apiErr(ctx, err)
			}
			out, err := s.calendarYear(ctx, in.Year)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body calendarYear }{out}, nil
		})
	register(s, auth.PermComplianceRead, huma.Operation{OperationID: "screenText", Method: http.MethodPost, Path: "/api/v1/compliance/screen",
		Summary: "Template checker: screen text for threats, impersonation, pressure and debt facts", Tags: []string{"compliance"}},
		func(ctx context.Context, in *screenInput) (*struct{ Body screenResult }, error) {
			sc, err := s.svc.ScreenText(apiActor(ctx), in.Body.Text)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body screenResult }{screenOf(sc)}, nil
		})
	register(s, auth.PermComplianceRead, huma.Operation{OperationID: "complianceOverview", Method: http.MethodGet, Path: "/api/v1/compliance/overview",
		Summary: "Blocked and warned contacts with their rules, rule hit rates by team, agency and collector", Tags: []string{"compliance"}},
		func(ctx context.Context, in *complianceOverviewInput) (*struct{ Body complianceOverviewView }, error) {
			from, to, err := s.complianceDays(in.From, in.To)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			o, err := s.svc.ComplianceOverview(ctx, apiActor(ctx), from, to, in.Limit, in.Offset)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body complianceOverviewView }{complianceOverviewViewOf(o)}, nil
		})
}

func (s *Server) calendarYear(ctx context.Context, year int) (calendarYear, error) {
	cal, edited, err := s.svc.HolidayCalendar(ctx)
	if err != nil {
		return calendarYear{}, err
	}
	out := calendarYear{Year: year, Covered: cal.Covers(year), Days: nonNil(cal.Year(year))}
	for _, y := range edited {
		out.Edited = out.Edited || y == year
	}
	return out, nil
}
