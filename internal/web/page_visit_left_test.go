package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"accord/internal/collect"
)

// TestVisitPlanDayPage_LeftOutInLanguage: planning a day on the console
// shows the visits the governor refused, with the refusal in the user's
// language: Chinese by default (the failed conditions in Chinese too),
// English for an English user.
func TestVisitPlanDayPage_LeftOutInLanguage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang        string
		want, never []string
	}{
		{"zh-CN", []string{"本次排程未安排的外访", "合规引擎拒绝", "外访条件不满足", "未携带绑定的录音录像设备"}, []string{"The visit does not", "Refused by"}},
		{"en", []string{"Visits left out of this plan", "Refused by the contact governor", "The visit does not meet the conditions",
			"recording_device_missing"}, []string{"外访条件不满足"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			t.Parallel()
			d := newVisitDay(t)
			ctx := context.Background()
			v := d.v
			pairs, err := d.fw.Pairs(ctx, d.as("supervisor"))
			if err != nil || len(pairs) != 1 {
				t.Fatalf("Pairs = %+v, %v", pairs, err)
			}
			p := pairs[0]
			p.RecordingDevice = "" // CN-VISIT refuses a visit without a recording device
			if _, err := d.fw.SavePair(ctx, d.as("supervisor"), p); err != nil {
				t.Fatal(err)
			}
			d.at(t, v.PlannedOn.AddDays(-1), "18:00")
			tok, err := d.svc.CreateToken(ctx, collect.System("test"), "supervisor", "test")
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest("POST", "/visits/days/plan", strings.NewReader(url.Values{"date": {v.PlannedOn.String()}}.Encode()))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: langCookie, Value: tc.lang})
			rec := httptest.NewRecorder()
			d.srv.ServeHTTP(rec, req)
			wantStatus(t, rec, http.StatusOK, "planning the day")
			body := rec.Body.String()
			at := strings.Index(body, fmt.Sprintf(`id="day-left-%d"`, v.ID))
			if at < 0 {
				t.Fatalf("visit %d is not listed as left out: %.2000s", v.ID, body)
			}
			item := body[at:]
			item = item[:strings.Index(item, "</li>")]
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("the page lacks %q; the item: %s", w, item)
				}
			}
			for _, w := range tc.never {
				if strings.Contains(item, w) {
					t.Errorf("the item shows %q: %s", w, item)
				}
			}
		})
	}
}
