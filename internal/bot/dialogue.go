package bot

import (
	"accord/internal/date"
	"accord/internal/money"
)

// Step is where a conversation stands between two messages.
type Step string

// The steps. A conversation starts at StepStart and comes back to it after
// each completed action.
const (
	StepStart      Step = ""
	StepAskDate    Step = "ask_date"        // a promise waits for its date
	StepAskAmount  Step = "ask_amount"      // a promise waits for its amount
	StepConfirm    Step = "confirm_promise" // a promise waits for the borrower's yes
	StepHandedOver Step = "handed_over"     // a person has the conversation now
)

// Lang is the language the bot answers in.
type Lang string

// The languages.
const (
	Zh Lang = "zh"
	En Lang = "en"
)

// State is what the bot remembers of a conversation. The caller stores it
// between messages (it is a small value, JSON-friendly) and passes it back.
type State struct {
	Step      Step         `json:"step"`
	Lang      Lang         `json:"lang"`
	Date      date.Date    `json:"date,omitzero"`
	Amount    money.Amount `json:"amount,omitzero"`
	HasAmount bool         `json:"has_amount,omitzero"`
	// Misses counts messages in a row the bot did not get what it needed
	// from; at maxMisses it hands over to a person.
	Misses int `json:"misses,omitzero"`
}

// Action is what the caller must do after a turn.
type Action string

// The actions.
const (
	ActNone              Action = ""
	ActRecordPromise     Action = "record_promise"     // Date and Amount are the promise
	ActOpenAffordability Action = "open_affordability" // show the income and expenses form; Reason says why
	ActOpenDispute       Action = "open_dispute"
	ActRecordStopContact Action = "record_stop_contact"
	ActLookUpPayment     Action = "look_up_payment" // Date and Amount as the borrower gave them, if any
	ActAnswerBalance     Action = "answer_balance"  // append the balance to Text
	ActAnswerHowToPay    Action = "answer_how_to_pay"
	ActRecordComplaint   Action = "record_complaint"
	ActHandOver          Action = "hand_over"
)

// Ask is what the bot asked the borrower, if anything.
type Ask string

// The questions.
const (
	AskNothing Ask = ""
	AskDate    Ask = "date"
	AskAmount  Ask = "amount"
	AskConfirm Ask = "confirm"
	AskClarify Ask = "clarify"
)

// Turn is the bot's answer to one message.
type Turn struct {
	State  State  // the state to store for the next message
	Action Action // what the caller must do
	// Handover is set when a person must take over (with ActHandOver, and
	// with ActRecordComplaint); the bot says so in Text.
	Handover bool
	Ask      Ask
	Text     string // the reply, in State.Lang

	Intent    Intent
	Date      date.Date
	Amount    money.Amount
	HasAmount bool
	Reason    Reason
}

// maxMisses is how many messages in a row may leave the bot without what
// it asked for before it hands over to a person.
const maxMisses = 2

// Reply returns the bot's next turn: s is the state after the previous
// turn (the zero State for a new conversation), p the parse of the new
// message (Parse(text, ref)), ref the date of the message. It never
// invents a date or an amount: a promise without them is asked for them,
// and is recorded only after the borrower confirms both. A vulnerable
// borrower is handed to a person whatever else they said.
func Reply(s State, p Result, ref date.Date) Turn {
	if s.Lang == "" {
		s.Lang = Zh
	}
	t := Turn{Intent: p.Intent, Reason: p.Reason}
	switch {
	case s.Step == StepHandedOver:
		return t.say(s, ActNone, AskNothing, "waiting_person")
	case p.Vulnerable:
		t.Handover = true
		s = State{Step: StepHandedOver, Lang: s.Lang}
		return t.say(s, ActHandOver, AskNothing, "vulnerable")
	}
	if pending(s.Step) && (p.Intent == AskBalance || p.Intent == AskHowToPay) && p.Date == 0 && !p.HasAmount {
		a := t.fresh(State{Lang: s.Lang}, p, ref)
		a.State = s // answer the question; the promise still waits
		return a
	}
	if pending(s.Step) && !overrides(p.Intent) {
		return t.continuePromise(s, p, ref, false)
	}
	return t.fresh(State{Lang: s.Lang, Misses: s.Misses}, p, ref)
}

func pending(st Step) bool { return st == StepAskDate || st == StepAskAmount || st == StepConfirm }

