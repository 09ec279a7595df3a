package model

import (
	"bytes"

	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// benchCSV returns n rows of a loan-like table with 8 numeric columns (5%
// missing in two of them) and 2 categorical ones (4 and 12 levels), the
// target drawn from a known logistic model.
func benchCSV(n int) []byte {
	rng := rand.New(rand.NewPCG(2026, 12))
	var b bytes.Buffer
	b.Grow(n * 90)
	b.WriteString("n1,n2,n3,n4,n5,n6,n7,n8,channel,region,paid\n")
	coef := []float64{0.8, -0.5, 0.3, -0.2, 0.1, 0.05, -0.4, 0.6}
	channels := []string{"app", "web", "branch", "agent"}
	row := make([]byte, 0, 128)
	for i := 0; i < n; i++ {
		row = row[:0]
		z := -0.3
		for j, c := range coef {
			x := rng.NormFloat64()
			z += c * x
			if j < 2 && rng.IntN(20) == 0 {
				row = append(row, ',')
				continue
			}
			row = strconv.AppendFloat(row, math.Round(x*1000)/1000, 'f', -1, 64)
			row = append(row, ',')
		}
		ch := rng.IntN(4)
		reg := rng.IntN(12)
		z += float64(ch)*0.2 - float64(reg)*0.05
		row = append(row, channels[ch]...)
		row = append(row, ",r"...)
		row = strconv.AppendInt(row, int64(reg), 10)
		if rng.Float64() < 1/(1+math.Exp(-z)) {
			row = append(row, ",1\n"...)
		} else {
			row = append(row, ",0\n"...)
		}
		b.Write(row)
	}
	return b.Bytes()
}

func benchDataset(b *testing.B, n int) *Dataset {
	ds, err := ReadCSV(bytes.NewReader(benchCSV(n)), ReadOptions{Target: "paid", Positive: "1"})
	if err != nil {
		b.Fatal(err)
	}
	return ds
}

// go test ./internal/model -run '^$' -bench 1M -benchtime 1x
func BenchmarkReadCSV1M(b *testing.B) {
	data := benchCSV(1_000_000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		if _, err := ReadCSV(bytes.NewReader(data), ReadOptions{Target: "paid", Positive: "1"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTrain1M(b *testing.B) {
	ds := benchDataset(b, 1_000_000)
	for _, kind := range []Kind{Logistic, Scorecard} {
		b.Run(string(kind), func(b *testing.B) {
			for range b.N {
				m, err := Train(ds, Options{Kind: kind})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(m.Metrics.Test.AUC), "test-AUC")
			}
		})
	}
}

func BenchmarkScoreCSV1M(b *testing.B) {
	m, err := Train(benchDataset(b, 50_000), Options{})
	if err != nil {
		b.Fatal(err)
	}
	data := benchCSV(1_000_000)
	b.ResetTimer()
	for range b.N {
		n, err := m.ScoreCSV(bytes.NewReader(data), io.Discard, ScoreOptions{Reasons: 3})
		if err != nil || n != 1_000_000 {
			b.Fatal(n, err)
		}
	}
}

// A small benchmark that runs with the tests' -bench . without hurting.
func BenchmarkTrain10k(b *testing.B) {
	ds := benchDataset(b, 10_000)
	b.ResetTimer()
	for range b.N {
		if _, err := Train(ds, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
