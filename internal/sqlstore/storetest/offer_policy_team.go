package storetest

import (
	"encoding/json"
	"testing"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// RunOfferPolicyTeam runs the contract tests of the policy recorded with
// each offer and of the teams' versioned negotiation settings.
func RunOfferPolicyTeam(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"PolicyUsed", testOfferPolicyUsed},
		{"TeamSettings", testTeamNegotiation},
		{"SupportProgramme", testSupportProgramme},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

func testOfferPolicyUsed(t *testing.T, db *sqlstore.DB) {
	offers := negOffers(t, db, 0)
	v := saveOfferPolicy(t, db, "gentle", "lin")
	body := json.RawMessage(`{"name":"gentle","max_term_months":24}`)
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.SaveOfferPolicyUsed(ctx, 10, sqlstore.OfferPolicyUsed{OfferID: offers[0].ID, PolicyID: v.ID, ExperimentID: 7, Body: body}); err != nil {
			return err
		}
		return tx.SaveOfferPolicyUsed(ctx, 10, sqlstore.OfferPolicyUsed{OfferID: offers[1].ID, Body: json.RawMessage(`{"name":"default"}`)})
	})
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.SaveOfferPolicyUsed(ctx, 10, sqlstore.OfferPolicyUsed{OfferID: offers[0].ID, Body: body})
	})
	if errs.CodeOf(err) != errs.Conflict {
		t.Errorf("a second policy for one offer: %v, want Conflict", err)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		u, err := tx.OfferPolicyUsed(ctx, offers[0].ID)
		if err != nil {
			return err
		}
		if u.PolicyID != v.ID || u.ExperimentID != 7 || string(u.Body) != string(body) || u.OfferID != offers[0].ID {
			t.Errorf("policy of offer %d = %+v, want version %d and the body as saved", offers[0].ID, u, v.ID)
		}
		if u, err = tx.OfferPolicyUsed(ctx, offers[1].ID); err != nil || u.PolicyID != 0 {
			t.Errorf("policy of offer %d = %+v, %v; want the configured one (id 0)", offers[1].ID, u, err)
		}
		if _, err := tx.OfferPolicyUsed(ctx, offers[2].ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("an offer without a recorded policy: %v, want NotFound", err)
		}
		// The experiment's totals count only the offers its split chose.
		all, err := tx.OfferPolicyTotals(ctx, offers[0].Policy, offers[0].AsOf, 0)
		if err != nil {
			return err
		}
		arm, err := tx.ExperimentArmTotals(ctx, 7, offers[0].Policy, offers[0].AsOf, 0)
		if err != nil {
			return err
		}
		if all.Offers != len(offers) || arm.Offers != 1 || arm.Cases != 1 {
			t.Errorf("totals: all %d offers, experiment 7's arm %d; want %d and 1", all.Offers, arm.Offers, len(offers))
		}
		return nil
	})
}

