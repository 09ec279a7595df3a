package negotiation_test

import (
	"errors"
	"testing"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/negotiation"
)

// TestSupportProgramme: enrolling a borrower in hardship sets the flag the
// strategy sees and puts a review task in the support queue, with a case
// event and an audit event; enrolling twice is a conflict; leaving removes
// the flag; invalid input names the field; a role that may not record
// contacts may not enrol.
func TestSupportProgramme(t *testing.T) {
	t.Parallel()
	e := newEnv(t, openSQLite(t), 20)
	e.run(t, start)
	c := delinquentCases(t, e, 1)[0]
	admin := e.as(auth.Admin)
	flagged := func() int {
		return e.count(t, "SELECT COUNT(*) FROM borrowers WHERE id = ? AND flags LIKE '%support_programme%'", c.BorrowerID)
	}

	for _, bad := range []struct {
		sp    negotiation.Support
		field string
	}{
		{negotiation.Support{Reason: " ", Until: start.AddDays(30)}, "reason"},
		{negotiation.Support{Reason: "失业", Until: start}, "until"},
		{negotiation.Support{Reason: "失业", Until: start.AddMonthsClamped(13)}, "until"},
	} {
		err := e.neg.EnrollSupport(ctx, admin, c.ID, bad.sp)
		if fe := errs.FieldsOf(err); len(fe) != 1 || fe[0].Field != bad.field {
			t.Errorf("EnrollSupport(%+v) = %v, want an Invalid error naming %s", bad.sp, err, bad.field)
		}
	}
	if err := e.neg.EnrollSupport(ctx, e.as(auth.Auditor), c.ID, negotiation.Support{Reason: "失业", Until: start.AddDays(60)}); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("auditor enrolling: %v, want Forbidden", err)
	}
	if flagged() != 0 {
		t.Fatal("flagged before enrolment")
	}

	sp := negotiation.Support{Reason: "失业，下月入职新工作", Until: start.AddDays(60)}
	if err := e.neg.EnrollSupport(ctx, admin, c.ID, sp); err != nil {
		t.Fatalf("EnrollSupport: %v", err)
	}
	if flagged() != 1 {
		t.Error("no support_programme flag after enrolment")
	}
	if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND kind = 'support' AND queue = 'support' AND due_on = ? AND status = 'open'",
		c.ID, sp.Until); n != 1 {
		t.Errorf("support tasks = %d, want 1", n)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND code = 'support.enrolled'", c.ID); n != 1 {
		t.Errorf("enrolment events = %d", n)
	}
	if err := e.neg.EnrollSupport(ctx, admin, c.ID, sp); !errors.Is(err, negotiation.ErrSupportState) {
		t.Errorf("enrolling twice: %v, want ErrSupportState", err)
	}
	if err := e.neg.LeaveSupport(ctx, admin, c.ID, "已复工"); err != nil {
		t.Fatalf("LeaveSupport: %v", err)
	}
	if flagged() != 0 {
		t.Error("support_programme flag still set after leaving")
	}
	if err := e.neg.LeaveSupport(ctx, admin, c.ID, "again"); !errors.Is(err, negotiation.ErrSupportState) {
		t.Errorf("leaving twice: %v, want ErrSupportState", err)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action IN ('support.enrolled', 'support.left')"); n != 2 {
		t.Errorf("support audit events = %d, want 2", n)
	}
}
