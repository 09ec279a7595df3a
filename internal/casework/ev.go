package casework

import (
	"fmt"

	"github.com/govalues/decimal"

	"accord/internal/money"
)

// NeverContacted is EVFacts.DaysSinceContact for a borrower never reached.
const NeverContacted = -1

// EVFacts are what the expected value of working a case today is built from.
type EVFacts struct {
	CaseID           int64        `json:"case_id"`
	Balance          money.Amount `json:"balance"` // everything outstanding on the case's loans
	Bucket           string       `json:"bucket"`
	Segment          string       `json:"segment"`
	PromisesKept     int          `json:"promises_kept"`
	PromisesBroken   int          `json:"promises_broken"`
	OpenPromise      bool         `json:"open_promise"`       // a promise to pay not yet due
	DaysSinceContact int          `json:"days_since_contact"` // last connected contact; NeverContacted if none
	Paid30d          money.Amount `json:"paid_30d"`           // paid in the last 30 days
}

// Factor is one input to the chance that working a case today changes its
// outcome: its name and value, the multiplier it applied (the first factor,
// the bucket, gives the base chance) and a sentence in Chinese and English.
type Factor struct {
	Name       string          `json:"name"`
	Value      string          `json:"value"`
	Multiplier decimal.Decimal `json:"multiplier"`
	ZH         string          `json:"zh"`
	EN         string          `json:"en"`
}

// EVModel holds the base chance per bucket and the multipliers. They are
// transparent rules of thumb until a learned score replaces them.
type EVModel struct {
	BucketBase  map[string]decimal.Decimal `json:"bucket_base"`  // chance that contact changes the outcome, by bucket
	OtherBase   decimal.Decimal            `json:"other_base"`   // for a bucket not in BucketBase
	Segment     map[string]decimal.Decimal `json:"segment"`      // by segment; missing is 1
	OpenPromise decimal.Decimal            `json:"open_promise"` // a promise is running: let it
	Broken      decimal.Decimal            `json:"broken"`       // a broken promise to follow up
	Kept        decimal.Decimal            `json:"kept"`         // has kept promises before
	JustSpoke   decimal.Decimal            `json:"just_spoke"`   // reached today or yesterday
	NotRecently decimal.Decimal            `json:"not_recently"` // not reached for 7 days or more
	Never       decimal.Decimal            `json:"never"`        // never reached
	PaidRecent  decimal.Decimal            `json:"paid_recent"`  // paid something in 30 days
	Cap         decimal.Decimal            `json:"cap"`          // the chance never exceeds this
}

func d(s string) decimal.Decimal { return decimal.MustParse(s) }

// DefaultEVModel returns the default rules of thumb: a base chance falling
// from 30% in M1 to 3% in M7+, willing segments up and unwilling_unable
// down, a running promise halves the value of calling, a broken one raises
// it, a borrower reached yesterday is worth less today than one not reached
// for a week, recent payments show momentum. The chance is capped at 95%.
func DefaultEVModel() EVModel {
	return EVModel{
		BucketBase: map[string]decimal.Decimal{
			"M0": d("0.05"), "M1": d("0.30"), "M2": d("0.22"), "M3": d("0.15"),
			"M4": d("0.10"), "M5": d("0.07"), "M6": d("0.05"), "M7+": d("0.03"),
		},
		OtherBase: d("0.05"),
		Segment: map[string]decimal.Decimal{
			"willing_able": d("1.2"), "willing_unable": d("1.1"), "unwilling_able": d("1.0"), "unwilling_unable": d("0.6"),
		},
		OpenPromise: d("0.5"), Broken: d("1.3"), Kept: d("1.1"),
		JustSpoke: d("0.6"), NotRecently: d("1.2"), Never: d("1.1"),
		PaidRecent: d("1.2"),
		Cap:        d("0.95"),
	}
}

// ChancePlaces is how many decimal places of a cure model's probability a
// case's expected value is reckoned on: 0.1 percentage point, the
// precision the console shows a score in. A finer one moved the expected
// value of nearly every open case every night by a few fen (68% of cure
// scores move by less than 0.1 pp from one night to the next, 60% by less
// than 0.01 pp), which changed no queue's order worth the name but wrote
// every case again: 1.1–1.5 s of CPU of the 1,000,000-borrower night's
// single writer (docs/BENCHMARKS.md, 2026-12-07).
const ChancePlaces = 3

// ScoredEV returns the expected value of a case of balance whose borrower
// a cure model gives the chance p: balance × p rounded half-up to
// ChancePlaces, rounded half-up to the fen. It replaces the rules of
// thumb of ExpectedValue once a model is in use (internal/scoring).
func ScoredEV(balance money.Amount, p float64) money.Amount {
	d, err := decimal.NewFromFloat64(p)
	if err != nil {
		return 0
	}
	return balance.Mul(d.Round(ChancePlaces))
}

// ExpectedValue returns balance × chance that working the case today changes
// its outcome, under the default model, with the factors behind it.
func ExpectedValue(f EVFacts) (money.Amount, []Factor) { return defaultEV.ExpectedValue(f) }

var defaultEV = DefaultEVModel() // read only

