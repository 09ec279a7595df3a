package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
	"accord/internal/strategy"
)

var (
	scriptOrStyle = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>`)
	anyTag        = regexp.MustCompile(`(?s)<[^>]*>`)
	// A snake_case identifier: lower-case words joined by underscores.
	snakeCase = regexp.MustCompile(`\b[a-z]+(?:_[a-z0-9]+)+\b`)
)

// visibleText is what a reader sees of a page: the text outside tags and
// scripts, unescaped.
func visibleText(page string) string {
	page = scriptOrStyle.ReplaceAllString(page, " ")
	page = anyTag.ReplaceAllString(page, " ")
	return html.UnescapeString(page)
}

// rawIdentifiers are codes that must reach a Chinese reader as labels: queue
// and reason codes, timeline kinds, relationships, channels, experiment
// states, weekdays. (Role codes are not listed: the test users are named
// after their roles; the header's role labels are checked on their own.) Each is matched as a whole word in the visible
// text.
var rawIdentifiers = []string{
	"willing_unable", "unwilling", "broken_promise", "no_answer", "wrong_number", "promise_to_pay",
	"spouse", "parent", "sibling", "colleague", "friend",
	"sms", "call", "email", "letter", "visit", "bank_transfer", "withholding",
	"running", "draft", "stopped", "concluded",
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
	"opened", "assigned", "loans_added", "active",
	"open", "closed", "current", "delinquent", "overdue", "paid",
	"mobile", "loan_application", "lost_contact", "unassigned",
	"never", "unknown", "none", "kept", "broken", "recall", // a reason's value on the case page
}

// TestChinesePagesShowNoRawIdentifiers renders the main console pages in
// Chinese and fails on a raw code in the visible text.
func TestChinesePagesShowNoRawIdentifiers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Cycle: true})
	var caseID int64
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		st := casework.Open
		cs, _, err := tx.Cases(ctx, sqlstore.CaseFilter{BorrowerID: &e.borrowerID, Status: &st})
		if len(cs) > 0 {
			caseID = cs[0].ID
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	pages := []zhPage{
		{auth.Admin, "/"},
		{auth.Admin, "/overview"},
		{auth.Admin, "/borrowers"},
		{auth.Admin, "/borrowers/" + strconv.FormatInt(e.borrowerID, 10)},
		{auth.Admin, "/loans/" + strconv.FormatInt(e.loanID, 10)},
		{auth.Supervisor, "/queues"},
		{auth.Supervisor, "/cases"},
		{auth.Supervisor, "/cases/" + strconv.FormatInt(caseID, 10)},
		{auth.Collector, "/workbench"},
		{auth.Supervisor, "/dashboard"},
		{auth.Supervisor, "/experiments"},
		{auth.Compliance, "/compliance"},
		{auth.Compliance, "/compliance/calendar"},
		{auth.Compliance, "/compliance/policy"},
		{auth.Admin, "/admin/users"},
		{auth.Admin, "/admin/import"},
	}
	checkChinesePages(t, e, pages, nil)
}

// ungroupedAmount is an amount of a thousand yuan or more shown without
// thousands separators (12800.00 where the console shows 12,800.00).
var ungroupedAmount = regexp.MustCompile(`(?:^|[^\d.,])(\d{4,}\.\d{2})(?:\D|$)`)

// citation is a regulation's sections (12 CFR 1006.6(d), 1006.10), which
// look like amounts.
var citation = regexp.MustCompile(`CFR[\s\d.(),A-Za-z]*`)

// zhPage is a console page to render in Chinese as role.
type zhPage struct {
	role auth.Role
	url  string
}

// codeBlocks are editors and code listings (a policy's or strategy's JSON
// or definition): their text is the document, not a label.
var codeBlocks = regexp.MustCompile(`(?s)<textarea[^>]*>.*?</textarea>|<pre class="code[^"]*"[^>]*>.*?</pre>`)

