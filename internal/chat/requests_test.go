package chat_test

import (
	"testing"

	"accord/internal/compliance"
)

// Under the default CN profile the borrower's requests to the bot reach the
// contact governor (docs/GOVERNOR.md, "The borrower's requests"): after 别再
// 打了 a collector's call and an automated SMS are refused by
// CN-STOP-CONTACT, while the bot still answers the borrower's own next
// message (a reply they asked for); after a dispute a call is refused by
// CN-DISPUTE. Both engines.
func TestRequestsReachGovernorCN(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		stop := e.openCase(t)
		for _, ch := range []compliance.Channel{compliance.Call, compliance.SMS} {
			if d := e.check(t, stop.BorrowerID, ch, "lender"); d.Fired(compliance.RuleCNStopContact) {
				t.Fatalf("%s before the request: %v", ch, d.Rules)
			}
		}
		if a := e.say(t, stop.BorrowerID, "别再给我打电话了"); a.Action != "record_stop_contact" || a.Replies[0].Withheld {
			t.Fatalf("answer = %+v; want the request recorded and confirmed", a)
		}
		for _, ch := range []compliance.Channel{compliance.Call, compliance.SMS} {
			d := e.check(t, stop.BorrowerID, ch, "lender")
			if d.Allowed() || !d.Fired(compliance.RuleCNStopContact) {
				t.Errorf("%s after the stop request: %s %v; want refused by %s", ch, d.Action, d.Rules, compliance.RuleCNStopContact)
			}
		}
		a := e.say(t, stop.BorrowerID, "我还欠多少钱")
		if a.Action != "answer_balance" || a.Replies[0].Withheld || a.Handover {
			t.Errorf("the borrower's own question after the stop request: %+v; want it answered", a)
		}

		disputed := e.openCase(t, stop.BorrowerID)
		if a := e.say(t, disputed.BorrowerID, "这笔钱不是我借的"); a.Action != "open_dispute" {
			t.Fatalf("answer = %+v; want a dispute", a)
		}
		d := e.check(t, disputed.BorrowerID, compliance.Call, "lender")
		if d.Allowed() || !d.Fired(compliance.RuleCNDispute) {
			t.Errorf("a call after the dispute: %s %v; want suspended by %s", d.Action, d.Rules, compliance.RuleCNDispute)
		}
	})
}
