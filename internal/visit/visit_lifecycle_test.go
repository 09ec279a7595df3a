package visit_test

import (
	"errors"
	"testing"
	"time"

	"accord/internal/calendar"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/route"
	"accord/internal/visit"
)

// noticed returns a visit requested by "li", approved by "wang", noticed
// on 2026-03-09 at 09:00 and its slot on 2026-03-10.
func noticed(t *testing.T, p visit.Policy) (visit.Visit, visit.Slot) {
	t.Helper()
	c := visit.Candidate{Purpose: "核实居住情况", Address: home(), DPD: 60, Overdue: money.Yuan(9000)}
	v, err := visit.Request(c, "li", at("2026-03-08 10:00"), visit.Economics{}, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Approve("wang", at("2026-03-08 11:00"), p); err != nil {
		t.Fatal(err)
	}
	if err := v.Notice(at("2026-03-09 09:00"), p); err != nil {
		t.Fatal(err)
	}
	s, err := visit.Schedule(date.MustParse("2026-03-10"), visit.SlotRequest{Duration: time.Hour, NoticeSent: v.NoticeSentAt}, calendar.Default(), p)
	if err != nil {
		t.Fatal(err)
	}
	return v, s
}

func TestVisit_lifecycle(t *testing.T) {
	t.Parallel()
	p := visit.DefaultPolicy()
	v, s := noticed(t, p)
	if err := v.Plan(s, "pair-7", at("2026-03-10 10:30"), shanghai, p); err != nil {
		t.Fatal(err)
	}
	door := route.Point{Lat: v.Address.Lat + 0.0005, Lon: v.Address.Lon}
	if err := v.CheckInNow(door, at("2026-03-10 10:35"), p); err != nil || v.CheckIn.Flagged {
		t.Fatalf("check-in %+v: %v", v.CheckIn, err)
	}
	bad := visit.Outcome{Kind: visit.MetOther}
	if err := v.Finish(bad, at("2026-03-10 11:20"), shanghai, p); errs.CodeOf(err) != errs.Invalid || v.State != visit.CheckedIn {
		t.Fatalf("Finish(incomplete) = %v, state %s", err, v.State)
	}
	o := visit.Outcome{Kind: visit.Promise, Amount: 3000_00, PromiseDate: date.MustParse("2026-03-20")}
	if err := v.Finish(o, at("2026-03-10 11:20"), shanghai, p); err != nil || v.State != visit.Done || v.Outcome.Kind != visit.Promise {
		t.Fatalf("Finish() = %v, visit %+v", err, v)
	}
	if err := v.Cancel("late", at("2026-03-10 12:00"), p); !errors.Is(err, visit.ErrTransition) {
		t.Fatalf("Cancel() after done = %v", err)
	}
}

func TestVisit_steps(t *testing.T) {
	t.Parallel()
	p := visit.DefaultPolicy()
	off := false
	noNotice := visit.DefaultPolicy()
	noNotice.Compliance.VisitAdvanceNotice = &off
	tests := []struct {
		name string
		run  func(t *testing.T) error
		want error
	}{
		{"ineligible request", func(t *testing.T) error {
			_, err := visit.Request(visit.Candidate{Recommended: true, Address: home(), DPD: 60, Overdue: money.Yuan(9000), Flags: []string{"cease"}}, "li", at("2026-03-08 10:00"), visit.Economics{}, p)
			if errs.CodeOf(err) != errs.Conflict {
				t.Errorf("Request() of a borrower who asked collection to stop = %v, want a Conflict", err)
			}
			return nil
		}, nil},
		{"self-approval", func(t *testing.T) error {
			v, _ := visit.Request(visit.Candidate{Purpose: "x", Address: home(), DPD: 60, Overdue: money.Yuan(9000)}, "li", at("2026-03-08 10:00"), visit.Economics{}, p)
			return v.Approve("li", at("2026-03-08 10:05"), p)
		}, visit.ErrSelfApproval},
		{"reject without a note", func(t *testing.T) error {
			v, _ := visit.Request(visit.Candidate{Purpose: "x", Address: home(), DPD: 60, Overdue: money.Yuan(9000)}, "li", at("2026-03-08 10:00"), visit.Economics{}, p)
			return v.Reject("wang", " ", at("2026-03-08 10:05"), p)
		}, visit.ErrNoteRequired},
		{"plan before notice", func(t *testing.T) error {
			v, _ := visit.Request(visit.Candidate{Purpose: "x", Address: home(), DPD: 60, Overdue: money.Yuan(9000)}, "li", at("2026-03-08 10:00"), visit.Economics{}, p)
			_ = v.Approve("wang", at("2026-03-08 10:05"), p)
			s, _ := visit.Schedule(date.MustParse("2026-03-10"), visit.SlotRequest{Duration: time.Hour}, calendar.Default(), p)
			return v.Plan(s, "pair-7", at("2026-03-10 10:30"), shanghai, p)
		}, visit.ErrNoticeFirst},
		{"no notice needed when the policy is off", func(t *testing.T) error {
			v, _ := visit.Request(visit.Candidate{Purpose: "x", Address: home(), DPD: 60, Overdue: money.Yuan(9000)}, "li", at("2026-03-08 10:00"), visit.Economics{}, noNotice)
			_ = v.Approve("wang", at("2026-03-08 10:05"), noNotice)
			s, _ := visit.Schedule(date.MustParse("2026-03-08"), visit.SlotRequest{Duration: time.Hour}, calendar.Default(), noNotice)
			return v.Plan(s, "pair-7", at("2026-03-08 15:00"), shanghai, noNotice)
		}, nil},
		{"planned start outside the slot", func(t *testing.T) error {
			v, s := noticed(t, p)
			return v.Plan(s, "pair-7", at("2026-03-10 21:30"), shanghai, p)
		}, visit.ErrOutsideSlot},
		{"planned start on another day", func(t *testing.T) error {
			v, s := noticed(t, p)
			return v.Plan(s, "pair-7", at("2026-03-11 10:30"), shanghai, p)
		}, visit.ErrOutsideSlot},
		{"notice too late for the planned start", func(t *testing.T) error {
			v, s := noticed(t, p)
			s.From = 8 * 3600 // a slot made without the notice
			return v.Plan(s, "pair-7", at("2026-03-10 08:30"), shanghai, p)
		}, visit.ErrNoticeLate},
		{"taken off the route needs a new notice", func(t *testing.T) error {
			v, s := noticed(t, p)
			if err := v.Plan(s, "pair-7", at("2026-03-10 10:30"), shanghai, p); err != nil {
				return err
			}
			if err := v.Unplan(p); err != nil || v.State != visit.Approved || !v.NoticeSentAt.IsZero() {
				t.Fatalf("Unplan() = %v, visit %+v", err, v)
			}
			return v.Plan(s, "pair-7", at("2026-03-10 10:30"), shanghai, p)
		}, visit.ErrNoticeFirst},
		{"check-in a kilometre away is flagged", func(t *testing.T) error {
			v, s := noticed(t, p)
			_ = v.Plan(s, "pair-7", at("2026-03-10 10:30"), shanghai, p)
			err := v.CheckInNow(route.Point{Lat: v.Address.Lat + 0.009, Lon: v.Address.Lon}, at("2026-03-10 10:40"), p)
			if !v.CheckIn.Flagged || v.State != visit.CheckedIn {
				t.Errorf("check-in %+v, state %s", v.CheckIn, v.State)
			}
			return err
		}, nil},
		{"cancel needs a reason", func(t *testing.T) error {
			v, _ := noticed(t, p)
			return v.Cancel("", at("2026-03-09 12:00"), p)
		}, visit.ErrNoteRequired},
		{"cancel a noticed visit", func(t *testing.T) error {
			v, _ := noticed(t, p)
			err := v.Cancel("借款人已还款", at("2026-03-09 12:00"), p)
			if v.State != visit.Cancelled {
				t.Errorf("state %s", v.State)
			}
			return err
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.run(t); !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