// checkChinesePages renders each page in Chinese and fails on a raw code
// (rawIdentifiers, extra, any snake_case word) or an amount without
// thousands separators in its visible text (outside editors and code
// listings).
func checkChinesePages(t *testing.T, e *env, pages []zhPage, extra []string, data ...string) {
	t.Helper()
	isData := map[string]bool{}
	for _, d := range data {
		isData[d] = true
	}
	words := map[string]bool{}
	for _, w := range append(slices.Clone(rawIdentifiers), extra...) {
		words[w] = true
	}
	word := regexp.MustCompile(`\b[A-Za-z_]+\b`)
	for _, p := range pages {
		rec := e.do(t, request{role: p.role, method: "GET", url: p.url})
		if rec.Code != 200 {
			t.Errorf("GET %s as %s = %d", p.url, p.role, rec.Code)
			continue
		}
		text := visibleText(codeBlocks.ReplaceAllString(rec.Body.String(), " "))
		if strings.HasPrefix(p.url, "/loans/") {
			for _, id := range []string{"annual-rate", "penalty-rate"} {
				m := regexp.MustCompile(`<dd id="` + id + `">([^<]*)</dd>`).FindStringSubmatch(rec.Body.String())
				if m == nil || !regexp.MustCompile(`^\d+(\.\d+)?%$`).MatchString(m[1]) {
					t.Errorf("%s: %s is not shown as a percentage: %v", p.url, id, m)
				}
			}
		}
		if strings.HasPrefix(p.url, "/agreements/") && !regexp.MustCompile(`年化利率\d+(\.\d+)?%。`).MatchString(text) {
			t.Errorf("%s: the agreement's annual rate is not shown as a percentage: …%s…", p.url, around(text, "年化利率"))
		}
		if who := regexp.MustCompile(`(?s)<span class="who">.*?</span>`).FindString(rec.Body.String()); !strings.Contains(who, "("+roleLabel[p.role]+")") {
			t.Errorf("%s: the header shows the role as %q, want the label %s", p.url, who, roleLabel[p.role])
		}
		if m := ungroupedAmount.FindStringSubmatch(citation.ReplaceAllString(text, " ")); m != nil {
			t.Errorf("%s (as %s) shows the amount %s without grouping: …%s…", p.url, p.role, m[1], around(text, m[1]))
		}
		seen := map[string]bool{}
		for _, w := range word.FindAllString(text, -1) {
			if words[w] && !seen[w] {
				seen[w] = true
				t.Errorf("%s (as %s) shows the raw identifier %q: …%s…", p.url, p.role, w, around(text, w))
			}
		}
		for _, w := range snakeCase.FindAllString(text, -1) {
			if w == "adjusted_workday" && p.url == "/compliance/calendar" {
				continue // the calendar editor's help names the CSV format's literal kinds
			}
			if _, err := auth.ParseRole(w); err == nil || isData[w] {
				continue // a test user or collector named after their role, or data the caller names: not a code
			}
			if !seen[w] {
				seen[w] = true
				t.Errorf("%s (as %s) shows the raw identifier %q: …%s…", p.url, p.role, w, around(text, w))
			}
		}
	}
}

// negotiationIdentifiers are the negotiation desk's, plans' and offer
// policies' codes that must reach a Chinese reader as labels.
var negotiationIdentifiers = []string{
	"proposed", "approved", "rejected", "accepted", "expired", "pending", "cancelled", "published", "retired",
	"extension", "graduated", "relief", "waiver", "settlement", "champion", "challenger",
	"queued", "held", "blocked", "skipped", "phone", "branch", "payslip", "willing", "hesitant",
	"illness", "grace", "broken", "completed",
}

