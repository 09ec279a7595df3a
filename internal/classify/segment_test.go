package classify

import (
	"strings"
	"testing"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
)

func TestSegmentModel_Assess(t *testing.T) {
	t.Parallel()
	asOf := date.MustParse("2026-03-31")
	daysAgo := func(n int) date.Date { return asOf.AddDays(-n) }
	tests := []struct {
		name        string
		s           Signals
		want        Segment
		willingness int
		ability     int
	}{
		{
			// on time 5/6=83% +2, paid while delinquent +2, kept 1 +1,
			// connected 4/5=80% +1, reached 3 days ago 0 → W 6;
			// 2000/10000=20% +1, no hardship → A 1.
			name: "good history, affordable",
			s: Signals{InstallmentsDue: 6, InstallmentsOnTime: 5, PaymentsWhileDelinquent: 1, PromisesKept: 1,
				Attempts: 5, Connected: 4, LastConnected: daysAgo(3), MonthlyDue: money.Yuan(2000), MonthlyIncome: money.Yuan(10000)},
			want: WillingAble, willingness: 6, ability: 1,
		},
		{
			// on time 6/6 +2, connected 3/3 +1 → W 3; 7000/10000=70% −2, job loss −3 → A −5.
			name: "job loss, heavy installment",
			s: Signals{InstallmentsDue: 6, InstallmentsOnTime: 6, Attempts: 3, Connected: 3, LastConnected: daysAgo(1),
				MonthlyDue: money.Yuan(7000), MonthlyIncome: money.Yuan(10000), Hardship: HardshipJobLoss},
			want: WillingUnable, willingness: 3, ability: -5,
		},
		{
			// on time 1/6=17% −2, broken 2 −4, connected 1/10=10% −1, reached 45 days ago −1 → W −8;
			// 1500/10000=15% +1 → A 1.
			name: "can pay, avoids us",
			s: Signals{InstallmentsDue: 6, InstallmentsOnTime: 1, PromisesBroken: 2, Attempts: 10, Connected: 1,
				LastConnected: daysAgo(45), MonthlyDue: money.Yuan(1500), MonthlyIncome: money.Yuan(10000)},
			want: UnwillingAble, willingness: -8, ability: 1,
		},
		{
			// on time 2/6=33% −2, broken 1 −2 → W −4; 8000/10000=80% −2 → A −2.
			name: "neither",
			s: Signals{InstallmentsDue: 6, InstallmentsOnTime: 2, PromisesBroken: 1,
				MonthlyDue: money.Yuan(8000), MonthlyIncome: money.Yuan(10000)},
			want: UnwillingUnable, willingness: -4, ability: -2,
		},
		{
			name: "nothing known: benefit of the doubt",
			s:    Signals{},
			want: WillingAble, willingness: 0, ability: 0,
		},
		{
			// exactly 80% on time +2; exactly 30% DTI +1.
			name: "boundaries count in the borrower's favour",
			s:    Signals{InstallmentsDue: 5, InstallmentsOnTime: 4, MonthlyDue: money.Yuan(3000), MonthlyIncome: money.Yuan(10000)},
			want: WillingAble, willingness: 2, ability: 1,
		},
		{
			// exactly 50% on time 0; exactly 60% DTI 0.
			name: "middle bands score nothing",
			s:    Signals{InstallmentsDue: 4, InstallmentsOnTime: 2, MonthlyDue: money.Yuan(6000), MonthlyIncome: money.Yuan(10000)},
			want: WillingAble, willingness: 0, ability: 0,
		},
		{
			// broken 5 counted as 3: −6; kept 4 counted as 3: +3 → W −3.
			name: "promises are capped",
			s:    Signals{PromisesKept: 4, PromisesBroken: 5},
			want: UnwillingAble, willingness: -3, ability: 0,
		},
		{
			// never connected in 6 attempts: connect 0% −1 and never reached −1 → W −2; illness −3 → A −3.
			name: "unreachable and ill",
			s:    Signals{Attempts: 6, Hardship: HardshipIllness},
			want: UnwillingUnable, willingness: -2, ability: -3,
		},
		{
			// 2 attempts, none answered: below MinAttempts, not scored.
			name: "too few attempts to judge",
			s:    Signals{Attempts: 2},
			want: WillingAble, willingness: 0, ability: 0,
		},
		{
			// reached exactly 30 days ago: not stale.
			name: "stale boundary",
			s:    Signals{Attempts: 4, Connected: 1, LastConnected: daysAgo(30)},
			want: WillingAble, willingness: 0, ability: 0,
		},
	}
	m := DefaultSegmentModel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := m.Assess(tt.s, asOf)
			if a.Segment != tt.want || a.Willingness != tt.willingness || a.Ability != tt.ability {
				t.Errorf("Assess() = %s (W %d, A %d), want %s (W %d, A %d)\n%v",
					a.Segment, a.Willingness, a.Ability, tt.want, tt.willingness, tt.ability, a.Reasons)
			}
			sum := map[string]int{}
			for _, r := range a.Reasons {
				if r.ZH == "" || r.EN == "" || r.Signal == "" {
					t.Errorf("incomplete reason %+v", r)
				}
				sum[r.Axis] += r.Points
			}
			if sum[AxisWillingness] != a.Willingness || sum[AxisAbility] != a.Ability {
				t.Errorf("reason points %v do not add up to the scores", sum)
			}
		})
	}
}