// ExpectedValue returns f.Balance × the chance under m, rounded half-up to
// the fen, and the factors that made the chance, in the order applied. The
// first factor (the bucket) is the base chance; a last factor "cap" appears
// when the product exceeded m.Cap.
func (m EVModel) ExpectedValue(f EVFacts) (money.Amount, []Factor) {
	fs := m.factors(f)
	for i := range fs {
		m.explain(f, &fs[i])
	}
	p := m.chance(fs)
	if raw := product(fs); raw.Cmp(m.Cap) > 0 {
		fs = append(fs, Factor{Name: "cap", Value: raw.Round(4).String(), Multiplier: mustQuo(m.Cap, raw),
			ZH: fmt.Sprintf("概率上限%s", m.Cap), EN: fmt.Sprintf("chance capped at %s", m.Cap)})
	}
	return f.Balance.Mul(p), fs
}

// chance returns the product of the multipliers, capped at m.Cap.
func (m EVModel) chance(fs []Factor) decimal.Decimal {
	p := product(fs)
	if p.Cmp(m.Cap) > 0 {
		p = m.Cap
	}
	return p.Round(6)
}

func product(fs []Factor) decimal.Decimal {
	p := decimal.One
	for _, x := range fs {
		p = mul(p, x.Multiplier)
	}
	return p
}

// factors returns the factors that apply to f, with names and multipliers
// only; explain adds the values and sentences, which a queue of a whole book
// does not need.
func (m EVModel) factors(f EVFacts) []Factor {
	base, ok := m.BucketBase[f.Bucket]
	if !ok {
		base = m.OtherBase
	}
	fs := make([]Factor, 1, 5)
	fs[0] = Factor{Name: "bucket", Multiplier: base}
	if s, ok := m.Segment[f.Segment]; ok {
		fs = append(fs, Factor{Name: "segment", Multiplier: s})
	}
	switch {
	case f.OpenPromise:
		fs = append(fs, Factor{Name: "promise_open", Multiplier: m.OpenPromise})
	case f.PromisesBroken > 0:
		fs = append(fs, Factor{Name: "promise_broken", Multiplier: m.Broken})
	case f.PromisesKept > 0:
		fs = append(fs, Factor{Name: "promise_kept", Multiplier: m.Kept})
	}
	switch days := f.DaysSinceContact; {
	case days < 0:
		fs = append(fs, Factor{Name: "never_reached", Multiplier: m.Never})
	case days <= 1:
		fs = append(fs, Factor{Name: "just_spoke", Multiplier: m.JustSpoke})
	case days >= 7:
		fs = append(fs, Factor{Name: "not_recently", Multiplier: m.NotRecently})
	}
	if f.Paid30d > 0 {
		fs = append(fs, Factor{Name: "paid_30d", Multiplier: m.PaidRecent})
	}
	return fs
}

// explain fills x's value and sentences from f.
func (m EVModel) explain(f EVFacts, x *Factor) {
	k := x.Multiplier
	switch x.Name {
	case "bucket":
		x.Value = f.Bucket
		x.ZH, x.EN = fmt.Sprintf("账龄%s，基础概率%s", f.Bucket, k), fmt.Sprintf("bucket %s: base chance %s", f.Bucket, k)
	case "segment":
		x.Value = f.Segment
		x.ZH, x.EN = fmt.Sprintf("客群%s ×%s", f.Segment, k), fmt.Sprintf("segment %s ×%s", f.Segment, k)
	case "promise_open":
		x.Value = "open"
		x.ZH, x.EN = fmt.Sprintf("承诺还款未到期，等待履约 ×%s", k), fmt.Sprintf("a promise is running; let it ×%s", k)
	case "promise_broken":
		x.Value = fmt.Sprint(f.PromisesBroken)
		x.ZH, x.EN = fmt.Sprintf("有%d次违约承诺，需跟进 ×%s", f.PromisesBroken, k), fmt.Sprintf("%d broken promise(s) to follow up ×%s", f.PromisesBroken, k)
	case "promise_kept":
		x.Value = fmt.Sprint(f.PromisesKept)
		x.ZH, x.EN = fmt.Sprintf("曾兑现%d次承诺 ×%s", f.PromisesKept, k), fmt.Sprintf("kept %d promise(s) before ×%s", f.PromisesKept, k)
	case "never_reached":
		x.Value = "never"
		x.ZH, x.EN = fmt.Sprintf("从未接通 ×%s", k), fmt.Sprintf("never reached ×%s", k)
	case "just_spoke":
		x.Value = fmt.Sprint(f.DaysSinceContact)
		x.ZH, x.EN = fmt.Sprintf("%d天前刚接通 ×%s", f.DaysSinceContact, k), fmt.Sprintf("reached %d day(s) ago ×%s", f.DaysSinceContact, k)
	case "not_recently":
		x.Value = fmt.Sprint(f.DaysSinceContact)
		x.ZH, x.EN = fmt.Sprintf("已%d天未接通 ×%s", f.DaysSinceContact, k), fmt.Sprintf("not reached for %d days ×%s", f.DaysSinceContact, k)
	case "paid_30d":
		x.Value = f.Paid30d.String()
		x.ZH, x.EN = fmt.Sprintf("近30天还款%s元 ×%s", f.Paid30d, k), fmt.Sprintf("paid %s in 30 days ×%s", f.Paid30d, k)
	}
}

func mul(a, b decimal.Decimal) decimal.Decimal {
	p, err := a.Mul(b)
	if err != nil {
		panic(fmt.Sprintf("casework: %s × %s: %v", a, b, err))
	}
	return p.Round(8)
}

func mustQuo(a, b decimal.Decimal) decimal.Decimal {
	q, err := a.Quo(b)
	if err != nil {
		panic(fmt.Sprintf("casework: %s ÷ %s: %v", a, b, err))
	}
	return q.Round(6)
}
