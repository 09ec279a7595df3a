package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/strategy"
)

var (
	textareaRE = regexp.MustCompile(`(?s)<textarea[^>]*id="definition"[^>]*>(.*?)</textarea>`)
	preRE      = regexp.MustCompile(`(?s)<pre class="code" id="definition">(.*?)</pre>`)
)

// shownText is what a browser shows for the element re captures.
func shownText(t *testing.T, body string, re *regexp.Regexp, what string) string {
	t.Helper()
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s: element not found in %.300s", what, body)
	}
	return html.UnescapeString(m[1])
}

// TestStrategyEditor_ExpressionsAsWritten: conditions with && and >= read
// as written in the editor and on the version page, even for a definition
// sent JSON-escaped (\u0026, \u003e), as json.Marshal writes it.
func TestStrategyEditor_ExpressionsAsWritten(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	rec := w.do(t, auth.Supervisor, "GET", "/strategies/new", "")
	wantStatus(t, rec, http.StatusOK, "editor")
	shown := shownText(t, rec.Body.String(), textareaRE, "editor")
	if want := `"when": "has_email && bucket_rank >= 1 && bucket_rank <= 2"`; !strings.Contains(shown, want) {
		t.Errorf("editor shows %.400q, want it to contain %q", shown, want)
	}
	if strings.Contains(shown, `\u00`) || strings.Contains(shown, "&amp;") || strings.Contains(shown, "&gt;") {
		t.Errorf("editor shows escapes: %.400q", shown)
	}

	def := strategy.DefaultDefinition()
	def.Rules[0].When = "dpd >= 30 && overdue_fen > 500000"
	raw, _ := json.Marshal(def) // escapes & and > as \u0026, \u003e
	if !strings.Contains(string(raw), `\u0026`) {
		t.Fatal("json.Marshal no longer escapes &: the test needs another escaped input")
	}
	rec = w.do(t, auth.Supervisor, "POST", "/strategies", url.Values{"definition": {string(raw)}}.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "save")
	loc := rec.Header().Get("Location")
	rec = w.do(t, auth.Supervisor, "GET", loc, "")
	wantStatus(t, rec, http.StatusOK, "version page")
	if shown := shownText(t, rec.Body.String(), preRE, "version page"); !strings.Contains(shown, `"when": "dpd >= 30 && overdue_fen > 500000"`) {
		t.Errorf("version page shows %.600q", shown)
	}
	rec = w.do(t, auth.Supervisor, "GET", "/strategies/new?from="+strings.TrimPrefix(loc, "/strategies/"), "")
	if shown := shownText(t, rec.Body.String(), textareaRE, "editor from the version"); !strings.Contains(shown, `"when": "dpd >= 30 && overdue_fen > 500000"`) {
		t.Errorf("editor from the version shows %.600q", shown)
	}
	// The diff against the published version shows the edited condition.
	wantBody(t, rec, "editor", `id="definition"`)
	rec = w.do(t, auth.Supervisor, "GET", loc, "")
	wantBody(t, rec, "diff", `id="strategy-diff"`, `class="diff-add">+       &#34;when&#34;: &#34;dpd &gt;= 30 &amp;&amp; overdue_fen &gt; 500000&#34;,`,
		`class="diff-remove">-       &#34;when&#34;:`)
	if n := strings.Count(rec.Body.String(), `class="diff-add"`); n != 1 {
		t.Errorf("%d added lines in the diff, want 1 (only the condition changed)", n)
	}
}

// TestStrategyPublish_ConfirmAndFourEyes: publishing asks for confirmation
// first, and the writer of a version cannot publish it; another user with
// the strategy permission can. Both the refusal and the publication are
// audited, in the console and through the API.
func TestStrategyPublish_ConfirmAndFourEyes(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	ctx := context.Background()
	good, _ := json.Marshal(strategy.DefaultDefinition())
	rec := w.do(t, auth.Supervisor, "POST", "/strategies", url.Values{"definition": {strings.Replace(string(good), "m1_low_sms", "m1_low_sms_v2", 1)}}.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "save")
	loc := rec.Header().Get("Location")
	before, _ := w.svc.PublishedStrategy(ctx)

	// The writer is told on the version page and the confirmation page,
	// and refused if they confirm anyway.
	rec = w.do(t, auth.Supervisor, "GET", loc, "")
	wantBody(t, rec, "writer's version page", `id="four-eyes"`, `id="strategy-diff"`, "m1_low_sms_v2")
	rec = w.do(t, auth.Supervisor, "POST", loc+"/publish", "x=")
	wantStatus(t, rec, http.StatusOK, "writer's confirmation page")
	wantBody(t, rec, "writer's confirmation page", `id="four-eyes"`)
	if strings.Contains(rec.Body.String(), `id="confirm-publish"`) {
		t.Error("the writer is offered the confirm button")
	}
	rec = w.do(t, auth.Supervisor, "POST", loc+"/publish", "confirm=yes")
	wantStatus(t, rec, http.StatusForbidden, "writer publishing")
	wantBody(t, rec, "writer publishing", `id="publish-refused"`)
	if v, _ := w.svc.PublishedStrategy(ctx); v.ID != before.ID {
		t.Fatalf("the writer published version %d", v.ID)
	}

	// Another user: the first step only asks.
	rec = w.do(t, auth.Admin, "POST", loc+"/publish", "x=")
	wantStatus(t, rec, http.StatusOK, "confirmation page")
	wantBody(t, rec, "confirmation page", `id="confirm-publish"`, `name="confirm" value="yes"`, `class="diff-add">+`, "m1_low_sms_v2",
		`id="strategy-writer">supervisor<`)
	if v, _ := w.svc.PublishedStrategy(ctx); v.ID != before.ID {
		t.Fatalf("the confirmation step published version %d", v.ID)
	}
	rec = w.do(t, auth.Admin, "POST", loc+"/publish", "confirm=yes")
	wantStatus(t, rec, http.StatusSeeOther, "confirmed publication")
	v, err := w.svc.PublishedStrategy(ctx)
	if err != nil || "/strategies/"+itoa(int(v.ID)) != loc || v.PublishedBy != "admin" || v.CreatedBy != "supervisor" {
		t.Fatalf("published %+v, %v; want %s written by supervisor, published by admin", v, err, loc)
	}

	// The API applies the same rule.
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/strategies", string(good))
	wantStatus(t, rec, http.StatusCreated, "create through the API")
	var created struct {
		ID int64 `json:"id"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &created)
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/strategies/"+itoa(int(created.ID))+"/publish", "")
	wantStatus(t, rec, http.StatusForbidden, "writer publishing through the API")
	rec = w.do(t, auth.Admin, "POST", "/api/v1/strategies/"+itoa(int(created.ID))+"/publish", "")
	wantStatus(t, rec, http.StatusOK, "another user publishing through the API")

	events, err := w.svc.AuditEvents(ctx, collect.System("test"), 0, 200)
	if err != nil {
		t.Fatal(err)
	}
	refused, published := 0, 0
	for _, e := range events {
		switch {
		case e.Action == "strategy.publish_refused" && e.Actor.Username == "supervisor":
			refused++
		case e.Action == "strategy.publish" && e.Actor.Username == "admin":
			published++
			if !strings.Contains(string(e.Summary), `"written_by":"supervisor"`) {
				t.Errorf("publish event %s does not name the writer", e.Summary)
			}
		}
	}
	if refused != 2 || published != 2 {
		t.Errorf("audit: %d refusals by the writer (want 2), %d publications by another user (want 2)", refused, published)
	}
}