// overrides reports whether intent in ends a promise being taken: the
// borrower changed the subject to something the lender must act on.
func overrides(in Intent) bool {
	switch in {
	case AlreadyPaid, Dispute, Complaint, StopContact, RequestHuman, RequestPlan, Hardship:
		return true
	}
	return false
}

// fresh answers a message that starts something new.
func (t Turn) fresh(s State, p Result, ref date.Date) Turn {
	switch p.Intent {
	case PromiseToPay:
		s.Misses = 0
		return t.continuePromise(State{Lang: s.Lang, Step: StepAskDate}, p, ref, true)
	case AlreadyPaid:
		t.Date, t.Amount, t.HasAmount = p.Date, p.Amount, p.HasAmount
		return t.say(State{Lang: s.Lang}, ActLookUpPayment, AskNothing, "already_paid")
	case Dispute:
		return t.say(State{Lang: s.Lang}, ActOpenDispute, AskNothing, "dispute")
	case Complaint:
		t.Handover = true
		return t.say(State{Lang: s.Lang, Step: StepHandedOver}, ActRecordComplaint, AskNothing, "complaint")
	case StopContact:
		return t.say(State{Lang: s.Lang}, ActRecordStopContact, AskNothing, "stop_contact")
	case RequestHuman:
		t.Handover = true
		return t.say(State{Lang: s.Lang, Step: StepHandedOver}, ActHandOver, AskNothing, "request_human")
	case RequestPlan, Hardship:
		t.Amount, t.HasAmount = p.Amount, p.HasAmount
		return t.say(State{Lang: s.Lang}, ActOpenAffordability, AskNothing, "affordability")
	case AskBalance:
		return t.say(State{Lang: s.Lang}, ActAnswerBalance, AskNothing, "balance")
	case AskHowToPay:
		return t.say(State{Lang: s.Lang}, ActAnswerHowToPay, AskNothing, "how_to_pay")
	}
	return t.missed(s, AskClarify, "clarify")
}

// continuePromise takes what p adds to the promise in s and asks for what
// is still missing, or for confirmation, or records it. first is set for the
// message that opened the promise: asking it for a date is no miss.
func (t Turn) continuePromise(s State, p Result, ref date.Date, first bool) Turn {
	t.Intent = PromiseToPay
	if s.Step == StepConfirm && p.Answer != "" && p.Date == 0 && !p.HasAmount {
		if p.Answer == No {
			return t.say(State{Lang: s.Lang, Step: StepAskDate}, ActNone, AskDate, "ask_date_again")
		}
		t.Date, t.Amount, t.HasAmount = s.Date, s.Amount, true
		return t.say(State{Lang: s.Lang}, ActRecordPromise, AskNothing, "promise_recorded")
	}
	got := false
	if p.Date != 0 {
		if p.Date.Before(ref) {
			s.Step = StepAskDate
			return t.missed(s, AskDate, "date_past")
		}
		s.Date, got = p.Date, true
	}
	if p.HasAmount && p.Amount > 0 {
		s.Amount, s.HasAmount, got = p.Amount, true, true
	}
	switch {
	case s.Date == 0:
		s.Step = StepAskDate
		if got || first {
			s.Misses = 0
			return t.say(s, ActNone, AskDate, "ask_date")
		}
		return t.missed(s, AskDate, "ask_date")
	case !s.HasAmount:
		s.Step = StepAskAmount
		if got {
			s.Misses = 0
			return t.say(s, ActNone, AskAmount, "ask_amount")
		}
		return t.missed(s, AskAmount, "ask_amount")
	}
	s.Step, s.Misses = StepConfirm, 0
	t.Date, t.Amount, t.HasAmount = s.Date, s.Amount, true
	return t.say(s, ActNone, AskConfirm, "confirm")
}

// missed counts a message that did not give what the bot needed and hands
// over after maxMisses of them.
func (t Turn) missed(s State, ask Ask, key string) Turn {
	s.Misses++
	if s.Misses > maxMisses {
		t.Handover = true
		return t.say(State{Lang: s.Lang, Step: StepHandedOver}, ActHandOver, AskNothing, "give_up")
	}
	return t.say(s, ActNone, ask, key)
}

func (t Turn) say(s State, a Action, ask Ask, key string) Turn {
	t.State, t.Action, t.Ask = s, a, ask
	t.Text = text(s.Lang, key, t)
	return t
}
