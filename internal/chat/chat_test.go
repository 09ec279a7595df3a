package chat_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"accord/internal/chat"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/outbox"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// A conversation that ends in a promise: the bot asks for the date and the
// amount it was not given, repeats both, and only the borrower's yes
// records the promise, in the promise book with its SMS confirmation
// queued through the governor. The dialogue survives a restart between
// messages, and a retried message does nothing twice.
func TestConversationEndsInPromise(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		c := e.openCase(t)
		a := e.say(t, c.BorrowerID, "我会还的")
		if a.Intent != "promise_to_pay" || a.Ask != "date" || a.PromiseID != 0 {
			t.Fatalf("first answer = %+v; want a question for the date", a)
		}
		a = e.say(t, c.BorrowerID, "下周五")
		if a.Ask != "amount" || !strings.Contains(a.Replies[0].Text, "2026年3月13日") {
			t.Fatalf("after the date: %+v; want a question for the amount of 13 March", a)
		}
		e.restart() // the state is in the database, not in the service
		a = e.say(t, c.BorrowerID, "两百")
		if a.Ask != "confirm" || !strings.Contains(a.Replies[0].Text, "200.00") || !strings.Contains(a.Replies[0].Text, "2026年3月13日") {
			t.Fatalf("after the amount: %+v; want the bot to repeat date and amount", a)
		}
		if n := e.promises(t, c.ID); len(n) != 0 {
			t.Fatalf("a promise was recorded before the borrower confirmed: %+v", n)
		}
		confirm := chat.Message{Text: "对", ID: "wx-msg-4"}
		a, err := e.bot.PortalMessage(ctx, c.BorrowerID, "test", confirm)
		if err != nil {
			t.Fatal(err)
		}
		if a.Action != "record_promise" || a.PromiseID == 0 {
			t.Fatalf("after yes: %+v; want the promise recorded", a)
		}
		again, err := e.bot.PortalMessage(ctx, c.BorrowerID, "test", confirm)
		if err != nil || !again.Repeated || again.PromiseID != a.PromiseID {
			t.Fatalf("retry of the same message = %+v, %v; want the first answer again", again, err)
		}
		ps := e.promises(t, c.ID)
		if len(ps) != 1 {
			t.Fatalf("promises on the case = %d, want 1 (the retry records nothing)", len(ps))
		}
		p := ps[0]
		if p.ID != a.PromiseID || p.Amount != money.Amount(200_00) || p.Due != date.MustParse("2026-03-13") ||
			p.Channel != "portal" || p.Status != promise.Open || p.ContactID == 0 {
			t.Errorf("promise = %+v; want 200.00 due 2026-03-13 by portal, made in a logged contact", p)
		}
		var sms []outbox.Message
		e.read(t, func(tx *sqlstore.Tx) error {
			list, _, err := tx.Messages(ctx, sqlstore.MessageFilter{BorrowerID: &c.BorrowerID, Limit: 100})
			for _, m := range list {
				if m.DedupKey == "promise:"+itoa(p.ID)+":confirm" {
					sms = append(sms, m)
				}
			}
			return err
		})
		if len(sms) != 1 || sms[0].Channel != outbox.SMS || sms[0].Status != outbox.Queued || sms[0].Decision.Action == "" ||
			!strings.Contains(sms[0].Body, "200.00") {
			t.Errorf("confirmation SMS = %+v; want one queued through the governor with the amount", sms)
		}
		log := e.botAttempts(t, c.BorrowerID)
		if len(log) != 8 {
			t.Fatalf("bot contact records = %d, want 4 messages and 4 replies", len(log))
		}
		for i, at := range log {
			wantDir := []string{"inbound", "outbound"}[i%2]
			if at.Direction != wantDir || !at.Performed || at.Content == "" || at.CaseID != c.ID {
				t.Errorf("contact record %d = %s performed %v content %q case %d; want %s on case %d", i, at.Direction,
					at.Performed, at.Content, at.CaseID, wantDir, c.ID)
			}
		}
		if log[0].Content != "我会还的" || !slices.Contains(log[6].Results, compliance.ResultPromise) {
			t.Errorf("inbound records: %q, results %v", log[0].Content, log[6].Results)
		}
	})
}