func testTeamNegotiation(t *testing.T, db *sqlstore.DB) {
	a, b := cwTeam(t, db, "协商一组"), cwTeam(t, db, "协商二组")
	v := saveOfferPolicy(t, db, "gentle", "lin")
	read(t, db, func(tx *sqlstore.Tx) error {
		if _, err := tx.TeamNegotiation(ctx, a.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("settings of a team never configured: %v, want NotFound", err)
		}
		return nil
	})
	s1 := sqlstore.TeamNegotiation{TeamID: a.ID, Experiment: true, BudgetShare: "0.03", CreatedBy: "zhao", Note: "第一版"}
	s2 := sqlstore.TeamNegotiation{TeamID: a.ID, PolicyID: v.ID, Experiment: false, BudgetShare: "", CreatedBy: "qian"}
	sb := sqlstore.TeamNegotiation{TeamID: b.ID, Experiment: true, BudgetShare: "0.015", CreatedBy: "zhao"}
	write(t, db, func(tx *sqlstore.Tx) error {
		for _, s := range []*sqlstore.TeamNegotiation{&s1, &s2, &sb} {
			if err := tx.CreateTeamNegotiation(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if s1.Version != 1 || s2.Version != 2 || sb.Version != 1 || s2.CreatedAt.IsZero() {
		t.Fatalf("versions %d, %d, %d; want 1, 2 per team and 1", s1.Version, s2.Version, sb.Version)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.TeamNegotiation(ctx, a.ID)
		if err != nil {
			return err
		}
		if got.ID != s2.ID || got.PolicyID != v.ID || got.Experiment || got.BudgetShare != "" || got.CreatedBy != "qian" {
			t.Errorf("team %d's settings in force = %+v, want version 2 as saved", a.ID, got)
		}
		if got, err = tx.TeamNegotiation(ctx, b.ID); err != nil || !got.Experiment || got.BudgetShare != "0.015" {
			t.Errorf("team %d's settings = %+v, %v", b.ID, got, err)
		}
		hist, err := tx.TeamNegotiationHistory(ctx, a.ID)
		if err != nil {
			return err
		}
		if len(hist) != 2 || hist[0].Version != 2 || hist[1].Version != 1 || hist[1].Note != "第一版" || hist[1].BudgetShare != "0.03" {
			t.Errorf("history of team %d = %+v, want versions 2 then 1 as saved", a.ID, hist)
		}
		all, err := tx.TeamNegotiationHistory(ctx, 0)
		if err != nil {
			return err
		}
		if len(all) != 3 {
			t.Errorf("every team's history has %d versions, want 3", len(all))
		}
		return nil
	})
}

func testSupportProgramme(t *testing.T, db *sqlstore.DB) {
	read(t, db, func(tx *sqlstore.Tx) error {
		if _, err := tx.LatestSupportProgramme(ctx); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("LatestSupportProgramme before any save: %v, want NotFound", err)
		}
		return nil
	})
	v1 := sqlstore.SupportProgrammeVersion{Body: json.RawMessage(`{"messages":[]}`), CreatedBy: "zhao"}
	v2 := sqlstore.SupportProgrammeVersion{Body: json.RawMessage(`{"messages":[{"day":0,"zh":"欢迎","en":"Welcome"}]}`), CreatedBy: "qian"}
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreateSupportProgrammeVersion(ctx, &v1); err != nil {
			return err
		}
		return tx.CreateSupportProgrammeVersion(ctx, &v2)
	})
	if v1.Version != 1 || v2.Version != 2 {
		t.Fatalf("versions %d, %d", v1.Version, v2.Version)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.LatestSupportProgramme(ctx)
		if err != nil || got.ID != v2.ID || string(got.Body) != string(v2.Body) || got.CreatedBy != "qian" {
			t.Errorf("LatestSupportProgramme = %+v, %v; want version 2 as saved", got, err)
		}
		return nil
	})

	// Three borrowers: enrolled (flag and event), enrolled twice (the
	// latest event counts), and an event without the flag (left since).
	var ids [3]int64
	for i := range ids {
		b := newBorrower(900 + i)
		b.Flags = []string{"support_programme"}
		if i == 2 {
			b.Flags = []string{"vulnerable"}
		}
		write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateBorrower(ctx, &b) })
		ids[i] = b.ID
	}
	cs := []*sqlstore.Case{ptrCase(cwNewCase(ids[0])), ptrCase(cwNewCase(ids[1])), ptrCase(cwNewCase(ids[2]))}
	cwInsert(t, db, cs...)
	d1, d2 := date.MustParse("2026-03-02"), date.MustParse("2026-03-09")
	write(t, db, func(tx *sqlstore.Tx) error {
		var evs []sqlstore.CaseEvent
		for i, c := range cs {
			evs = append(evs, sqlstore.CaseEvent{CaseID: c.ID, BorrowerID: c.BorrowerID, On: d1, Kind: "plan", Code: "support.enrolled", ZH: "加入", EN: "in"})
			if i == 1 {
				evs = append(evs, sqlstore.CaseEvent{CaseID: c.ID, BorrowerID: c.BorrowerID, On: d2, Kind: "plan", Code: "support.enrolled", ZH: "再加入", EN: "again"})
			}
			evs = append(evs, sqlstore.CaseEvent{CaseID: c.ID, BorrowerID: c.BorrowerID, On: d2, Kind: "plan", Code: "other", ZH: "其他", EN: "other"})
		}
		_, err := tx.AddCaseEvents(ctx, evs)
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.SupportEnrolments(ctx, "support_programme", "support.enrolled", 0, 10)
		if err != nil {
			return err
		}
		want := []sqlstore.SupportEnrolment{{BorrowerID: ids[0], CaseID: cs[0].ID, EnrolledOn: d1}, {BorrowerID: ids[1], CaseID: cs[1].ID, EnrolledOn: d2}}
		if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("SupportEnrolments = %+v, want %+v", got, want)
		}
		if page, err := tx.SupportEnrolments(ctx, "support_programme", "support.enrolled", ids[0], 1); err != nil || len(page) != 1 || page[0].BorrowerID != ids[1] {
			t.Errorf("the page after borrower %d: %+v, %v", ids[0], page, err)
		}
		return nil
	})

	m := sqlstore.SupportMessage{BorrowerID: ids[0], CaseID: cs[0].ID, EnrolledOn: d1, Day: 7, AsOf: d1.AddDays(7), Version: 2, MessageID: 55, Status: "queued"}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.RecordSupportMessage(ctx, &m) })
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		again := m
		return tx.RecordSupportMessage(ctx, &again)
	})
	if errs.CodeOf(err) != errs.Conflict {
		t.Errorf("recording one enrolment's day twice: %v, want Conflict", err)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		days, err := tx.SupportMessageDays(ctx, ids[0], d1)
		if err != nil || len(days) != 1 || !days[7] {
			t.Errorf("SupportMessageDays = %v, %v; want day 7", days, err)
		}
		if days, err := tx.SupportMessageDays(ctx, ids[0], d2); err != nil || len(days) != 0 {
			t.Errorf("another enrolment's days = %v, %v; want none", days, err)
		}
		list, err := tx.SupportMessages(ctx, 10)
		if err != nil || len(list) != 1 || list[0].ID != m.ID || list[0].MessageID != 55 || list[0].AsOf != m.AsOf || list[0].Status != "queued" {
			t.Errorf("SupportMessages = %+v, %v", list, err)
		}
		return nil
	})
}

func ptrCase(c sqlstore.Case) *sqlstore.Case { return &c }
