package selfservice_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/gateway"
	"accord/internal/money"
	"accord/internal/offer"
	"accord/internal/selfservice"
	"accord/internal/sqlstore"
)

func TestService_PlanAcceptedOnTheSpot(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		// A supervisor's authority (36 months) covers this debtor's plans;
		// the default, a collector's (12), covers some debtors' only
		// (TestService_DefaultAutoApprovalQualifies).
		e := newEnv(t, open(t), selfservice.Policy{AutoApproval: offer.Supervisor})
		d := e.debtors(t, 1)[0]
		who := e.signIn(t, d).Borrower
		_, err := e.self.RequestPlan(ctx, who, selfservice.Affordability{MonthlyIncome: -1})
		wantCode(t, err, errs.Invalid)

		plan, err := e.self.RequestPlan(ctx, who, selfservice.Affordability{MonthlyIncome: money.Yuan(8000),
			OtherDebtPayments: money.Yuan(500), Dependants: 1, Hardship: offer.IncomeDrop, HardshipMonths: 6})
		if err != nil {
			t.Fatal(err)
		}
		if plan.CaseID != d.caseID || plan.AssessmentID == 0 || len(plan.Offers) == 0 {
			t.Fatalf("plan = %+v", plan)
		}
		var auto, review *selfservice.PlanOffer
		for i := range plan.Offers {
			o := &plan.Offers[i]
			if o.Auto && auto == nil {
				auto = o
			}
			if !o.Auto && review == nil {
				review = o
			}
		}
		if auto == nil {
			t.Fatalf("no offer within the auto-approval policy among %d", len(plan.Offers))
		}
		// Every offer waits in the approval inbox with the assessment.
		pending, err := e.neg.PendingOffers(ctx, collect.System("lead"))
		if err != nil {
			t.Fatal(err)
		}
		inbox := 0
		for _, o := range pending {
			if o.CaseID == d.caseID && o.AssessmentID == plan.AssessmentID {
				inbox++
			}
		}
		if inbox != len(plan.Offers) {
			t.Errorf("%d of the case's %d offers in the approval inbox", inbox, len(plan.Offers))
		}
		if review != nil {
			_, err := e.self.AcceptOffer(ctx, who, review.ID)
			wantCode(t, err, errs.Forbidden)
		}
		other := e.debtors(t, 2)[1]
		if _, err := e.self.AcceptOffer(ctx, e.signIn(t, other).Borrower, auto.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("another borrower accepted the offer: %v", err)
		}

		acc, err := e.self.AcceptOffer(ctx, who, auto.ID)
		if err != nil {
			t.Fatal(err)
		}
		var msgID int64
		e.read(t, func(tx *sqlstore.Tx) error {
			a, err := tx.Agreement(ctx, acc.AgreementID)
			msgID = a.MessageID
			return err
		})
		code := e.codeOf(t, msgID)
		_, err = e.self.ConfirmAgreement(ctx, who, acc.AgreementID, "x"+code)
		wantCode(t, err, errs.Invalid)
		a, err := e.self.ConfirmAgreement(ctx, who, acc.AgreementID, code)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != sqlstore.AgreementAccepted || a.Method != "sms_code" {
			t.Errorf("agreement = %s by %s, want accepted by sms_code", a.Status, a.Method)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM plans WHERE case_id = ?", d.caseID); n != 1 {
			t.Errorf("%d plans activated on the case, want 1", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'offer.approve' AND actor_username = 'portal:auto-approval'"); n != 1 {
			t.Errorf("%d auto-approvals audited, want 1", n)
		}
	})
}

