package strategy

import "accord/internal/money"

// NeverContacted is DaysSinceLastContact for a borrower never reached, chosen
// large so that "days_since_last_contact > 7" holds for them.
const NeverContacted = 9999

// NeverBroken is DaysSinceBrokenPromise for a case with no broken promise,
// chosen large so that "days_since_broken_promise <= 3" is false for it.
const NeverBroken = 9999

// Facts are what a rule's condition can see about a case, under the names in
// the expr tags. Amounts appear twice: in yuan as a float (overdue_amount,
// balance, paid_30d), which is what supervisors write ("overdue_amount >
// 2000"), and in fen as an integer (overdue_fen, balance_fen) for exact
// comparisons. Conditions only compare amounts; no money is computed from
// them. Use SetAmounts to fill both forms.
//
// Facts has no methods reachable from expressions; the environment is data
// only.
type Facts struct {
	CaseID     int64  `expr:"case_id" json:"case_id"`
	BorrowerID int64  `expr:"borrower_id" json:"borrower_id"`
	Bucket     string `expr:"bucket" json:"bucket"`           // "M1" …
	BucketRank int    `expr:"bucket_rank" json:"bucket_rank"` // 0 for M0, 1 for M1 …: "M3+" is bucket_rank >= 3
	Tier       string `expr:"tier" json:"tier"`               // low, medium, high
	Segment    string `expr:"segment" json:"segment"`         // willing_able …
	DPD        int    `expr:"dpd" json:"dpd"`

	OverdueAmount float64 `expr:"overdue_amount" json:"overdue_amount"` // yuan
	OverdueFen    int64   `expr:"overdue_fen" json:"overdue_fen"`
	Balance       float64 `expr:"balance" json:"balance"` // yuan: all outstanding principal, interest, penalty and fees
	BalanceFen    int64   `expr:"balance_fen" json:"balance_fen"`
	Paid30d       float64 `expr:"paid_30d" json:"paid_30d"` // yuan paid in the last 30 days

	DaysSinceLastContact int  `expr:"days_since_last_contact" json:"days_since_last_contact"` // connected contact; NeverContacted if none
	DaysInCase           int  `expr:"days_in_case" json:"days_in_case"`
	BrokenPromises       int  `expr:"broken_promises" json:"broken_promises"`
	PromisesKept         int  `expr:"promises_kept" json:"promises_kept"`
	OpenPromise          bool `expr:"open_promise" json:"open_promise"` // a promise to pay not yet due
	Attempts7d           int  `expr:"attempts_7d" json:"attempts_7d"`
	Connected7d          int  `expr:"connected_7d" json:"connected_7d"`

	// DaysSinceBrokenPromise counts from the last day a promise of the case
	// was judged broken or partly kept; NeverBroken if none was.
	DaysSinceBrokenPromise int `expr:"days_since_broken_promise" json:"days_since_broken_promise"`

	Flags    []string `expr:"flags" json:"flags"`       // vulnerable, disputed, cease, lost_contact …
	Loans    int      `expr:"loans" json:"loans"`       // delinquent loans in the case
	Products []string `expr:"products" json:"products"` // product codes of those loans
	Language string   `expr:"language" json:"language"` // zh-CN, en …
	Region   string   `expr:"region" json:"region"`     // 广东省 …
	HasEmail bool     `expr:"has_email" json:"has_email"`
	HasPhone bool     `expr:"has_phone" json:"has_phone"`

	AgencyPlaced bool   `expr:"agency_placed" json:"agency_placed"` // currently with an outside agency
	Arm          string `expr:"arm" json:"arm"`                     // champion or challenger, "" outside experiments
}

// SetAmounts fills the yuan and fen forms of the overdue amount and the
// balance.
func (f *Facts) SetAmounts(overdue, balance money.Amount) {
	f.OverdueFen, f.OverdueAmount = int64(overdue), Yuan(overdue)
	f.BalanceFen, f.Balance = int64(balance), Yuan(balance)
}

// Yuan returns a as a float number of yuan, for expression facts only. The
// division is exact to the fen: a literal such as 2000.01 compares equal to
// Yuan(200001).
func Yuan(a money.Amount) float64 { return float64(a) / 100 }
