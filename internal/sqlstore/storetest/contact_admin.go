package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"accord/internal/borrower"
	"accord/internal/calendar"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

func testApprovals(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrowerID(t, db, 1)
	now := time.Now().UTC()
	a := sqlstore.Approval{BorrowerID: bid, Channel: compliance.Visit, Party: compliance.ToBorrower,
		Address: "朝阳区建国路 88 号", Purpose: "collection", Rules: []string{"CN-VISIT"}, RequiredRoles: []string{"supervisor"},
		Decision:    compliance.Decision{Action: compliance.Approval, Rules: []string{"CN-VISIT"}},
		RequestedBy: 5, RequestedName: "li", ExpiresAt: now.Add(24 * time.Hour)}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateApproval(ctx, &a) })
	if a.ID == 0 || a.Status != sqlstore.ApprovalPending {
		t.Fatalf("CreateApproval: %+v", a)
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.MatchingApprovals(ctx, bid, compliance.Visit, compliance.ToBorrower, "朝阳区建国路 88 号", now,
			sqlstore.ApprovalPending)
		if err != nil || len(got) != 1 || got[0].Address != a.Address {
			t.Errorf("MatchingApprovals(pending) = %+v, %v", got, err)
		}
		got, _ = tx.MatchingApprovals(ctx, bid, compliance.Visit, compliance.ToBorrower, "elsewhere", now, sqlstore.ApprovalPending)
		if len(got) != 0 {
			t.Errorf("an approval matched another address: %+v", got)
		}
		err = tx.UseApproval(ctx, a.ID, 1)
		wantCode(t, err, errs.Conflict) // not approved yet
		d, err := tx.DecideApproval(ctx, a.ID, true, 9, "zhou", "supervisor", "同意")
		if err != nil || d.Status != sqlstore.ApprovalApproved || d.DecidedName != "zhou" || d.DecidedAt.IsZero() {
			t.Errorf("DecideApproval = %+v, %v", d, err)
		}
		_, err = tx.DecideApproval(ctx, a.ID, false, 9, "zhou", "supervisor", "")
		wantCode(t, err, errs.Conflict)
		if err := tx.UseApproval(ctx, a.ID, 77); err != nil {
			return err
		}
		wantCode(t, tx.UseApproval(ctx, a.ID, 78), errs.Conflict)
		_, err = tx.DecideApproval(ctx, 999, true, 9, "zhou", "supervisor", "")
		wantCode(t, err, errs.NotFound)
		st := sqlstore.ApprovalUsed
		list, total, err := tx.Approvals(ctx, sqlstore.ApprovalFilter{BorrowerID: &bid, Status: &st})
		if err != nil || total != 1 || list[0].AttemptID != 77 {
			t.Errorf("Approvals(used) = %+v, %d, %v", list, total, err)
		}
		expired, _ := tx.MatchingApprovals(ctx, bid, compliance.Visit, compliance.ToBorrower, a.Address, now.Add(48*time.Hour),
			sqlstore.ApprovalUsed)
		if len(expired) != 0 {
			t.Errorf("an expired approval matched")
		}
		return nil
	})
}

func testCalendarDays(t *testing.T, db *sqlstore.DB) {
	read(t, db, func(tx *sqlstore.Tx) error {
		days, err := tx.CalendarDays(ctx)
		if err != nil || len(days) != 0 {
			t.Errorf("CalendarDays on a new database = %v, %v; want none", days, err)
		}
		return nil
	})
	days := calendarDays("2027-01-01 holiday 元旦 New Year", "2027-02-06 adjusted_workday 春节调休 Spring Festival workday")
	write(t, db, func(tx *sqlstore.Tx) error { return tx.ReplaceCalendarYear(ctx, 2027, days, "admin") })
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.ReplaceCalendarYear(ctx, 2027, days[:1], "admin")
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.CalendarDays(ctx)
		if d := diff(days[:1], got); d != "" || err != nil {
			t.Errorf("CalendarDays %v (-want +got):\n%s", err, d)
		}
		return nil
	})
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.ReplaceCalendarYear(ctx, 2028, days, "admin") })
	wantCode(t, err, errs.Invalid)
	write(t, db, func(tx *sqlstore.Tx) error { return tx.ReplaceCalendarYear(ctx, 2027, nil, "admin") })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.CalendarDays(ctx)
		if len(got) != 0 {
			t.Errorf("after reverting 2027: %v", got)
		}
		return err
	})
}

