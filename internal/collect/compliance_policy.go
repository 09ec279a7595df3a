package collect

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// PolicySettings is a tenant's contact policy for one profile as admins
// edit it and the store keeps it: the same names as the "policy" object of
// a scenario file (docs/GOVERNOR.md). Empty fields keep the legal
// default; a value that would loosen the law is refused.
type PolicySettings struct {
	NoHolidayContact    *bool  `json:"no_holiday_contact,omitempty"`
	HolidayAction       string `json:"holiday_action,omitempty" enum:"block,warn,"`
	VisitAdvanceNotice  *bool  `json:"visit_advance_notice,omitempty"`
	VisitNoticeHours    int    `json:"visit_notice_hours,omitempty" minimum:"0"`
	UKVisitNoticeDays   int    `json:"uk_visit_notice_days,omitempty" minimum:"0"`
	QuietStart          string `json:"quiet_start,omitempty" doc:"Local HH:MM when contact must stop, e.g. 21:00"`
	QuietEnd            string `json:"quiet_end,omitempty" doc:"Local HH:MM when contact may start, e.g. 08:30"`
	MaxConnected        int    `json:"max_connected_calls_per_day,omitempty" minimum:"0"`
	MaxUnanswered       int    `json:"max_unanswered_per_number_per_day,omitempty" minimum:"0"`
	MaxCalls7           int    `json:"max_calls_per_7_days,omitempty" minimum:"0"`
	LostContactAttempts int    `json:"lost_contact_attempts,omitempty" minimum:"0"`
}

// Policy converts s into the governor's Policy. It returns an Invalid
// error for a malformed time of day.
func (s PolicySettings) Policy() (compliance.Policy, error) {
	p := compliance.Policy{NoHolidayContact: s.NoHolidayContact, HolidayAction: compliance.Action(s.HolidayAction),
		VisitAdvanceNotice: s.VisitAdvanceNotice, VisitNoticeHours: s.VisitNoticeHours, UKVisitNoticeDays: s.UKVisitNoticeDays,
		MaxConnectedPerDay: s.MaxConnected, MaxUnansweredPerNumber: s.MaxUnanswered, MaxCallsPer7Days: s.MaxCalls7,
		LostContactAttempts: s.LostContactAttempts}
	var bad []errs.FieldError
	clock := func(field, v string) *compliance.Clock {
		if v == "" {
			return nil
		}
		c, err := compliance.ParseClock(v)
		if err != nil {
			bad = append(bad, errs.FieldError{Field: field, Message: errs.MessageOf(err)})
			return nil
		}
		return &c
	}
	p.QuietStart, p.QuietEnd = clock("quiet_start", s.QuietStart), clock("quiet_end", s.QuietEnd)
	if len(bad) > 0 {
		return p, errs.Fields("The policy is not valid.", bad...)
	}
	return p, nil
}

// ProfilePolicy is one profile's policy in force: the rules it applies,
// the tenant's settings and the limits that result.
type ProfilePolicy struct {
	Jurisdiction compliance.Jurisdiction `json:"jurisdiction"`
	Active       bool                    `json:"active"`
	Settings     PolicySettings          `json:"settings"`
	Limits       compliance.Limits       `json:"limits"`
	Rules        []compliance.RuleInfo   `json:"rules"`
	UpdatedBy    string                  `json:"updated_by,omitempty"`
}

// Policies returns the policy in force for every profile, the active one
// marked (CN unless an admin chose another).
func (s *Service) Policies(ctx context.Context, by Actor) ([]ProfilePolicy, error) {
	var out []ProfilePolicy
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		records, err := tx.ContactPolicies(ctx)
		if err != nil {
			return err
		}
		active := activeProfile(records)
		for _, j := range compliance.Profiles {
			pp := ProfilePolicy{Jurisdiction: j, Active: j == active, Rules: compliance.Rules(j)}
			if i := slices.IndexFunc(records, func(r sqlstore.PolicyRecord) bool { return r.Jurisdiction == string(j) }); i >= 0 {
				if err := json.Unmarshal(records[i].Policy, &pp.Settings); err != nil {
					return fmt.Errorf("policy %s: %w", j, err)
				}
				pp.UpdatedBy = records[i].UpdatedBy
			}
			p, err := pp.Settings.Policy()
			if err != nil {
				return err
			}
			pp.Limits = p.Limits(j)
			out = append(out, pp)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	return out, nil
}

func activeProfile(records []sqlstore.PolicyRecord) compliance.Jurisdiction {
	for _, r := range records {
		if r.Active {
			return compliance.Jurisdiction(r.Jurisdiction)
		}
	}
	return compliance.CN
}

// mayEditPolicy reports whether by may change the policy or the calendar:
// an admin or a compliance officer. Auditors read only.
func mayEditPolicy(by Actor) error {
	if !by.User.Can(auth.PermComplianceEdit) {
		return errs.Errorf(errs.Forbidden, "Only an administrator or a compliance officer may change the contact policy or calendar.")
	}
	return nil
}

// SavePolicy stores the tenant's settings for profile j. Settings may only
// tighten the law (compliance.Policy.Validate); it returns an Invalid error
// naming each field that would loosen it, and Forbidden unless by is an
// admin or compliance officer. The change is audited with before and after.
func (s *Service) SavePolicy(ctx context.Context, by Actor, j compliance.Jurisdiction, settings PolicySettings) error {
	if err := mayEditPolicy(by); err != nil {
		return err
	}
	p, err := settings.Policy()
	if err != nil {
		return err
	}
	if err := p.Validate(j); err != nil {
		return err
	}
	raw, err := json.Marshal(settings)
	if err != nil {
		return fmt.Errorf("encode policy: %w", err)
	}
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		records, err := tx.ContactPolicies(ctx)
		if err != nil {
			return err
		}
		before := json.RawMessage("{}")
		if i := slices.IndexFunc(records, func(r sqlstore.PolicyRecord) bool { return r.Jurisdiction == string(j) }); i >= 0 {
			before = records[i].Policy
		}
		r := sqlstore.PolicyRecord{Jurisdiction: string(j), Policy: raw, UpdatedBy: by.User.Username}
		if err := tx.SaveContactPolicy(ctx, &r); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "compliance.policy.update", "contact_policy", string(j),
			map[string]any{"before": before, "after": json.RawMessage(raw)}))
	})
}

// ActivateProfile makes j the profile the governor applies. It returns an
// Invalid error for an unknown profile and Forbidden unless by is an admin
// or compliance officer.
func (s *Service) ActivateProfile(ctx context.Context, by Actor, j compliance.Jurisdiction) error {
	if err := mayEditPolicy(by); err != nil {
		return err
	}
	if !slices.Contains(compliance.Profiles, j) {
		return errs.Field("jurisdiction", "%q is not CN, US or UK", j)
	}
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.ActivateContactPolicy(ctx, string(j), by.User.Username); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "compliance.profile.activate", "contact_policy", string(j), map[string]any{"active": j}))
	})
}
