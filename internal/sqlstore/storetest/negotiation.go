package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// RunNegotiation runs the contract tests of the negotiation record store
// methods: assessments, offers and their approvals, rounds with
// attachments, and agreements.
func RunNegotiation(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"Assessments", testNegAssessments},
		{"Offers", testNegOffers},
		{"TeamBudget", testNegTeamBudget},
		{"Rounds", testNegRounds},
		{"Agreements", testNegAgreements},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

var negDay = date.MustParse("2026-03-10")

// negT is a business-clock time a use case passes in.
var negT = time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)

func negDebt() offer.Debt {
	return offer.Debt{Principal: money.Yuan(9000), Interest: money.Yuan(320), Penalty: 85_20, Fees: money.Yuan(50),
		AnnualRate: decimal.MustParse("0.18"), RemainingMonths: 8, MonthlyPayment: money.Yuan(1150)}
}

func negInput() offer.Assessment {
	return offer.Assessment{MonthlyIncome: money.Yuan(6000), IncomeEvidence: "payslip", OtherDebtPayments: money.Yuan(800),
		Dependants: 1, LiquidAssets: money.Yuan(500), Hardship: offer.IncomeDrop, HardshipMonths: 3, Willingness: offer.Willing}
}

// refused fails the test unless stmt, run in a write transaction, fails:
// the evidence tables refuse UPDATE and DELETE.
func refused(t *testing.T, db *sqlstore.DB, stmt string, args ...any) {
	t.Helper()
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var id int64
		return tx.Inspect(ctx, stmt, args...).Scan(&id)
	})
	if err == nil {
		t.Errorf("%s: accepted, want refused", stmt)
	}
}

func testNegAssessments(t *testing.T, db *sqlstore.DB) {
	pol := offer.DefaultPolicy()
	in := negInput()
	a1 := sqlstore.Assessment{BorrowerID: 10, CaseID: 3, Input: in, Evidence: "工资条三个月", AssessedBy: "lin", UserID: 4,
		Result: offer.Assess(in, negDebt(), pol)}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateAssessment(ctx, &a1) })
	in.MonthlyIncome = money.Yuan(4000)
	a2 := sqlstore.Assessment{BorrowerID: 10, CaseID: 3, Input: in, AssessedBy: "lin", Result: offer.Assess(in, negDebt(), pol)}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateAssessment(ctx, &a2) })
	other := sqlstore.Assessment{BorrowerID: 11, CaseID: 4, Input: in, AssessedBy: "wu", Result: a2.Result}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateAssessment(ctx, &other) })
	if a1.Version != 1 || a2.Version != 2 || other.Version != 1 || a1.ID == 0 || a2.ID == a1.ID {
		t.Fatalf("versions = %d, %d (other case %d), want 1, 2 (1)", a1.Version, a2.Version, other.Version)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Assessment(ctx, a1.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(a1, got); diff != "" {
			t.Errorf("Assessment(%d) (-stored +read):\n%s", a1.ID, diff)
		}
		if len(got.Result.Steps) == 0 || got.Result.Sustainable <= 0 || got.Result.DebtServiceRatio == nil {
			t.Errorf("result lost its arithmetic: %+v", got.Result)
		}
		latest, err := tx.LatestAssessment(ctx, 3)
		if err != nil {
			return err
		}
		if latest.ID != a2.ID || latest.Input.MonthlyIncome != money.Yuan(4000) {
			t.Errorf("LatestAssessment = %d (income %s), want %d", latest.ID, latest.Input.MonthlyIncome, a2.ID)
		}
		list, err := tx.Assessments(ctx, 3)
		if err != nil {
			return err
		}
		if len(list) != 2 || list[0].Version != 2 || list[1].Version != 1 {
			t.Errorf("Assessments = %d rows, want versions 2, 1", len(list))
		}
		_, err = tx.LatestAssessment(ctx, 99)
		wantCode(t, err, errs.NotFound)
		return nil
	})
	refused(t, db, "UPDATE negotiation_assessments SET income_minor = 1 WHERE id = ? RETURNING id", a1.ID)
	refused(t, db, "DELETE FROM negotiation_assessments WHERE id = ? RETURNING id", a1.ID)
}

