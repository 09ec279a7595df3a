package compliance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"accord/internal/auth"
	"accord/internal/errs"
)

// Scenario is one stateless check as a file: the Input and, for tests, the
// decision expected of it. docs/GOVERNOR.md documents the format.
type Scenario struct {
	Description string
	Input       Input
	Expect      *Expect
}

// Expect is the decision and the rules a scenario expects. Check ignores it.
type Expect struct {
	Decision Action   `json:"decision"`
	Rules    []string `json:"rules"`
}

// ParseScenario reads a scenario file (the format of `accord compliance
// check --file`) and returns its Input. It returns an Invalid error naming
// each bad JSON field (errs.FieldsOf), including fields it does not know.
// Missing facts such as the borrower id or time zone are not errors here:
// Check fails closed on them.
func ParseScenario(r io.Reader) (Input, error) {
	s, err := ReadScenario(r)
	return s.Input, err
}

// ReadScenario is ParseScenario keeping the description and expectation.
func ReadScenario(r io.Reader) (Scenario, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Scenario{}, fmt.Errorf("read scenario: %w", err)
	}
	var raw any
	if err := json.Unmarshal(data, &raw); err != nil {
		return Scenario{}, jsonError(data, err)
	}
	if unknown := unknownFields(raw, scenarioFields, ""); len(unknown) > 0 {
		return Scenario{}, errs.Fields("The scenario has fields Accord does not know.", unknown...)
	}
	var w scenarioJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return Scenario{}, jsonError(data, err)
	}
	var c converter
	s := Scenario{Description: w.Description, Input: c.input(&w), Expect: w.Expect}
	if w.Expect != nil {
		c.expect(w.Expect)
	}
	if len(c.bad) > 0 {
		return Scenario{}, errs.Fields("The scenario is not valid.", c.bad...)
	}
	return s, nil
}

func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line := 1 + bytes.Count(data[:min(int(syn.Offset), len(data))], []byte("\n"))
		return errs.Errorf(errs.Invalid, "The scenario is not valid JSON: line %d: %v.", line, syn)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return errs.Field(typ.Field, "want %s, got a JSON %s", typ.Type, typ.Value)
	}
	return errs.Errorf(errs.Invalid, "The scenario is not valid JSON: %v.", err)
}

// converter turns the wire form into an Input, collecting field errors.
type converter struct {
	bad []errs.FieldError
}

