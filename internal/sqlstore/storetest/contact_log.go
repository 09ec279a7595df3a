package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

func blockDecision() compliance.Decision {
	return compliance.Decision{Action: compliance.Block, Rules: []string{"CN-FREQ-CONNECTED", "CN-TIME-QUIET"},
		Details: []compliance.Detail{
			{Rule: "CN-FREQ-CONNECTED", Severity: compliance.Block, Count: 3, Limit: 3},
			{Rule: "CN-TIME-QUIET", Severity: compliance.Block},
			{Rule: "CN-TIME-QUIET", Severity: compliance.Warn},
		}}
}

func testContactAttemptLog(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrowerID(t, db, 1)
	start := time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC)
	done := compliance.Decision{Action: compliance.Allow, Rules: []string{}}
	calls := []sqlstore.ContactAttempt{
		{BorrowerID: bid, Channel: compliance.Call, Party: compliance.ToBorrower, Address: "+8613800138000", By: "lender",
			UserID: 5, Username: "li", TeamID: 2, StartedAt: start, Outcome: compliance.Connected, Performed: true, Decision: done,
			Results: []string{"promise"}, Notes: "答应周五还款", Content: "您好，我是某某消费金融", RecordingRef: "rec-1"},
		{BorrowerID: bid, Channel: compliance.Call, Party: compliance.ToBorrower, Address: "+8613800138000", By: "agency:3",
			AgencyID: 3, StartedAt: start.Add(14 * time.Hour), Performed: false, Decision: blockDecision()},
		{BorrowerID: bid, Channel: compliance.SMS, Party: compliance.ToBorrower, Address: "+8613800138000", By: "system",
			Automated: true, MessageID: 42, StartedAt: start.Add(time.Hour), Outcome: compliance.Sent, Performed: true, Decision: done},
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		for i := range calls {
			if err := tx.CreateContactAttempt(ctx, &calls[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if c := calls[1]; c.Action != compliance.Block || !slices.Equal(c.Rules, []string{"CN-FREQ-CONNECTED", "CN-TIME-QUIET"}) ||
		c.RetainUntil.Before(time.Now().AddDate(5, 0, 0).Add(-time.Hour)) || c.AddressMasked != "138****8000" {
		t.Errorf("created %+v: want action and rules from the decision, 5 years' retention, a masked address", c)
	}
	dup := calls[2]
	dup.ID = 0
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.CreateContactAttempt(ctx, &dup) })
	wantCode(t, err, errs.Conflict)

	read(t, db, func(tx *sqlstore.Tx) error {
		hist, err := tx.ContactHistory(ctx, bid, start.Add(-time.Hour))
		if err != nil || len(hist) != 2 || hist[0].ID != calls[0].ID || hist[1].MessageID != 42 {
			t.Errorf("ContactHistory = %+v, %v; want the two performed contacts, oldest first", hist, err)
		}
		got, err := tx.ContactAttempt(ctx, calls[0].ID)
		if err != nil || got.Address != "+8613800138000" || got.Notes != "答应周五还款" || got.Content != "您好，我是某某消费金融" || !slices.Equal(got.Results, []string{"promise"}) ||
			!got.StartedAt.Equal(start) || got.Decision.Action != compliance.Allow {
			t.Errorf("ContactAttempt = %+v, %v", got, err)
		}
		flagged := true
		list, total, err := tx.ContactAttempts(ctx, sqlstore.ContactAttemptFilter{Flagged: &flagged, Masked: true})
		if err != nil || total != 1 || list[0].ID != calls[1].ID || list[0].Address != "" || list[0].Decision.Details[0].Count != 3 {
			t.Errorf("flagged attempts = %+v (%d), %v", list, total, err)
		}
		var hits int
		if err := tx.Inspect(ctx, "SELECT COUNT(*) FROM contact_rule_hits WHERE attempt_id = ?", calls[1].ID).Scan(&hits); err != nil || hits != 2 {
			t.Errorf("rule hits = %d, %v; want 2 (one per rule)", hits, err)
		}
		var n int
		err = tx.EachContactAttempt(ctx, sqlstore.ContactAttemptFilter{}, func(sqlstore.ContactAttempt) error { n++; return nil })
		if err != nil || n != 3 {
			t.Errorf("EachContactAttempt saw %d, %v; want 3", n, err)
		}
		return nil
	})
	end := start.Add(3 * time.Minute)
	outcome := compliance.Connected
	write(t, db, func(tx *sqlstore.Tx) error {
		a, err := tx.UpdateContactAttempt(ctx, calls[0].ID, sqlstore.ContactAttemptUpdate{EndedAt: &end, Outcome: &outcome,
			Results: &[]string{"promise", "hardship"}})
		if err != nil || !a.EndedAt.Equal(end) || len(a.Results) != 2 {
			t.Errorf("UpdateContactAttempt = %+v, %v", a, err)
		}
		if err := tx.SetMessageOutcome(ctx, 42, compliance.Delivered); err != nil {
			return err
		}
		_, err = tx.UpdateContactAttempt(ctx, 9999, sqlstore.ContactAttemptUpdate{})
		wantCode(t, err, errs.NotFound)
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.ContactAttempt(ctx, calls[2].ID)
		if got.Outcome != compliance.Delivered {
			t.Errorf("SMS outcome = %s, want delivered", got.Outcome)
		}
		return err
	})
}

func testContactAttemptRetention(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrowerID(t, db, 1)
	a := sqlstore.ContactAttempt{BorrowerID: bid, Channel: compliance.Call, Party: compliance.ToBorrower, By: "lender",
		StartedAt: time.Now(), Performed: true, Decision: blockDecision()}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateContactAttempt(ctx, &a) })
	for _, stmt := range []string{
		"DELETE FROM contact_attempts WHERE id = ?",
		"DELETE FROM contact_rule_hits WHERE attempt_id = ?",
		"UPDATE contact_attempts SET retain_until = created_at WHERE id = ?",
		"UPDATE contact_attempts SET action = 'allow' WHERE id = ?",
		"UPDATE contact_attempts SET performed = NOT performed WHERE id = ?",
		"UPDATE contact_attempts SET content = 'rewritten' WHERE id = ?",
	} {
		err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
			err := tx.Inspect(ctx, stmt, a.ID).Scan()
			if errors.Is(err, errNoRows) {
				return nil
			}
			return err
		})
		if err == nil {
			t.Errorf("%s: succeeded, want it refused by the database", stmt)
		}
	}
	if db.Engine() == sqlstore.Postgres {
		err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.Inspect(ctx, "TRUNCATE contact_attempts CASCADE").Scan() })
		if err == nil || errors.Is(err, errNoRows) {
			t.Errorf("TRUNCATE contact_attempts: %v, want it refused", err)
		}
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.ContactAttempt(ctx, a.ID)
		if err != nil || got.Action != compliance.Block || len(got.Rules) != 2 {
			t.Errorf("after the refused changes: %+v, %v", got, err)
		}
		return nil
	})
	// A record whose period is over may go (inserted directly: the store
	// never writes a retention shorter than RetainYears).
	old := time.Now().AddDate(-6, 0, 0).UTC()
	var oldID int64
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.Inspect(ctx, `INSERT INTO contact_attempts (borrower_id, channel, direction, party, by_org, started_at,
			performed, action, created_at, retain_until) VALUES (?, 'call', 'outbound', 'borrower', 'lender', ?, ?, 'allow', ?, ?)
			RETURNING id`, bid, old, true, old, old.AddDate(5, 0, 0)).Scan(&oldID)
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		err := tx.Inspect(ctx, "DELETE FROM contact_attempts WHERE id = ?", oldID).Scan()
		if errors.Is(err, errNoRows) {
			return nil
		}
		return err
	})
}