// negOffers stores the engine's offers for one assessment of case 3.
func negOffers(t *testing.T, db *sqlstore.DB, team int64) []sqlstore.Offer {
	t.Helper()
	in := negInput()
	res, err := offer.Options(negDay, negDebt(), in, "willing_unable", offer.History{}, offer.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	a := sqlstore.Assessment{BorrowerID: 10, CaseID: 3, Input: in, AssessedBy: "lin", Result: res.Affordability}
	var out []sqlstore.Offer
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreateAssessment(ctx, &a); err != nil {
			return err
		}
		for i, x := range res.Offers {
			o := sqlstore.Offer{BorrowerID: 10, CaseID: 3, AssessmentID: a.ID, Policy: res.Policy, AsOf: negDay, Rank: i + 1,
				TeamID: team, Offer: x, ProposedBy: "lin", ProposedByID: 4}
			if err := tx.CreateOffer(ctx, &o); err != nil {
				return err
			}
			out = append(out, o)
		}
		return nil
	})
	if len(out) < 3 {
		t.Fatalf("the engine proposed %d offers, want several", len(out))
	}
	return out
}

func testNegOffers(t *testing.T, db *sqlstore.DB) {
	offers := negOffers(t, db, 2)
	first := offers[0]
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Offer(ctx, first.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(first, got); diff != "" {
			t.Errorf("Offer(%d) (-stored +read):\n%s", first.ID, diff)
		}
		if got.Status != sqlstore.OfferProposed || got.Concession != got.Offer.Waived.Total() {
			t.Errorf("status %s concession %s, want proposed and the waived total", got.Status, got.Concession)
		}
		list, err := tx.Offers(ctx, sqlstore.OfferFilter{CaseID: 3})
		if err != nil {
			return err
		}
		if len(list) != len(offers) || list[0].ID != first.ID {
			t.Errorf("Offers = %d, first %d; want %d in rank order", len(list), list[0].ID, len(offers))
		}
		return nil
	})
	approve := sqlstore.OfferDecision{From: []sqlstore.OfferStatus{sqlstore.OfferProposed}, To: sqlstore.OfferApproved,
		By: "zhao", ByID: 7, Reason: "收入证明齐全", At: negT}
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.DecideOffer(ctx, first.ID, approve); err != nil {
			return err
		}
		d := sqlstore.Decision{BorrowerID: 10, OfferID: first.ID, Action: "approve", Username: "zhao", UserID: 7,
			Level: "supervisor", Reason: "收入证明齐全"}
		return tx.AddDecision(ctx, &d)
	})
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.DecideOffer(ctx, first.ID, approve) })
	wantCode(t, err, errs.Conflict)
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.DecideOffer(ctx, 999999, approve) })
	wantCode(t, err, errs.NotFound)
	var expired int
	write(t, db, func(tx *sqlstore.Tx) error {
		var err error
		expired, err = tx.ExpireOffers(ctx, 3, first.ID)
		return err
	})
	if expired != len(offers)-1 {
		t.Errorf("ExpireOffers = %d, want %d", expired, len(offers)-1)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Offer(ctx, first.ID)
		if err != nil {
			return err
		}
		if got.Status != sqlstore.OfferApproved || got.DecidedBy != "zhao" || !got.DecidedAt.Equal(negT) || got.DecisionReason != "收入证明齐全" {
			t.Errorf("approved offer = %s by %q at %v (%q)", got.Status, got.DecidedBy, got.DecidedAt, got.DecisionReason)
		}
		left, err := tx.Offers(ctx, sqlstore.OfferFilter{CaseID: 3, Statuses: []sqlstore.OfferStatus{sqlstore.OfferExpired}})
		if len(left) != len(offers)-1 {
			t.Errorf("expired offers = %d, want %d", len(left), len(offers)-1)
		}
		ds, err := tx.Decisions(ctx, first.ID)
		if err != nil {
			return err
		}
		if len(ds) != 1 || ds[0].Username != "zhao" || ds[0].Level != "supervisor" || ds[0].At.IsZero() {
			t.Errorf("Decisions = %+v", ds)
		}
		return err
	})
	refused(t, db, "UPDATE negotiation_decisions SET username = 'x' WHERE offer_id = ? RETURNING id", first.ID)
	refused(t, db, "DELETE FROM negotiation_decisions WHERE offer_id = ? RETURNING id", first.ID)
}

