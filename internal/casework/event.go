package casework

import (
	"fmt"

	"accord/internal/date"
)

// EventKind is what happened to a case.
type EventKind string

// The event kinds the rules here produce. Other layers add their own
// (contact, promise, payment, note …) to the same timeline.
const (
	EventOpened     EventKind = "opened"
	EventLoansAdded EventKind = "loans_added"
	EventAssigned   EventKind = "assigned"
	EventClosed     EventKind = "closed"
)

// Event is one entry in a case's history, with a sentence in Chinese and
// English for the timeline.
type Event struct {
	On      date.Date `json:"on"`
	Kind    EventKind `json:"kind"`
	LoanIDs []int64   `json:"loan_ids,omitempty"`
	From    Owner     `json:"from,omitzero"`
	To      Owner     `json:"to,omitzero"`
	Code    string    `json:"code,omitempty"` // close reason or assignment reason code
	ZH      string    `json:"zh"`
	EN      string    `json:"en"`
}

func opened(on date.Date, loans []int64) Event {
	return Event{On: on, Kind: EventOpened, LoanIDs: loans,
		ZH: fmt.Sprintf("立案：%d笔逾期借款", len(loans)), EN: fmt.Sprintf("Case opened with %d delinquent loan(s)", len(loans))}
}

func loansAdded(on date.Date, loans []int64) Event {
	return Event{On: on, Kind: EventLoansAdded, LoanIDs: loans,
		ZH: fmt.Sprintf("新增%d笔逾期借款", len(loans)), EN: fmt.Sprintf("%d more loan(s) fell behind and joined the case", len(loans))}
}

var closeText = map[CloseReason][2]string{
	Cured:      {"结案：全部借款已恢复正常（出催）", "Case closed: all loans are current again (cured)"},
	Settled:    {"结案：已按协议结清", "Case closed: settled by agreement"},
	ChargedOff: {"结案：借款已核销", "Case closed: loan charged off"},
}

func closed(on date.Date, r CloseReason) Event {
	t := closeText[r]
	return Event{On: on, Kind: EventClosed, Code: string(r), ZH: t[0], EN: t[1]}
}

func assigned(on date.Date, a Assignment) Event {
	return Event{On: on, Kind: EventAssigned, From: a.From, To: a.To, Code: a.Reason.Code, ZH: a.Reason.ZH, EN: a.Reason.EN}
}