func (c *converter) fail(field, format string, args ...any) {
	c.bad = append(c.bad, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// time reads an RFC 3339 instant with its offset; "" is the zero time.
func (c *converter) time(field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		c.fail(field, "%q is not an RFC 3339 time such as 2026-03-10T09:00:00+08:00", s)
	}
	return t
}

func (c *converter) oneOf(field, v string, allowed []string) {
	if v != "" && !slices.Contains(allowed, v) {
		c.fail(field, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
}

func (c *converter) required(field, v string) {
	if v == "" {
		c.fail(field, "is required")
	}
}

func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func (c *converter) input(w *scenarioJSON) Input {
	in := Input{Jurisdiction: Jurisdiction(w.Jurisdiction)}
	c.oneOf("jurisdiction", w.Jurisdiction, []string{"CN", "US", "UK"})
	in.Policy = c.policy(&w.Policy)
	in.Borrower = c.borrower(&w.Borrower)
	for i, ct := range w.Contacts {
		path := fmt.Sprintf("contacts[%d]", i)
		for j, fl := range ct.Flags {
			c.oneOf(fmt.Sprintf("%s.flags[%d]", path, j), fl, []string{FlagDebtRelatedApproved})
		}
		in.Contacts = append(in.Contacts, Contact{ID: ct.ID, Name: ct.Name, Relationship: ct.Relationship,
			Registered: ct.Registered, Phone: ct.Phone, Flags: ct.Flags})
	}
	for i := range w.History {
		in.History = append(in.History, c.attempt(fmt.Sprintf("history[%d]", i), &w.History[i]))
	}
	in.Proposed = c.proposed(&w.Proposed)
	return in
}

func (c *converter) policy(w *policyJSON) Policy {
	p := Policy{NoHolidayContact: w.NoHolidayContact, VisitAdvanceNotice: w.VisitAdvanceNotice,
		HolidayAction: Action(w.HolidayAction), VisitNoticeHours: w.VisitNoticeHours, UKVisitNoticeDays: w.UKVisitNoticeDays,
		MaxConnectedPerDay: w.MaxConnected, MaxUnansweredPerNumber: w.MaxUnanswered,
		MaxCallsPer7Days: w.MaxCalls7, LostContactAttempts: w.LostContactAttempts}
	c.oneOf("policy.holiday_action", w.HolidayAction, []string{string(Block), string(Warn)})
	clock := func(field, s string) *Clock {
		if s == "" {
			return nil
		}
		v, err := ParseClock(s)
		if err != nil {
			c.fail(field, "%q is not a time of day such as 21:00", s)
			return nil
		}
		return &v
	}
	p.QuietStart = clock("policy.quiet_start", w.QuietStart)
	p.QuietEnd = clock("policy.quiet_end", w.QuietEnd)
	return p
}

func (c *converter) borrower(w *borrowerJSON) Borrower {
	b := Borrower{ID: w.ID, TimeZones: w.TimeZones, Phones: w.Phones, Emails: w.Emails, Flags: w.Flags}
	for i, fl := range w.Flags {
		if _, ok := borrowerFlags[fl]; !ok {
			c.fail(fmt.Sprintf("borrower.flags[%d]", i), "%q is not a borrower flag", fl)
		}
	}
	for i, cs := range w.Consents {
		path := fmt.Sprintf("borrower.consents[%d]", i)
		c.oneOf(path+".channel", cs.Channel, names(channels))
		b.Consents = append(b.Consents, Consent{Kind: cs.Kind, Window: cs.Window, Limit: cs.Limit, Channel: Channel(cs.Channel),
			GivenAt: c.time(path+".given_at", cs.GivenAt), Expires: c.time(path+".expires", cs.Expires),
			RevokedAt: c.time(path+".revoked_at", cs.RevokedAt)})
	}
	for i, o := range w.OptOuts {
		path := fmt.Sprintf("borrower.opt_outs[%d].channel", i)
		c.required(path, o.Channel)
		c.oneOf(path, o.Channel, names(channels))
		b.OptOuts = append(b.OptOuts, OptOut{Channel: Channel(o.Channel), Address: o.Address})
	}
	return b
}

func (c *converter) attempt(path string, w *attemptJSON) Attempt {
	c.required(path+".at", w.At)
	c.required(path+".channel", w.Channel)
	c.oneOf(path+".channel", w.Channel, names(channels))
	c.oneOf(path+".party", w.Party, names(parties))
	c.oneOf(path+".outcome", w.Outcome, names(outcomes))
	c.oneOf(path+".direction", w.Direction, []string{"outbound", "inbound"})
	c.oneOf(path+".purpose", w.Purpose, purposes)
	party := Party(w.Party)
	if party == "" {
		party = ToBorrower
	}
	return Attempt{ID: w.ID, At: c.time(path+".at", w.At), Channel: Channel(w.Channel), Inbound: w.Direction == "inbound",
		To: w.To, Party: party, Contact: w.Contact, By: w.By, Outcome: Outcome(w.Outcome), Debts: w.Debts,
		Purpose: w.Purpose, Automated: w.Automated}
}

func (c *converter) proposed(w *proposedJSON) Proposed {
	c.oneOf("proposed.channel", w.Channel, names(channels))
	c.oneOf("proposed.party", w.Party, names(parties))
	c.oneOf("proposed.purpose", w.Purpose, purposes)
	c.oneOf("proposed.text_source", w.TextSource, textSources)
	for i, r := range w.ApprovedRoles {
		if _, err := auth.ParseRole(r); err != nil {
			c.fail(fmt.Sprintf("proposed.approved_roles[%d]", i), "%q is not a role", r)
		}
	}
	return Proposed{At: c.time("proposed.at", w.At), Channel: Channel(w.Channel), To: w.To, Party: Party(w.Party),
		Contact: w.Contact, By: w.By, Automated: w.Automated, Debts: w.Debts, Text: w.Text, TextSource: w.TextSource,
		Purpose: w.Purpose, DisclosesDebt: w.DisclosesDebt, ApprovedRoles: w.ApprovedRoles, LegalCase: w.LegalCase,
		Collectors: w.Collectors, RecordingDevice: w.RecordingDevice, NoticeSentAt: c.time("proposed.notice_sent_at", w.NoticeSentAt),
		VisitPurpose: w.VisitPurpose, AgencyWhitelisted: w.AgencyWhitelisted,
		AgentTrainedAt: c.time("proposed.agent_trained_at", w.AgentTrainedAt)}
}

func (c *converter) expect(e *Expect) {
	c.oneOf("expect.decision", string(e.Decision), names([]Action{Allow, Warn, Approval, Block}))
	for i, r := range e.Rules {
		if _, ok := sources[r]; !ok {
			c.fail(fmt.Sprintf("expect.rules[%d]", i), "%q is not a rule id", r)
		}
	}
}