func TestSegmentModel_ReasonText(t *testing.T) {
	t.Parallel()
	asOf := date.MustParse("2026-03-31")
	a := DefaultSegmentModel().Assess(Signals{InstallmentsDue: 6, InstallmentsOnTime: 5,
		MonthlyDue: money.Yuan(7000), MonthlyIncome: money.Yuan(10000), Hardship: HardshipJobLoss}, asOf)
	want := map[string]Reason{
		SignalOnTime: {Value: "5/6 (83%)", Points: 2,
			ZH: "近6期按时还款5期（83%），不低于80%，记录良好",
			EN: "Paid 5 of the last 6 installments on time (83%), at least 80%: good record"},
		SignalDTI: {Value: "7,000.00/10,000.00 (70%)", Points: -2,
			ZH: "月供7,000.00元占月收入10,000.00元的70%，超过60%",
			EN: "Monthly due 7,000.00 is 70% of income 10,000.00, above 60%"},
		SignalHardship: {Value: HardshipJobLoss, Points: -3, ZH: "借款人申报困难：失业", EN: "Borrower declared hardship: job loss"},
	}
	for _, r := range a.Reasons {
		w, ok := want[r.Signal]
		if !ok {
			continue
		}
		if r.Value != w.Value || r.Points != w.Points || r.ZH != w.ZH || r.EN != w.EN {
			t.Errorf("%s reason = %+v, want %+v", r.Signal, r, w)
		}
		delete(want, r.Signal)
	}
	if len(want) > 0 {
		t.Errorf("missing reasons: %v", want)
	}
	last := a.Reasons[len(a.Reasons)-1]
	if last.EN != "ability score -5 < threshold 0: unable" {
		t.Errorf("verdict = %q", last.EN)
	}
}

func TestSegmentModel_Validate(t *testing.T) {
	t.Parallel()
	if err := DefaultSegmentModel().Validate(); err != nil {
		t.Fatal(err)
	}
	m := DefaultSegmentModel()
	m.OnTimeGoodPct, m.ConnectPoorPct, m.DTIPoorPct = 120, 90, 10
	err := m.Validate()
	if errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("Validate() = %v, want Invalid", err)
	}
	for _, f := range []string{"on_time_good_pct", "connect_poor_pct", "dti_poor_pct"} {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not name %s", err, f)
		}
	}
}

func TestScriptFor(t *testing.T) {
	t.Parallel()
	for _, seg := range Segments {
		s := ScriptFor(seg)
		if s.Segment != seg || s.ZH == "" || s.EN == "" {
			t.Errorf("ScriptFor(%s) = %+v", seg, s)
		}
		for _, bad := range []string{"威胁", "家人", "单位", "threat", "family", "employer"} {
			if strings.Contains(s.ZH, bad) || strings.Contains(s.EN, bad) {
				t.Errorf("script for %s mentions %q", seg, bad)
			}
		}
	}
	if !strings.Contains(ScriptFor(WillingUnable).ZH, "分期") {
		t.Error("willing_unable script should offer a plan")
	}
	if !strings.Contains(ScriptFor(UnwillingAble).ZH, "征信") {
		t.Error("unwilling_able script should state credit reporting")
	}
	if ScriptFor("nonsense").Segment != WillingAble {
		t.Error("unknown segment should fall back to willing_able")
	}
}
