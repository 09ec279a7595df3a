package model

import (
	"strconv"
	"testing"
)

func TestMonitorStability(t *testing.T) {
	ds := synthetic(5000, 21, false)
	m, err := Train(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"x1", "x2", "region"}
	rec := func(i int, shift float64) []string {
		reg := ds.Columns[2]
		return []string{strconv.FormatFloat(ds.Columns[0].Num[i]+shift, 'g', -1, 64),
			strconv.FormatFloat(ds.Columns[1].Num[i], 'g', -1, 64), reg.Levels[reg.Codes[i]]}
	}
	same, _ := m.NewMonitor(header)
	shifted, _ := m.NewMonitor(header)
	for i := range ds.Y {
		same.Add(rec(i, 0))
		shifted.Add(rec(i, 1))
	}
	s := same.Stability()
	if s.Rows != 5000 || s.Score > 1e-12 || len(s.Features) != 3 {
		t.Errorf("the training population against itself: %+v, want score PSI 0", s)
	}
	for _, f := range s.Features {
		if f.PSI > 1e-12 {
			t.Errorf("feature %s PSI %v against itself, want 0", f.Feature, f.PSI)
		}
	}
	if len(m.ScoreBins.Expected) != 10 || m.ScoreBins.Missing {
		t.Errorf("score bins = %+v, want 10 deciles", m.ScoreBins)
	}
	// Expected shares are the training distribution over the bins.
	var sum float64
	for _, e := range feature(m, "x1").PSI.Expected {
		sum += e
	}
	if !near(sum, 1, 1e-12) {
		t.Errorf("x1 expected shares sum to %v", sum)
	}
	sh := shifted.Stability()
	byName := map[string]float64{}
	for _, f := range sh.Features {
		byName[f.Feature] = f.PSI
	}
	if sh.Score < 0.1 || byName["x1"] < 0.25 || byName["x2"] > 1e-12 || byName["region"] > 1e-12 {
		t.Errorf("x1 shifted by one sd: score %v, features %v; want a large score and x1 PSI, x2 and region 0", sh.Score, byName)
	}
}
