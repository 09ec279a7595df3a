package demo

import (
	"fmt"
	"math"
	"time"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/money"
)

// person is a generated borrower before their loans are known.
type person struct {
	borrower.Borrower
	city    city
	surname string
	male    bool
	birth   date.Date
	loc     *time.Location
}

// Beijing and Ürümqi time have had no daylight saving since 1991, so fixed
// zones are exact and need no time zone database.
var (
	beijing = time.FixedZone("CST", 8*3600)
	urumqi  = time.FixedZone("XJT", 6*3600)
)

// person draws borrower b (1-based) living in China as of asOf.
func (r rng) person(b int, asOf date.Date) person {
	c := cities[cityIndex.pick(r)]
	p := person{city: c, male: r.chance(0.56), loc: beijing, surname: r.surname()}
	// Age on asOf is 23–58, mostly under 35, so the borrower was an adult
	// when they applied, up to three years earlier.
	age := 23 + int(math.Min(35, math.Abs(r.NormFloat64())*12))
	y, _, _ := asOf.Parts()
	p.birth = date.Of(y-age-1, 1, 1).AddDays(r.IntN(365))
	p.Borrower = borrower.Borrower{
		ID:         int64(b),
		ExternalID: fmt.Sprintf("B%08d", b),
		Name:       p.surname + r.givenName(p.male, age > 45),
		NationalID: r.nationalID(c.Code, p.birth, p.male),
		TimeZone:   borrower.DefaultTimeZone,
		Language:   "zh-CN",
	}
	if c.xinjiang() && r.chance(0.4) {
		p.TimeZone, p.loc = "Asia/Urumqi", urumqi
	}
	if r.chance(0.02) {
		p.Language = "en"
	}
	p.Phones = []borrower.Phone{{Number: r.mobile(), Kind: "mobile"}}
	if r.chance(0.3) {
		p.Phones = append(p.Phones, borrower.Phone{Number: r.mobile(), Kind: "mobile"})
	}
	p.Addresses = []borrower.Address{r.home(c)}
	p.Employer = r.employer(c)
	if r.chance(0.55) && p.Employer != selfEmployed && p.Employer != freelance {
		p.Addresses = append(p.Addresses, r.work(c))
	}
	p.MonthlyIncome = r.income(c.Tier)
	return p
}

// mobilePrefixes are real mobile number blocks of China Mobile, Unicom and
// Telecom, the older 13x/15x/18x blocks weighted above the newer ones.
var mobilePrefixes = []string{
	"134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "183", "184", "187", "188", "178", "198",
	"130", "131", "132", "155", "156", "185", "186", "166", "175", "176",
	"133", "153", "180", "181", "189", "177", "173", "199",
}

// mobile returns a mobile number in E.164 form: +86 and 11 digits.
func (r rng) mobile() string {
	b := make([]byte, 0, 14)
	b = append(b, "+86"...)
	b = append(b, mobilePrefixes[r.IntN(len(mobilePrefixes))]...)
	return string(r.digits(b, 8))
}

// income returns a declared monthly income: log-normal around a median that
// falls with the city tier, rounded to 100 yuan.
func (r rng) income(tier int) money.Amount {
	median := [...]float64{0, 11_000, 7_500, 5_200}[tier]
	yuan := math.Min(math.Max(r.lognormal(median, 0.5), 2_500), 90_000)
	return money.Yuan(int64(yuan/100) * 100)
}
