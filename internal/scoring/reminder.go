package scoring

import (
	"context"
	"fmt"
	"strings"

	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// Pre-delinquency reminders (逾期前提醒): a current borrower — a loan
// active, none past due, no open case — has no case for a strategy to act
// on, so an early warning on them would reach nobody. The nightly step
// ReminderStep sends such a borrower, on the night a warning is stored, one
// polite SMS about the next due date, at most once every so many days
// (the lender's policy, DefaultReminderEvery unless configured). The
// message goes through the contact governor and the outbox
// (collect.QueueMessage) like any automated message: content screening,
// quiet hours and frequency limits hold or block it, and a stop-contact or
// vulnerability flag blocks it. The warning codes are the
// message's template reference, so the contact log shows why it was sent.
// Each borrower's night is recorded once (pre_delinquency_reminders), which
// makes the step idempotent per date.

// DefaultReminderEvery is how many days apart a borrower's pre-delinquency
// reminders are at least when the lender sets no interval.
const DefaultReminderEvery = 14

// ReminderTemplate is the reference of the reminder's text in the outbox
// and, followed by ":" and the warning codes, in the contact log's notes.
const ReminderTemplate = "pre_delinquency"

// ReminderStep returns the nightly step that sends pre-delinquency
// reminders at least every days apart to a borrower (the lender's policy;
// DefaultReminderEvery unless configured; 0 or less turns them off). Wire
// it with collect.Service.UseNightly after the Service's own step, which
// stores the night's warnings.
func (s *Service) ReminderStep(every int) collect.NightlyStep { return reminderStep{s, every} }

type reminderStep struct {
	s     *Service
	every int
}

func (st reminderStep) Name() string { return "pre_delinquency_reminders" }

func (st reminderStep) RunNightly(ctx context.Context, asOf date.Date) (map[string]int, error) {
	return st.s.SendPreReminders(ctx, asOf, st.every)
}

// SendPreReminders queues a pre-delinquency reminder for every current
// borrower warned on asOf who was not sent one (queued or held) in the
// last every days, and records each borrower's night (every 0 or less:
// nothing). Running a
// date twice queues nothing the second time. It returns the counts by
// outcome: queued, held, blocked, no_mobile, too_soon, and candidates.
func (s *Service) SendPreReminders(ctx context.Context, asOf date.Date, every int) (map[string]int, error) {
	counts := map[string]int{}
	if every <= 0 {
		return counts, nil
	}
	var list []sqlstore.PreReminderCandidate
	if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		list, err = tx.PreReminderCandidates(ctx, asOf)
		return err
	}); err != nil {
		return nil, err
	}
	counts["candidates"] = len(list)
	for _, c := range list {
		if err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error { return s.preReminder(ctx, tx, c, asOf, every, counts) }); err != nil {
			return counts, fmt.Errorf("pre-delinquency reminder of borrower %d: %w", c.BorrowerID, err)
		}
	}
	return counts, nil
}

// preReminder handles one candidate (see SendPreReminders).
func (s *Service) preReminder(ctx context.Context, tx *sqlstore.Tx, c sqlstore.PreReminderCandidate, asOf date.Date,
	every int, counts map[string]int) error {
	done, err := tx.PreReminderRecorded(ctx, c.BorrowerID, asOf)
	if err != nil || done {
		return err
	}
	last, err := tx.LastPreReminder(ctx, c.BorrowerID, asOf)
	if err != nil {
		return err
	}
	if !last.IsZero() && asOf.Before(last.AddDays(every)) {
		counts["too_soon"]++
		return nil
	}
	codes := strings.Join(c.Codes, ",")
	record := func(status string, msgID int64) error {
		counts[status]++
		return tx.RecordPreReminder(ctx, &sqlstore.PreReminder{BorrowerID: c.BorrowerID, AsOf: asOf, Codes: codes,
			MessageID: msgID, Status: status})
	}
	b, err := tx.Borrower(ctx, c.BorrowerID)
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
		return record("no_mobile", 0)
	}
	msg := outbox.Message{BorrowerID: c.BorrowerID, Channel: outbox.SMS, To: to, Lang: b.Language,
		Body: ReminderText(b.Language, c.NextDue), Purpose: compliance.PurposeReminder, By: "system",
		TemplateID: ReminderTemplate + ":" + codes, DedupKey: fmt.Sprintf("%s:%d:%s", ReminderTemplate, c.BorrowerID, asOf)}
	if _, err := s.collect.QueueMessage(ctx, tx, &msg); err != nil {
		return err
	}
	return record(string(msg.Status), msg.ID)
}

// ReminderText is the reminder's SMS in the borrower's language (Chinese
// unless it starts with "en"), naming the next due date when known. It is
// polite on purpose: the borrower owes nothing overdue.
func ReminderText(lang string, nextDue date.Date) string {
	en := strings.HasPrefix(lang, "en")
	switch {
	case en && !nextDue.IsZero():
		return fmt.Sprintf("Hello, a friendly reminder: your next loan instalment is due on %s. "+
			"Please make sure your repayment account has enough funds. If paying is difficult, contact us and we will look for a way together.", nextDue)
	case en:
		return "Hello, a friendly reminder: please make sure your repayment account has enough funds for your next instalment. " +
			"If paying is difficult, contact us and we will look for a way together."
	case !nextDue.IsZero():
		y, m, d := nextDue.Parts()
		return fmt.Sprintf("您好，温馨提示：您的下一期还款日为%d年%d月%d日，请确保还款账户余额充足。如有困难，欢迎随时联系我们，一起商量解决办法。", y, m, d)
	default:
		return "您好，温馨提示：请确保还款账户余额充足，以便下一期按时还款。如有困难，欢迎随时联系我们，一起商量解决办法。"
	}
}
