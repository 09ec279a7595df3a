package features

import (
	"fmt"
	"slices"

	"accord/internal/date"
	"accord/internal/money"
)

// Warning is an early-warning signal on a current borrower: a repayment
// habit that broke from the borrower's own baseline. It explains itself in
// Chinese and English, with the numbers it was read from.
type Warning struct {
	Code     string         `json:"code"`
	ZH       string         `json:"zh"`
	EN       string         `json:"en"`
	Evidence map[string]any `json:"evidence"`
}

// The warning codes.
const (
	WarnPaymentDrift     = "payment_day_drift"  // paying later in the month than the borrower's habit
	WarnShrinking        = "shrinking_payments" // paying less than the borrower's usual amount
	WarnChannelChange    = "channel_change"     // paying through a channel the borrower never uses
	WarnContactAvoidance = "contact_avoidance"  // calls stopped reaching a borrower who used to answer
)

// baselineMin is how many past payments a habit needs before a break from
// it counts: fewer is no habit.
const baselineMin = 3

// paid is one payment with how late it was (negative: early) against the
// installment it most likely paid (see installmentPaid).
type paid struct {
	on      date.Date
	late    int
	amount  money.Amount
	channel string
}

// Detect returns the early warnings of f as of the end of day d. Only a
// current borrower (no DPD, an open loan) gets warnings; a delinquent one
// is already a case. Each signal compares the borrower's latest behaviour
// with their own history before it (median and median absolute deviation,
// robust to a single odd month), and reads nothing dated after d.
func Detect(f *Facts, d date.Date) []Warning {
	v := Compute(f, d)
	if v.Num[DPD] > 0 || v.Num[LoansOpen] == 0 {
		return nil
	}
	pays := paymentsOf(f, d)
	var out []Warning
	if w, ok := paymentDrift(pays); ok {
		out = append(out, w)
	}
	if w, ok := shrinking(pays); ok {
		out = append(out, w)
	}
	if w, ok := channelChange(pays); ok {
		out = append(out, w)
	}
	if w, ok := contactAvoidance(f, d); ok {
		out = append(out, w)
	}
	return out
}

// paymentsOf returns the payments known on d, oldest first, with their
// lateness.
func paymentsOf(f *Facts, d date.Date) []paid {
	var out []paid
	for _, l := range f.loansAsOf(d) {
		for _, p := range paymentsAsOf(l, d) {
			if p.Reversed || p.Amount <= 0 {
				continue
			}
			due := installmentPaid(l, p.PaidOn)
			if due == 0 {
				continue // paid long before anything fell due
			}
			out = append(out, paid{on: p.PaidOn, late: p.PaidOn.Sub(due), amount: p.Amount, channel: p.Channel})
		}
	}
	slices.SortStableFunc(out, func(a, b paid) int { return int(a.on - b.on) })
	return out
}

// installmentPaid returns the due date a payment on day on most likely
// paid: the next one when it is at most 10 days ahead (borrowers pay a few
// days early), else the last one before (a late payment); zero when none.
func installmentPaid(l Loan, on date.Date) date.Date {
	var before date.Date
	for _, in := range l.Schedule {
		if !in.DueDate.Before(on) {
			if in.DueDate.Sub(on) <= 10 {
				return in.DueDate
			}
			break
		}
		before = in.DueDate
	}
	return before
}

// medianMAD returns the median and the median absolute deviation of xs.
func medianMAD(xs []float64) (float64, float64) {
	s := slices.Clone(xs)
	slices.Sort(s)
	med := mid(s)
	dev := make([]float64, len(s))
	for i, x := range s {
		dev[i] = abs(x - med)
	}
	slices.Sort(dev)
	return med, mid(dev)
}

