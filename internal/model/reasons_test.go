package model

import "testing"

func TestTopReasonsOrder(t *testing.T) {
	var fs []*Feature
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		fs = append(fs, &Feature{Name: n, Average: 0.1})
	}
	r := newReasoner(fs)
	// Effects against the average 0.1: a 0, b −0.5, c +0.3, d −0.1, e +0.5.
	got := r.top(fs, []float64{0.1, -0.4, 0.4, 0, 0.6}, 3)
	want := []struct {
		name string
		en   string
	}{{"b", "b: lowers the score"}, {"e", "e: raises the score"}, {"c", "c: raises the score"}}
	if len(got) != 3 {
		t.Fatalf("reasons = %+v", got)
	}
	for i, w := range want {
		if got[i].Feature != w.name || got[i].EN != w.en {
			t.Errorf("reason %d = %+v, want %s (%s)", i+1, got[i], w.name, w.en)
		}
	}
	if !near(got[0].Effect, -0.5, 1e-12) || got[0].ZH != "b：降低得分" {
		t.Errorf("first reason %+v", got[0])
	}
	if got := r.top(fs, []float64{0.1, 0.1, 0.1, 0.1, 0.2}, 3); len(got) != 1 || got[0].Feature != "e" {
		t.Errorf("only e differs from its average: reasons %+v", got)
	}
}
