package negotiation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// The support programme's educational messages (帮扶计划宣导短信): the
// lender configures texts in Chinese and English, each sent a number of
// days after the borrower's enrolment (e.g. day 0, 7 and 30). The nightly
// step SupportStep queues each one through the contact governor and the
// outbox (collect.QueueMessage), so quiet hours, frequency limits and
// stop-contact requests hold or block it like any automated message. Each
// enrolment's message of a day is recorded once (support_messages), which
// makes the step idempotent per date.

// Support programme limits.
const (
	MaxSupportMessages   = 20
	MaxSupportDay        = 365
	MaxSupportText       = 300 // characters of one SMS text
	SupportCatchUpDays   = 7   // a message missed by at most this many days (runs skipped) is still sent
	supportEnrolmentPage = 500
)

// SupportMessageTemplate is one educational message of the programme.
type SupportMessageTemplate struct {
	Day int    `json:"day"` // days after enrolment
	ZH  string `json:"zh"`
	EN  string `json:"en"`
}

// SupportProgramme is the programme's configuration (a versioned document).
type SupportProgramme struct {
	Messages []SupportMessageTemplate `json:"messages"`
}

// ParseSupportProgramme reads and checks a programme document. Unknown
// fields are refused. It returns an Invalid error naming the fields
// (messages[1].zh).
func ParseSupportProgramme(raw []byte) (SupportProgramme, error) {
	var p SupportProgramme
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return p, errs.Field("body", "is not a support programme document: %v", err)
	}
	return p, p.Validate()
}

// Validate checks the days (0 to 365, each once) and the texts (both
// languages, at most MaxSupportText characters).
func (p SupportProgramme) Validate() error {
	var fe []errs.FieldError
	if len(p.Messages) > MaxSupportMessages {
		fe = append(fe, errs.FieldError{Field: "messages", Message: fmt.Sprintf("at most %d messages", MaxSupportMessages)})
	}
	seen := map[int]bool{}
	for i, m := range p.Messages {
		f := fmt.Sprintf("messages[%d].", i)
		switch {
		case m.Day < 0 || m.Day > MaxSupportDay:
			fe = append(fe, errs.FieldError{Field: f + "day", Message: fmt.Sprintf("must be from 0 to %d", MaxSupportDay)})
		case seen[m.Day]:
			fe = append(fe, errs.FieldError{Field: f + "day", Message: fmt.Sprintf("day %d is listed twice", m.Day)})
		}
		seen[m.Day] = true
		for _, t := range []struct{ name, text string }{{"zh", m.ZH}, {"en", m.EN}} {
			if n := utf8.RuneCountInString(strings.TrimSpace(t.text)); n == 0 || n > MaxSupportText {
				fe = append(fe, errs.FieldError{Field: f + t.name, Message: fmt.Sprintf("needs 1 to %d characters", MaxSupportText)})
			}
		}
	}
	if len(fe) > 0 {
		return errs.Fields("The support programme is not valid.", fe...)
	}
	return nil
}

// SaveSupportProgramme saves p as the new version of the programme's
// messages (texts trimmed, sorted by day), audited. It takes the strategy
// permission. It returns Forbidden or an Invalid error naming the fields.
func (s *Service) SaveSupportProgramme(ctx context.Context, by collect.Actor, p SupportProgramme) (sqlstore.SupportProgrammeVersion, error) {
	if !by.User.Can(auth.PermStrategyEdit) {
		return sqlstore.SupportProgrammeVersion{}, errs.Errorf(errs.Forbidden, "Your role may not configure the support programme.")
	}
	p.Messages = slices.Clone(p.Messages)
	for i := range p.Messages {
		p.Messages[i].ZH, p.Messages[i].EN = strings.TrimSpace(p.Messages[i].ZH), strings.TrimSpace(p.Messages[i].EN)
	}
	if err := p.Validate(); err != nil {
		return sqlstore.SupportProgrammeVersion{}, err
	}
	slices.SortFunc(p.Messages, func(a, b SupportMessageTemplate) int { return a.Day - b.Day })
	if p.Messages == nil {
		p.Messages = []SupportMessageTemplate{}
	}
	body, err := json.Marshal(p)
	if err != nil {
		return sqlstore.SupportProgrammeVersion{}, err
	}
	v := sqlstore.SupportProgrammeVersion{Body: body, CreatedBy: by.User.Username}
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.CreateSupportProgrammeVersion(ctx, &v); err != nil {
			return err
		}
		days := make([]int, len(p.Messages))
		for i, m := range p.Messages {
			days[i] = m.Day
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "support_programme.save", "support_programme",
			strconv.Itoa(v.Version), map[string]any{"version": v.Version, "days": days}))
	})
	if err != nil {
		return sqlstore.SupportProgrammeVersion{}, fmt.Errorf("save support programme: %w", err)
	}
	return v, nil
}

// SupportProgrammeView is the programme in force and the latest messages
// the nightly step recorded.
type SupportProgrammeView struct {
	Version  sqlstore.SupportProgrammeVersion `json:"version"` // zero before any was saved
	Program  SupportProgramme                 `json:"programme"`
	Recently []sqlstore.SupportMessage        `json:"recent"`
}

// SupportProgrammeInForce returns the programme in force (none saved: no
// messages) and the latest 50 records. It takes the strategy permission or
// dashboard:read.
func (s *Service) SupportProgrammeInForce(ctx context.Context, by collect.Actor) (SupportProgrammeView, error) {
	var out SupportProgrammeView
	if !by.User.Can(auth.PermStrategyEdit) && !by.User.Can(auth.PermDashboardRead) {
		return out, errs.Errorf(errs.Forbidden, "Your role may not see the support programme.")
	}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if out.Version, out.Program, err = supportProgramme(ctx, tx); err != nil {
			return err
		}
		out.Recently, err = tx.SupportMessages(ctx, 50)
		return err
	})
	return out, err
}

