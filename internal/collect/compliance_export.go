package collect

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"accord/internal/csvsafe"
	"accord/internal/errs"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// exportColumns are the columns of the regulator export, headed in Chinese
// and English.
var exportColumns = []string{
	"记录编号 id", "开始时间 started_at", "结束时间 ended_at", "借款人 borrower_id", "案件 case_id", "借款 loan_id",
	"渠道 channel", "方向 direction", "对象 party", "关系 relationship", "号码或地址 address (masked)",
	"机构 by", "委外机构 agency_id", "团队 team_id", "催收员 collector", "自动 automated", "目的 purpose",
	"已执行 performed", "结果 outcome", "后续 results", "决定 decision", "规则 rules", "原因 reasons_zh",
	"reasons_en", "分流 route", "审批 approval_id", "录音 recording_ref", "消息 message_id", "内容 content",
	"备注 notes", "保存至 retain_until",
}

func (s *Service) exportRow(a sqlstore.ContactAttempt) []string {
	t := func(v time.Time) string {
		if v.IsZero() {
			return ""
		}
		return v.In(s.zone).Format("2006-01-02 15:04:05")
	}
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	return []string{id(a.ID), t(a.StartedAt), t(a.EndedAt), id(a.BorrowerID), id(a.CaseID), id(a.LoanID),
		string(a.Channel), a.Direction, string(a.Party), a.Relationship, a.AddressMasked, a.By, id(a.AgencyID),
		id(a.TeamID), a.Username, strconv.FormatBool(a.Automated), a.Purpose, strconv.FormatBool(a.Performed),
		string(a.Outcome), strings.Join(a.Results, ";"), string(a.Action), strings.Join(a.Rules, ";"),
		// Free text is masked like the panel, also in rows stored before
		// notes were masked on the way in.
		pii.MaskFreeText(a.Decision.Reasons.ZH), pii.MaskFreeText(a.Decision.Reasons.EN), a.Route, id(a.ApprovalID), a.RecordingRef,
		id(a.MessageID), pii.MaskFreeText(a.Content), pii.MaskFreeText(a.Notes), t(a.RetainUntil)}
}

// ExportContacts writes every contact log entry started in [from, to) with
// its decision and rules, oldest first, for a regulator: format "csv"
// (UTF-8 with a byte-order mark, so that Excel reads the Chinese) or
// "xlsx". Addresses are masked; times are in the lender's zone. The export
// is audited. It returns Forbidden unless by holds compliance:read and
// Invalid for another format or an empty period.
func (s *Service) ExportContacts(ctx context.Context, by Actor, from, to time.Time, format string, w io.Writer) error {
	if err := mayReadCompliance(by); err != nil {
		return err
	}
	if !from.Before(to) {
		return errs.Field("to", "must be after from")
	}
	var write func(func(func([]string) error) error) error
	switch format {
	case "csv":
		write = func(each func(func([]string) error) error) error { return writeCSV(w, each) }
	case "xlsx":
		write = func(each func(func([]string) error) error) error { return writeXLSX(w, each) }
	default:
		return errs.Field("format", "%q is not csv or xlsx", format)
	}
	if err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.AppendAudit(ctx, s.event(by, "compliance.export", "contact_attempts", "",
			map[string]any{"from": from, "to": to, "format": format}))
	}); err != nil {
		return fmt.Errorf("export contacts: %w", err)
	}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		return write(func(emit func([]string) error) error {
			if err := emit(exportColumns); err != nil {
				return err
			}
			f := sqlstore.ContactAttemptFilter{From: &from, To: &to, Masked: true}
			return tx.EachContactAttempt(ctx, f, func(a sqlstore.ContactAttempt) error { return emit(s.exportRow(a)) })
		})
	})
	if err != nil {
		return fmt.Errorf("export contacts: %w", err)
	}
	return nil
}

func writeCSV(w io.Writer, each func(func([]string) error) error) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csvsafe.NewWriter(w) // contents and notes are user text: no formulas
	if err := each(cw.Write); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// writeXLSX streams the rows into one sheet, so that a year of contacts
// does not sit in memory as cells. Every cell is written as a string cell,
// never as a formula, whatever it starts with.
func writeXLSX(w io.Writer, each func(func([]string) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	row := 0
	err = each(func(cells []string) error {
		row++
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		name, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return sw.SetRow(name, vals)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := f.SetSheetName(sheet, "contacts"); err != nil {
		return err
	}
	return f.Write(w)
}
