package collect

import (
	"encoding/json"
	"testing"

	"accord/internal/auth"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// TestCaseWarnings_Strategy: a rule on the warnings variable catches the
// case whose borrower had a failed auto-debit warning in the last 30 days,
// in the preview and on the next night's run; a warning older than 30 days
// or dated the night being run is not read.
func TestCaseWarnings_Strategy(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 120)
		e.run(t, cwStart)
		cases := e.openCases(t)
		if len(cases) < 3 {
			t.Fatalf("%d open cases, want at least 3", len(cases))
		}
		warned, old, tonight := cases[0], cases[1], cases[2]
		err := e.db.InTx(cwCtx, func(tx *sqlstore.Tx) error {
			return tx.SaveWarnings(cwCtx, []sqlstore.EarlyWarning{
				{BorrowerID: warned.BorrowerID, AsOf: cwStart.AddDays(-5), Code: "failed_auto_debit", ZH: "代扣失败", EN: "failed"},
				{BorrowerID: old.BorrowerID, AsOf: cwStart.AddDays(-31), Code: "failed_auto_debit", ZH: "代扣失败", EN: "failed"},
				{BorrowerID: tonight.BorrowerID, AsOf: cwStart.AddDays(1), Code: "failed_auto_debit", ZH: "代扣失败", EN: "failed"},
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		d := strategy.DefaultDefinition()
		d.Rules = append([]strategy.Rule{{Name: "debit_failed", When: `"failed_auto_debit" in warnings`,
			Treatments: d.Rules[0].Treatments}}, d.Rules...)
		raw, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.svc.PreviewStrategy(cwCtx, e.as(auth.Supervisor), raw)
		if err != nil {
			t.Fatal(err)
		}
		if p.Rules[0].Matched != 1 {
			t.Errorf("preview: the warning rule matched %d cases, want 1", p.Rules[0].Matched)
		}
		v, err := e.svc.CreateStrategyVersion(cwCtx, e.as(auth.Supervisor), raw)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.PublishStrategy(cwCtx, e.as(auth.Admin), v.ID); err != nil {
			t.Fatal(err)
		}
		e.run(t, cwStart.AddDays(1))
		rules := map[int64]string{}
		for _, c := range e.openCases(t) {
			rules[c.ID] = c.Rule
		}
		if got := rules[warned.ID]; got != "debit_failed" {
			t.Errorf("case warned 5 days ago: rule %q, want debit_failed", got)
		}
		for name, c := range map[string]sqlstore.Case{"31 days old": old, "tonight": tonight} {
			if got := rules[c.ID]; got == "debit_failed" {
				t.Errorf("%s warning: the case took the warning rule", name)
			}
		}
	})
}
