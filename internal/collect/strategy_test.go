package collect

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
	"accord/internal/strategy"
)

// TestCreateStrategyVersion_Refused: a bad definition is refused with a
// message that points at the rule and the error, nothing is saved, and the
// published version keeps running.
func TestCreateStrategyVersion_Refused(t *testing.T) {
	t.Parallel()
	e := newCW(t, storetest.OpenSQLite(t), 200)
	sup := e.as(auth.Supervisor)
	published, err := e.svc.PublishedStrategy(cwCtx)
	if err != nil || published.ID == 0 {
		t.Fatalf("demo strategy not published: %+v, %v", published, err)
	}
	tests := []struct {
		name      string
		def       string
		wantField string // a problem on this field …
		wantText  []string
	}{
		{"UnknownName", `{"name":"x","rules":[{"name":"ok","when":"true","treatments":[{"kind":"call","queue":"early","priority":1}]},
			{"name":"typo","when":"tierr == \"high\"","treatments":[{"kind":"call","queue":"late","priority":1}]}]}`,
			"rules[1].when", []string{`rule 1 "typo"`, "line 1, column 1", "tierr"}},
		{"TypeMismatch", `{"name":"x","rules":[{"name":"cmp","when":"bucket > 3","treatments":[{"kind":"call","queue":"late","priority":1}]}]}`,
			"rules[0].when", []string{`rule 0 "cmp"`, "column 8", "mismatched types"}},
		{"BadTreatment", `{"name":"x","rules":[{"name":"sms","when":"true","treatments":[{"kind":"sms","template":"nope"}]}]}`,
			"rules[0].treatments[0].template", []string{`rule 0 "sms"`, `no template has id "nope"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.CreateStrategyVersion(cwCtx, sup, []byte(tt.def))
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("err = %v, want Invalid", err)
			}
			var ce *strategy.CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %T, want a *strategy.CompileError", err)
			}
			found := false
			for _, f := range errs.FieldsOf(err) {
				if f.Field == tt.wantField {
					found = true
					for _, w := range tt.wantText {
						if !strings.Contains(f.Message, w) {
							t.Errorf("problem %q lacks %q", f.Message, w)
						}
					}
				}
			}
			if !found {
				t.Errorf("no problem on %s in %v", tt.wantField, errs.FieldsOf(err))
			}
		})
	}
	_, err = e.svc.CreateStrategyVersion(cwCtx, sup, []byte("{\"name\": \"x\",\n \"rules\": [}"))
	if errs.CodeOf(err) != errs.Invalid || !strings.Contains(errs.MessageOf(err), "line 2") {
		t.Errorf("malformed JSON: %v", err)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM strategy_versions"); n != 1 {
		t.Errorf("%d versions stored, want only the published one", n)
	}
	sum := e.run(t, cwStart)
	if n := e.count(t, "SELECT COUNT(*) FROM cases WHERE strategy_id <> ?", published.ID); n != 0 || sum.CasesOpen == 0 {
		t.Errorf("%d cases ran another strategy than the published %d", n, published.ID)
	}
	_, err = e.svc.CreateStrategyVersion(cwCtx, e.as(auth.Collector), []byte(published.Definition))
	if errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("a collector saved a strategy: %v", err)
	}
}

// challengerDefinition is the default strategy with M1 low-risk cases
// called instead of texted.
func challengerDefinition(t *testing.T) []byte {
	t.Helper()
	d := strategy.DefaultDefinition()
	for i, r := range d.Rules {
		if r.Name == "m1_low_sms" {
			d.Rules[i].Treatments = []strategy.Treatment{{Kind: strategy.Call, Queue: "early", Priority: 2}}
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStrategy_PreviewPublishExperiment walks a supervisor's day: preview a
// new version on today's cases, save it, run it as a challenger, read the
// results per arm and promote it.
func TestStrategy_PreviewPublishExperiment(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 400)
		sup := e.as(auth.Supervisor)
		first := e.run(t, cwStart)
		raw := challengerDefinition(t)
		p, err := e.svc.PreviewStrategy(cwCtx, sup, raw)
		if err != nil {
			t.Fatal(err)
		}
		decided := p.Unmatched
		for _, r := range p.Rules {
			decided += r.Decided
		}
		if p.Total != first.CasesOpen || decided != p.Total {
			t.Errorf("preview: total %d (open %d), decided+unmatched %d", p.Total, first.CasesOpen, decided)
		}
		v, err := e.svc.CreateStrategyVersion(cwCtx, sup, raw)
		if err != nil || v.Version != 2 || v.Status != sqlstore.StrategyDraft {
			t.Fatalf("CreateStrategyVersion = %+v, %v", v, err)
		}
		exp, err := e.svc.StartExperiment(cwCtx, sup, ExperimentRequest{Name: "call M1 low", Challenger: v.ID, Share: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.StartExperiment(cwCtx, sup, ExperimentRequest{Challenger: v.ID, Share: 0.5}); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("second experiment: %v, want Conflict", err)
		}
		e.run(t, cwStart.AddDays(1))
		e.run(t, cwStart.AddDays(2))
		res, err := e.svc.ExperimentResults(cwCtx, e.as(auth.Auditor), exp.ID)
		if err != nil {
			t.Fatal(err)
		}
		c := res.Comparison
		if c.Champion.Cases == 0 || c.Challenger.Cases == 0 || len(res.Days) == 0 {
			t.Errorf("results: champion %d cases, challenger %d, %d days", c.Champion.Cases, c.Challenger.Cases, len(res.Days))
		}
		if n := e.count(t, "SELECT COUNT(*) FROM cases WHERE status = 'open' AND arm = 'challenger' AND strategy_id <> ?", v.ID); n != 0 {
			t.Errorf("%d challenger cases ran another version", n)
		}
		// Four eyes: the supervisor wrote the challenger, so an admin
		// promotes it; the refused attempt changes nothing.
		if err := e.svc.StopExperiment(cwCtx, sup, exp.ID, true); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("the writer promoting their own challenger: %v, want Forbidden", err)
		}
		if err := e.svc.StopExperiment(cwCtx, e.as(auth.Admin), exp.ID, true); err != nil {
			t.Fatal(err)
		}
		pub, err := e.svc.PublishedStrategy(cwCtx)
		if err != nil || pub.ID != v.ID {
			t.Errorf("after promotion the published version is %d, want %d (%v)", pub.ID, v.ID, err)
		}
		e.run(t, cwStart.AddDays(3))
		if n := e.count(t, "SELECT COUNT(*) FROM cases WHERE status = 'open' AND (strategy_id <> ? OR arm <> '')", v.ID); n != 0 {
			t.Errorf("%d open cases not on the promoted version", n)
		}
	})
}

func TestReadableDefinition(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"when":"dpd \u003e= 30 \u0026\u0026 x \u003C 2"}`, `{"when":"dpd >= 30 && x < 2"}`},
		{`{"when":"a && b"}`, `{"when":"a && b"}`},
		{`{"s":"\\u0026 stays: an escaped backslash then u0026"}`, `{"s":"\\u0026 stays: an escaped backslash then u0026"}`},
		{`{"s":"\\\u0026"}`, `{"s":"\\&"}`},
		{`{"s":"\u4e2d\n\u0027"}`, `{"s":"\u4e2d\n\u0027"}`},
		{`{"s":"ends with \\"}`, `{"s":"ends with \\"}`},
	}
	for _, tt := range tests {
		got := string(ReadableDefinition([]byte(tt.in)))
		if got != tt.want {
			t.Errorf("ReadableDefinition(%s) = %s, want %s", tt.in, got, tt.want)
		}
		var a, b any
		if json.Unmarshal([]byte(tt.in), &a) != nil || json.Unmarshal([]byte(got), &b) != nil || fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("ReadableDefinition(%s) = %s changes the JSON's meaning", tt.in, got)
		}
	}
}
