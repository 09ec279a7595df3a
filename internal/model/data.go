package model

import (
	"math"
	"strconv"
	"strings"
)

// Missing is the level an empty categorical value becomes.
const Missing = "missing"

// Column is one input column of a Dataset, held either as numbers or as
// categorical levels.
type Column struct {
	Name    string
	Numeric bool
	// Num holds the values of a numeric column; NaN is a missing value.
	Num []float64
	// Codes index Levels for a categorical column; Levels holds the
	// distinct raw values (an empty value is the level Missing).
	Codes  []int32
	Levels []string
	// Skip, when not empty, says why the column cannot be a feature.
	Skip string
}

// Dataset is a table for training: feature columns, the binary target and
// which rows train the model (the others are held out for testing).
type Dataset struct {
	Target   string
	Positive string
	Columns  []*Column
	Y        []bool // Y[i]: row i has the positive target value
	Train    []bool // Train[i]: row i trains the model
}

// Rows returns the number of rows.
func (d *Dataset) Rows() int { return len(d.Y) }

// Len returns the number of rows of c.
func (c *Column) Len() int { return max(len(c.Num), len(c.Codes)) }

// NumericColumn returns a numeric column of values (NaN for missing).
func NumericColumn(name string, v []float64) *Column {
	return &Column{Name: name, Numeric: true, Num: v}
}

// CategoricalColumn returns a categorical column of values; an empty value
// becomes the level Missing.
func CategoricalColumn(name string, v []string) *Column {
	c := &Column{Name: name}
	idx := map[string]int32{}
	c.Codes = make([]int32, len(v))
	for i, s := range v {
		if s == "" {
			s = Missing
		}
		k, ok := idx[s]
		if !ok {
			k = int32(len(c.Levels))
			idx[s] = k
			c.Levels = append(c.Levels, s)
		}
		c.Codes[i] = k
	}
	return c
}

// parseNum parses a numeric cell: ok is false when s is not a finite
// number; an empty s is missing (NaN, ok).
func parseNum(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return math.NaN(), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return math.NaN(), false
	}
	return f, true
}

// HoldOut reports whether data row n (1-based) is held out for testing
// when the table has no split column: a fixed hash (splitmix64) of the row
// number puts one row in five in the test set.
func HoldOut(n int) bool {
	z := uint64(n) + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return z%5 == 0
}
