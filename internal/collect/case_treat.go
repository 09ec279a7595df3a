package collect

import (
	"fmt"
	"strconv"
	"strings"

	"accord/internal/casework"
	"accord/internal/compliance"
	"accord/internal/money"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// chunkWrites collects what a chunk creates and changes besides the cases.
type chunkWrites struct {
	tasks      []sqlstore.Task
	superseded []int64 // open tasks the strategy no longer asks for
	closed     []int64 // open tasks of cases that closed
	reassign   map[casework.Owner][]int64
	messages   []pendingMessage
}

type pendingMessage struct {
	w    *caseWork
	m    outbox.Message
	cost money.Amount
}

// treat turns a case's treatments into tasks and messages. Open tasks the
// strategy still asks for are kept (a call task not worked today stays
// open); the strategy's others are cancelled (tasks other capabilities
// created, keyed otherwise than "case:…", stay until the case closes); missing ones are created with a key
// naming the case, kind, queue and date. Messages go out on the day a rule
// starts deciding the case and every MessageEveryDays after.
func (r *caseRun) treat(w *caseWork, ch *sqlstore.CaseChunk, out *chunkWrites) {
	open := ch.Tasks[w.c.ID]
	if w.c.Status == casework.Closed {
		for _, t := range open {
			out.closed = append(out.closed, t.ID)
		}
		return
	}
	if w.reassigned {
		if out.reassign == nil {
			out.reassign = map[casework.Owner][]int64{}
		}
		out.reassign[w.c.Owner] = append(out.reassign[w.c.Owner], w.c.ID)
	}
	want := r.desiredTasks(w)
	for _, t := range open {
		if !collectTask(t.DedupKey) {
			// Another capability's task (a broken plan, a revisit, a
			// chat handover, a visit …): not the strategy's to cancel.
			continue
		}
		k := taskKey{t.Kind, t.Queue}
		if _, ok := want[k]; ok {
			delete(want, k)
			continue
		}
		out.superseded = append(out.superseded, t.ID)
	}
	for _, rt := range w.treat { // in rule order, for a stable insert order
		k := keyOf(rt.t)
		if t, ok := want[k]; ok {
			out.tasks = append(out.tasks, t)
			delete(want, k)
		}
	}
	if r.asOf.Sub(w.c.RuleSince)%r.cfg.MessageEveryDays != 0 {
		return
	}
	perRule := map[string]int{}
	for _, rt := range w.treat {
		if rt.t.Kind != strategy.SMS && rt.t.Kind != strategy.Email {
			continue
		}
		perRule[rt.rule]++
		if m, ok := r.message(w, rt, perRule[rt.rule]); ok {
			out.messages = append(out.messages, m)
		}
	}
}

type taskKey struct{ kind, queue string }

// keyOf is the task a treatment asks for, by kind and queue.
func keyOf(t strategy.Treatment) taskKey {
	switch t.Kind {
	case strategy.Call:
		return taskKey{sqlstore.TaskCall, t.Queue}
	case strategy.NegotiationOffer:
		return taskKey{sqlstore.TaskNegotiation, "negotiation"}
	case strategy.FieldVisit:
		return taskKey{sqlstore.TaskVisit, "field"}
	case strategy.LegalReferral:
		return taskKey{sqlstore.TaskLegal, "legal"}
	case strategy.AgencyPlacement:
		return taskKey{sqlstore.TaskAgency, "agency"}
	}
	return taskKey{}
}

// desiredTasks returns the tasks the case's treatments ask for, one per
// kind and queue. Calls, negotiations and placements go to the case's
// owner; visits and legal reviews wait in their queue. A placement becomes
// a task only once an agency holds the case.
func (r *caseRun) desiredTasks(w *caseWork) map[taskKey]sqlstore.Task {
	c := &w.c
	out := map[taskKey]sqlstore.Task{}
	for _, rt := range w.treat {
		t := rt.t
		k := keyOf(t)
		if k.kind == "" || (k.kind == sqlstore.TaskAgency && c.Owner.Kind != casework.ToAgency) {
			continue
		}
		if _, dup := out[k]; dup {
			continue
		}
		task := sqlstore.Task{CaseID: c.ID, BorrowerID: c.BorrowerID, Kind: k.kind, Queue: k.queue, DueOn: r.asOf,
			Rule: rt.rule, CreatedOn: r.asOf, DedupKey: fmt.Sprintf("case:%d:%s:%s:%s", c.ID, k.kind, k.queue, r.asOf)}
		switch t.Kind {
		case strategy.Call:
			task.Priority, task.Assignee = t.Priority, c.Owner
		case strategy.NegotiationOffer:
			task.Priority, task.Assignee, task.Detail = 2, c.Owner, t.Offer
		case strategy.FieldVisit:
			task.Priority, task.Detail = 3, t.Reason
		case strategy.LegalReferral:
			task.Priority, task.Detail = 4, t.Reason
		case strategy.AgencyPlacement:
			task.Priority, task.Assignee = 5, c.Owner
			task.Detail = fmt.Sprintf("max_commission=%s days=%d recall_on=%s", t.Agency.MaxCommission, t.Agency.Days, c.RecallOn)
		}
		out[k] = task
	}
	return out
}

// message renders an SMS treatment for the case. Email treatments are
// skipped: borrowers have no email address on record yet. So are borrowers
// without a phone. The n-th message of one rule gets the template in its
// key, so that a rule may send two.
func (r *caseRun) message(w *caseWork, rt ruleTreatment, n int) (pendingMessage, bool) {
	b := w.borrower
	if rt.t.Kind != strategy.SMS || b.Phone == "" {
		return pendingMessage{}, false
	}
	msg, err := w.prog.Render(rt.t.Template, b.Language, r.vars(w))
	if err != nil {
		r.s.log.Warn("render strategy template", "case_id", w.c.ID, "template", rt.t.Template, "err", err)
		return pendingMessage{}, false
	}
	key := fmt.Sprintf("case:%d:rule:%s:%s", w.c.ID, rt.rule, r.asOf)
	if n > 1 {
		key += ":" + rt.t.Template
	}
	purpose := compliance.PurposeCollection
	if w.c.BucketRank <= 1 {
		purpose = compliance.PurposeReminder
	}
	m := outbox.Message{BorrowerID: w.c.BorrowerID, CaseID: w.c.ID, LoanID: worst(w.caseLoans()).ID, Channel: outbox.SMS,
		To: b.Phone, TemplateID: rt.t.Template, Lang: b.Language, Subject: msg.Subject, Body: msg.Body, Purpose: purpose,
		DedupKey: key}
	return pendingMessage{w: w, m: m, cost: r.cfg.Costs.SMS}, true
}

// vars are a case's values for template placeholders.
func (r *caseRun) vars(w *caseWork) strategy.Vars {
	c := &w.c
	loans := w.caseLoans()
	collector := r.cfg.Texts.Collector
	if c.Owner.Kind == casework.ToCollector {
		if n := r.pool.names[c.Owner.ID]; n != "" {
			collector = n
		}
	}
	product := r.products[worst(loans).ProductCode]
	if product == "" {
		product = worst(loans).ProductCode
	}
	return strategy.Vars{"name": w.borrower.Name, "amount": c.Overdue.String(), "balance": c.Balance.String(),
		"due_date": oldestDue(loans).String(), "dpd": strconv.Itoa(c.DPD), "product": product, "lender": r.cfg.Texts.Lender,
		"hotline": r.cfg.Texts.Hotline, "collector": collector, "pay_channel": r.cfg.Texts.PayChannel}
}

// collectTask reports whether a task with dedup key key is the daily
// cycle's to cancel when the strategy no longer asks for it: any task but
// those other capabilities keep for themselves (a broken plan or a
// revisit "plan:…", a support review "support:…", a chat handover
// "chat:…", a visit "visit:…", a portal request "portal…", an agreement
// "agreement:…").
func collectTask(key string) bool {
	for _, p := range []string{"plan:", "support:", "chat:", "visit:", "visit-notice:", "portal:", "portal_request:", "agreement:"} {
		if strings.HasPrefix(key, p) {
			return false
		}
	}
	return true
}
