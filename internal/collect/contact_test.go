package collect

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

func TestService_LogContact(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		req := e.call("phone:1", compliance.Connected)
		req.Results, req.Notes, req.RecordingRef = []string{compliance.ResultPromise, compliance.ResultDispute}, "说下周还", "rec-1"
		req.EndedAt = ctMorning.Add(4 * time.Minute)
		res, err := e.svc.LogContact(ctBG, ctCollector, req)
		if err != nil {
			t.Fatal(err)
		}
		a := res.Attempt
		if !a.Performed || a.Action != compliance.Allow || a.Address != "" || a.AddressMasked != "138****8000" || a.By != "lender" ||
			a.TeamID != 2 || a.Username != "li" || a.RecordingRef != "rec-1" || !a.EndedAt.Equal(req.EndedAt) {
			t.Errorf("logged %+v", a)
		}
		if !slices.Equal(res.FlagsAdded, []string{compliance.FlagDisputed}) {
			t.Errorf("flags added = %v, want disputed", res.FlagsAdded)
		}
		e.read(t, func(tx *sqlstore.Tx) error {
			b, err := tx.Borrower(ctBG, e.b.ID)
			if !slices.Contains(b.Flags, compliance.FlagDisputed) {
				t.Errorf("borrower flags = %v, want disputed", b.Flags)
			}
			return err
		})
		if got := e.auditActions(t); !slices.Equal(got, []string{"borrower.flags", "contact.log"}) {
			t.Errorf("audit = %v", got)
		}

		t.Run("ErrForbidden", func(t *testing.T) {
			_, err := e.svc.LogContact(ctBG, ctAuditor, e.call("phone:1", compliance.Connected))
			if errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("auditor logging a contact: %v, want Forbidden", err)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for name, r := range map[string]ContactRequest{
				"unknown phone":   e.call("phone:9", ""),
				"unknown channel": {BorrowerID: e.b.ID, Channel: "pigeon", To: "phone:1"},
				"future":          {BorrowerID: e.b.ID, Channel: compliance.Call, To: "phone:1", StartedAt: ctMorning.Add(time.Hour)},
				"unknown result":  {BorrowerID: e.b.ID, Channel: compliance.Call, To: "phone:1", Results: []string{"won_lottery"}},
				"foreign contact": {BorrowerID: e.b.ID, Channel: compliance.Call, Party: compliance.ToContact, ContactID: 999},
				"bad case":        {BorrowerID: e.b.ID, Channel: compliance.Call, To: "phone:1", CaseID: 4242},
			} {
				if _, err := e.svc.LogContact(ctBG, ctCollector, r); errs.CodeOf(err) != errs.Invalid {
					t.Errorf("%s: %v, want Invalid", name, err)
				}
			}
		})
	})
}

// TestService_LogContact_Refused shows a refused contact: recorded as
// evidence, not performed, not counted, with the time it would be allowed.
func TestService_LogContact_Refused(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		e.set(time.Date(2026, 3, 10, 14, 30, 0, 0, time.UTC)) // 22:30 in Shanghai
		_, err := e.svc.LogContact(ctBG, ctCollector, e.call("phone:1", compliance.Connected))
		re := wantRefused(t, err, errs.Forbidden, compliance.RuleCNTimeQuiet)
		list := e.attempts(t)
		if len(list) != 1 || list[0].Performed || list[0].Outcome != "" || list[0].ID != re.AttemptID ||
			list[0].Action != compliance.Block || re.Decision.Reasons.ZH == "" || re.Decision.Reasons.EN == "" {
			t.Fatalf("log after a refusal: %+v", list)
		}
		res, err := e.svc.CheckContact(ctBG, ctCollector, e.call("phone:1", ""))
		if err != nil || res.Decision.Allowed() || !res.NextAllowed.Equal(time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("CheckContact at 22:30 = %+v, %v; want next allowed at 08:00 tomorrow", res, err)
		}
		if n := len(e.attempts(t)); n != 1 {
			t.Errorf("CheckContact recorded something: %d entries", n)
		}
		// An inbound call is recorded whatever the hour.
		in := e.call("phone:1", compliance.Connected)
		in.Direction = "inbound"
		if _, err := e.svc.LogContact(ctBG, ctCollector, in); err != nil {
			t.Errorf("inbound call at 22:30: %v", err)
		}
	})
}

