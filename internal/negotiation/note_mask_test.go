package negotiation_test

import (
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/money"
	"accord/internal/negotiation"
)

// TestFreeTextIsMasked: every free text taken through negotiation — a
// promise's note, a cancellation reason, a round's place and participants
// (as its notes), a support enrolment's reasons — is stored with phone
// numbers and national ids masked: on the record, the case timeline, the
// review task and the audit log.
func TestFreeTextIsMasked(t *testing.T) {
	t.Parallel()
	e := newEnv(t, openSQLite(t), 600)
	e.run(t, start)
	col := e.as(auth.Collector)
	c := pickCase(t, e, col, money.Yuan(600))
	const phone, id = "13912345678", "11010519491231002X"
	p, err := e.neg.RecordPromise(ctx, col, c.ID, negotiation.NewPromise{Amount: money.Yuan(100), Due: start.AddDays(2),
		Note: "本人承诺，新号码" + phone})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(p.Note, phone) || !strings.Contains(p.Note, "139****5678") {
		t.Errorf("promise note %q, want the phone masked", p.Note)
	}
	got, err := e.neg.CancelPromise(ctx, col, p.ID, "借款人要求改约，联系电话"+phone)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got.CancelReason, phone) || !strings.Contains(got.CancelReason, "139****5678") {
		t.Errorf("cancel reason %q, want the phone masked", got.CancelReason)
	}
	r, err := e.neg.AddRound(ctx, col, c.ID, negotiation.NewRound{PlaceKind: "home_visit", Place: "北京市朝阳区某路1号，门卫电话" + phone,
		Channel: "visit", Participants: []string{"collector", "借款人配偶（身份证" + id + "）"}, Situation: "失业", Outcome: "considering"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Place, phone) || strings.Contains(strings.Join(r.Participants, " "), id) {
		t.Errorf("round place %q, participants %q: want them masked", r.Place, r.Participants)
	}
	admin := e.as(auth.Admin)
	if err := e.neg.EnrollSupport(ctx, admin, c.ID, negotiation.Support{Reason: "失业，家属电话" + phone, Until: start.AddDays(60)}); err != nil {
		t.Fatal(err)
	}
	if err := e.neg.LeaveSupport(ctx, admin, c.ID, "已复工，本人新号"+phone); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SELECT COUNT(*) FROM promises WHERE note LIKE ? OR cancel_reason LIKE ?",
		"SELECT COUNT(*) FROM case_events WHERE zh LIKE ? OR en LIKE ?",
		"SELECT COUNT(*) FROM tasks WHERE detail LIKE ? OR detail LIKE ?",
		"SELECT COUNT(*) FROM negotiation_rounds WHERE place LIKE ? OR participants LIKE ?",
		"SELECT COUNT(*) FROM audit_events WHERE summary LIKE ? OR summary LIKE ?",
	} {
		if n := e.count(t, q, "%"+phone+"%", "%"+id+"%"); n != 0 {
			t.Errorf("%s: %d rows hold the unmasked phone or id", q, n)
		}
	}
	if n := e.count(t, "SELECT COUNT(*) FROM case_events WHERE zh LIKE ?", "%139****5678%"); n < 2 {
		t.Errorf("%d timeline events keep the masked number, want the cancellation and the support events", n)
	}
}
