package model

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// truth is the model synthetic data are drawn from:
// logit P(y) = b0 + b1·x1 + b2·x2 + region effect (north is the reference).
var truth = struct {
	b0, b1, b2   float64
	south, west  float64
	regionShares [3]float64 // north, south, west
}{b0: -0.5, b1: 1.2, b2: -0.4, south: 0.8, west: -0.6, regionShares: [3]float64{0.5, 0.3, 0.2}}

// synthetic draws n rows from truth with a fixed seed: x1 ~ N(0,1), x2 ~
// N(3, 2²), region by its shares. Every row trains unless test is true,
// in which case HoldOut decides.
func synthetic(n int, seed uint64, test bool) *Dataset {
	rng := rand.New(rand.NewPCG(seed, 7))
	x1, x2 := make([]float64, n), make([]float64, n)
	region := make([]string, n)
	ds := &Dataset{Target: "paid", Positive: "1", Y: make([]bool, n), Train: make([]bool, n)}
	for i := 0; i < n; i++ {
		x1[i] = rng.NormFloat64()
		x2[i] = 3 + 2*rng.NormFloat64()
		z := truth.b0 + truth.b1*x1[i] + truth.b2*x2[i]
		switch u := rng.Float64(); {
		case u < truth.regionShares[0]:
			region[i] = "north"
		case u < truth.regionShares[0]+truth.regionShares[1]:
			region[i], z = "south", z+truth.south
		default:
			region[i], z = "west", z+truth.west
		}
		ds.Y[i] = rng.Float64() < sigmoid(z)
		ds.Train[i] = !test || !HoldOut(i+1)
	}
	ds.Columns = []*Column{NumericColumn("x1", x1), NumericColumn("x2", x2), CategoricalColumn("region", region)}
	return ds
}

// syntheticCSV writes the same kind of rows as CSV text.
func syntheticCSV(n int, seed uint64) string {
	ds := synthetic(n, seed, false)
	var b strings.Builder
	b.WriteString("id,x1,x2,region,paid\n")
	for i := 0; i < n; i++ {
		y := "0"
		if ds.Y[i] {
			y = "1"
		}
		b.WriteString(strconv.Itoa(i+1) + "," + fmtF(ds.Columns[0].Num[i]) + "," + fmtF(ds.Columns[1].Num[i]) + "," +
			ds.Columns[2].Levels[ds.Columns[2].Codes[i]] + "," + y + "\n")
	}
	return b.String()
}

func fmtF(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'f', 6, 64)
}

func feature(m *Model, name string) *Feature {
	for _, f := range m.Features {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func levelCoef(f *Feature, v string) float64 {
	for _, l := range f.Levels {
		if l.Value == v {
			return l.Coef
		}
	}
	return math.NaN()
}
