package collect

import (
	"context"
	"fmt"
	"strconv"

	"accord/internal/audit"
	"accord/internal/classify"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// This file connects the contact log to the case a contact belongs to: the
// case's counts and its timeline.

// caseBorrower fills in *borrowerID from case caseID when it is 0, and
// otherwise returns an Invalid error unless the case (when set) is the
// borrower's. A contact made from the case page names only the case.
func caseBorrower(ctx context.Context, tx *sqlstore.Tx, borrowerID *int64, caseID int64) error {
	if caseID == 0 {
		return nil
	}
	owner, err := tx.BorrowerOfCase(ctx, caseID)
	if errs.CodeOf(err) == errs.NotFound && *borrowerID == 0 {
		return err
	}
	if errs.CodeOf(err) == errs.NotFound || (err == nil && *borrowerID != 0 && owner != *borrowerID) {
		return errs.Field("case_id", "case %d is not a case of borrower %d", caseID, *borrowerID)
	}
	if err == nil {
		*borrowerID = owner
	}
	return err
}

// recordCaseContact counts contact a on its case and adds it to the case's
// timeline.
func (s *Service) recordCaseContact(ctx context.Context, tx *sqlstore.Tx, by Actor, a *sqlstore.ContactAttempt) error {
	if a.CaseID == 0 || a.Direction == "inbound" {
		return nil
	}
	on := date.FromTime(a.StartedAt.In(s.zone))
	if err := tx.RecordCaseContact(ctx, a.CaseID, sqlstore.CaseContactUpdate{At: a.StartedAt, On: on,
		Connected: a.Outcome == compliance.Connected}); err != nil {
		return err
	}
	outcome, outcomeText := string(a.Outcome), outcomeZH(a.Outcome)
	if outcome == "" {
		outcome, outcomeText = "logged", "已记录"
	}
	_, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{{CaseID: a.CaseID, BorrowerID: a.BorrowerID, On: on, At: a.StartedAt,
		Kind: sqlstore.EventContact, Code: outcome, Actor: by.User.Username,
		ZH:       fmt.Sprintf("%s联系（%s）：%s", channelZH[a.Channel], a.AddressMasked, outcomeText),
		EN:       fmt.Sprintf("%s contact (%s): %s", a.Channel, a.AddressMasked, outcome),
		Data:     audit.Summarize(map[string]any{"attempt_id": a.ID, "results": a.Results, "decision": a.Action}),
		DedupKey: "contact:" + strconv.FormatInt(a.ID, 10)}})
	return err
}

// routeCaseEvent records on the case that the governor routed it (a
// vulnerable borrower to the specialist queue).
func (s *Service) routeCaseEvent(ctx context.Context, tx *sqlstore.Tx, by Actor, a *sqlstore.ContactAttempt) error {
	if a.CaseID == 0 {
		return nil
	}
	on := date.FromTime(a.StartedAt.In(s.zone))
	_, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{{CaseID: a.CaseID, BorrowerID: a.BorrowerID, On: on, At: a.StartedAt,
		Kind: "route", Code: a.Route, Actor: by.User.Username,
		ZH:       "合规规则要求转专门队列处理（弱势借款人），不纳入自动化催收",
		EN:       "The contact rules route this case to the specialist queue (vulnerable borrower), out of automated campaigns",
		Data:     audit.Summarize(map[string]any{"attempt_id": a.ID, "rules": a.Rules}),
		DedupKey: "route:" + a.Route + ":" + strconv.FormatInt(a.CaseID, 10) + ":" + on.String()}})
	return err
}

var channelZH = map[compliance.Channel]string{compliance.Call: "电话", compliance.SMS: "短信", compliance.Email: "邮件",
	compliance.Letter: "信函", compliance.Visit: "外访", compliance.IM: "即时通讯", compliance.Bot: "机器人",
	compliance.Group: "群组", compliance.PublicPost: "公开", compliance.Placement: "委外"}

// outcomeZH names a contact's outcome in Chinese for the case timeline
// (the Chinese console shows no codes).
func outcomeZH(o compliance.Outcome) string {
	if t, ok := outcomeTextZH[o]; ok {
		return t
	}
	return string(o)
}

var outcomeTextZH = map[compliance.Outcome]string{compliance.Connected: "接通", compliance.NoAnswer: "无人接听",
	compliance.Busy: "占线", compliance.Voicemail: "语音信箱", compliance.LimitedContentMessage: "有限内容留言",
	compliance.Refused: "拒接/挂断", compliance.InvalidNumber: "空号/错号"}

var hardshipZH = map[string]string{classify.HardshipJobLoss: "失业", classify.HardshipIllness: "疾病", classify.HardshipOther: "其他困难"}