func mid(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// paymentDrift: the last two payments came later after their due dates
// than the borrower's habit by more than 3 days and 3 deviations.
func paymentDrift(pays []paid) (Warning, bool) {
	if len(pays) < baselineMin+2 {
		return Warning{}, false
	}
	base, recent := pays[:len(pays)-2], pays[len(pays)-2:]
	xs := make([]float64, len(base))
	for i, p := range base {
		xs[i] = float64(p.late)
	}
	med, mad := medianMAD(xs)
	limit := med + max(3, 3*mad)
	r := float64(recent[0].late+recent[1].late) / 2
	if r <= limit {
		return Warning{}, false
	}
	return Warning{Code: WarnPaymentDrift,
		ZH:       fmt.Sprintf("近两次还款平均在到期后%.0f天，习惯为%.0f天", r, med),
		EN:       fmt.Sprintf("the last two payments came %.0f days after the due date on average; the habit is %.0f", r, med),
		Evidence: map[string]any{"recent_days_late": r, "usual_days_late": med, "deviation": mad}}, true
}

// shrinking: the last payment is under 80% of the borrower's usual one.
func shrinking(pays []paid) (Warning, bool) {
	if len(pays) < baselineMin+1 {
		return Warning{}, false
	}
	base, last := pays[:len(pays)-1], pays[len(pays)-1]
	xs := make([]float64, len(base))
	for i, p := range base {
		xs[i] = float64(p.amount)
	}
	med, _ := medianMAD(xs)
	if float64(last.amount) >= 0.8*med {
		return Warning{}, false
	}
	return Warning{Code: WarnShrinking,
		ZH:       fmt.Sprintf("最近一次还款%s元，通常为%s元", last.amount, money.Amount(med)),
		EN:       fmt.Sprintf("the last payment was %s yuan; usually %s", last.amount, money.Amount(med)),
		Evidence: map[string]any{"last_fen": int64(last.amount), "usual_fen": int64(med)}}, true
}

// channelChange: the last payment came through a channel the borrower
// has not used before, when one channel carried at least 3 in 4 payments.
func channelChange(pays []paid) (Warning, bool) {
	if len(pays) < baselineMin+1 {
		return Warning{}, false
	}
	base, last := pays[:len(pays)-1], pays[len(pays)-1]
	count := map[string]int{}
	top, n := "", 0
	for _, p := range base {
		count[p.channel]++
		if count[p.channel] > n {
			top, n = p.channel, count[p.channel]
		}
	}
	if last.channel == "" || count[last.channel] > 0 || 4*n < 3*len(base) {
		return Warning{}, false
	}
	return Warning{Code: WarnChannelChange,
		ZH:       fmt.Sprintf("还款渠道由%s变为%s", top, last.channel),
		EN:       fmt.Sprintf("paid through %s instead of the usual %s", last.channel, top),
		Evidence: map[string]any{"usual": top, "last": last.channel}}, true
}

// contactAvoidance: at least 3 calls in the last 30 days and none reached
// the borrower, who answered at least half the calls of the 90 days before.
func contactAvoidance(f *Facts, d date.Date) (Warning, bool) {
	var recent, recentRPC, before, beforeRPC int
	for _, c := range f.Contacts {
		if c.Channel != "call" || c.On.After(d) {
			continue
		}
		switch age := d.Sub(c.On); {
		case age < 30:
			recent++
			if c.RightParty() {
				recentRPC++
			}
		case age < 120:
			before++
			if c.RightParty() {
				beforeRPC++
			}
		}
	}
	if recent < 3 || recentRPC > 0 || before < 2 || 2*beforeRPC < before {
		return Warning{}, false
	}
	return Warning{Code: WarnContactAvoidance,
		ZH:       fmt.Sprintf("近30天%d次来电均未接通本人，此前接通率%d/%d", recent, beforeRPC, before),
		EN:       fmt.Sprintf("none of %d calls in 30 days reached the borrower, who answered %d of %d before", recent, beforeRPC, before),
		Evidence: map[string]any{"calls_30": recent, "rpc_before": beforeRPC, "calls_before": before}}, true
}