// TestService_LogContact_ConnectedCap counts connected calls over every
// number of the borrower, by the lender and the agency together.
func TestService_LogContact_ConnectedCap(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		e.placeWithAgent(t) // the agent may reach only a borrower placed with the agency
		for i, by := range []Actor{ctCollector, ctAgent, ctCollector2} {
			to := "phone:" + strconv.Itoa(1+i%2)
			if _, err := e.svc.LogContact(ctBG, by, e.call(to, compliance.Connected)); err != nil {
				t.Fatalf("call %d: %v", i+1, err)
			}
			e.advance(time.Hour)
		}
		_, err := e.svc.LogContact(ctBG, ctCollector, e.call("phone:2", compliance.Connected))
		re := wantRefused(t, err, errs.Forbidden, compliance.RuleCNFreqConnected)
		if d := re.Decision.Details[0]; d.Count != 3 || d.Limit != 3 || len(d.Evidence) != 3 {
			t.Errorf("detail = %+v, want 3 of 3 with the evidence", d)
		}
		if a := e.attempts(t); a[1].By != "agency:7" || a[1].AgencyID != 7 {
			t.Errorf("agency call logged as %+v", a[1])
		}
		// The refusal is not a call: the next day starts from zero.
		e.advance(20 * time.Hour)
		if _, err := e.svc.LogContact(ctBG, ctCollector, e.call("phone:1", compliance.NoAnswer)); err != nil {
			t.Errorf("next day: %v", err)
		}
	})
}

// TestService_ApprovalFlow: a call to a debt-related third party needs a
// compliance officer's approval; once approved, one call goes ahead.
func TestService_ApprovalFlow(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		req := ContactRequest{BorrowerID: e.b.ID, Channel: compliance.Call, To: "contact:" + strconv.FormatInt(e.wif.ID, 10),
			Purpose: compliance.PurposeCollection, Outcome: compliance.Connected}
		_, err := e.svc.LogContact(ctBG, ctCollector, req)
		re := wantRefused(t, err, errs.Conflict, compliance.RuleCNThirdParty)
		if re.ApprovalID == 0 || re.Decision.Action != compliance.Approval {
			t.Fatalf("refusal %+v, want an approval request", re)
		}
		_, err = e.svc.LogContact(ctBG, ctCollector, req)
		if again := wantRefused(t, err, errs.Conflict, compliance.RuleCNThirdParty); again.ApprovalID != re.ApprovalID {
			t.Errorf("a second try opened request %d, want the pending %d", again.ApprovalID, re.ApprovalID)
		}
		for name, by := range map[string]Actor{"collector": ctCollector2, "supervisor (not the named role)": ctSupervisor} {
			if _, err := e.svc.DecideApproval(ctBG, by, re.ApprovalID, true, ""); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s approving: %v, want Forbidden", name, err)
			}
		}
		officerAsRequester := ctOfficer
		officerAsRequester.User.ID = ctCollector.User.ID
		if _, err := e.svc.DecideApproval(ctBG, officerAsRequester, re.ApprovalID, true, ""); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("approving one's own request: %v, want Forbidden", err)
		}
		a, err := e.svc.DecideApproval(ctBG, ctOfficer, re.ApprovalID, true, "法律认定在案")
		if err != nil || a.Status != sqlstore.ApprovalApproved || a.DecidedRole != "compliance" {
			t.Fatalf("DecideApproval = %+v, %v", a, err)
		}
		if _, err := e.svc.DecideApproval(ctBG, ctOfficer, re.ApprovalID, false, ""); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("deciding twice: %v, want Conflict", err)
		}
		res, err := e.svc.LogContact(ctBG, ctCollector, req)
		if err != nil || res.Attempt.ApprovalID != re.ApprovalID || res.Decision.Action != compliance.Allow {
			t.Fatalf("call after approval = %+v, %v", res, err)
		}
		_, err = e.svc.LogContact(ctBG, ctCollector, req)
		wantRefused(t, err, errs.Conflict, compliance.RuleCNThirdParty) // the approval was used once
		actions := e.auditActions(t)
		for _, want := range []string{"contact.approval.request", "contact.approval.approve"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit %v lacks %s", actions, want)
			}
		}
	})
}

