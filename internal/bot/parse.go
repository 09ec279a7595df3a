package bot

import (
	"encoding/json"
	"slices"
	"strings"

	"accord/internal/date"
	"accord/internal/money"
)

// Result is what Parse understood of one message.
type Result struct {
	// Intent is the message's main intent, by the precedence of Intents.
	Intent Intent
	// Also lists the other intents the message carries, in precedence order.
	Also []Intent
	// Date is the date the borrower stated (of a promise, of a payment they
	// made), resolved against the reference date; zero when none was stated
	// or it cannot be known (发工资那天).
	Date date.Date
	// Amount is the sum the borrower stated when HasAmount is set.
	Amount    money.Amount
	HasAmount bool
	// Reason is the cause of hardship the borrower gave: set for the
	// Hardship intent (OtherReason when no cause is named) and for any
	// message that names a hardship cause (我失业了, 能分期吗); "" otherwise.
	Reason Reason
	// Vulnerable marks serious illness, bereavement, acute distress or any
	// hint of self-harm.
	Vulnerable bool
	// Handover says the message must go to a person: a vulnerable borrower,
	// a request for a person, or a complaint.
	Handover bool
	// Answer is the borrower's yes or no to a confirmation ("" otherwise).
	Answer Answer
}

// Answer is a reply to a yes-or-no question.
type Answer string

// The answers.
const (
	Yes Answer = "yes"
	No  Answer = "no"
)

// Parse reads one borrower message written on ref (the reference date that
// 明天 and 15号 are resolved against). It never fails: a message it does
// not understand is Other with no date and no amount.
func Parse(text string, ref date.Date) Result {
	norm := normalize(text)
	var r Result
	found := map[Intent]bool{}
	for _, in := range Intents {
		c, ok := intentCues[in]
		if !ok {
			continue
		}
		if _, ok := c.find(norm, in == Complaint); ok {
			found[in] = true
		}
	}
	var spans [][2]int
	r.Date, spans = resolveDate(norm, ref, false)
	amt := extractAmount(maskSpans(norm, spans))
	r.Amount, r.HasAmount = amt.amount, amt.ok
	refused := refusal.match(norm) && !refusalNegated.match(norm)
	if payVerbAt(norm) || amt.tied {
		switch {
		case r.Date != 0 && r.Date.Before(ref):
			found[AlreadyPaid] = true // 昨天转500
		case r.Date != 0 || amt.tied:
			found[PromiseToPay] = true // 明天还, 先还500
		}
	} else if r.Date != 0 && !r.Date.Before(ref) && amt.explicit {
		found[PromiseToPay] = true // ¥800 tomorrow
	}
	if refused || found[AskBalance] && hypothetical.match(norm) {
		delete(found, PromiseToPay) // 我不会还的; 如果月底还清要多少钱
	}
	if found[AlreadyPaid] {
		delete(found, PromiseToPay) // the date and the amount are of the payment
		if r.Date.After(ref) {
			r.Date, _ = resolveDate(norm, ref, true) // "I paid on Tuesday": the last Tuesday
		}
	}
	r.Reason = reason(norm)
	if r.Reason != "" {
		found[Hardship] = true
	}
	if found[Hardship] && r.Reason == "" {
		r.Reason = OtherReason
	}
	r.Vulnerable = vulnerableCues.match(norm)
	if r.Vulnerable && len(found) == 0 {
		found[Hardship] = true // 我已经崩溃了: distress is a hardship
		r.Reason = OtherReason
	}
	r.Intent = Other
	for _, in := range Intents {
		if !found[in] {
			continue
		}
		if r.Intent == Other {
			r.Intent = in
		} else {
			r.Also = append(r.Also, in)
		}
	}
	r.Handover = r.Vulnerable || r.Intent == RequestHuman || r.Intent == Complaint
	r.Answer = answer(norm)
	return r
}

// payVerbAt reports whether norm has a payment word outside a negation.
func payVerbAt(norm string) bool {
	for _, loc := range payVerb.all(norm) {
		if !negated(norm, loc[0]) {
			return true
		}
	}
	return false
}

// maskSpans blanks the date expressions of norm, so that the 8 of "Jan 8"
// or the 15 of "15号" is never read as an amount.
func maskSpans(norm string, spans [][2]int) string {
	if len(spans) == 0 {
		return norm
	}
	b := []byte(norm)
	for _, s := range spans {
		for i := s[0]; i < s[1]; i++ {
			b[i] = '_'
		}
	}
	return string(b)
}

// reason returns the hardship cause named first in norm, or "".
func reason(norm string) Reason {
	best, at := Reason(""), len(norm)+1
	for _, rc := range reasonCues {
		if i, ok := rc.c.find(norm, false); ok && i < at {
			best, at = rc.reason, i
		}
	}
	return best
}

var (
	yesWords = []string{"是", "是的", "对", "对的", "对啊", "好", "好的", "嗯", "嗯嗯", "可以", "行", "没问题", "确认", "确定", "ok", "okay", "yes",
		"yeah", "yep", "sure", "correct", "right", "confirm", "that's right", "y"}
	noWords = []string{"不", "不是", "不对", "不行", "错了", "不要", "否", "取消", "no", "nope", "not right", "wrong", "cancel", "n", "incorrect"}
)

// answer reads a short yes or no; longer messages are not answers.
func answer(norm string) Answer {
	s := strings.Trim(norm, " ,.!?~")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "的"), "啊")
	if runeLen(s) > 12 {
		return ""
	}
	first := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(" ,.!?~", r) })
	if len(first) == 0 {
		return ""
	}
	w := first[0]
	switch {
	case slices.Contains(noWords, w) || slices.Contains(noWords, s):
		return No
	case slices.Contains(yesWords, w) || slices.Contains(yesWords, s):
		return Yes
	}
	return ""
}

// MarshalJSON writes r as the parse command prints it: {"intent", "date"
// (YYYY-MM-DD or null), "amount" (decimal string or null), "reason" (or
// null), "vulnerable", "handover", "also"}.
func (r Result) MarshalJSON() ([]byte, error) {
	type out struct {
		Intent     Intent   `json:"intent"`
		Date       *string  `json:"date"`
		Amount     *string  `json:"amount"`
		Reason     *Reason  `json:"reason"`
		Vulnerable bool     `json:"vulnerable"`
		Handover   bool     `json:"handover"`
		Also       []Intent `json:"also"`
		Answer     Answer   `json:"answer,omitempty"`
	}
	o := out{Intent: r.Intent, Vulnerable: r.Vulnerable, Handover: r.Handover, Also: r.Also, Answer: r.Answer}
	if o.Also == nil {
		o.Also = []Intent{}
	}
	if r.Date != 0 {
		s := r.Date.String()
		o.Date = &s
	}
	if r.HasAmount {
		s := r.Amount.String()
		o.Amount = &s
	}
	if r.Reason != "" {
		o.Reason = &r.Reason
	}
	return json.Marshal(o)
}