// TestChineseNegotiationPagesShowNoRawIdentifiers renders the negotiation
// desk (with an assessment, offers, a round and an agreement), the
// approvals inbox, the agreement, the plan book, the offer policy pages
// (versions, one version with its diff, an experiment's results, the
// support programme) and the strategy pages in Chinese and fails on a raw
// code in the visible text.
func TestChineseNegotiationPagesShowNoRawIdentifiers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Cycle: true, Borrowers: 80})
	var caseID int64
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		st := casework.Open
		cs, _, err := tx.Cases(ctx, sqlstore.CaseFilter{Status: &st, Limit: 200})
		for _, c := range cs {
			if c.Balance >= 100_000 && caseID == 0 { // ¥1,000: enough debt for several offers
				caseID = c.ID
			}
		}
		return err
	}); err != nil || caseID == 0 {
		t.Fatalf("no open case: %v", err)
	}
	api := func(role auth.Role, method, url, body string, want int) string {
		t.Helper()
		rec := e.do(t, request{role: role, method: method, url: url, body: body})
		if rec.Code != want {
			t.Fatalf("%s %s as %s = %d, want %d: %.300s", method, url, role, rec.Code, want, rec.Body.String())
		}
		return rec.Body.String()
	}
	base := fmt.Sprintf("/api/v1/cases/%d", caseID)
	api(auth.Supervisor, "POST", base+"/assessments", `{"monthly_income":"4200.00","income_evidence":"payslip","other_debt_payments":"300.00",
		"dependants":1,"liquid_assets":"100.00","hardship":"job_loss","hardship_months":2,"willingness":"willing","evidence":"工资流水"}`, 201)
	offers := decodeJSON[struct {
		Items []struct {
			ID       int64  `json:"id"`
			Approval string `json:"approval"`
		}
	}](t, []byte(api(auth.Supervisor, "POST", base+"/offers", "", 201))).Items
	if len(offers) < 2 {
		t.Fatalf("%d offers", len(offers))
	}
	api(auth.Admin, "POST", fmt.Sprintf("/api/v1/offers/%d/approve", offers[0].ID), `{"reason":"同意"}`, 200)
	agreement := decodeJSON[struct {
		ID int64 `json:"id"`
	}](t, []byte(api(auth.Supervisor, "POST", fmt.Sprintf("/api/v1/offers/%d/agreement", offers[0].ID), "", 201)))
	api(auth.Supervisor, "POST", base+"/rounds", fmt.Sprintf(`{"place_kind":"phone","channel":"call","participants":["借款人本人"],
		"situation":"失业两个月","offers_made":[%d],"outcome":"accepted"}`, offers[0].ID), 201)

	gentle := decodeJSON[struct {
		ID int64 `json:"id"`
	}](t, []byte(api(auth.Supervisor, "POST", "/api/v1/offer-policies", `{"name":"gentle","max_term_months":48}`, 201)))
	api(auth.Admin, "POST", fmt.Sprintf("/api/v1/offer-policies/%d/publish", gentle.ID), "", 200)
	firm := decodeJSON[struct {
		ID int64 `json:"id"`
	}](t, []byte(api(auth.Supervisor, "POST", "/api/v1/offer-policies", `{"name":"firm","max_term_months":12,
		"authority":[{"level":"collector","max_fee_waiver":"100.00"},{"level":"manager"}]}`, 201)))
	exp := decodeJSON[struct {
		ID int64 `json:"id"`
	}](t, []byte(api(auth.Admin, "POST", "/api/v1/offer-policy-experiments", fmt.Sprintf(`{"challenger":%d,"challenger_share":0.3}`, firm.ID), 201)))
	rec := e.do(t, request{role: auth.Supervisor, method: "POST", url: "/support-programme",
		body: "day=0&zh=%E6%AC%A2%E8%BF%8E&en=Welcome"})
	if rec.Code != 303 {
		t.Fatalf("save the support programme: %d %.300s", rec.Code, rec.Body.String())
	}

	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	def, err := json.Marshal(strategy.DefaultDefinition())
	if err != nil {
		t.Fatal(err)
	}
	published := decodeJSON[struct {
		ID int64 `json:"id"`
	}](t, []byte(api(auth.Supervisor, "POST", "/api/v1/strategies", string(def), 201)))
	api(auth.Admin, "POST", "/api/v1/strategies/"+id(published.ID)+"/publish", "", 200)
	draft := decodeJSON[struct {
		ID int64 `json:"id"`
	}](t, []byte(api(auth.Supervisor, "POST", "/api/v1/strategies", string(def), 201)))
	var rules []string // the strategy's rule names: the lender's own identifiers (data, like user names)
	for _, r := range strategy.DefaultDefinition().Rules {
		rules = append(rules, r.Name)
	}
	checkChinesePages(t, e, []zhPage{
		{auth.Supervisor, "/strategies/" + id(published.ID)},
		{auth.Admin, "/strategies/" + id(draft.ID)},
		{auth.Supervisor, "/strategies/new"},
		{auth.Supervisor, "/cases/" + id(caseID) + "/negotiation"},
		{auth.Admin, "/negotiation/approvals"},
		{auth.Supervisor, "/agreements/" + id(agreement.ID)},
		{auth.Supervisor, "/plans"},
		{auth.Supervisor, "/offer-policies"},
		{auth.Supervisor, "/offer-policies/" + id(firm.ID)},
		{auth.Admin, "/offer-policies/" + id(gentle.ID)},
		{auth.Compliance, "/offer-policy-experiments/" + id(exp.ID)},
		{auth.Supervisor, "/offer-policies/new"},
		{auth.Supervisor, "/support-programme"},
		{auth.Supervisor, "/strategies"},
	}, append(slices.Clone(negotiationIdentifiers), strategyTreatments()...), rules...)
}

// strategyTreatments are the treatment kinds, which the strategy pages must
// show as labels.
func strategyTreatments() []string {
	var out []string
	for _, k := range strategy.Kinds {
		out = append(out, string(k))
	}
	return out
}

// decodeJSON reads body into a T or fails the test.
func decodeJSON[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %.200s: %v", body, err)
	}
	return v
}

var roleLabel = map[auth.Role]string{auth.Admin: "管理员", auth.Supervisor: "主管", auth.Collector: "催收员", auth.Compliance: "合规"}

func around(text, w string) string {
	i := strings.Index(text, w)
	lo, hi := max(i-40, 0), min(i+len(w)+40, len(text))
	return strings.Join(strings.Fields(text[lo:hi]), " ")
}