// TestService_Vulnerable: a call that finds the borrower vulnerable flags
// them; from then on every contact is routed to the specialist queue and
// automated contact is refused.
func TestService_Vulnerable(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		req := e.call("phone:1", compliance.Connected)
		req.Results = []string{compliance.ResultVulnerable, compliance.ResultHardship}
		if _, err := e.svc.LogContact(ctBG, ctCollector, req); err != nil {
			t.Fatal(err)
		}
		e.advance(time.Hour)
		res, err := e.svc.LogContact(ctBG, ctCollector, e.call("phone:1", compliance.Connected))
		if err != nil || res.Decision.Action != compliance.Warn || res.Attempt.Route != compliance.RouteSpecialist {
			t.Fatalf("call to a vulnerable borrower = %+v, %v; want warned and routed", res.Decision, err)
		}
		p, err := e.svc.ContactPanel(ctBG, ctCollector, e.b.ID, 0)
		if err != nil || !p.Vulnerable || len(p.Rows) != 5 {
			t.Fatalf("panel = %+v, %v", p, err)
		}
		if c := p.Rows[0].Checks[0]; c.Channel != compliance.Call || c.Decision.Route != compliance.RouteSpecialist {
			t.Errorf("panel call check = %+v", c)
		}
		if !slices.Contains(e.auditActions(t), "contact.route") {
			t.Errorf("no contact.route audit event")
		}
	})
}

func TestService_ContactPanel(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		p, err := e.svc.ContactPanel(ctBG, ctCollector, e.b.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		refs := []string{}
		for _, r := range p.Rows {
			refs = append(refs, r.Ref)
		}
		want := []string{"phone:1", "phone:2", "email:1", "contact:" + strconv.FormatInt(e.mom.ID, 10),
			"contact:" + strconv.FormatInt(e.wif.ID, 10)}
		if !slices.Equal(refs, want) {
			t.Errorf("rows = %v, want %v", refs, want)
		}
		if r := p.Rows[0]; r.Label != "138****8000" || r.PhoneKind != "mobile" || len(r.Checks) != 2 || !r.Checks[0].Decision.Allowed() {
			t.Errorf("first row = %+v", r)
		}
		mom := p.Rows[3].Checks[0]
		if mom.Decision.Allowed() || !mom.Decision.Fired(compliance.RuleCNThirdParty) {
			t.Errorf("calling the mother while the borrower answers: %+v, want CN-THIRDPARTY", mom.Decision)
		}
		if p.Day.Kind != "working_day" || p.LocalTime.Hour() != 10 {
			t.Errorf("day %+v at %v", p.Day, p.LocalTime)
		}
		if _, err := e.svc.ContactPanel(ctBG, ctCollector, e.b.ID+99, 0); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("unknown borrower: %v", err)
		}
	})
}

// TestService_LogContact_SameInstant: contacts logged for the same second,
// or entered late, still count toward the caps (an API client choosing
// started_at cannot slip past them).
func TestService_LogContact_SameInstant(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		at := ctMorning.Add(-time.Minute)
		for i := range 3 {
			req := e.call("phone:1", compliance.Connected)
			req.StartedAt = at
			if _, err := e.svc.LogContact(ctBG, ctCollector, req); err != nil {
				t.Fatalf("call %d: %v", i+1, err)
			}
		}
		late := e.call("phone:2", compliance.Connected)
		late.StartedAt = at.Add(-time.Hour) // an earlier call entered late: still the 4th of the day
		_, err := e.svc.LogContact(ctBG, ctCollector, late)
		wantRefused(t, err, errs.Forbidden, compliance.RuleCNFreqConnected)
		same := e.call("phone:1", compliance.Connected)
		same.StartedAt = at
		_, err = e.svc.LogContact(ctBG, ctCollector, same)
		wantRefused(t, err, errs.Forbidden, compliance.RuleCNFreqConnected)
	})
}

// TestService_VulnerableRouteOnCase records the route to the specialist
// queue on the case's timeline.
func TestService_VulnerableRouteOnCase(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		// The case is the collector's: a contact on a case needs one they may work.
		caseID := e.openCase(t, "collector", e.collectorFor(t, ctCollector))
		e.setFlags(t, compliance.FlagOldAge)
		req := e.call("phone:1", compliance.Connected)
		req.BorrowerID, req.CaseID = 0, caseID // the case page names only the case
		res, err := e.svc.LogContact(ctBG, ctCollector, req)
		if err != nil || res.Attempt.BorrowerID != e.b.ID || res.Attempt.Route != compliance.RouteSpecialist {
			t.Fatalf("LogContact on the case = %+v, %v", res.Attempt, err)
		}
		e.read(t, func(tx *sqlstore.Tx) error {
			evs, err := tx.CaseEvents(ctBG, caseID)
			var kinds []string
			for _, ev := range evs {
				kinds = append(kinds, ev.Kind+":"+ev.Code)
			}
			if !slices.Contains(kinds, "route:"+compliance.RouteSpecialist) || !slices.Contains(kinds, "contact:connected") {
				t.Errorf("case events = %v, want the contact and the route", kinds)
			}
			return err
		})
	})
}
