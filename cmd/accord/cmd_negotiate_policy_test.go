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
			for _, u := range [][2]string{{"alice", "supervisor"}, {"bob", "admin"}, {"carl", "collector"}} {
				d.mustRun(t, "user", "create", "--username", u[0], "--roles", u[1], "--password", "correct horse battery")
			}
			for doc, field := range map[string]string{`{"name":"gentle","max_term_months":-3}`: "policy.max_term_months",
				`{"name":"gentle","colour":"red"}`: "policy.colour"} {
				code, _, errOut := d.run(t, "negotiate", "policy", "save", "--as", "alice", "--file", writeFile(t, "bad.json", doc))
				if code != 2 || !strings.Contains(errOut, field) {
					t.Errorf("saving %s: exit %d, %q; want 2 naming %s", doc, code, errOut, field)
				}
			}
			good := writeFile(t, "gentle.json", `{"name":"gentle","max_term_months":36}`)
			for _, bad := range []struct {
				args  []string
				field string
			}{
				{[]string{"publish", "abc", "--as", "bob"}, "ID"},
				{[]string{"publish", "1"}, "--as"},
				{[]string{"publish", "1", "--as", "nobody"}, "--as"},
				{[]string{"publish", "--file", good, "--as", "bob"}, "--file"},
				{[]string{"save", "--file", good}, "--as"},
				{[]string{"save", "--file", good, "--as", "nobody"}, "--as"},
			} {
				if code, _, errOut := d.run(t, append([]string{"negotiate", "policy"}, bad.args...)...); code != 2 || !strings.Contains(errOut, bad.field) {
					t.Errorf("policy %v: exit %d, %q; want 2 naming %s", bad.args, code, errOut, bad.field)
				}
			}
			if out := d.mustRun(t, "negotiate", "policy", "list"); !strings.Contains(out, "no offer policy versions yet") {
				t.Errorf("refused commands saved something: %q", out)
			}
			if code, _, errOut := d.run(t, "negotiate", "policy", "show", "42"); code != 1 || !strings.Contains(errOut, "42") {
				t.Errorf("show of a missing version: exit %d, %q", code, errOut)
			}
			if code, _, errOut := d.run(t, "negotiate", "policy", "save", "--file", good, "--as", "carl"); code == 0 ||
				!strings.Contains(errOut, "may not edit offer policies") {
				t.Errorf("a collector saving: exit %d, %q; want refused", code, errOut)
			}

			out := d.mustRun(t, "negotiate", "policy", "save", "--file", good, "--as", "alice")
			first := regexp.MustCompile(`\(id (\d+)\)`).FindStringSubmatch(out)
			if first == nil || !strings.Contains(out, "gentle version 1 as draft") {
				t.Fatalf("save as alice: %q", out)
			}
			// Four eyes: the saver may not publish, nor a user without strategy:edit.
			for _, who := range []string{"alice", "carl"} {
				code, _, errOut := d.run(t, "negotiate", "policy", "publish", first[1], "--as", who)
				if code == 0 || !strings.Contains(errOut, map[string]string{"alice": "Four eyes", "carl": "may not edit"}[who]) {
					t.Errorf("publish %s as %s: exit %d, %q; want refused", first[1], who, code, errOut)
				}
			}
			if out := d.mustRun(t, "negotiate", "policy", "list"); !regexp.MustCompile(`(?m)^` + first[1] + `\s+gentle\s+1\s+draft\s+alice`).MatchString(out) {
				t.Errorf("a refused publish changed the version:\n%s", out)
			}
			out = d.mustRun(t, "negotiate", "policy", "publish", first[1], "--as", "bob")
			if !strings.Contains(out, "published offer policy gentle version 1") {
				t.Errorf("publish as bob: %q", out)
			}
			if !regexp.MustCompile(`(?m)^` + first[1] + `\s+gentle\s+1\s+published\s+alice\s+\S+\s+bob`).MatchString(
				d.mustRun(t, "negotiate", "policy", "list")) {
				t.Errorf("list does not show version 1 saved by alice and published by bob")
			}
			var audit int
			if err := d.sqlDB(t).QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'offer_policy.publish' AND actor_username = 'bob'`).
				Scan(&audit); err != nil || audit != 1 {
				t.Errorf("audit events of bob publishing: %d, %v; want 1", audit, err)
			}
			longer := writeFile(t, "longer.json", `{"name":"gentle","max_term_months":48,"authority":[{"level":"collector",
				"max_fee_waiver":"800.00"},{"level":"manager"}]}`)
			out = d.mustRun(t, "negotiate", "policy", "save", "--file", longer, "--as", "bob")
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
			if out := d.mustRun(t, "negotiate", "policy", "publish", id[1], "--as", "alice"); !strings.Contains(out, "gentle version 2") {
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
	for _, u := range [][2]string{{"alice", "supervisor"}, {"carl", "collector"}} {
		d.mustRun(t, "user", "create", "--username", u[0], "--roles", u[1], "--password", "correct horse battery")
	}
	for _, bad := range [][]string{
		{"negotiate", "team", "set", "x", "--as", "alice"},
		{"negotiate", "team", "set", "1", "--as", "alice", "--budget-share", "1.5"},
		{"negotiate", "team", "set", "1", "--as", "alice", "--policy", "77"},
		{"negotiate", "team", "set", "1", "--budget-share", "0.03"},
		{"negotiate", "team", "set", "1", "--as", "nobody"},
	} {
		code, _, errOut := d.run(t, bad...)
		field := map[string]string{"x": "TEAM_ID", "1.5": "--budget-share", "77": "--policy", "0.03": "--as", "nobody": "--as"}[bad[len(bad)-1]]
		if code != 2 || !strings.Contains(errOut, field) {
			t.Errorf("%v: exit %d, %q; want 2 naming %s", bad, code, errOut, field)
		}
	}
	if code, _, errOut := d.run(t, "negotiate", "team", "set", "1", "--as", "carl", "--budget-share", "0.05"); code == 0 {
		t.Errorf("a collector changed a team's negotiation settings: %q", errOut)
	}
	out := d.mustRun(t, "negotiate", "team", "set", "1", "--as", "alice", "--budget-share", "0.035", "--no-experiment", "--note", "试行")
	if !strings.Contains(out, "version 1 saved") {
		t.Errorf("set: %q", out)
	}
	out = d.mustRun(t, "negotiate", "team", "list")
	if !regexp.MustCompile(`(?m)^1\s+\S+\s+1\s+published\s+no\s+3.5%`).MatchString(out) {
		t.Errorf("list after set (team %d):\n%s", id, out)
	}
}
