package model

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
)

// The nightly scoring scores typed values (ScoreValues, AddValues); the CSV
// scorer and training read text. Both must give the same score, reasons and
// stability counts for the same record, for either kind of model, with
// missing values, unseen levels and values outside the training range.
func TestScoreValues_SameAsText(t *testing.T) {
	ds := synthetic(4000, 7, false)
	for _, kind := range []Kind{Logistic, Scorecard} {
		t.Run(string(kind), func(t *testing.T) {
			m, err := Train(ds, Options{Kind: kind})
			if err != nil {
				t.Fatal(err)
			}
			header := []string{"region", "x1", "unused", "x2"}
			sc, _ := m.NewScorer(header)
			tv, _ := m.NewScorer(header)
			text, _ := m.NewMonitor(header)
			typed, _ := m.NewMonitor(header)
			rnd := rand.New(rand.NewPCG(3, 9))
			levels := append(append([]string(nil), ds.Columns[2].Levels...), "", "never-seen")
			num := func() float64 {
				switch rnd.IntN(10) {
				case 0:
					return math.NaN()
				case 1:
					return rnd.NormFloat64() * 1e6
				}
				return rnd.NormFloat64() * 2
			}
			for i := range 3000 {
				v := Values{Num: []float64{math.NaN(), num(), math.NaN(), num()}, Str: make([]string, 4)}
				v.Str[0] = levels[rnd.IntN(len(levels))]
				rec := []string{v.Str[0], text17(v.Num[1]), "", text17(v.Num[3])}
				want := sc.Score(rec, 3)
				wantReasons := append([]Reason(nil), want.Reasons...)
				got := tv.ScoreValues(v, 3)
				if got.Probability != want.Probability || got.Points != want.Points || !reflect.DeepEqual(got.Reasons, wantReasons) {
					t.Fatalf("record %d %q: typed %+v, text %+v", i, rec, got, want)
				}
				text.Add(rec)
				typed.AddValues(v, got.Probability)
			}
			if a, b := typed.Stability(), text.Stability(); !reflect.DeepEqual(a, b) {
				t.Errorf("stability from typed values %+v, from text %+v", a, b)
			}
		})
	}
}

// text17 formats x as features.Vector.Record does (shortest exact form;
// NaN is empty).
func text17(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