// A vulnerable borrower goes to a person at once: a task of the first
// priority in the specialist queue, the vulnerable flag (which keeps the
// case out of automated collection: the governor now refuses an automated
// SMS), and support resources in the reply, which is sent although the
// bot is automated because it carries no collection content.
func TestVulnerableBorrowerHandedToPerson(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		c := e.openCase(t)
		if d := e.check(t, c.BorrowerID, compliance.Bot, "lender"); !d.Allowed() {
			t.Fatalf("before: the bot may not write to the borrower: %v", d.Rules)
		}
		a := e.say(t, c.BorrowerID, "我真的撑不下去了，不想活了")
		if !a.Handover || a.TaskID == 0 {
			t.Fatalf("answer = %+v; want a handover with a task", a)
		}
		r := a.Replies[0]
		if !strings.Contains(r.Text, "12356") || r.Withheld || r.Held {
			t.Errorf("reply = %+v; want the support line, sent now", r)
		}
		if !slices.ContainsFunc(r.Links, func(l chat.Link) bool { return l.URL == "tel:12356" }) {
			t.Errorf("links = %+v; want the support line", r.Links)
		}
		task := e.task(t, c.ID, a.TaskID)
		if task.Kind != chat.TaskVulnerable || task.Priority != 0 || task.Queue != compliance.RouteSpecialist || task.Status != sqlstore.TaskOpen {
			t.Errorf("task = %+v; want an open vulnerable task of priority 0 in the specialist queue", task)
		}
		if flags := e.borrowerFlags(t, c.BorrowerID); !slices.Contains(flags, compliance.FlagVulnerable) {
			t.Errorf("flags = %v; want vulnerable", flags)
		}
		if m := e.reminder(t, c); m.Status != outbox.Blocked || !m.Decision.Fired(compliance.RuleVulnerableAutomation) {
			t.Errorf("automated SMS reminder after the handover: %s %v; want blocked by %s", m.Status, m.Decision.Rules,
				compliance.RuleVulnerableAutomation)
		}
		log := e.botAttempts(t, c.BorrowerID)
		if len(log) != 2 || !log[1].Performed || !log[1].Decision.Fired(compliance.RuleVulnerableAutomation) {
			t.Errorf("reply record = %+v; want sent, with the governor's vulnerable-automation finding kept as evidence", log)
		}
		// The bot takes no more collection business: a balance question
		// waits for the person.
		a = e.say(t, c.BorrowerID, "我还欠多少钱")
		if !a.Handover || a.Action != "" || strings.Contains(a.Replies[0].Text, "元") {
			t.Errorf("after the handover: %+v; want the person to answer, no amounts", a)
		}
	})
}

// A dispute sets the disputed flag through the contact record, gives a
// person a task, and, where the profile says so (UK), suspends collection:
// the governor refuses a later call.
func TestDisputeSuspendsWhereProfileSaysSo(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		c := e.openCase(t)
		if err := e.svc.ActivateProfile(ctx, adminActor(), compliance.UK); err != nil {
			t.Fatal(err)
		}
		if d := e.check(t, c.BorrowerID, compliance.Call, "lender"); d.Fired(compliance.RuleUKDispute) {
			t.Fatalf("before: %v", d.Rules)
		}
		a := e.say(t, c.BorrowerID, "这笔钱不是我借的")
		if a.Action != "open_dispute" || a.TaskID == 0 {
			t.Fatalf("answer = %+v; want a dispute with a task", a)
		}
		if task := e.task(t, c.ID, a.TaskID); task.Kind != chat.TaskDispute || task.Assignee != c.Owner {
			t.Errorf("task = %+v; want a dispute task for the case owner %+v", task, c.Owner)
		}
		if flags := e.borrowerFlags(t, c.BorrowerID); !slices.Contains(flags, compliance.FlagDisputed) {
			t.Errorf("flags = %v; want disputed", flags)
		}
		d := e.check(t, c.BorrowerID, compliance.Call, "lender")
		if d.Allowed() || !d.Fired(compliance.RuleUKDispute) {
			t.Errorf("a call after the dispute: %s %v; want suspended by %s", d.Action, d.Rules, compliance.RuleUKDispute)
		}
	})
}