func testNegTeamBudget(t *testing.T, db *sqlstore.DB) {
	tm := cwTeam(t, db, "协商一组")
	col := cwCollector(t, db, tm.ID, "林", 0)
	c1, c2 := cwNewCase(21), cwNewCase(22)
	c1.Owner.Kind, c1.Owner.ID = "collector", col.ID
	c2.Owner.Kind, c2.Owner.ID = "collector", col.ID
	cwInsert(t, db, &c1, &c2)
	offers := negOffers(t, db, tm.ID)
	var waived *sqlstore.Offer
	for i := range offers {
		if offers[i].Concession > 0 {
			waived = &offers[i]
			break
		}
	}
	if waived == nil {
		t.Fatal("no offer waives anything")
	}
	now := time.Now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	read(t, db, func(tx *sqlstore.Tx) error {
		out, err := tx.TeamOutstanding(ctx, tm.ID)
		if err != nil {
			return err
		}
		if out != money.Yuan(18000) {
			t.Errorf("TeamOutstanding = %s, want 18000.00", out)
		}
		used, err := tx.TeamConcessions(ctx, tm.ID, month, month.AddDate(0, 1, 0))
		if used != 0 {
			t.Errorf("TeamConcessions before any approval = %s", used)
		}
		return err
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.DecideOffer(ctx, waived.ID, sqlstore.OfferDecision{From: []sqlstore.OfferStatus{sqlstore.OfferProposed},
			To: sqlstore.OfferApproved, By: "zhao", ByID: 7})
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		used, err := tx.TeamConcessions(ctx, tm.ID, month.AddDate(0, -1, 0), month.AddDate(0, 2, 0))
		if used != waived.Concession {
			t.Errorf("TeamConcessions = %s, want the approved offer's %s", used, waived.Concession)
		}
		other, _ := tx.TeamConcessions(ctx, tm.ID+1, month.AddDate(0, -1, 0), month.AddDate(0, 2, 0))
		if other != 0 {
			t.Errorf("another team's concessions = %s", other)
		}
		return err
	})
	write(t, db, func(tx *sqlstore.Tx) error { _, err := tx.ExpireOffers(ctx, 3, 0); return err })
	read(t, db, func(tx *sqlstore.Tx) error {
		used, err := tx.TeamConcessions(ctx, tm.ID, month.AddDate(0, -1, 0), month.AddDate(0, 2, 0))
		if used != 0 {
			t.Errorf("TeamConcessions after the approved offer expired = %s, want 0", used)
		}
		return err
	})
}

func testNegRounds(t *testing.T, db *sqlstore.DB) {
	held := time.Date(2026, 3, 10, 3, 15, 0, 0, time.UTC)
	scan := []byte("%PDF-1.4 收入证明")
	r := sqlstore.Round{BorrowerID: 10, CaseID: 3, HeldAt: held, PlaceKind: "home_visit", Place: "北京市朝阳区某路1号",
		Channel: "visit", Participants: []string{"lin", "借款人本人"}, Situation: "失业三个月，新工作下月开始",
		OffersMade: []int64{5, 6}, CounterOffer: "每月只能还800", KeyPoints: "同意先还500", Outcome: "counter_offer",
		RecordedBy: "lin", UserID: 4,
		Attachments: []sqlstore.Attachment{{Name: "income.pdf", ContentType: "application/pdf", Data: scan}}}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateRound(ctx, &r) })
	sum := sha256.Sum256(scan)
	if r.ID == 0 || r.Attachments[0].SHA256 != hex.EncodeToString(sum[:]) || r.Attachments[0].Size != int64(len(scan)) {
		t.Fatalf("round %d attachment %+v", r.ID, r.Attachments[0])
	}
	r2 := sqlstore.Round{BorrowerID: 10, CaseID: 3, HeldAt: held.Add(time.Hour), PlaceKind: "phone", Channel: "call",
		Participants: []string{"lin"}, OffersMade: []int64{}, Outcome: "accepted", RecordedBy: "lin"}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateRound(ctx, &r2) })
	read(t, db, func(tx *sqlstore.Tx) error {
		list, err := tx.Rounds(ctx, 3)
		if err != nil {
			return err
		}
		if len(list) != 2 || list[0].ID != r.ID || list[1].ID != r2.ID {
			t.Fatalf("Rounds = %d rows, want %d then %d", len(list), r.ID, r2.ID)
		}
		want := r
		want.Attachments = []sqlstore.Attachment{r.Attachments[0]}
		want.Attachments[0].Data = nil
		if diff := cmp.Diff(want, list[0]); diff != "" {
			t.Errorf("Rounds[0] (-stored +read):\n%s", diff)
		}
		a, err := tx.Attachment(ctx, r.Attachments[0].ID)
		if err != nil {
			return err
		}
		if cid, err := tx.RoundCase(ctx, a.RoundID); err != nil || cid != 3 {
			t.Errorf("RoundCase(%d) = %d, %v; want 3", a.RoundID, cid, err)
		}
		if _, err := tx.RoundCase(ctx, 999999); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("RoundCase of a missing round: %v", err)
		}
		if string(a.Data) != string(scan) || a.SHA256 != r.Attachments[0].SHA256 {
			t.Errorf("Attachment data %q sha %s", a.Data, a.SHA256)
		}
		return nil
	})
	big := sqlstore.Round{BorrowerID: 10, CaseID: 3, HeldAt: held, PlaceKind: "phone", Channel: "call", Outcome: "no_agreement",
		RecordedBy: "lin", Attachments: []sqlstore.Attachment{{Name: "big.bin", Data: make([]byte, sqlstore.MaxAttachment+1)}}}
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.CreateRound(ctx, &big) })
	wantCode(t, err, errs.Invalid)
	refused(t, db, "UPDATE negotiation_rounds SET outcome = 'accepted' WHERE id = ? RETURNING id", r.ID)
	refused(t, db, "DELETE FROM negotiation_rounds WHERE id = ? RETURNING id", r.ID)
	refused(t, db, "UPDATE negotiation_attachments SET sha256 = 'x' WHERE round_id = ? RETURNING id", r.ID)
	refused(t, db, "DELETE FROM negotiation_attachments WHERE round_id = ? RETURNING id", r.ID)
}

