// Package money is Accord's money type: an Amount is a whole number of fen
// (分, the minor unit of the renminbi), never a float. Rates are decimals
// (github.com/govalues/decimal) and every product of an amount and a rate is
// rounded half-up to the fen by Mul, the one place where rounding happens.
package money

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/govalues/decimal"

	"accord/internal/errs"
)

// Amount is a sum of money in fen. 1 yuan = 100 fen.
type Amount int64

// Yuan returns n whole yuan.
func Yuan(n int64) Amount { return Amount(n * 100) }

// Parse reads a decimal amount in yuan with at most two places, such as
// "10000.00", "12.5" or "-3". It returns an Invalid error for anything else.
func Parse(s string) (Amount, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) || !digits(whole) || !digits(frac) {
		return 0, errs.Errorf(errs.Invalid, "%q is not an amount with at most two decimal places.", s)
	}
	if len(whole) > 15 {
		return 0, errs.Errorf(errs.Invalid, "%q is too large.", s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	a := Amount(w*100 + f)
	if neg {
		a = -a
	}
	return a, nil
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// String formats a as yuan with exactly two decimal places: "788.49".
func (a Amount) String() string {
	sign := ""
	v := int64(a)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// MarshalText writes a as a decimal string, so JSON carries "788.49".
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads a decimal string (see Parse).
func (a *Amount) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Decimal returns a in yuan as a decimal.
func (a Amount) Decimal() decimal.Decimal {
	d, _ := decimal.New(int64(a), 2)
	return d
}

// Round converts a decimal number of yuan to fen, rounding half away from
// zero ("half-up" in the usual Chinese accounting sense: 0.005 → 0.01).
func Round(yuan decimal.Decimal) Amount {
	neg := yuan.IsNeg()
	d := yuan.Abs()
	half, _ := decimal.New(5, 3)
	d, err := d.Add(half)
	if err != nil {
		panic(fmt.Sprintf("money: round %s: %v", yuan, err))
	}
	d = d.Floor(2)
	c, f, ok := d.Int64(2)
	if !ok {
		panic(fmt.Sprintf("money: round %s: out of range", yuan))
	}
	a := Amount(c*100 + f)
	if neg {
		a = -a
	}
	return a
}

// Mul returns a × rate rounded half-up to the fen.
func (a Amount) Mul(rate decimal.Decimal) Amount {
	p, err := a.Decimal().Mul(rate)
	if err != nil {
		panic(fmt.Sprintf("money: %s × %s: %v", a, rate, err))
	}
	return Round(p)
}

// Min returns the smaller of a and b.
func Min(a, b Amount) Amount {
	if a < b {
		return a
	}
	return b
}

// Max returns the larger of a and b.
func Max(a, b Amount) Amount {
	if a > b {
		return a
	}
	return b
}

// Grouped formats a with thousands separators for display: "78,230,010.51".
func (a Amount) Grouped() string {
	s := a.String()
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	whole, frac := s[:len(s)-3], s[len(s)-3:]
	var b []byte
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, whole[i])
	}
	return sign + string(b) + frac
}
