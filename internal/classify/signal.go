package classify

import (
	"fmt"

	"accord/internal/date"
)

// The signal names used in Reasons.
const (
	SignalOnTime              = "on_time_ratio"
	SignalPaidWhileDelinquent = "paid_while_delinquent"
	SignalPromises            = "promises"
	SignalConnectRate         = "connect_rate"
	SignalStaleContact        = "days_since_connected"
	SignalDTI                 = "installment_to_income"
	SignalHardship            = "hardship"
)

func (m SegmentModel) onTime(s Signals) Reason {
	r := Reason{Axis: AxisWillingness, Signal: SignalOnTime}
	if s.InstallmentsDue <= 0 {
		r.Value = "0/0"
		r.ZH, r.EN = "尚无到期还款记录，不计分", "No installments due yet; not scored"
		return r
	}
	on, due := int64(s.InstallmentsOnTime), int64(s.InstallmentsDue)
	p := roundPct(on, due)
	r.Value = fmt.Sprintf("%d/%d (%d%%)", on, due, p)
	switch {
	case atLeastPct(on, due, m.OnTimeGoodPct):
		r.Points = m.OnTimeGoodPoints
		r.ZH = fmt.Sprintf("近%d期按时还款%d期（%d%%），不低于%d%%，记录良好", due, on, p, m.OnTimeGoodPct)
		r.EN = fmt.Sprintf("Paid %d of the last %d installments on time (%d%%), at least %d%%: good record", on, due, p, m.OnTimeGoodPct)
	case !atLeastPct(on, due, m.OnTimePoorPct):
		r.Points = m.OnTimePoorPoints
		r.ZH = fmt.Sprintf("近%d期按时还款%d期（%d%%），低于%d%%", due, on, p, m.OnTimePoorPct)
		r.EN = fmt.Sprintf("Paid %d of the last %d installments on time (%d%%), below %d%%", on, due, p, m.OnTimePoorPct)
	default:
		r.ZH = fmt.Sprintf("近%d期按时还款%d期（%d%%），一般", due, on, p)
		r.EN = fmt.Sprintf("Paid %d of the last %d installments on time (%d%%): average", on, due, p)
	}
	return r
}

func (m SegmentModel) paidWhileDelinquent(s Signals) Reason {
	r := Reason{Axis: AxisWillingness, Signal: SignalPaidWhileDelinquent, Value: fmt.Sprint(s.PaymentsWhileDelinquent)}
	if s.PaymentsWhileDelinquent > 0 {
		r.Points = m.PaidWhileDelinquentPoints
		r.ZH = fmt.Sprintf("逾期期间仍有%d笔还款", s.PaymentsWhileDelinquent)
		r.EN = fmt.Sprintf("Made %d payment(s) while delinquent", s.PaymentsWhileDelinquent)
		return r
	}
	r.ZH, r.EN = "逾期后尚无还款", "No payment since falling behind"
	return r
}

func (m SegmentModel) promises(s Signals) Reason {
	kept, broken := min(s.PromisesKept, m.PromiseCap), min(s.PromisesBroken, m.PromiseCap)
	r := Reason{Axis: AxisWillingness, Signal: SignalPromises,
		Value:  fmt.Sprintf("kept %d, broken %d", s.PromisesKept, s.PromisesBroken),
		Points: kept*m.PromiseKeptPoints + broken*m.PromiseBrokenPoints}
	if s.PromisesKept == 0 && s.PromisesBroken == 0 {
		r.ZH, r.EN = "无承诺还款记录", "No promises to pay on record"
		return r
	}
	r.ZH = fmt.Sprintf("承诺还款兑现%d次、违约%d次（各计入至多%d次）", s.PromisesKept, s.PromisesBroken, m.PromiseCap)
	r.EN = fmt.Sprintf("Kept %d and broke %d promise(s) to pay (at most %d counted each way)", s.PromisesKept, s.PromisesBroken, m.PromiseCap)
	return r
}

