package negotiation_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// recorder is an Activator that keeps what it was given.
type recorder struct {
	mu   sync.Mutex
	got  []negotiation.Agreement
	fail error
}

func (r *recorder) Activate(_ context.Context, _ *sqlstore.Tx, a negotiation.Agreement) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.got = append(r.got, a)
	return nil
}

// lowIncome is an assessment under which the borrower cannot pay the
// contract installment, so the engine offers waivers and settlements.
func lowIncome() negotiation.NewAssessment {
	return negotiation.NewAssessment{Assessment: offer.Assessment{MonthlyIncome: money.Yuan(4200), IncomeEvidence: "payslip",
		OtherDebtPayments: money.Yuan(300), Dependants: 1, LiquidAssets: money.Yuan(100), Hardship: offer.JobLoss,
		HardshipMonths: 2, Willingness: offer.Willing}, Evidence: "三个月工资流水，联系电话13800138000"}
}

func wantCode(t *testing.T, what string, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("%s: error %v (code %q), want %q", what, err, errs.CodeOf(err), code)
	}
}

func findOffer(offers []sqlstore.Offer, ok func(sqlstore.Offer) bool) (sqlstore.Offer, bool) {
	for _, o := range offers {
		if ok(o) {
			return o, true
		}
	}
	return sqlstore.Offer{}, false
}

var codeRE = regexp.MustCompile(`(?:确认码为|code is )(\d{6})`)

// sentCode reads the code out of the SMS of agreement a, as the borrower
// would.
func (e *env) sentCode(t *testing.T, a sqlstore.Agreement) string {
	t.Helper()
	var body string
	e.read(t, func(tx *sqlstore.Tx) error {
		m, err := tx.Message(ctx, a.MessageID)
		if err != nil {
			return err
		}
		err = tx.RenderMessageSecret(ctx, &m) // as the sender would
		body = m.Body
		return err
	})
	m := codeRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code in the message %q", body)
	}
	return m[1]
}

