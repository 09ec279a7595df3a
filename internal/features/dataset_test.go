package features

import (
	"math"
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
