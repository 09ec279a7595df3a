package plan

import "accord/internal/date"

// GoodPayer reports whether the borrower is paying the plan well as of the
// state's date: the plan is active or completed, at least one instalment is
// paid, every instalment past its due date was paid on time, and no early
// warning was raised.
func (st State) GoodPayer() bool {
	if st.Status != Active && st.Status != Completed {
		return false
	}
	if st.OnTimeRun == 0 || len(st.Signals) > 0 {
		return false
	}
	for _, s := range st.Instalments {
		if s.Due.Before(st.AsOf) && !s.OnTime {
			return false
		}
	}
	return true
}

// NextRevisit returns when the revisit after last (the plan's start when
// last is zero) is due: RevisitMonths later, RevisitMonthsGood when the
// borrower is a good payer as of st (clamped to the month's end). ok is
// false when no revisit is due any more: the plan is broken or completed.
func NextRevisit(p Plan, st State, last date.Date) (date.Date, bool) {
	if st.Status == Broken || st.Status == Completed {
		return 0, false
	}
	r := p.Rules.WithDefaults()
	from := last
	if from.IsZero() {
		from = p.Start
	}
	n := r.RevisitMonths
	if st.GoodPayer() {
		n = r.RevisitMonthsGood
	}
	return from.AddMonthsClamped(n), true
}

// RevisitDue reports the revisit due on or before st.AsOf after last, if
// any: the monitoring creates one revisit task for it, keyed by its date.
func RevisitDue(p Plan, st State, last date.Date) (date.Date, bool) {
	d, ok := NextRevisit(p, st, last)
	if !ok || d.After(st.AsOf) {
		return 0, false
	}
	return d, true
}

// RevisitQuestions are what a revisit asks (回访要点), in Chinese and English.
var RevisitQuestions = []string{
	"收入和支出是否有变化？/ Has income or spending changed?",
	"困难是否仍在，预计何时结束？/ Is the hardship still there, and when will it end?",
	"当前计划是否仍可负担？是否需要调整？/ Is the plan still affordable, or does it need adjusting?",
	"是否有其他债务或新的还款压力？/ Any other debts or new repayment pressure?",
	"联系方式是否有变化？/ Have contact details changed?",
}