func supportProgramme(ctx context.Context, tx *sqlstore.Tx) (sqlstore.SupportProgrammeVersion, SupportProgramme, error) {
	v, err := tx.LatestSupportProgramme(ctx)
	if errs.CodeOf(err) == errs.NotFound {
		return v, SupportProgramme{Messages: []SupportMessageTemplate{}}, nil
	}
	if err != nil {
		return v, SupportProgramme{}, err
	}
	var p SupportProgramme
	if err := json.Unmarshal(v.Body, &p); err != nil {
		return v, p, fmt.Errorf("support programme version %d: %w", v.Version, err)
	}
	return v, p, nil
}

// SupportStep returns the nightly step that sends the programme's
// messages; wire it with collect.Service.UseNightly.
func (s *Service) SupportStep() collect.NightlyStep { return supportStep{s} }

type supportStep struct{ s *Service }

func (st supportStep) Name() string { return "support_messages" }

func (st supportStep) RunNightly(ctx context.Context, asOf date.Date) (map[string]int, error) {
	return st.s.SendSupportMessages(ctx, asOf)
}

// SendSupportMessages queues, for every borrower enrolled in the support
// programme (flag and latest enrolment event), the message of the
// programme in force that falls due on asOf: enrolment date + day ≤ asOf,
// at most SupportCatchUpDays late (a run that was skipped), and not yet
// recorded for that enrolment. When several are due, the latest is sent
// and the earlier ones are recorded as skipped, so a borrower gets at most
// one a night. Messages go through the governor and the outbox in the
// borrower's language; a borrower without a mobile number is recorded as
// no_mobile. Running a date twice queues nothing the second time. It
// returns the counts by outcome (queued, held, blocked, skipped,
// no_mobile).
func (s *Service) SendSupportMessages(ctx context.Context, asOf date.Date) (map[string]int, error) {
	counts := map[string]int{}
	var prog SupportProgramme
	var ver sqlstore.SupportProgrammeVersion
	if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		ver, prog, err = supportProgramme(ctx, tx)
		return err
	}); err != nil {
		return nil, err
	}
	if len(prog.Messages) == 0 {
		return counts, nil
	}
	after := int64(0)
	for {
		var page []sqlstore.SupportEnrolment
		if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
			var err error
			page, err = tx.SupportEnrolments(ctx, FlagSupport, "support.enrolled", after, supportEnrolmentPage)
			return err
		}); err != nil {
			return nil, err
		}
		for _, en := range page {
			after = en.BorrowerID
			if err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
				return s.supportMessage(ctx, tx, en, asOf, prog, ver.Version, counts)
			}); err != nil {
				return nil, fmt.Errorf("support message of borrower %d: %w", en.BorrowerID, err)
			}
		}
		if len(page) < supportEnrolmentPage {
			return counts, nil
		}
	}
}

// supportMessage handles one enrolment (see SendSupportMessages).
func (s *Service) supportMessage(ctx context.Context, tx *sqlstore.Tx, en sqlstore.SupportEnrolment, asOf date.Date,
	prog SupportProgramme, version int, counts map[string]int) error {
	done, err := tx.SupportMessageDays(ctx, en.BorrowerID, en.EnrolledOn)
	if err != nil {
		return err
	}
	var due []SupportMessageTemplate
	for _, m := range prog.Messages {
		on := en.EnrolledOn.AddDays(m.Day)
		if !done[m.Day] && !on.After(asOf) && !on.Before(asOf.AddDays(-SupportCatchUpDays)) {
			due = append(due, m)
		}
	}
	if len(due) == 0 {
		return nil
	}
	record := func(m SupportMessageTemplate, status string, msgID int64) error {
		counts[status]++
		return tx.RecordSupportMessage(ctx, &sqlstore.SupportMessage{BorrowerID: en.BorrowerID, CaseID: en.CaseID,
			EnrolledOn: en.EnrolledOn, Day: m.Day, AsOf: asOf, Version: version, MessageID: msgID, Status: status})
	}
	last := due[len(due)-1] // the messages are sorted by day
	for _, m := range due[:len(due)-1] {
		if err := record(m, "skipped", 0); err != nil {
			return err
		}
	}
	b, err := tx.Borrower(ctx, en.BorrowerID)
	if err != nil {
		return err
	}
	to := ""
	for _, p := range b.Phones {
		if p.Kind == "mobile" || (p.Kind == "" && strings.HasPrefix(p.Number, "+861")) {
			to = p.Number
			break
		}
	}
	if to == "" {
		return record(last, "no_mobile", 0)
	}
	body := last.ZH
	if strings.HasPrefix(b.Language, "en") {
		body = last.EN
	}
	msg := outbox.Message{BorrowerID: en.BorrowerID, CaseID: en.CaseID, Channel: outbox.SMS, To: to, Lang: b.Language,
		Body: body, Purpose: compliance.PurposeReminder, By: "system",
		DedupKey: fmt.Sprintf("support:%d:%s:%d", en.BorrowerID, en.EnrolledOn, last.Day)}
	if _, err := s.collect.QueueMessage(ctx, tx, &msg); err != nil {
		return err
	}
	return record(last, string(msg.Status), msg.ID)
}