func testRuleHits(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrowerID(t, db, 1)
	start := time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC)
	allow := compliance.Decision{Action: compliance.Allow, Rules: []string{}}
	rows := []sqlstore.ContactAttempt{
		{TeamID: 1, UserID: 10, Username: "li", Decision: allow},
		{TeamID: 1, UserID: 10, Username: "li", Decision: blockDecision()},
		{TeamID: 2, UserID: 11, Username: "wang", AgencyID: 3, Decision: blockDecision()},
		{TeamID: 2, UserID: 11, Username: "wang", AgencyID: 3, Decision: allow, StartedAt: start.AddDate(0, 1, 0)},
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		for i := range rows {
			a := &rows[i]
			a.BorrowerID, a.Channel, a.Party, a.By = bid, compliance.Call, compliance.ToBorrower, "lender"
			if a.StartedAt.IsZero() {
				a.StartedAt = start.Add(time.Duration(i) * time.Minute)
			}
			a.Performed = a.Decision.Action == compliance.Allow
			if err := tx.CreateContactAttempt(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		teams, err := tx.RuleHitsBy(ctx, "team", start, start.AddDate(0, 0, 1))
		want := []sqlstore.RuleHits{
			{Key: 1, Attempts: 2, Flagged: 1, Rules: map[string]int{"CN-FREQ-CONNECTED": 1, "CN-TIME-QUIET": 1}},
			{Key: 2, Attempts: 1, Flagged: 1, Rules: map[string]int{"CN-FREQ-CONNECTED": 1, "CN-TIME-QUIET": 1}},
		}
		if d := diff(want, teams); d != "" || err != nil {
			t.Errorf("RuleHitsBy(team) %v (-want +got):\n%s", err, d)
		}
		coll, err := tx.RuleHitsBy(ctx, "collector", start, start.AddDate(0, 2, 0))
		if err != nil || len(coll) != 2 || coll[1].Name != "wang" || coll[1].Attempts != 2 {
			t.Errorf("RuleHitsBy(collector) = %+v, %v", coll, err)
		}
		_, err = tx.RuleHitsBy(ctx, "region; DROP TABLE x", start, start)
		wantCode(t, err, errs.Invalid)
		_, err = tx.BorrowerOfCase(ctx, 12345)
		wantCode(t, err, errs.NotFound)
		return nil
	})
}