// "Stop calling" reaches the governor: the cease flag is recorded, and
// under a profile that acts on it (US) a later call is refused.
func TestStopContactReachesGovernor(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		c := e.openCase(t)
		if err := e.svc.ActivateProfile(ctx, adminActor(), compliance.US); err != nil {
			t.Fatal(err)
		}
		if d := e.check(t, c.BorrowerID, compliance.Call, "lender"); d.Fired(compliance.RuleUSCease) {
			t.Fatalf("before: %v", d.Rules)
		}
		a := e.say(t, c.BorrowerID, "别再给我打电话了")
		if a.Action != "record_stop_contact" {
			t.Fatalf("answer = %+v; want the request recorded", a)
		}
		if flags := e.borrowerFlags(t, c.BorrowerID); !slices.Contains(flags, compliance.FlagCease) {
			t.Errorf("flags = %v; want cease", flags)
		}
		d := e.check(t, c.BorrowerID, compliance.Call, "lender")
		if d.Allowed() || !d.Fired(compliance.RuleUSCease) {
			t.Errorf("a call after stop_contact: %s %v; want refused by %s", d.Action, d.Rules, compliance.RuleUSCease)
		}
	})
}

// ask_balance answers from the ledger: the figures of the loan pages
// (replayed as of today), summed over the borrower's loans.
func TestAskBalanceMatchesLedger(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		c := e.openCase(t)
		want := e.ledgerOverdue(t, c.BorrowerID)
		if want == 0 {
			t.Fatal("the case's borrower owes nothing overdue")
		}
		a := e.say(t, c.BorrowerID, "我现在还欠多少钱？")
		if a.Intent != "ask_balance" || !strings.Contains(a.Replies[0].Text, "逾期应还"+want.String()+"元") {
			t.Fatalf("answer %q; want the overdue total %s", a.Replies[0].Text, want)
		}
		o, err := e.bot.Owed(ctx, c.BorrowerID)
		if err != nil || o.Overdue != want {
			t.Errorf("Owed = %+v, %v; want overdue %s", o, err, want)
		}
		a = e.say(t, c.BorrowerID, "how much do I owe?")
		if !strings.Contains(a.Replies[0].Text, "Overdue now: "+want.String()+" yuan") {
			t.Errorf("English answer %q; want the overdue total %s", a.Replies[0].Text, want)
		}
	})
}

// "I already paid" with no payment on the books: the bot asks for the
// reference, and the reference goes to a person to check.
func TestAlreadyPaidAsksForReference(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		c := e.openCase(t)
		a := e.say(t, c.BorrowerID, "我昨天已经还了")
		if a.Intent != "already_paid" || a.Ask != chat.AskReference {
			t.Fatalf("answer = %+v; want a question for the reference", a)
		}
		e.restart()
		a = e.say(t, c.BorrowerID, "流水号 4200001234202603011234")
		if a.Action != chat.ActRecordReference || a.TaskID == 0 {
			t.Fatalf("answer = %+v; want the reference taken", a)
		}
		task := e.task(t, c.ID, a.TaskID)
		if task.Kind != chat.TaskPaymentCheck || !strings.Contains(task.Detail, "4200001234202603011234") {
			t.Errorf("task = %+v; want a payment check with the reference", task)
		}
	})
}

// The live-chat rule: at 23:00 (quiet hours) a reply to the borrower's own
// message is sent; a reply an hour after the message is a push and is
// held until the morning.
func TestRepliesAndQuietHours(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		c := e.openCase(t)
		night := shanghai(start, 23, 0)
		e.setClock(night)
		a := e.say(t, c.BorrowerID, "怎么还款")
		if r := a.Replies[0]; r.Held || r.Withheld {
			t.Fatalf("live reply at 23:00 = %+v; want it sent", r)
		}
		log := e.botAttempts(t, c.BorrowerID)
		if out := log[len(log)-1]; !out.Performed || !out.Decision.Fired(compliance.RuleCNTimeQuiet) || out.Action != compliance.Allow {
			t.Errorf("reply record = %+v; want sent under the live-chat rule, the quiet-hours finding kept", out)
		}
		late, err := e.bot.PortalMessage(ctx, c.BorrowerID, "test", chat.Message{Text: "怎么还款", SentAt: night.Add(-time1h)})
		if err != nil {
			t.Fatal(err)
		}
		if r := late.Replies[0]; !r.Held || r.NotBefore.IsZero() || !r.NotBefore.After(night) {
			t.Errorf("reply an hour late at 23:00 = %+v; want held until the allowed hours", r)
		}
	})
}

