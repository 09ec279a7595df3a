package storetest

import (
	"encoding/json"
	"testing"

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
		if err := tx.SaveOfferPolicyUsed(ctx, 10, sqlstore.OfferPolicyUsed{OfferID: offers[0].ID, PolicyID: v.ID, Body: body}); err != nil {
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
		if u.PolicyID != v.ID || string(u.Body) != string(body) || u.OfferID != offers[0].ID {
			t.Errorf("policy of offer %d = %+v, want version %d and the body as saved", offers[0].ID, u, v.ID)
		}
		if u, err = tx.OfferPolicyUsed(ctx, offers[1].ID); err != nil || u.PolicyID != 0 {
			t.Errorf("policy of offer %d = %+v, %v; want the configured one (id 0)", offers[1].ID, u, err)
		}
		if _, err := tx.OfferPolicyUsed(ctx, offers[2].ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("an offer without a recorded policy: %v, want NotFound", err)
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
