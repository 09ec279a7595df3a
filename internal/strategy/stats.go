package strategy

import (
	"math"

	"accord/internal/money"
)

// Z95 is the standard normal quantile for two-sided 95% intervals.
const Z95 = 1.959963984540054

// Outcome is one case's result over an experiment's observation window, as
// the nightly run records it.
type Outcome struct {
	Arm           string       `json:"arm"`
	Cured         bool         `json:"cured"`          // all loans current again by the end of the window
	RolledForward bool         `json:"rolled_forward"` // moved to a later bucket during the window
	Recovered     money.Amount `json:"recovered"`      // paid during the window
	Contacts      int          `json:"contacts"`       // contact attempts made
	Cost          money.Amount `json:"cost"`           // calls, messages, visits, commission
}

// Rate is a proportion with its Wilson score interval.
type Rate struct {
	Hits  int     `json:"hits"`
	N     int     `json:"n"`
	Value float64 `json:"value"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
}

// Mean is an average with a normal-approximation interval (mean ± z·s/√n,
// s the sample standard deviation).
type Mean struct {
	N     int     `json:"n"`
	Value float64 `json:"value"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
}

// ArmStats summarises one arm. Money means are in fen as floats; they are
// statistics, never posted.
type ArmStats struct {
	Arm           string       `json:"arm"`
	Cases         int          `json:"cases"`
	CureRate      Rate         `json:"cure_rate"`
	RollForward   Rate         `json:"roll_forward_rate"`
	Recovered     money.Amount `json:"recovered"`
	RecoveredMean Mean         `json:"recovered_mean"`
	Contacts      int          `json:"contacts"`
	ContactsMean  Mean         `json:"contacts_mean"`
	Cost          money.Amount `json:"cost"`
	CostMean      Mean         `json:"cost_mean"`
}

// Comparison is the two arms side by side with p-values for their
// differences: two-proportion z-tests for the rates, a two-sample z-test for
// mean recovery. A small p-value (say below 0.05) means the difference is
// unlikely to be chance.
type Comparison struct {
	Champion       ArmStats `json:"champion"`
	Challenger     ArmStats `json:"challenger"`
	CureRateP      float64  `json:"cure_rate_p"`
	RollForwardP   float64  `json:"roll_forward_p"`
	RecoveredMeanP float64  `json:"recovered_mean_p"`
}

// Compare summarises rows by arm (Champion or Challenger; other arms are
// ignored) at 95% confidence.
func Compare(rows []Outcome) Comparison {
	var ch, cl []Outcome
	for _, r := range rows {
		switch r.Arm {
		case Champion:
			ch = append(ch, r)
		case Challenger:
			cl = append(cl, r)
		}
	}
	c := Comparison{Champion: Summarise(Champion, ch), Challenger: Summarise(Challenger, cl)}
	c.CureRateP = TwoProportionP(c.Champion.CureRate.Hits, c.Champion.Cases, c.Challenger.CureRate.Hits, c.Challenger.Cases)
	c.RollForwardP = TwoProportionP(c.Champion.RollForward.Hits, c.Champion.Cases, c.Challenger.RollForward.Hits, c.Challenger.Cases)
	c.RecoveredMeanP = twoMeanP(ch, cl)
	return c
}

// Summarise computes one arm's statistics at 95% confidence.
func Summarise(arm string, rows []Outcome) ArmStats {
	s := ArmStats{Arm: arm, Cases: len(rows)}
	var cured, rolled int
	rec, con, cost := make([]float64, len(rows)), make([]float64, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		if r.Cured {
			cured++
		}
		if r.RolledForward {
			rolled++
		}
		s.Recovered += r.Recovered
		s.Contacts += r.Contacts
		s.Cost += r.Cost
		rec[i], con[i], cost[i] = float64(r.Recovered), float64(r.Contacts), float64(r.Cost)
	}
	s.CureRate = Wilson(cured, len(rows), Z95)
	s.RollForward = Wilson(rolled, len(rows), Z95)
	s.RecoveredMean, s.ContactsMean, s.CostMean = MeanCI(rec, Z95), MeanCI(con, Z95), MeanCI(cost, Z95)
	return s
}

// Wilson returns hits/n with its Wilson score interval at quantile z. It is
// well behaved for small n and rates near 0 or 1, unlike p ± z·√(p(1−p)/n).
// With n = 0 everything is 0.
func Wilson(hits, n int, z float64) Rate {
	r := Rate{Hits: hits, N: n}
	if n == 0 {
		return r
	}
	nf := float64(n)
	p := float64(hits) / nf
	z2 := z * z
	centre := (p + z2/(2*nf)) / (1 + z2/nf)
	half := z / (1 + z2/nf) * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	r.Value, r.Low, r.High = p, math.Max(0, centre-half), math.Min(1, centre+half)
	return r
}

// MeanCI returns the mean of xs with a normal-approximation interval at
// quantile z. With fewer than two values the interval is the mean itself.
func MeanCI(xs []float64, z float64) Mean {
	m := Mean{N: len(xs)}
	if len(xs) == 0 {
		return m
	}
	mean, v := meanVar(xs)
	m.Value, m.Low, m.High = mean, mean, mean
	if len(xs) > 1 {
		half := z * math.Sqrt(v/float64(len(xs)))
		m.Low, m.High = mean-half, mean+half
	}
	return m
}

// meanVar returns the mean and the sample variance (n−1) of xs.
func meanVar(xs []float64) (float64, float64) {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, ss / float64(len(xs)-1)
}

// TwoProportionP returns the two-sided p-value of the pooled two-proportion
// z-test of h1/n1 against h2/n2: 1 when either sample is empty or the pooled
// rate is 0 or 1 (no evidence of a difference).
func TwoProportionP(h1, n1, h2, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	p1, p2 := float64(h1)/float64(n1), float64(h2)/float64(n2)
	pool := float64(h1+h2) / float64(n1+n2)
	se := math.Sqrt(pool * (1 - pool) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return 1
	}
	return twoSidedP((p1 - p2) / se)
}

// twoMeanP is the two-sided p-value of a two-sample z-test (unpooled
// variances) on mean recovery; 1 when either arm has fewer than two cases.
func twoMeanP(a, b []Outcome) float64 {
	if len(a) < 2 || len(b) < 2 {
		return 1
	}
	xa, xb := make([]float64, len(a)), make([]float64, len(b))
	for i, r := range a {
		xa[i] = float64(r.Recovered)
	}
	for i, r := range b {
		xb[i] = float64(r.Recovered)
	}
	ma, va := meanVar(xa)
	mb, vb := meanVar(xb)
	se := math.Sqrt(va/float64(len(a)) + vb/float64(len(b)))
	switch {
	case se == 0 && ma == mb:
		return 1
	case se == 0:
		return 0 // two constant, different samples
	}
	return twoSidedP((ma - mb) / se)
}

// twoSidedP is P(|Z| ≥ |z|) for a standard normal Z.
func twoSidedP(z float64) float64 { return math.Erfc(math.Abs(z) / math.Sqrt2) }