func TestNegotiation_EndToEnd(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 600)
		e.run(t, start)
		act := &recorder{}
		e.neg.UseActivator(act)
		col, sup, adm := e.as(auth.Collector), e.as(auth.Supervisor), e.as(auth.Admin)
		c := pickCase(t, e, col, money.Yuan(600))

		// Assessments are versioned; offers need one first.
		if _, err := e.neg.ProposeOffers(ctx, col, c.ID); !errors.Is(err, negotiation.ErrNoAssessment) {
			t.Fatalf("ProposeOffers before any assessment: %v, want ErrNoAssessment", err)
		}
		bad := lowIncome()
		bad.MonthlyIncome = -1
		_, err := e.neg.Assess(ctx, col, c.ID, bad)
		wantCode(t, "negative income", err, errs.Invalid)
		if !strings.Contains(errs.MessageOf(err)+err.Error(), "monthly_income") {
			t.Errorf("the error does not name the field: %v", err)
		}
		in := lowIncome()
		in.MonthlyIncome = money.Yuan(9000)
		a1, err := e.neg.Assess(ctx, col, c.ID, in)
		if err != nil {
			t.Fatalf("Assess: %v", err)
		}
		a2, err := e.neg.Assess(ctx, col, c.ID, lowIncome())
		if err != nil {
			t.Fatalf("Assess again: %v", err)
		}
		if a1.Version != 1 || a2.Version != 2 || a2.Result.Sustainable >= a1.Result.Sustainable || len(a2.Result.Steps) == 0 {
			t.Errorf("assessments v%d (sustainable %s), v%d (%s)", a1.Version, a1.Result.Sustainable, a2.Version, a2.Result.Sustainable)
		}
		if strings.Contains(a2.Evidence, "13800138000") {
			t.Errorf("the evidence note was stored unmasked: %q", a2.Evidence)
		}
		list, err := e.neg.Assessments(ctx, col, c.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("Assessments = %d, %v; want both versions", len(list), err)
		}

		// The proposer never approves their own offer.
		own, err := e.neg.ProposeOffers(ctx, sup, c.ID)
		if err != nil {
			t.Fatalf("ProposeOffers by the supervisor: %v", err)
		}
		_, err = e.neg.ApproveOffer(ctx, sup, own[0].ID, "ok")
		if !errors.Is(err, negotiation.ErrOwnOffer) {
			t.Fatalf("approving one's own offer: %v, want ErrOwnOffer", err)
		}

		// The collector proposes; the supervisor's earlier offers expire.
		offers, err := e.neg.ProposeOffers(ctx, col, c.ID)
		if err != nil {
			t.Fatalf("ProposeOffers: %v", err)
		}
		if len(offers) < 3 || offers[0].AssessmentID != a2.ID || offers[0].TeamID == 0 || offers[0].Rank != 1 {
			t.Fatalf("offers: %d, first %+v", len(offers), offers[0])
		}
		all, err := e.neg.Offers(ctx, col, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range all {
			if o.AssessmentID == a2.ID && o.ProposedBy == "supervisor" && o.Status != sqlstore.OfferExpired {
				t.Errorf("the supervisor's offer %d is %s after a new proposal, want expired", o.ID, o.Status)
			}
		}
		_, err = e.neg.ApproveOffer(ctx, col, offers[0].ID, "ok")
		wantCode(t, "a collector approving", err, errs.Forbidden)
		if _, err := e.neg.Offers(ctx, e.as(auth.FieldAgent), c.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a field agent outside the case's scope lists its offers: %v", err)
		}

		// Above the approver's authority.
		pol := e.neg.OfferPolicy()
		high, ok := findOffer(offers, func(o sqlstore.Offer) bool {
			return !pol.Authority.MayApprove(offer.Supervisor, o.Offer.Concession) && o.Offer.Approval == offer.Manager
		})
		if !ok {
			t.Fatal("no offer needs a manager")
		}
		_, err = e.neg.ApproveOffer(ctx, sup, high.ID, "ok")
		wantCode(t, "approval above the supervisor's authority", err, errs.Forbidden)
		if !strings.Contains(err.Error(), "manager") {
			t.Errorf("the refusal does not say who may approve: %v", err)
		}

		// The team's budget: exhausted, refused with what is used.
		mid, ok := findOffer(offers, func(o sqlstore.Offer) bool {
			return o.Concession > 0 && pol.Authority.MayApprove(offer.Supervisor, o.Offer.Concession)
		})
		if !ok {
			t.Fatal("no offer with a concession a supervisor may approve")
		}
		e.neg.UseBudgetShare(decimal.MustParse("0.000001"))
		_, err = e.neg.ApproveOffer(ctx, sup, mid.ID, "ok")
		var be *negotiation.BudgetError
		if !errors.As(err, &be) || errs.CodeOf(err) != errs.Conflict || !strings.Contains(err.Error(), "exhausted") {
			t.Fatalf("approval past the team budget: %v, want a Conflict *BudgetError", err)
		}
		if be.Needs != mid.Concession || be.Budget.Outstanding <= 0 || be.Budget.TeamID != mid.TeamID {
			t.Errorf("budget error %+v", be)
		}
		e.neg.UseBudgetShare(decimal.MustParse("0.5"))
		approved, err := e.neg.ApproveOffer(ctx, sup, mid.ID, "收入证明齐全")
		if err != nil {
			t.Fatalf("ApproveOffer: %v", err)
		}
		if approved.Status != sqlstore.OfferApproved || approved.DecidedBy != "supervisor" {
			t.Errorf("approved offer: %s by %s", approved.Status, approved.DecidedBy)
		}
		b, err := e.neg.TeamBudget(ctx, sup, mid.TeamID)
		if err != nil || b.Used != mid.Concession || b.Left != b.Budget-b.Used {
			t.Errorf("TeamBudget = %+v, %v; want %s used", b, err, mid.Concession)
		}
		if _, err := e.neg.ApproveOffer(ctx, adm, mid.ID, "again"); !errors.Is(err, negotiation.ErrOfferNotProposed) {
			t.Errorf("approving twice: %v", err)
		}
		_, err = e.neg.RejectOffer(ctx, sup, high.ID, " ")
		wantCode(t, "reject without a reason", err, errs.Invalid)
		if _, err := e.neg.RejectOffer(ctx, adm, high.ID, "本金减免过高"); err != nil {
			t.Fatalf("RejectOffer: %v", err)
		}
		rec, err := e.neg.Offer(ctx, col, mid.ID)
		if err != nil || len(rec.Decisions) != 2 || rec.Decisions[1].Action != "approve" || rec.Decisions[1].Level != "supervisor" {
			t.Errorf("approval record %+v, %v", rec.Decisions, err)
		}

		// The agreement, accepted by SMS code.
		if _, err := e.neg.CreateAgreement(ctx, col, high.ID); !errors.Is(err, negotiation.ErrOfferNotApproved) {
			t.Errorf("agreement from a rejected offer: %v", err)
		}
		ag, err := e.neg.CreateAgreement(ctx, col, mid.ID)
		if err != nil {
			t.Fatalf("CreateAgreement: %v", err)
		}
		if !strings.Contains(ag.TextZH, "还款计划") || !strings.Contains(ag.TextEN, "Schedule") ||
			!strings.Contains(ag.TextZH, mid.Offer.Schedule[0].Due.String()) {
			t.Errorf("agreement text:\n%s\n%s", ag.TextZH, ag.TextEN)
		}
		_, err = e.neg.ConfirmAcceptance(ctx, col, ag.ID, "123456")
		if !errors.Is(err, negotiation.ErrNoCode) {
			t.Errorf("confirm before a code was sent: %v", err)
		}
		ag, err = e.neg.SendAcceptanceCode(ctx, col, ag.ID)
		if err != nil {
			t.Fatalf("SendAcceptanceCode: %v", err)
		}
		code := e.sentCode(t, ag)
		if n := e.count(t, "SELECT COUNT(*) FROM negotiation_agreements WHERE code_hash = ? OR code_salt = ?", code, code); n != 0 {
			t.Error("the code is stored in the clear")
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		_, err = e.neg.ConfirmAcceptance(ctx, col, ag.ID, wrong)
		wantCode(t, "wrong code", err, errs.Invalid)
		for range negotiation.MaxCodeAttempts - 1 {
			_, _ = e.neg.ConfirmAcceptance(ctx, col, ag.ID, wrong)
		}
		if _, err := e.neg.ConfirmAcceptance(ctx, col, ag.ID, code); !errors.Is(err, negotiation.ErrTooManyAttempts) {
			t.Fatalf("the right code after %d wrong ones: %v, want ErrTooManyAttempts", negotiation.MaxCodeAttempts, err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'agreement.code_wrong'"); n != negotiation.MaxCodeAttempts {
			t.Errorf("wrong-code audit events = %d, want %d", n, negotiation.MaxCodeAttempts)
		}
		ag, err = e.neg.SendAcceptanceCode(ctx, col, ag.ID)
		if err != nil {
			t.Fatalf("SendAcceptanceCode again: %v", err)
		}
		stale := e.sentCode(t, ag)
		if ag.CodeExpiresAt.IsZero() {
			t.Fatal("no expiry")
		}
		e.setDay(date.FromTime(ag.CodeExpiresAt).AddDays(1))
		if _, err := e.neg.ConfirmAcceptance(ctx, col, ag.ID, stale); !errors.Is(err, negotiation.ErrCodeExpired) {
			t.Fatalf("a code a day old: %v, want ErrCodeExpired", err)
		}
		if len(act.got) != 0 {
			t.Fatalf("activated before acceptance: %+v", act.got)
		}
		ag, err = e.neg.SendAcceptanceCode(ctx, col, ag.ID)
		if err != nil {
			t.Fatalf("SendAcceptanceCode a third time: %v", err)
		}
		ag, err = e.neg.ConfirmAcceptance(ctx, col, ag.ID, e.sentCode(t, ag))
		if err != nil {
			t.Fatalf("ConfirmAcceptance: %v", err)
		}
		if ag.Status != sqlstore.AgreementAccepted || ag.Method != "sms_code" || ag.AcceptedAt.IsZero() {
			t.Errorf("accepted agreement: %s %s %v", ag.Status, ag.Method, ag.AcceptedAt)
		}
		if len(act.got) != 1 || act.got[0].ID != ag.ID || act.got[0].Offer.ID != mid.Offer.ID ||
			len(act.got[0].LoanIDs) != len(c.LoanIDs) || act.got[0].ActivatedBy != "collector" {
			t.Fatalf("activator got %+v", act.got)
		}
		rec, _ = e.neg.Offer(ctx, col, mid.ID)
		if rec.Status != sqlstore.OfferAccepted {
			t.Errorf("the accepted offer is %s", rec.Status)
		}
		if _, err := e.neg.ConfirmAcceptance(ctx, col, ag.ID, "123456"); !errors.Is(err, negotiation.ErrAgreementNotOpen) {
			t.Errorf("confirming twice: %v", err)
		}
		for _, action := range []string{"assessment.create", "offer.propose", "offer.approve", "offer.reject",
			"agreement.create", "agreement.send_code", "agreement.accept"} {
			if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = ?", action); n == 0 {
				t.Errorf("no %s audit event", action)
			}
		}
	})
}

