package ledger

import (
	"fmt"
	"math/big"
	"math/bits"

	"github.com/govalues/decimal"

	"accord/internal/money"
)

// mulRate returns x × rate ÷ div rounded half away from zero to a whole
// number, exactly: x is in fen (or fen-days), rate a decimal, div a positive
// whole divisor (12 for a monthly rate from an annual one, 365 for a daily
// one). Dividing last, on the exact product, is what keeps a rate such as
// 0.0365 ÷ 12 from losing precision. The common case runs in 128-bit integer
// arithmetic without allocating; anything larger falls back to math/big.
func mulRate(x int64, rate decimal.Decimal, div uint64) money.Amount {
	neg := (x < 0) != rate.IsNeg()
	ux := uint64(x)
	if x < 0 {
		ux = -ux
	}
	coef, scale := rate.Coef(), rate.Scale()
	if ux == 0 || coef == 0 {
		return 0
	}
	var q uint64
	dhi, den := bits.Mul64(pow10[scale], div)
	nhi, nlo := bits.Mul64(ux, coef)
	if dhi == 0 && nhi < den {
		var r uint64
		q, r = bits.Div64(nhi, nlo, den)
		if r >= den-r {
			q++
		}
	} else {
		q = bigQuoRound(new(big.Int).Mul(new(big.Int).SetUint64(ux), new(big.Int).SetUint64(coef)),
			new(big.Int).Mul(new(big.Int).SetUint64(pow10[scale]), new(big.Int).SetUint64(div)))
	}
	if q > 1<<63-1 {
		panic(fmt.Sprintf("ledger: %d × %s ÷ %d overflows", x, rate, div))
	}
	if neg {
		return -money.Amount(q)
	}
	return money.Amount(q)
}

// bigQuoRound returns num ÷ den for positive num and den, rounded half up.
// It panics if the quotient does not fit in a uint64.
func bigQuoRound(num, den *big.Int) uint64 {
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if r.Lsh(r, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsUint64() {
		panic(fmt.Sprintf("ledger: %s ÷ %s overflows", num, den))
	}
	return q.Uint64()
}

// pow10 holds 10^0 … 10^19, every power a decimal.Decimal scale can need.
var pow10 = func() [20]uint64 {
	var p [20]uint64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// annuityPayment returns the level monthly payment of an equal_installment
// loan, P·r(1+r)^n / ((1+r)^n − 1) with r = annual ÷ 12, rounded half up to
// the fen. (1+r)^n does not fit in 19 digits, so the formula is rewritten
// over whole numbers, with annual = A ÷ 10^s, B = 12·10^s and C = B + A:
//
//	payment = P·A·C^n ÷ (B·(C^n − B^n))
//
// and evaluated exactly with math/big. annual must be positive.
func annuityPayment(p money.Amount, annual decimal.Decimal, n int) money.Amount {
	a := new(big.Int).SetUint64(annual.Coef())
	b := new(big.Int).Mul(big.NewInt(12), new(big.Int).SetUint64(pow10[annual.Scale()]))
	c := new(big.Int).Add(b, a)
	cn := new(big.Int).Exp(c, big.NewInt(int64(n)), nil)
	bn := new(big.Int).Exp(b, big.NewInt(int64(n)), nil)
	num := new(big.Int).Mul(big.NewInt(int64(p)), a)
	num.Mul(num, cn)
	den := new(big.Int).Sub(cn, bn)
	den.Mul(den, b)
	return money.Amount(bigQuoRound(num, den))
}

// divRound returns a ÷ n rounded half up to the fen, for a ≥ 0 and n > 0.
func divRound(a money.Amount, n int) money.Amount {
	q, r := a/money.Amount(n), a%money.Amount(n)
	if 2*r >= money.Amount(n) {
		q++
	}
	return q
}
