package features

import (
	"fmt"

	"accord/internal/date"
	"accord/internal/money"
)

// The warning codes read from Signals (see DetectSignals).
const (
	WarnFailedDebit   = "failed_auto_debit" // an auto-debit failed and nothing was collected since
	WarnContactChange = "contact_changed"   // a registered phone number was removed or replaced
	WarnPlanLate      = "plan_payment_late" // a repayment plan instalment is unpaid days after its due date
)

// Windows of the signals read from Signals.
const (
	FailedDebitDays   = 10 // a failed auto-debit counts for 10 days
	ContactChangeDays = 30 // a phone change counts for 30 days
	PlanLateDays      = 3  // a plan instalment unpaid 3 days after its due date warns
)

// ChannelWithholding is the channel of an auto-debit (代扣), as
// ledger.ChannelWithholding.
const ChannelWithholding = "withholding"

// Signals are the facts early warnings read beside Facts: payment attempts
// the lender's payment system reported, changes of the registered phone
// numbers, and the instalments of the borrower's running plans. Each
// carries its date; DetectSignals reads nothing dated after its day.
type Signals struct {
	Attempts        []Attempt
	ContactChanges  []ContactChange
	PlanInstalments []PlanInstalment
}

// Attempt is a collection attempt: an auto-debit (channel withholding) or
// another channel's, failed or not.
type Attempt struct {
	On      date.Date
	Channel string
	Failed  bool
	Amount  money.Amount
	Reason  string
}

// ContactChange is a change of the registered phone numbers (Kind phone)
// or of an address (Kind address: a replaced address counts as removed and
// added) on a day.
type ContactChange struct {
	On             date.Date
	Kind           string
	Added, Removed int
}

// PlanInstalment is one instalment of a running repayment plan and the
// day it was paid in full (zero while not).
type PlanInstalment struct {
	Due    date.Date
	Amount money.Amount
	PaidOn date.Date
}

// DetectSignals returns the early warnings of s as of the end of day d:
// failed auto-debits and changed phone numbers on a current borrower of f
// (as Detect, a delinquent one is already a case), and late plan
// instalments on any borrower with a running plan (loans under a plan are
// replayed on their original schedule, so their DPD says nothing about the
// plan). It reads nothing dated after d.
func DetectSignals(f *Facts, s *Signals, d date.Date) []Warning {
	if s == nil {
		return nil
	}
	var out []Warning
	v := Compute(f, d)
	if v.Num[DPD] == 0 && v.Num[LoansOpen] > 0 {
		if w, ok := failedDebit(s.Attempts, d); ok {
			out = append(out, w)
		}
		if w, ok := contactChanged(s.ContactChanges, d); ok {
			out = append(out, w)
		}
	}
	if w, ok := planLate(s.PlanInstalments, d); ok {
		out = append(out, w)
	}
	return out
}

// failedDebit: an auto-debit failed in the last FailedDebitDays days and no
// attempt succeeded after it.
func failedDebit(as []Attempt, d date.Date) (Warning, bool) {
	var success date.Date // the last day an attempt succeeded, by d
	for _, a := range as {
		if !a.Failed && !a.On.After(d) && a.On.After(success) {
			success = a.On
		}
	}
	var last Attempt
	failures := 0
	for _, a := range as {
		if !a.Failed || a.Channel != ChannelWithholding || a.On.After(d) || d.Sub(a.On) >= FailedDebitDays || !a.On.After(success) {
			continue
		}
		failures++
		if !a.On.Before(last.On) {
			last = a
		}
	}
	if failures == 0 {
		return Warning{}, false
	}
	reason := last.Reason
	if reason == "" {
		reason = "—"
	}
	return Warning{Code: WarnFailedDebit,
		ZH:       fmt.Sprintf("近%d天代扣失败%d次，最近一次%s扣款%s元失败（%s）", FailedDebitDays, failures, last.On, last.Amount, reason),
		EN:       fmt.Sprintf("%d auto-debit(s) failed in %d days; the last, %s yuan on %s, failed (%s)", failures, FailedDebitDays, last.Amount, last.On, reason),
		Evidence: map[string]any{"failures": failures, "last_on": last.On.String(), "last_fen": int64(last.Amount), "reason": last.Reason}}, true
}

// contactChanged: a registered phone number or an address was removed or
// replaced in the last ContactChangeDays days (adding one alone is no
// warning).
func contactChanged(cs []ContactChange, d date.Date) (Warning, bool) {
	var last ContactChange
	phones, addresses := 0, 0
	for _, c := range cs {
		if c.On.After(d) || d.Sub(c.On) >= ContactChangeDays || c.Removed == 0 {
			continue
		}
		if c.Kind == "address" {
			addresses += c.Removed
		} else {
			phones += c.Removed
		}
		if !c.On.Before(last.On) {
			last = c
		}
	}
	if phones+addresses == 0 {
		return Warning{}, false
	}
	return Warning{Code: WarnContactChange,
		ZH:       fmt.Sprintf("近%d天联系方式变更：更换或删除手机号%d个、地址%d个（最近%s）", ContactChangeDays, phones, addresses, last.On),
		EN:       fmt.Sprintf("contact details changed in %d days: %d phone number(s) and %d address(es) replaced or removed (last on %s)", ContactChangeDays, phones, addresses, last.On),
		Evidence: map[string]any{"phones": phones, "addresses": addresses, "last_on": last.On.String()}}, true
}

// planLate: the oldest plan instalment not paid in full by d fell due at
// least PlanLateDays days before d.
func planLate(ins []PlanInstalment, d date.Date) (Warning, bool) {
	var oldest PlanInstalment
	for _, in := range ins {
		if in.Due.After(d) || (!in.PaidOn.IsZero() && !in.PaidOn.After(d)) {
			continue
		}
		if oldest.Due.IsZero() || in.Due.Before(oldest.Due) {
			oldest = in
		}
	}
	if oldest.Due.IsZero() || d.Sub(oldest.Due) < PlanLateDays {
		return Warning{}, false
	}
	late := d.Sub(oldest.Due)
	return Warning{Code: WarnPlanLate,
		ZH:       fmt.Sprintf("还款计划%s到期的%s元已逾期%d天未还清", oldest.Due, oldest.Amount, late),
		EN:       fmt.Sprintf("the plan instalment of %s yuan due %s is %d days late", oldest.Amount, oldest.Due, late),
		Evidence: map[string]any{"due": oldest.Due.String(), "amount_fen": int64(oldest.Amount), "days_late": late}}, true
}