func TestNegotiation_ActivationFailureLeavesAgreementPending(t *testing.T) {
	t.Parallel()
	e := newEnv(t, openSQLite(t), 600)
	e.run(t, start)
	act := &recorder{fail: errs.Errorf(errs.Conflict, "A loan is already under an active plan.")}
	e.neg.UseActivator(act)
	col, adm := e.as(auth.Collector), e.as(auth.Admin)
	c := pickCase(t, e, col, money.Yuan(600))
	if _, err := e.neg.Assess(ctx, col, c.ID, lowIncome()); err != nil {
		t.Fatal(err)
	}
	offers, err := e.neg.ProposeOffers(ctx, col, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.neg.UseBudgetShare(decimal.MustParse("1"))
	if _, err := e.neg.ApproveOffer(ctx, adm, offers[0].ID, "ok"); err != nil {
		t.Fatal(err)
	}
	ag, err := e.neg.CreateAgreement(ctx, col, offers[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.neg.UploadSignedCopy(ctx, col, ag.ID, negotiation.NewAttachment{Name: "signed.pdf",
		ContentType: "application/pdf", Data: []byte("%PDF signed")})
	wantCode(t, "activation refused", err, errs.Conflict)
	got, err := e.neg.Agreement(ctx, col, ag.ID)
	if err != nil || got.Status != sqlstore.AgreementPending {
		t.Fatalf("after a failed activation the agreement is %s (%v), want pending", got.Status, err)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM negotiation_rounds WHERE case_id = ?", c.ID); n != 0 {
		t.Errorf("a failed acceptance left %d rounds", n)
	}
	act.fail = nil
	got, err = e.neg.UploadSignedCopy(ctx, col, ag.ID, negotiation.NewAttachment{Name: "signed.pdf",
		ContentType: "application/pdf", Data: []byte("%PDF signed")})
	if err != nil {
		t.Fatalf("UploadSignedCopy: %v", err)
	}
	if got.Status != sqlstore.AgreementAccepted || got.Method != "signed_copy" || len(got.SignedSHA256) != 64 || len(act.got) != 1 {
		t.Errorf("accepted by signed copy: %+v (activations %d)", got, len(act.got))
	}
	rounds, err := e.neg.Rounds(ctx, col, c.ID)
	if err != nil || len(rounds) != 1 || len(rounds[0].Attachments) != 1 || rounds[0].Attachments[0].SHA256 != got.SignedSHA256 {
		t.Errorf("the signed copy's round: %+v, %v", rounds, err)
	}
	_ = collect.Actor{}
}

func TestAddRound(t *testing.T) {
	t.Parallel()
	e := newEnv(t, openSQLite(t), 600)
	e.run(t, start)
	col := e.as(auth.Collector)
	c := pickCase(t, e, col, money.Yuan(600))
	_, err := e.neg.AddRound(ctx, col, c.ID, negotiation.NewRound{PlaceKind: "home_visit", Channel: "visit",
		Participants: []string{"collector"}, Outcome: "considering"})
	wantCode(t, "home visit without an address", err, errs.Invalid)
	if !strings.Contains(err.Error(), "place") {
		t.Errorf("the error does not name place: %v", err)
	}
	_, err = e.neg.AddRound(ctx, col, c.ID, negotiation.NewRound{PlaceKind: "phone", Channel: "call",
		Participants: []string{"collector"}, Outcome: "considering", OffersMade: []int64{987654}})
	wantCode(t, "an offer of another case", err, errs.Invalid)
	r, err := e.neg.AddRound(ctx, col, c.ID, negotiation.NewRound{PlaceKind: "home_visit", Place: "北京市朝阳区某路1号",
		Channel: "visit", Participants: []string{"collector", "借款人本人"}, Situation: "失业，身份证11010519491231002X",
		CounterOffer: "每月800", KeyPoints: "下周再谈", Outcome: "counter_offer",
		Attachments: []negotiation.NewAttachment{{Name: "photo.jpg", ContentType: "image/jpeg", Data: []byte{0xff, 0xd8, 1, 2}}}})
	if err != nil {
		t.Fatalf("AddRound: %v", err)
	}
	if r.ID == 0 || len(r.Attachments) != 1 || len(r.Attachments[0].SHA256) != 64 || strings.Contains(r.Situation, "11010519491231002X") {
		t.Errorf("round %+v", r)
	}
	got, err := e.neg.Attachment(ctx, col, r.Attachments[0].ID)
	if err != nil || string(got.Data) != string([]byte{0xff, 0xd8, 1, 2}) || got.SHA256 != r.Attachments[0].SHA256 {
		t.Errorf("Attachment = %+v, %v", got, err)
	}
	if _, err := e.neg.Attachment(ctx, e.as(auth.FieldAgent), r.Attachments[0].ID); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("a field agent outside the scope reads the attachment: %v", err)
	}
	if _, err := e.neg.Rounds(ctx, e.as(auth.FieldAgent), c.ID); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("a field agent outside the scope lists the rounds: %v", err)
	}
	if _, err := e.neg.AddRound(ctx, e.as(auth.Auditor), c.ID, negotiation.NewRound{PlaceKind: "phone", Channel: "call",
		Participants: []string{"x"}, Outcome: "refused"}); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("an auditor adds a round: %v", err)
	}
}