// Hardship points to the portal's affordability form and, when the portal
// offers plans the borrower could accept at once, says how many; the
// hardship is recorded on the contact (flag).
func TestHardshipLinksToAffordabilityForm(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		c := e.openCase(t)
		asked := int64(0)
		e.bot.UseOffers(chat.OffersFunc(func(_ context.Context, id int64) (int, error) { asked = id; return 2, nil }))
		a := e.say(t, c.BorrowerID, "我失业了，现在还不上")
		if a.Action != "open_affordability" || asked != c.BorrowerID {
			t.Fatalf("answer = %+v (offers asked for %d); want the affordability form", a, asked)
		}
		r := a.Replies[0]
		if !slices.ContainsFunc(r.Links, func(l chat.Link) bool { return l.Kind == "plan_form" && l.URL == "/my/plan" }) ||
			!strings.Contains(r.Text, "有2个方案") {
			t.Errorf("reply = %+v; want the form's link and the 2 offers", r)
		}
		if flags := e.borrowerFlags(t, c.BorrowerID); !slices.Contains(flags, compliance.FlagHardship) {
			t.Errorf("flags = %v; want hardship", flags)
		}
	})
}

// A reply the governor refuses for good is withheld: a borrower already
// flagged vulnerable who asks the bot for the balance gets a neutral notice
// that a person will reply, and a person gets the conversation.
func TestRefusedReplyIsWithheld(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		c := e.openCase(t)
		err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			flags := []string{compliance.FlagSeriousIllness}
			_, err := tx.UpdateBorrower(ctx, c.BorrowerID, sqlstore.BorrowerUpdate{Flags: &flags})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		a := e.say(t, c.BorrowerID, "我还欠多少钱")
		r := a.Replies[0]
		if !r.Withheld || strings.Contains(r.Text, "元") || !a.Handover || a.TaskID == 0 {
			t.Fatalf("answer = %+v; want the balance withheld, a neutral notice and a handover", a)
		}
		if task := e.task(t, c.ID, a.TaskID); task.Kind != chat.TaskHandover || !strings.Contains(task.Detail, compliance.RuleVulnerableAutomation) {
			t.Errorf("task = %+v; want a handover naming the rule", task)
		}
		log := e.botAttempts(t, c.BorrowerID)
		if out := log[len(log)-1]; out.Content != r.Text || !out.Decision.Fired(compliance.RuleVulnerableAutomation) {
			t.Errorf("reply record = %q %v; want the notice sent, the refusal kept", out.Content, out.Decision.Rules)
		}
	})
}

// A conversation handed to a person stays with people while the borrower
// keeps writing, and comes back to the bot after HandoverExpiry of silence.
func TestHandoverExpires(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		c := e.openCase(t)
		if a := e.say(t, c.BorrowerID, "转人工"); !a.Handover || a.TaskID == 0 {
			t.Fatalf("answer = %+v; want a handover with a task", a)
		}
		e.setClock(e.clock().Add(2 * time.Hour))
		if a := e.say(t, c.BorrowerID, "我还欠多少钱"); !a.Handover || a.Action != "" {
			t.Fatalf("two hours later: %+v; want the person to answer", a)
		}
		e.setClock(e.clock().Add(73 * time.Hour))
		if a := e.say(t, c.BorrowerID, "我还欠多少钱"); a.Handover || a.Action != "answer_balance" {
			t.Errorf("73 hours of silence later: %+v; want the bot to answer again", a)
		}
	})
}
