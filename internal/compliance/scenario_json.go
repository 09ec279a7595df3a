package compliance

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"accord/internal/errs"
)

// The wire form of a scenario file. Times are text so that a bad one can be
// reported with its field; see docs/GOVERNOR.md.
type scenarioJSON struct {
	Description  string        `json:"description"`
	Jurisdiction string        `json:"jurisdiction"`
	Policy       policyJSON    `json:"policy"`
	Borrower     borrowerJSON  `json:"borrower"`
	Contacts     []contactJSON `json:"contacts"`
	History      []attemptJSON `json:"history"`
	Proposed     proposedJSON  `json:"proposed"`
	Expect       *Expect       `json:"expect"`
}

type policyJSON struct {
	NoHolidayContact    *bool  `json:"no_holiday_contact"`
	HolidayAction       string `json:"holiday_action"`
	VisitAdvanceNotice  *bool  `json:"visit_advance_notice"`
	VisitNoticeHours    int    `json:"visit_notice_hours"`
	UKVisitNoticeDays   int    `json:"uk_visit_notice_days"`
	QuietStart          string `json:"quiet_start"`
	QuietEnd            string `json:"quiet_end"`
	MaxConnected        int    `json:"max_connected_calls_per_day"`
	MaxUnanswered       int    `json:"max_unanswered_per_number_per_day"`
	MaxCalls7           int    `json:"max_calls_per_7_days"`
	LostContactAttempts int    `json:"lost_contact_attempts"`
}

type borrowerJSON struct {
	ID        string        `json:"id"`
	TimeZones []string      `json:"timezones"`
	Phones    []string      `json:"phones"`
	Emails    []string      `json:"emails"`
	Flags     []string      `json:"flags"`
	Consents  []consentJSON `json:"consents"`
	OptOuts   []optOutJSON  `json:"opt_outs"`
}

type consentJSON struct {
	Kind      string `json:"kind"`
	Window    string `json:"window"`
	Limit     int    `json:"limit"`
	Channel   string `json:"channel"`
	GivenAt   string `json:"given_at"`
	Expires   string `json:"expires"`
	RevokedAt string `json:"revoked_at"`
}

type optOutJSON struct {
	Channel string `json:"channel"`
	Address string `json:"address"`
}

type contactJSON struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Relationship string   `json:"relationship"`
	Registered   bool     `json:"registered"`
	Phone        string   `json:"phone"`
	Flags        []string `json:"flags"`
}

type attemptJSON struct {
	ID        string   `json:"id"`
	At        string   `json:"at"`
	Channel   string   `json:"channel"`
	Direction string   `json:"direction"`
	To        string   `json:"to"`
	Party     string   `json:"party"`
	Contact   string   `json:"contact"`
	By        string   `json:"by"`
	Outcome   string   `json:"outcome"`
	Debts     []string `json:"debts"`
	Purpose   string   `json:"purpose"`
	Automated bool     `json:"automated"`
}

type proposedJSON struct {
	At                string   `json:"at"`
	Channel           string   `json:"channel"`
	To                string   `json:"to"`
	Party             string   `json:"party"`
	Contact           string   `json:"contact"`
	By                string   `json:"by"`
	Automated         bool     `json:"automated"`
	Debts             []string `json:"debts"`
	Text              string   `json:"text"`
	TextSource        string   `json:"text_source"`
	Purpose           string   `json:"purpose"`
	DisclosesDebt     bool     `json:"discloses_debt"`
	ApprovedRoles     []string `json:"approved_roles"`
	LegalCase         string   `json:"legal_case"`
	Collectors        []string `json:"collectors"`
	RecordingDevice   string   `json:"recording_device"`
	NoticeSentAt      string   `json:"notice_sent_at"`
	VisitPurpose      string   `json:"visit_purpose"`
	AgencyWhitelisted bool     `json:"agency_whitelisted"`
	AgentTrainedAt    string   `json:"agent_trained_at"`
}

var scenarioFields = reflect.TypeFor[scenarioJSON]()

// unknownFields walks decoded JSON against the wire types and returns every
// key they do not declare, with its path ("proposed.colectors").
func unknownFields(v any, t reflect.Type, path string) []errs.FieldError {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var bad []errs.FieldError
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return nil // a type error, reported by json.Unmarshal
		}
		fields := make(map[string]reflect.Type, t.NumField())
		var known []string
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			fields[name] = t.Field(i).Type
			known = append(known, name)
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			ft, ok := fields[k]
			if !ok {
				bad = append(bad, errs.FieldError{Field: p, Message: fmt.Sprintf("unknown field; known here: %s", strings.Join(known, ", "))})
				continue
			}
			bad = append(bad, unknownFields(m[k], ft, p)...)
		}
	case reflect.Slice:
		arr, _ := v.([]any)
		for i, e := range arr {
			bad = append(bad, unknownFields(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return bad
}
