package model

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
)

// Binning parameters of the scorecard.
const (
	startBins   = 20   // the quantile bins monotone merging starts from
	minBinShare = 0.05 // the smallest share of the rows a numeric bin may hold
)

// binCount is a bin under construction: the largest value in it and its
// rows and positives.
type binCount struct {
	upper    float64
	rows     int
	positive int
}

func (b binCount) rate() float64 { return float64(b.positive) / float64(b.rows) }

// MonotoneBins cuts the values x (no NaN) with outcomes y into bins whose
// share of positives rises (or falls) strictly from bin to bin. It starts
// from up to 20 bins of equal size (equal values never split), chooses the
// direction by the sign of the correlation of x and y, merges neighbours
// that break the order (pool adjacent violators), and then merges any bin
// with less than 5% of the rows into its closer neighbour by rate. It
// returns the largest value of each bin, ascending, and the counts.
func MonotoneBins(x []float64, y []bool) (upper []float64, rows, positives []int) {
	bins := monotoneBins(x, y)
	for _, b := range bins {
		upper = append(upper, b.upper)
		rows = append(rows, b.rows)
		positives = append(positives, b.positive)
	}
	return upper, rows, positives
}

func monotoneBins(x []float64, y []bool) []binCount {
	n := len(x)
	if n == 0 {
		return nil
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	xs := make([]float64, n)
	ys := make([]float64, n)
	for k, i := range idx {
		xs[k] = x[i]
		if y[i] {
			ys[k] = 1
		}
	}
	var bins []binCount
	start := 0
	for g := 1; g <= startBins && start < n; g++ {
		end := g * n / startBins
		if end <= start {
			continue
		}
		for end < n && xs[end] == xs[end-1] {
			end++
		}
		b := binCount{upper: xs[end-1], rows: end - start}
		for _, v := range ys[start:end] {
			b.positive += int(v)
		}
		bins = append(bins, b)
		start = end
	}
	rising := true
	if c := stat.Correlation(xs, ys, nil); c < 0 {
		rising = false
	}
	bins = poolViolators(bins, rising)
	return mergeSmall(bins, int(math.Ceil(minBinShare*float64(n))))
}

// ordered reports whether a then b respects the direction strictly.
func ordered(a, b binCount, rising bool) bool {
	l, r := a.positive*b.rows, b.positive*a.rows // compare rates exactly
	if rising {
		return l < r
	}
	return l > r
}

func merge(a, b binCount) binCount {
	return binCount{upper: max(a.upper, b.upper), rows: a.rows + b.rows, positive: a.positive + b.positive}
}

// poolViolators merges adjacent bins until the rates are strictly monotone.
func poolViolators(bins []binCount, rising bool) []binCount {
	var st []binCount
	for _, b := range bins {
		st = append(st, b)
		for len(st) > 1 && !ordered(st[len(st)-2], st[len(st)-1], rising) {
			m := merge(st[len(st)-2], st[len(st)-1])
			st = append(st[:len(st)-2], m)
		}
	}
	return st
}

// mergeSmall merges each bin with fewer than minRows rows into the
// neighbour whose rate is closer; merging neighbours keeps the order.
func mergeSmall(bins []binCount, minRows int) []binCount {
	for len(bins) > 1 {
		small := -1
		for i, b := range bins {
			if b.rows < minRows && (small < 0 || b.rows < bins[small].rows) {
				small = i
			}
		}
		if small < 0 {
			break
		}
		j := small - 1
		switch {
		case small == 0:
			j = 1
		case small < len(bins)-1 &&
			math.Abs(bins[small+1].rate()-bins[small].rate()) < math.Abs(bins[small-1].rate()-bins[small].rate()):
			j = small + 1
		}
		lo, hi := min(small, j), max(small, j)
		bins[lo] = merge(bins[lo], bins[hi])
		bins = append(bins[:hi], bins[hi+1:]...)
	}
	return bins
}

// WoE returns the weight of evidence of a bin with pos positive and neg
// negative rows out of totPos and totNeg: ln((pos/totPos)/(neg/totNeg)).
// A bin with no positive or no negative rows has 0.5 added to both counts.
func WoE(pos, neg, totPos, totNeg int) float64 {
	p, q := adjusted(pos, neg)
	return math.Log((p / float64(totPos)) / (q / float64(totNeg)))
}

func adjusted(pos, neg int) (float64, float64) {
	p, q := float64(pos), float64(neg)
	if pos == 0 || neg == 0 {
		p, q = p+0.5, q+0.5
	}
	return p, q
}

// IV returns the information value of bins given their positive and
// negative counts: Σ (pos/totPos − neg/totNeg)·WoE, with the counts of WoE.
func IV(pos, neg []int) float64 {
	var tp, tn int
	for i := range pos {
		tp += pos[i]
		tn += neg[i]
	}
	var iv float64
	for i := range pos {
		p, q := adjusted(pos[i], neg[i])
		iv += (p/float64(tp) - q/float64(tn)) * WoE(pos[i], neg[i], tp, tn)
	}
	return iv
}
