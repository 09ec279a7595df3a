package demo

import (
	"math"
	"math/rand/v2"
	"slices"
)

// rng is a borrower's private random source with the few draws the
// generator needs.
type rng struct{ *rand.Rand }

// newRNG returns the generator of borrower index under seed. The index is
// mixed so that neighbouring borrowers start from unrelated states.
func newRNG(seed uint64, index int) rng {
	return rng{rand.New(rand.NewPCG(seed, mix64(uint64(index)+0x9e3779b97f4a7c15)))}
}

// chance reports true with probability p.
func (r rng) chance(p float64) bool { return r.Float64() < p }

// between returns an int in [lo, hi].
func (r rng) between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// uniform returns a float64 in [lo, hi).
func (r rng) uniform(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// lognormal returns a draw whose median is median and whose log has standard
// deviation sigma.
func (r rng) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// digits appends n random decimal digits to b.
func (r rng) digits(b []byte, n int) []byte {
	for range n {
		b = append(b, byte('0'+r.IntN(10)))
	}
	return b
}

// weighted picks indexes 0..n-1 with fixed integer weights.
type weighted struct{ cum []int }

func newWeighted(n int, weight func(int) int) weighted {
	cum := make([]int, n)
	total := 0
	for i := range n {
		total += weight(i)
		cum[i] = total
	}
	return weighted{cum}
}

func (w weighted) pick(r rng) int {
	x := r.IntN(w.cum[len(w.cum)-1])
	i, _ := slices.BinarySearch(w.cum, x+1)
	return i
}

// mix64 is the splitmix64 finaliser: a bijection that scrambles every bit.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// unit returns a float64 in [0, 1) that depends only on the keys.
func unit(keys ...uint64) float64 {
	h := uint64(0x243f6a8885a308d3)
	for _, k := range keys {
		h = mix64(h ^ k)
	}
	return float64(h>>11) / (1 << 53)
}
