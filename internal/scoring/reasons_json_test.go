package scoring

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// The reasons the nightly pass writes by hand are the bytes json.Marshal
// writes for them, so that a score reads back (Explain, LatestScores) the
// same whichever wrote it.
func TestAppendReasons_SameAsJSONMarshal(t *testing.T) {
	names := []string{"dpd", "days_since_payment", "product", `a"b`, `back\slash`, "<tag>", "a&b", "中文", "tab\there", ""}
	effects := []float64{0, math.Copysign(0, -1), 1, -1, 0.0001, -0.0001, 1e-7, -3e-9, 123456.7891, 1e21, -2.5e22, 0.1 + 0.2}
	rng := rand.New(rand.NewPCG(9, 9))
	for range 2000 {
		effects = append(effects, roundEffect(rng.NormFloat64()*math.Pow(10, float64(rng.IntN(8)-3))))
	}
	for i := range effects {
		var rs []storedReason
		for k := range i % 4 {
			rs = append(rs, storedReason{Feature: names[(i+k)%len(names)], Effect: effects[(i+k)%len(effects)]})
		}
		want, err := json.Marshal(rs)
		if err != nil {
			t.Fatal(err)
		}
		if rs == nil {
			want = []byte("[]") // the pass always writes a list
		}
		if got, err := appendReasons(nil, rs); err != nil || string(got) != string(want) {
			t.Fatalf("appendReasons(%+v) = %s, %v; want %s", rs, got, err, want)
		}
	}
	if got, err := appendReasons(nil, []storedReason{{Feature: "dpd", Effect: math.NaN()}}); err == nil {
		t.Errorf("appendReasons of NaN = %s, want an error as json.Marshal's", got)
	}
}