func (m SegmentModel) connectRate(s Signals) Reason {
	r := Reason{Axis: AxisWillingness, Signal: SignalConnectRate, Value: fmt.Sprintf("%d/%d", s.Connected, s.Attempts)}
	if s.Attempts < m.MinAttempts || s.Attempts == 0 {
		r.ZH = fmt.Sprintf("联系尝试%d次，少于%d次，不计分", s.Attempts, m.MinAttempts)
		r.EN = fmt.Sprintf("%d contact attempt(s), fewer than %d; not scored", s.Attempts, m.MinAttempts)
		return r
	}
	c, n := int64(s.Connected), int64(s.Attempts)
	p := roundPct(c, n)
	r.Value = fmt.Sprintf("%d/%d (%d%%)", c, n, p)
	switch {
	case atLeastPct(c, n, m.ConnectGoodPct):
		r.Points = m.ConnectGoodPoints
		r.ZH = fmt.Sprintf("联系%d次接通%d次（%d%%），配合沟通", n, c, p)
		r.EN = fmt.Sprintf("Answered %d of %d contact attempts (%d%%): responsive", c, n, p)
	case !atLeastPct(c, n, m.ConnectPoorPct):
		r.Points = m.ConnectPoorPoints
		r.ZH = fmt.Sprintf("联系%d次仅接通%d次（%d%%），低于%d%%", n, c, p, m.ConnectPoorPct)
		r.EN = fmt.Sprintf("Answered only %d of %d contact attempts (%d%%), below %d%%", c, n, p, m.ConnectPoorPct)
	default:
		r.ZH = fmt.Sprintf("联系%d次接通%d次（%d%%）", n, c, p)
		r.EN = fmt.Sprintf("Answered %d of %d contact attempts (%d%%)", c, n, p)
	}
	return r
}

func (m SegmentModel) staleContact(s Signals, asOf date.Date) Reason {
	r := Reason{Axis: AxisWillingness, Signal: SignalStaleContact}
	if s.LastConnected.IsZero() {
		r.Value = "never"
		if s.Attempts >= m.MinAttempts && s.Attempts > 0 {
			r.Points = m.StaleContactPoints
			r.ZH = fmt.Sprintf("尝试联系%d次，从未接通", s.Attempts)
			r.EN = fmt.Sprintf("Never reached in %d attempts", s.Attempts)
			return r
		}
		r.ZH, r.EN = "尚未接通过，联系尝试不足，不计分", "Not reached yet, too few attempts to score"
		return r
	}
	days := asOf.Sub(s.LastConnected)
	r.Value = fmt.Sprint(days)
	if days > m.StaleContactDays {
		r.Points = m.StaleContactPoints
		r.ZH = fmt.Sprintf("已%d天未接通，超过%d天", days, m.StaleContactDays)
		r.EN = fmt.Sprintf("Last reached %d days ago, more than %d", days, m.StaleContactDays)
		return r
	}
	r.ZH = fmt.Sprintf("%d天前接通过", days)
	r.EN = fmt.Sprintf("Last reached %d days ago", days)
	return r
}

func (m SegmentModel) dti(s Signals) Reason {
	r := Reason{Axis: AxisAbility, Signal: SignalDTI}
	if s.MonthlyIncome <= 0 {
		r.Value = "unknown"
		r.ZH, r.EN = "未申报收入，不计分", "Income not declared; not scored"
		return r
	}
	due, inc := int64(s.MonthlyDue), int64(s.MonthlyIncome)
	p := roundPct(due, inc)
	dueG, incG := s.MonthlyDue.Grouped(), s.MonthlyIncome.Grouped() // as the console shows amounts
	r.Value = fmt.Sprintf("%s/%s (%d%%)", dueG, incG, p)
	switch {
	case due*100 <= int64(m.DTIGoodPct)*inc:
		r.Points = m.DTIGoodPoints
		r.ZH = fmt.Sprintf("月供%s元占月收入%s元的%d%%，不超过%d%%", dueG, incG, p, m.DTIGoodPct)
		r.EN = fmt.Sprintf("Monthly due %s is %d%% of income %s, at most %d%%", dueG, p, incG, m.DTIGoodPct)
	case due*100 > int64(m.DTIPoorPct)*inc:
		r.Points = m.DTIPoorPoints
		r.ZH = fmt.Sprintf("月供%s元占月收入%s元的%d%%，超过%d%%", dueG, incG, p, m.DTIPoorPct)
		r.EN = fmt.Sprintf("Monthly due %s is %d%% of income %s, above %d%%", dueG, p, incG, m.DTIPoorPct)
	default:
		r.ZH = fmt.Sprintf("月供%s元占月收入%s元的%d%%", dueG, incG, p)
		r.EN = fmt.Sprintf("Monthly due %s is %d%% of income %s", dueG, p, incG)
	}
	return r
}

var hardshipText = map[string][2]string{
	HardshipJobLoss: {"失业", "job loss"},
	HardshipIllness: {"疾病", "illness"},
	HardshipOther:   {"其他困难", "other hardship"},
}

func (m SegmentModel) hardship(s Signals) Reason {
	r := Reason{Axis: AxisAbility, Signal: SignalHardship, Value: s.Hardship}
	if s.Hardship == "" {
		r.Value = "none"
		r.ZH, r.EN = "未申报困难", "No hardship declared"
		return r
	}
	t, ok := hardshipText[s.Hardship]
	if !ok {
		t = [2]string{s.Hardship, s.Hardship}
	}
	r.Points = m.HardshipPoints
	r.ZH = "借款人申报困难：" + t[0]
	r.EN = "Borrower declared hardship: " + t[1]
	return r
}
