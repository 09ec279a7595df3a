package offer

import (
	"fmt"

	"github.com/govalues/decimal"

	"accord/internal/money"
)

// ExpenseTable gives default essential monthly expenses when the
// negotiator has not entered them: the first person of the household costs
// PerPerson[tier−1], each further person AdditionalShare of that.
type ExpenseTable struct {
	PerPerson       [4]money.Amount `json:"per_person"`       // city tiers 1 (一线) … 4
	AdditionalShare decimal.Decimal `json:"additional_share"` // e.g. 0.6 for each further person
}

// DefaultExpenseTable is a conservative starting point for essential
// expenses (housing, food, transport, utilities) per city tier; lenders set
// their own in the policy.
func DefaultExpenseTable() ExpenseTable {
	return ExpenseTable{
		PerPerson:       [4]money.Amount{money.Yuan(3000), money.Yuan(2400), money.Yuan(1900), money.Yuan(1500)},
		AdditionalShare: decimal.MustNew(6, 1),
	}
}

// Default returns the default essential expenses of a's household and the
// arithmetic step that shows them:
//
//	size     = a.HouseholdSize, or 1 + a.Dependants when 0
//	tier     = a.CityTier, or 2 when 0
//	expenses = PerPerson[tier] × (1 + AdditionalShare × (size − 1)), half-up
func (t ExpenseTable) Default(a Assessment) (money.Amount, Step) {
	size := a.HouseholdSize
	if size <= 0 {
		size = 1 + max(0, a.Dependants)
	}
	tier := a.CityTier
	if tier < 1 || tier > 4 {
		tier = 2
	}
	extra, err := t.AdditionalShare.Mul(decimal.MustNew(int64(size-1), 0))
	if err != nil {
		panic(err)
	}
	factor, err := extra.Add(decimal.One)
	if err != nil {
		panic(err)
	}
	per := t.PerPerson[tier-1]
	e := per.Mul(factor)
	return e, Step{Key: "expenses",
		ZH: fmt.Sprintf("必要支出（默认）= %d线城市人均 %s × (1 + %s × (家庭人数 %d − 1)) = %s", tier, per.Grouped(), t.AdditionalShare, size, e.Grouped()),
		EN: fmt.Sprintf("Essential expenses (default) = tier-%d city per person %s × (1 + %s × (household size %d − 1)) = %s", tier, per.Grouped(), t.AdditionalShare, size, e.Grouped())}
}