// TestNegotiation_AcceptActivatesPlan accepts an agreement with the
// activation cmd/accord wires (Service.Activate): the loans get a plan in
// the same transaction.
func TestNegotiation_AcceptActivatesPlan(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 600)
		e.run(t, start)
		col, adm := e.as(auth.Collector), e.as(auth.Admin)
		c := pickCase(t, e, col, money.Yuan(600))
		if _, err := e.neg.Assess(ctx, col, c.ID, lowIncome()); err != nil {
			t.Fatal(err)
		}
		offers, err := e.neg.ProposeOffers(ctx, col, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.neg.UseBudgetShare(decimal.MustParse("1"))
		if _, err := e.neg.ApproveOffer(ctx, adm, offers[0].ID, "ok"); err != nil {
			t.Fatal(err)
		}
		ag, err := e.neg.CreateAgreement(ctx, col, offers[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		ag, err = e.neg.SendAcceptanceCode(ctx, col, ag.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.neg.ConfirmAcceptance(ctx, col, ag.ID, e.sentCode(t, ag)); err != nil {
			t.Fatalf("ConfirmAcceptance with the real activation: %v", err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM plans WHERE agreement_id = ? AND case_id = ?", ag.ID, c.ID); n != 1 {
			t.Errorf("plans of the agreement = %d, want 1", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM negotiation_agreements WHERE id = ? AND status = 'accepted'", ag.ID); n != 1 {
			t.Error("the agreement is not accepted")
		}
	})
}