func TestService_PayThroughGateway(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), selfservice.Policy{})
		d := e.debtors(t, 1)[0]
		who := e.signIn(t, d).Borrower
		before, err := e.self.Balance(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		var owed money.Amount
		for _, st := range before {
			if st.LoanID == d.loanID {
				owed = st.Overdue
			}
		}
		_, err = e.self.StartPayment(ctx, who, d.loanID, 0)
		wantCode(t, err, errs.Invalid)
		_, err = e.self.StartPayment(ctx, who, e.debtors(t, 2)[1].loanID, 100)
		wantCode(t, err, errs.NotFound)

		amount := min(owed, money.Yuan(200))
		o, err := e.self.StartPayment(ctx, who, d.loanID, amount)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(o.PayURL, e.local.Base+"/pay/") {
			t.Fatalf("pay URL = %q", o.PayURL)
		}
		payments := func() int {
			return e.count(t, "SELECT COUNT(*) FROM payments WHERE loan_id = ? AND external_id LIKE 'gw:%'", d.loanID)
		}
		refusedAudits := func() int {
			return e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'gateway.callback_refused'")
		}

		// The borrower pays: the callback posts the payment once.
		first, err := e.local.Settle(ctx, o.GatewayNo, gateway.StatusPaid)
		if err != nil || first.Status != http.StatusOK {
			t.Fatalf("callback answered %d %q, %v", first.Status, first.Answer, err)
		}
		if n := payments(); n != 1 {
			t.Fatalf("%d gateway payments after the callback, want 1", n)
		}
		got, err := e.self.PaymentOrder(ctx, who, o.OrderID)
		if err != nil || got.Status != sqlstore.OrderPaid || got.PaymentID == 0 || got.TxnID == "" {
			t.Fatalf("order = %+v, %v", got, err)
		}
		after, _ := e.self.Balance(ctx, who)
		for _, st := range after {
			if st.LoanID == d.loanID && st.Overdue != owed-amount {
				t.Errorf("overdue after paying %s = %s, want %s", amount, st.Overdue, owed-amount)
			}
		}

		// Replayed as it was: refused (same nonce), nothing posted.
		replay, err := e.local.Deliver(ctx, gateway.Delivery{URL: first.URL, Header: first.Header, Body: first.Body})
		if err != nil || replay.Status != http.StatusUnauthorized {
			t.Errorf("replay answered %d %q, %v; want 401", replay.Status, replay.Answer, err)
		}
		// Forged: the amount changed, the signature kept.
		forged := strings.Replace(string(first.Body), `"amount_fen":`+strconv.FormatInt(int64(amount), 10), `"amount_fen":1`, 1)
		h := first.Header.Clone()
		h.Set(gateway.HeaderNonce, gateway.NewNonce())
		if f, _ := e.local.Deliver(ctx, gateway.Delivery{URL: first.URL, Header: h, Body: []byte(forged)}); f.Status != http.StatusUnauthorized {
			t.Errorf("forged callback answered %d %q; want 401", f.Status, f.Answer)
		}
		// Signed with another secret.
		thief := gateway.NewLocal(merchant, "guessed")
		if f, _ := thief.Send(ctx, first.URL, first.Body, e.clock()); f.Status != http.StatusUnauthorized {
			t.Errorf("callback signed with another secret answered %d; want 401", f.Status)
		}
		// Late: signed 10 minutes ago.
		if f, _ := e.local.Send(ctx, first.URL, first.Body, e.clock().Add(-10*time.Minute)); f.Status != http.StatusUnauthorized {
			t.Errorf("late callback answered %d; want 401", f.Status)
		}
		// The gateway retries with a new nonce: acknowledged, not posted again.
		retry, err := e.local.Settle(ctx, o.GatewayNo, gateway.StatusPaid)
		if err != nil || retry.Status != http.StatusOK || !strings.Contains(retry.Answer, "duplicate") {
			t.Errorf("retry answered %d %q, %v", retry.Status, retry.Answer, err)
		}
		if n := payments(); n != 1 {
			t.Fatalf("%d gateway payments after replays and retries, want 1", n)
		}
		if n := refusedAudits(); n != 4 {
			t.Errorf("%d refused callbacks audited, want 4 (replay, forged, wrong secret, late)", n)
		}

		// A correctly signed callback whose amount is not the order's.
		o2, err := e.self.StartPayment(ctx, who, d.loanID, 1_00)
		if err != nil {
			t.Fatal(err)
		}
		body := strings.Replace(string(first.Body), o.OrderID, o2.OrderID, 1)
		body = strings.Replace(body, o.GatewayNo, o2.GatewayNo, 1)
		if f, _ := e.local.Send(ctx, first.URL, []byte(body), e.clock()); f.Status != http.StatusBadRequest {
			t.Errorf("amount-mismatched callback answered %d %q; want 400", f.Status, f.Answer)
		}
		if got, _ := e.self.PaymentOrder(ctx, who, o2.OrderID); got.Status != sqlstore.OrderCreated {
			t.Errorf("order 2 = %s after a mismatched callback, want created", got.Status)
		}
		if n := payments(); n != 1 {
			t.Errorf("%d gateway payments, want 1", n)
		}
		if n := refusedAudits(); n != 5 {
			t.Errorf("%d refused callbacks audited, want 5", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'gateway.payment_posted'"); n != 1 {
			t.Errorf("%d payments posted in the audit log, want 1", n)
		}
	})
}