func testContactPolicies(t *testing.T, db *sqlstore.DB) {
	write(t, db, func(tx *sqlstore.Tx) error {
		r := sqlstore.PolicyRecord{Jurisdiction: "CN", Policy: []byte(`{"quiet_start":"21:00"}`), UpdatedBy: "admin"}
		if err := tx.SaveContactPolicy(ctx, &r); err != nil {
			return err
		}
		if err := tx.ActivateContactPolicy(ctx, "US", "admin"); err != nil {
			return err
		}
		return tx.ActivateContactPolicy(ctx, "CN", "admin")
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		list, err := tx.ContactPolicies(ctx)
		if err != nil || len(list) != 2 || list[0].Jurisdiction != "CN" || !list[0].Active || list[1].Active ||
			string(list[0].Policy) != `{"quiet_start":"21:00"}` || string(list[1].Policy) != "{}" {
			t.Errorf("ContactPolicies = %+v, %v", list, err)
		}
		return nil
	})
}

func testContactPoints(t *testing.T, db *sqlstore.DB) {
	b := newBorrower(1)
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreateBorrower(ctx, &b); err != nil {
			return err
		}
		c := newRegisteredContact(b.ID)
		if err := tx.CreateContact(ctx, &c); err != nil {
			return err
		}
		if err := tx.SetContactFlags(ctx, c.ID, []string{compliance.FlagDebtRelatedApproved}); err != nil {
			return err
		}
		if err := tx.SetBorrowerEmails(ctx, b.ID, []string{"zhang@example.cn", "z2@example.cn"}); err != nil {
			return err
		}
		exp := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		cs := sqlstore.Consent{BorrowerID: b.ID, Consent: compliance.Consent{Kind: compliance.ConsentContactWindow,
			Window: "07:00-23:00", Expires: exp}, Evidence: "rec-9"}
		if err := tx.CreateConsent(ctx, &cs); err != nil {
			return err
		}
		if err := tx.RevokeConsent(ctx, cs.ID, exp.Add(-time.Hour)); err != nil {
			return err
		}
		wantCode(t, tx.RevokeConsent(ctx, cs.ID+99, exp), errs.NotFound)
		return tx.CreateOptOut(ctx, b.ID, compliance.OptOut{Channel: compliance.Email, Address: "z2@example.cn"})
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		emails, err := tx.BorrowerEmails(ctx, b.ID)
		if err != nil || !slices.Equal(emails, []string{"zhang@example.cn", "z2@example.cn"}) {
			t.Errorf("BorrowerEmails = %v, %v", emails, err)
		}
		cs, err := tx.BorrowerConsents(ctx, b.ID)
		if err != nil || len(cs) != 1 || cs[0].Window != "07:00-23:00" || cs[0].RevokedAt.IsZero() || cs[0].Evidence != "rec-9" {
			t.Errorf("BorrowerConsents = %+v, %v", cs, err)
		}
		oo, err := tx.BorrowerOptOuts(ctx, b.ID)
		if err != nil || len(oo) != 1 || oo[0].Address != "z2@example.cn" {
			t.Errorf("BorrowerOptOuts = %+v, %v", oo, err)
		}
		flags, err := tx.ContactFlags(ctx, b.ID)
		if err != nil || len(flags) != 1 {
			t.Errorf("ContactFlags = %v, %v", flags, err)
		}
		return nil
	})
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.SetContactFlags(ctx, 999, nil) })
	wantCode(t, err, errs.Invalid)
}

func newRegisteredContact(borrowerID int64) borrower.Contact {
	return borrower.Contact{BorrowerID: borrowerID, Name: "王秀英", Relationship: "mother", Phone: "+8613700137000",
		ConsentBasis: "loan_application", ConsentAt: t0}
}

func calendarDays(lines ...string) []calendar.Day {
	var out []calendar.Day
	for _, l := range lines {
		f := strings.SplitN(l, " ", 4)
		out = append(out, calendar.Day{Date: date.MustParse(f[0]), Kind: calendar.DayKind(f[1]),
			Name: calendar.Name{ZH: f[2], EN: f[3]}})
	}
	return out
}
