package compliance

import (
	"slices"
	"strings"

	"accord/internal/auth"
	"accord/internal/calendar"
)

// Action is what the governor says about a contact, and how severe a rule is.
type Action string

// The actions, from least to most severe. The most severe rule that fires
// decides: block > approval > warn > allow.
const (
	Allow    Action = "allow"
	Warn     Action = "warn"     // allowed; flagged for QA
	Approval Action = "approval" // allowed only after the named role approves
	Block    Action = "block"
)

func (a Action) rank() int {
	switch a {
	case Warn:
		return 1
	case Approval:
		return 2
	case Block:
		return 3
	}
	return 0
}

// Text is a message in Chinese and English.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// Route is where a case should go as a result of a rule.
const RouteSpecialist = "specialist_queue"

// Detail explains one rule that fired: its severity, its source in
// COMPLIANCE.md and the figures it used. Times are in the borrower's local
// zone (RFC 3339); windows are half-open, [window_start, window_end).
type Detail struct {
	Rule         string           `json:"rule"`
	Severity     Action           `json:"severity"`
	Source       string           `json:"source"`
	Reason       Text             `json:"reason"`
	Count        int              `json:"count,omitempty"`
	Limit        int              `json:"limit,omitempty"`
	WindowStart  string           `json:"window_start,omitempty"`
	WindowEnd    string           `json:"window_end,omitempty"`
	LocalTime    string           `json:"local_time,omitempty"`
	TimeZone     string           `json:"time_zone,omitempty"`
	DayKind      calendar.DayKind `json:"day_kind,omitempty"`
	Matched      []string         `json:"matched,omitempty"` // lexicon terms found in the text
	Failed       []string         `json:"failed,omitempty"`  // the conditions that were not met
	RequiredRole auth.Role        `json:"required_role,omitempty"`
	Route        string           `json:"route,omitempty"`
	Evidence     []string         `json:"evidence,omitempty"` // ids of the history entries counted
}

// Decision is the governor's answer. Rules lists every rule that fired,
// sorted by id, and Details explains each in the same order; Reasons joins
// their reasons. DayKind is the borrower's local day type under the CN
// profile (R16).
type Decision struct {
	Action        Action           `json:"decision"`
	Rules         []string         `json:"rules"`
	Reasons       Text             `json:"reasons"`
	Details       []Detail         `json:"details"`
	DayKind       calendar.DayKind `json:"day_kind,omitempty"`
	RequiredRoles []auth.Role      `json:"required_roles,omitempty"`
	Route         string           `json:"route,omitempty"`
}

// Allowed reports whether the contact may go ahead now: allow or warn.
func (d Decision) Allowed() bool { return d.Action == Allow || d.Action == Warn }

// Fired reports whether rule id fired.
func (d Decision) Fired(id string) bool { return slices.Contains(d.Rules, id) }

var allowReason = Text{ZH: "未触发任何规则，可以联系。", EN: "No rule fired; the contact is allowed."}

// decide builds a Decision from the details of the rules that fired.
func decide(details []Detail, dayKind calendar.DayKind) Decision {
	d := Decision{Action: Allow, Rules: []string{}, Details: details, DayKind: dayKind}
	if len(details) == 0 {
		d.Details = []Detail{}
		d.Reasons = allowReason
		return d
	}
	slices.SortStableFunc(d.Details, func(a, b Detail) int { return strings.Compare(a.Rule, b.Rule) })
	zh := make([]string, 0, len(details))
	en := make([]string, 0, len(details))
	for _, dt := range d.Details {
		if dt.Severity.rank() > d.Action.rank() {
			d.Action = dt.Severity
		}
		if n := len(d.Rules); n == 0 || d.Rules[n-1] != dt.Rule {
			d.Rules = append(d.Rules, dt.Rule)
		}
		zh = append(zh, dt.Rule+"："+dt.Reason.ZH)
		en = append(en, dt.Rule+": "+dt.Reason.EN)
		if dt.RequiredRole != "" && dt.Severity == Approval && !slices.Contains(d.RequiredRoles, dt.RequiredRole) {
			d.RequiredRoles = append(d.RequiredRoles, dt.RequiredRole)
		}
		if dt.Route != "" {
			d.Route = dt.Route
		}
	}
	d.Reasons = Text{ZH: strings.Join(zh, "；"), EN: strings.Join(en, " ")}
	return d
}