func testNegAgreements(t *testing.T, db *sqlstore.DB) {
	o := negOffers(t, db, 0)[0]
	a := sqlstore.Agreement{BorrowerID: 10, CaseID: 3, OfferID: o.ID, LoanIDs: []int64{7, 8}, Offer: o.Offer,
		TextZH: "还款协议", TextEN: "Repayment agreement", CreatedBy: "lin", CreatedByID: 4}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateAgreement(ctx, &a) })
	dup := a
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.CreateAgreement(ctx, &dup) })
	wantCode(t, err, errs.Conflict)
	exp := time.Date(2026, 3, 10, 2, 45, 0, 0, time.UTC)
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.SetAgreementCode(ctx, a.ID, "hash1", "salt1", exp, 41); err != nil {
			return err
		}
		if err := tx.CountAgreementAttempt(ctx, a.ID); err != nil {
			return err
		}
		return tx.CountAgreementAttempt(ctx, a.ID)
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Agreement(ctx, a.ID)
		if err != nil {
			return err
		}
		if got.CodeHash != "hash1" || got.CodeSalt != "salt1" || !got.CodeExpiresAt.Equal(exp) || got.CodeAttempts != 2 ||
			got.CodesSent != 1 || got.MessageID != 41 || got.Status != sqlstore.AgreementPending {
			t.Errorf("after a code and two attempts: %+v", got)
		}
		if diff := cmp.Diff(o.Offer, got.Offer); diff != "" || len(got.LoanIDs) != 2 {
			t.Errorf("agreement offer (-want +got):\n%s (loans %v)", diff, got.LoanIDs)
		}
		list, err := tx.Agreements(ctx, 3)
		if err != nil || len(list) != 1 || list[0].ID != a.ID || list[0].CodeAttempts != 2 {
			t.Errorf("Agreements(3) = %+v, %v", list, err)
		}
		byOffer, err := tx.AgreementByOffer(ctx, o.ID)
		if byOffer.ID != a.ID {
			t.Errorf("AgreementByOffer = %d, want %d", byOffer.ID, a.ID)
		}
		return err
	})
	write(t, db, func(tx *sqlstore.Tx) error { return tx.AcceptAgreement(ctx, a.ID, time.Time{}, "sms_code", "") })
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.AcceptAgreement(ctx, a.ID, negT, "signed_copy", "ab") })
	wantCode(t, err, errs.Conflict)
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.CountAgreementAttempt(ctx, 999999) })
	wantCode(t, err, errs.NotFound)
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Agreement(ctx, a.ID)
		if got.Status != sqlstore.AgreementAccepted || got.Method != "sms_code" || got.AcceptedAt.IsZero() || got.CodeHash != "" {
			t.Errorf("accepted agreement: %+v", got)
		}
		return err
	})
}
