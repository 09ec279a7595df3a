package features

import (
	"math"
	"reflect"
	"testing"
)

func TestDatasetAndRecord(t *testing.T) {
	t.Parallel()
	var v Vector
	v.Num[DPD], v.Num[RPCRate30], v.Product = 12, math.NaN(), "card"
	rec := v.Record(nil)
	h := Header()
	if len(rec) != len(h) || rec[DPD] != "12" || rec[RPCRate30] != "" || rec[len(rec)-1] != "card" || h[len(h)-1] != ProductName {
		t.Errorf("Record = %q for header %q", rec, h)
	}
	ds := Dataset(Cure30, []Row{{V: v, Y: true, Train: true}, {V: Vector{Product: "cash"}}})
	if ds.Rows() != 2 || len(ds.Columns) != NumCount+1 || !ds.Y[0] || ds.Y[1] || !ds.Train[0] || ds.Train[1] ||
		ds.Columns[DPD].Num[0] != 12 || ds.Columns[NumCount].Levels[ds.Columns[NumCount].Codes[1]] != "cash" {
		t.Errorf("Dataset = %+v", ds)
	}
	for _, n := range h {
		if zh, en := LabelOf(n); zh == n || en == n && n != "product" {
			t.Errorf("feature %s has no zh/en label", n)
		}
	}
}

// TestDatasetOf: the dataset of rows in parts is the dataset of the rows
// joined, and the parts are let go.
func TestDatasetOf(t *testing.T) {
	t.Parallel()
	var rows []Row
	for i := range 7 {
		var v Vector
		for k := range v.Num {
			v.Num[k] = float64(i*100 + k)
		}
		v.Num[RPCRate30] = math.NaN()
		v.Product = []string{"card", "cash", ""}[i%3]
		rows = append(rows, Row{BorrowerID: int64(i), V: v, Y: i%2 == 0, Train: i < 5})
	}
	parts := [][]Row{rows[:3], nil, rows[3:4], rows[4:]}
	got, want := DatasetOf(EW90, parts), Dataset(EW90, rows)
	if !reflect.DeepEqual(got.Y, want.Y) || !reflect.DeepEqual(got.Train, want.Train) || len(got.Columns) != len(want.Columns) ||
		got.Target != "ew90" || got.Rows() != 7 {
		t.Fatalf("DatasetOf = %+v, want %+v", got, want)
	}
	for k, c := range got.Columns {
		w := want.Columns[k]
		if c.Name != w.Name || !reflect.DeepEqual(c.Levels, w.Levels) || !reflect.DeepEqual(c.Codes, w.Codes) || len(c.Num) != len(w.Num) {
			t.Errorf("column %d = %+v, want %+v", k, c, w)
		}
		for i := range c.Num {
			if x, y := c.Num[i], w.Num[i]; x != y && !(math.IsNaN(x) && math.IsNaN(y)) || x != float64(i*100+k) && k != int(RPCRate30) {
				t.Errorf("column %s row %d = %v, want %v", c.Name, i, x, y)
			}
		}
	}
	for i, p := range parts {
		if p != nil {
			t.Errorf("part %d kept", i)
		}
	}
}
