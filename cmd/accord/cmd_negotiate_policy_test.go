package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestNegotiatePolicy_ListShowSavePublish(t *testing.T) {
	t.Parallel()
	for _, engine := range e2eEngines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			d := newE2EDB(t, engine)
			if out := d.mustRun(t, "negotiate", "policy", "list"); !strings.Contains(out, "no offer policy versions yet") {
				t.Errorf("list on an empty database: %q", out)
			}
			for doc, field := range map[string]string{`{"name":"gentle","max_term_months":-3}`: "policy.max_term_months",
				`{"name":"gentle","colour":"red"}`: "policy.colour"} {
				code, _, errOut := d.run(t, "negotiate", "policy", "publish", "--file", writeFile(t, "bad.json", doc))
				if code != 2 || !strings.Contains(errOut, field) {
					t.Errorf("publishing %s: exit %d, %q; want 2 naming %s", doc, code, errOut, field)
				}
			}
			if code, _, errOut := d.run(t, "negotiate", "policy", "publish", "abc"); code != 2 || !strings.Contains(errOut, "ID") {
				t.Errorf("publish abc: exit %d, %q; want 2 naming ID", code, errOut)
			}
			if code, _, errOut := d.run(t, "negotiate", "policy", "show", "42"); code != 1 || !strings.Contains(errOut, "42") {
				t.Errorf("show of a missing version: exit %d, %q", code, errOut)
			}

			good := writeFile(t, "gentle.json", `{"name":"gentle","max_term_months":36}`)
			out := d.mustRun(t, "negotiate", "policy", "publish", "--file", good)
			if !strings.Contains(out, "published offer policy gentle version 1") {
				t.Errorf("publish --file: %q", out)
			}
			longer := writeFile(t, "longer.json", `{"name":"gentle","max_term_months":48,"authority":[{"level":"collector",
				"max_fee_waiver":"800.00"},{"level":"manager"}]}`)
			out = d.mustRun(t, "negotiate", "policy", "save", "--file", longer)
			id := regexp.MustCompile(`\(id (\d+)\)`).FindStringSubmatch(out)
			if id == nil || !strings.Contains(out, "version 2 as draft") {
				t.Fatalf("save: %q", out)
			}
			out = d.mustRun(t, "negotiate", "policy", "show", id[1])
			for _, want := range []string{`gentle version 2`, `draft`, `Longest plan \(months\)\s+48\s+max_term_months`,
				`Discount rate \(annual, for NPV\)\s+10%`, `(?m)^collector\s+¥800.00\s+no limit`, `changed against the published version`} {
				if !regexp.MustCompile(want).MatchString(out) {
					t.Errorf("show %s lacks %q:\n%s", id[1], want, out)
				}
			}
			if !regexp.MustCompile(`Longest plan \(months\)\s+36\s+48`).MatchString(out) {
				t.Errorf("show does not list the term's change 36 → 48:\n%s", out)
			}
			var pub struct {
				Version struct {
					ID      int64  `json:"id"`
					Status  string `json:"status"`
					Version int    `json:"version"`
				} `json:"version"`
				Policy struct {
					MaxTerm int `json:"max_term_months"`
				} `json:"policy"`
				Changes []any `json:"changes_from_published"`
			}
			if err := json.Unmarshal([]byte(d.mustRun(t, "negotiate", "policy", "show", "--json")), &pub); err != nil {
				t.Fatal(err)
			}
			if pub.Version.Version != 1 || pub.Version.Status != "published" || pub.Policy.MaxTerm != 36 || len(pub.Changes) != 0 {
				t.Errorf("show --json without id: %+v, want the published version 1", pub)
			}
			if out := d.mustRun(t, "negotiate", "policy", "publish", id[1]); !strings.Contains(out, "gentle version 2") {
				t.Errorf("publish %s: %q", id[1], out)
			}
			out = d.mustRun(t, "negotiate", "policy", "list")
			if !regexp.MustCompile(`(?m)^`+id[1]+`\s+gentle\s+2\s+published`).MatchString(out) ||
				!regexp.MustCompile(`(?m)^\d+\s+gentle\s+1\s+retired`).MatchString(out) {
				t.Errorf("list after publishing version 2:\n%s", out)
			}
		})
	}
}

func TestNegotiateTeam_SetAndList(t *testing.T) {
	t.Parallel()
	d := newE2EDB(t, "sqlite")
	d.mustRun(t, "demo", "--borrowers", "60", "--history-days", "0")
	var teams []struct {
		Team struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"team"`
		Settings *struct {
			Version     int    `json:"version"`
			BudgetShare string `json:"budget_share"`
			Experiment  bool   `json:"experiment"`
		} `json:"settings"`
		Budget struct {
			Share string `json:"share"`
		} `json:"budget"`
	}
	if err := json.Unmarshal([]byte(d.mustRun(t, "negotiate", "team", "list", "--json")), &teams); err != nil {
		t.Fatal(err)
	}
	if len(teams) == 0 || teams[0].Settings != nil || teams[0].Budget.Share != "0.02" {
		t.Fatalf("teams of the demo: %+v; want unconfigured teams at the default 2%%", teams)
	}
	id := teams[0].Team.ID
	for _, bad := range [][]string{
		{"negotiate", "team", "set", "x"},
		{"negotiate", "team", "set", "1", "--budget-share", "1.5"},
		{"negotiate", "team", "set", "1", "--policy", "77"},
	} {
		code, _, errOut := d.run(t, bad...)
		field := map[string]string{"x": "TEAM_ID", "1.5": "--budget-share", "77": "--policy"}[bad[len(bad)-1]]
		if code != 2 || !strings.Contains(errOut, field) {
			t.Errorf("%v: exit %d, %q; want 2 naming %s", bad, code, errOut, field)
		}
	}
	out := d.mustRun(t, "negotiate", "team", "set", "1", "--budget-share", "0.035", "--no-experiment", "--note", "试行")
	if !strings.Contains(out, "version 1 saved") {
		t.Errorf("set: %q", out)
	}
	out = d.mustRun(t, "negotiate", "team", "list")
	if !regexp.MustCompile(`(?m)^1\s+\S+\s+1\s+published\s+no\s+3.5%`).MatchString(out) {
		t.Errorf("list after set (team %d):\n%s", id, out)
	}
}
