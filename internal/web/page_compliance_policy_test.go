package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/sqlstore/storetest"
)

// TestCompliancePolicyLabels: the policy page names every limit and setting
// by a label in the reader's language, keeps the raw field name only as the
// label's hover hint, and names the field of a refused change by its label.
func TestCompliancePolicyLabels(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{})
	en := map[string]string{"Cookie": "accord_lang=en"}
	for _, c := range []struct {
		headers map[string]string
		want    []string
	}{
		{nil, []string{"每日最多接通通话次数", "禁止联系时段开始", "节假日联系的处理", "外访须提前通知", "规则内容", "禁止"}},
		{en, []string{"Connected calls per day (max)", "Quiet hours start", "Holiday contact action", "Visits need advance notice", "UK first visit notice (days)"}},
	} {
		rec := e.do(t, request{role: auth.Compliance, method: "GET", url: "/compliance/policy", headers: c.headers})
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /compliance/policy = %d", rec.Code)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("policy page (%v) lacks the label %q", c.headers, w)
			}
		}
		if !strings.Contains(body, `title="max_connected_calls_per_day"`) || !strings.Contains(body, `name="max_connected_calls_per_day"`) {
			t.Errorf("the raw field name is gone from the hint or the form")
		}
		if text := visibleText(body); regexp.MustCompile(`\b(true|false|max_calls_per_7_days|quiet_end)\b`).MatchString(text) {
			t.Errorf("policy page (%v) shows raw values: %q", c.headers, regexp.MustCompile(`\b(true|false|max_calls_per_7_days|quiet_end)\b`).FindAllString(text, 5))
		}
	}
	rec := e.do(t, request{role: auth.Compliance, method: "POST", url: "/compliance/policy/CN", body: form("max_connected_calls_per_day", "9")})
	errBox := regexp.MustCompile(`(?s)<div class="error" id="policy-error">.*?</div>`).FindString(rec.Body.String())
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(errBox, "每日最多接通通话次数") || strings.Contains(errBox, "max_connected_calls_per_day") {
		t.Errorf("a looser limit: %d, error box %q, want 422 naming the field by its label", rec.Code, errBox)
	}
}
