package strategy

import (
	"math"

	"accord/internal/money"
)

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

	// The borrower's cure score (chance of curing within 30 days) as the
	// previous night's scoring step stored it; see SetScore. Without a
	// score, HasScore is false, Score is NaN (every comparison with it is
	// false), ScoreBand is "" and ScoreReasons is empty.
	HasScore     bool     `expr:"has_score" json:"has_score"`
	Score        float64  `expr:"score" json:"-"`                       // 0–1; NaN without a score (not JSON-encodable)
	ScoreBand    string   `expr:"score_band" json:"score_band"`         // high, medium, low, "" without a score
	ScoreReasons []string `expr:"score_reasons" json:"score_reasons"`   // features of the top reasons (promises_broken …)
	ScoreAge     int      `expr:"score_age_days" json:"score_age_days"` // days since the score was made; NoScore without one

	// Warnings are the codes of the borrower's early warnings stored in the
	// 30 days before the night (failed_auto_debit, plan_payment_late …;
	// docs/SCORING.md), each once; empty without any.
	Warnings []string `expr:"warnings" json:"warnings"`
}

// NoScore is ScoreAge for a borrower without a score, chosen large so that
// "score_age_days <= 7" is false for them.
const NoScore = 9999

// Score bands: a cure score of at least BandHigh is "high", at least
// BandMedium "medium", below it "low".
const (
	BandHigh   = 0.6
	BandMedium = 0.3
)

// NoScoreFacts sets f's score facts to "no score": HasScore false, Score
// NaN, no band, no reasons.
func (f *Facts) NoScoreFacts() {
	f.HasScore, f.Score, f.ScoreBand, f.ScoreReasons, f.ScoreAge = false, math.NaN(), "", []string{}, NoScore
}

// SetScore sets f's score facts from a cure probability p, made age days
// ago, with the features of its top reasons.
func (f *Facts) SetScore(p float64, age int, reasons []string) {
	if math.IsNaN(p) {
		f.NoScoreFacts()
		return
	}
	if reasons == nil {
		reasons = []string{}
	}
	f.HasScore, f.Score, f.ScoreReasons, f.ScoreAge = true, p, reasons, age
	switch {
	case p >= BandHigh:
		f.ScoreBand = "high"
	case p >= BandMedium:
		f.ScoreBand = "medium"
	default:
		f.ScoreBand = "low"
	}
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
