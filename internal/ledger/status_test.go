package ledger

import "testing"

func TestStatusFor(t *testing.T) {
	t.Parallel()
	paid := []InstallmentState{{State: StatePaid}, {State: StatePaid}}
	open := []InstallmentState{{State: StatePaid}, {State: StateUpcoming}}
	tests := []struct {
		name   string
		status Status
		pos    Position
		want   Status
	}{
		{"current", Active, Position{Installments: open, PaidInstallments: 1}, Active},
		{"past due", Active, Position{DPD: 3, Installments: open, PaidInstallments: 1}, Delinquent},
		{"cured", Delinquent, Position{Installments: open, PaidInstallments: 1}, Active},
		{"all paid", Delinquent, Position{Installments: paid, PaidInstallments: 2, PenaltyDue: 100}, PaidOff},
		{"paid off reopened by a reversal", PaidOff, Position{DPD: 1, Installments: open, PaidInstallments: 1}, Delinquent},
		{"no schedule", Active, Position{}, Active},
		{"restructured kept", Restructured, Position{Installments: paid, PaidInstallments: 2}, Restructured},
		{"charged off kept", ChargedOff, Position{DPD: 200, Installments: open, PaidInstallments: 1}, ChargedOff},
		{"settled kept", Settled, Position{DPD: 200, Installments: open, PaidInstallments: 1}, Settled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := StatusFor(Loan{Status: tt.status}, tt.pos); got != tt.want {
				t.Errorf("StatusFor() = %s, want %s", got, tt.want)
			}
		})
	}
}
