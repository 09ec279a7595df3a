package fieldwork

import (
	"context"
	"fmt"
	"strings"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/calendar"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// ErrNoPhone is returned when the borrower has no number to send the
// notice to.
var ErrNoPhone = errs.Errorf(errs.Conflict, "The borrower has no phone number to send the visit notice to.")

// SendNotice tells the borrower of approved visit id by SMS, through the
// governor and the outbox, naming the day on and the window the visit will
// start in: the allowed hours (the borrower's stated time when recorded),
// starting no earlier than the notice period (24 hours by default) after
// the message goes out (a message the governor holds until its window
// counts from then). The visit becomes noticed. A notice the governor
// refuses is recorded in the contact log and returned as a *RefusedError;
// the visit stays approved. It returns Forbidden unless by holds
// visit:approve, NotFound, Conflict (not approved, no time that day, a
// holiday, no phone), or Invalid for a day in the past. With the policy's
// notice off it returns Conflict: plan the visit directly.
func (s *Service) SendNotice(ctx context.Context, by collect.Actor, id int64, on date.Date) (sqlstore.Visit, error) {
	if err := may(by, auth.PermVisitApprove, "send visit notices"); err != nil {
		return sqlstore.Visit{}, err
	}
	if on == 0 || on.Before(s.Today()) {
		return sqlstore.Visit{}, errs.Field("date", "give a day from today on")
	}
	p, err := s.Policy(ctx)
	if err != nil {
		return sqlstore.Visit{}, err
	}
	if need, _ := p.NoticeRequired(); !need {
		return sqlstore.Visit{}, errs.Errorf(errs.Conflict, "The policy requires no advance notice of visits.")
	}
	cal, _, err := s.collect.HolidayCalendar(ctx)
	if err != nil {
		return sqlstore.Visit{}, err
	}
	var v sqlstore.Visit
	var refusal *RefusedError
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if v, err = s.reachVisit(ctx, tx, by, id); err != nil {
			return err
		}
		refusal, err = s.notice(ctx, tx, by, &v, on, cal, p)
		return err
	})
	if err != nil {
		return sqlstore.Visit{}, fmt.Errorf("notice of visit %d: %w", id, err)
	}
	if refusal != nil {
		return v, refusal
	}
	return v, nil
}

// notice queues the notice of v for day on in tx and records it on v; a
// refusal is returned (recorded, the transaction still to commit).
func (s *Service) notice(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, v *sqlstore.Visit, on date.Date,
	cal *calendar.Calendar, p visit.Policy) (*RefusedError, error) {
	if v.State != string(visit.Approved) {
		return nil, errs.Errorf(errs.Conflict, "Visit %d is %s: only an approved visit is noticed.", v.ID, v.State)
	}
	now := s.now().UTC()
	req := s.slotRequest(*v)
	req.NoticeSent = now
	slot, err := visit.Schedule(on, req, cal, p)
	if err != nil {
		return nil, err
	}
	b, err := tx.Borrower(ctx, v.BorrowerID)
	if err != nil {
		return nil, err
	}
	phone := mobile(b)
	if phone == "" {
		return nil, ErrNoPhone
	}
	m := outbox.Message{BorrowerID: v.BorrowerID, CaseID: v.CaseID, Channel: outbox.SMS, To: phone, Lang: lang(b),
		Body: noticeBody(lang(b), slot), Purpose: compliance.PurposeCollection, By: "lender", UserID: by.User.ID,
		DedupKey: fmt.Sprintf("visit-notice:%d:%s:%d", v.ID, on, now.Unix())}
	if _, err := s.collect.QueueMessage(ctx, tx, &m); err != nil {
		return nil, err
	}
	if m.Status == outbox.Blocked {
		return refused(m.Decision), s.audit(ctx, tx, by, "visit.notice_refused", *v, map[string]any{"message_id": m.ID,
			"rules": m.Decision.Rules})
	}
	sent := now
	if m.Status == outbox.Held && m.NotBefore.After(sent) { // held until the borrower's window: the notice counts from then
		sent = m.NotBefore.UTC()
		req.NoticeSent = sent
		if slot, err = visit.Schedule(on, req, cal, p); err != nil {
			return nil, errs.Errorf(errs.Conflict, "The governor holds the notice until %s (%s), too late for a visit on %s.",
				sent.In(s.location(*v)).Format("2006-01-02 15:04"), m.Decision.Reasons.EN, on)
		}
	}
	d := domain(*v)
	if err := d.Notice(sent, p); err != nil {
		return nil, err
	}
	apply(v, d)
	v.NoticeMessageID, v.NoticeFor = m.ID, noticeText(slot)
	if err := tx.UpdateVisit(ctx, v); err != nil {
		return nil, err
	}
	return nil, s.audit(ctx, tx, by, "visit.notice", *v, map[string]any{"message_id": m.ID, "notice_for": v.NoticeFor,
		"sent_at": sent})
}

// mobile returns the borrower's first mobile number, else any number.
func mobile(b borrower.Borrower) string {
	for _, ph := range b.Phones {
		if ph.Kind == "mobile" {
			return ph.Number
		}
	}
	if len(b.Phones) > 0 {
		return b.Phones[0].Number
	}
	return ""
}

func lang(b borrower.Borrower) string {
	if strings.HasPrefix(b.Language, "en") {
		return "en"
	}
	return "zh-CN"
}

// noticeBody is the notice's text: the day and window, nothing of the
// debt (anyone may read a phone's messages), and how to ask for another
// time.
func noticeBody(lang string, s visit.Slot) string {
	y, m, d := s.Date.Parts()
	if lang == "en" {
		return fmt.Sprintf("Our staff plan to visit you on %s between %s and %s. If this time does not suit you, please call our customer service line to arrange another.",
			s.Date, hhmm(s.From), hhmm(s.Until))
	}
	return fmt.Sprintf("您好，我司工作人员（两人，全程录音录像）拟于%d年%d月%d日%s至%s之间上门拜访。如时间不便，请致电我司客服另约时间。",
		y, int(m), d, hhmm(s.From), hhmm(s.Until))
}
