package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestContactPanel_Console is the console's path: the panel says before
// dialling whether a contact is allowed, disables what is not, and a
// posted contact is checked again on the server.
func TestContactPanel_Console(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, s *ctSite) {
		panel := fmt.Sprintf("/borrowers/%d/contact", s.b.ID)
		r := s.do(t, auth.Collector, "GET", panel, nil)
		if r.Status != 200 || !strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, `id="contact-panel"`) {
			t.Fatalf("panel page: %d", r.Status)
		}
		for _, want := range []string{`data-ref="phone:1" data-channel="call" data-decision="allow"`,
			`data-ref="phone:2" data-channel="sms" data-decision="allow"`, `data-ref="email:1" data-channel="email" data-decision="allow"`,
			fmt.Sprintf(`data-ref="contact:%d" data-channel="call" data-decision="block"`, s.mom.ID),
			fmt.Sprintf(`data-ref="contact:%d" data-channel="call" data-decision="approval"`, s.wife.ID),
			"CN-THIRDPARTY", "138****8000", "工作日"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("panel lacks %q", want)
			}
		}
		if strings.Contains(r.Body, "13800138000") || strings.Contains(r.Body, "13700137000") {
			t.Error("the panel shows an unmasked number")
		}
		if n := len(regexp.MustCompile(`class="log" disabled`).FindAllString(r.Body, -1)); n != 2 {
			t.Errorf("%d disabled log buttons, want 2 (mother, spouse)", n)
		}

		// htmx fragment at night: every button disabled, no layout.
		s.set(ctMorning.Add(13 * time.Hour)) // 23:00
		r = s.do(t, auth.Collector, "GET", panel, nil, "HX-Request", "true")
		if r.Status != 200 || strings.Contains(r.Body, "<html") || strings.Contains(r.Body, `data-decision="allow"`) ||
			!strings.Contains(r.Body, "CN-TIME-QUIET") || !strings.Contains(r.Body, "2026-03-11 08:00:00") {
			t.Fatalf("fragment at 23:00: %d %s", r.Status, r.Body)
		}
		// The form is refused on the server whatever the page showed.
		form := url.Values{"to": {"phone:1"}, "channel": {"call"}, "outcome": {"connected"}, "notes": {"打了"}}
		r = s.do(t, auth.Collector, "POST", fmt.Sprintf("/borrowers/%d/contacts", s.b.ID), form)
		if r.Status != http.StatusForbidden || !strings.Contains(r.Body, `id="contact-result"`) || !strings.Contains(r.Body, `data-decision="block"`) {
			t.Fatalf("posting at 23:00: %d", r.Status)
		}
		r = s.do(t, auth.Collector, "POST", fmt.Sprintf("/borrowers/%d/contacts", s.b.ID), form, "HX-Request", "true")
		if r.Status != 200 || !strings.Contains(r.Body, `id="contact-result" class="error"`) {
			t.Fatalf("htmx post at 23:00: %d", r.Status)
		}
		if s.performed(t) != 0 {
			t.Fatal("a refused contact was recorded as made")
		}

		s.set(ctMorning)
		form.Set("results", "dispute")
		r = s.do(t, auth.Collector, "POST", fmt.Sprintf("/borrowers/%d/contacts", s.b.ID), form, "HX-Request", "true")
		if r.Status != 200 || !strings.Contains(r.Body, `id="contact-result" class="note"`) || !strings.Contains(r.Body, "有异议") {
			t.Fatalf("post at 10:00: %d %s", r.Status, r.Body)
		}
		r = s.do(t, auth.Collector, "POST", fmt.Sprintf("/borrowers/%d/messages", s.b.ID),
			url.Values{"to": {"phone:2"}, "channel": {"sms"}, "body": {"张先生您好，请回电。"}}, "HX-Request", "true")
		if r.Status != 200 || !strings.Contains(r.Body, "消息已进入发送队列") {
			t.Errorf("send SMS: %d %s", r.Status, r.Body)
		}
		if s.performed(t) != 1 {
			t.Errorf("performed = %d, want the one call", s.performed(t))
		}
		if r := s.do(t, auth.Auditor, "GET", panel, nil); r.Status != http.StatusForbidden {
			t.Errorf("auditor: %d", r.Status)
		}
	})
}

// TestContactPanel_Case serves the panel the case page loads.
func TestContactPanel_Case(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, s *ctSite) {
		ctx := context.Background()
		// The case is the collector's: a contact on a case needs one they may work.
		caseID := s.openCase(t, string(casework.ToCollector), s.collectorFor(t, auth.Collector))
		r := s.do(t, auth.Collector, "GET", fmt.Sprintf("/cases/%d/contact", caseID), nil, "HX-Request", "true")
		if r.Status != 200 || !strings.Contains(r.Body, fmt.Sprintf(`hx-post="/cases/%d/contacts"`, caseID)) {
			t.Fatalf("case panel: %d %s", r.Status, r.Body)
		}
		form := url.Values{"to": {"phone:1"}, "channel": {"call"}, "outcome": {"connected"}}
		if r := s.do(t, auth.Collector, "POST", fmt.Sprintf("/cases/%d/contacts", caseID), form); r.Status != 200 {
			t.Fatalf("log on the case: %d", r.Status)
		}
		var attempts int
		err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
			return tx.Inspect(ctx, "SELECT attempts FROM cases WHERE id = ?", caseID).Scan(&attempts)
		})
		if err != nil || attempts != 1 {
			t.Errorf("case attempts = %d, %v; want the call counted on the case", attempts, err)
		}
		if r := s.do(t, auth.Collector, "GET", "/cases/99999/contact", nil); r.Status != http.StatusNotFound {
			t.Errorf("unknown case: %d", r.Status)
		}
	})
}

// TestContactPanel_CSRF: a console form posted with a session but without
// the session's CSRF token is refused.
func TestContactPanel_CSRF(t *testing.T) {
	t.Parallel()
	s := newCtSite(t, storetest.OpenSQLite(t))
	tok, _, err := s.svc.Login(context.Background(), "collector1", "password-collector1", "")
	if err != nil {
		t.Fatal(err)
	}
	_, sess, err := s.svc.UserBySession(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"to": {"phone:1"}, "channel": {"call"}, "outcome": {"connected"}}
	path := fmt.Sprintf("/borrowers/%d/contacts", s.b.ID)
	if r := s.do(t, "", "POST", path, form, "Cookie", "accord_session="+tok); r.Status != http.StatusForbidden {
		t.Errorf("without CSRF: %d", r.Status)
	}
	if r := s.do(t, "", "POST", path, form, "Cookie", "accord_session="+tok, "X-CSRF-Token", sess.CSRFToken); r.Status != 200 {
		t.Errorf("with CSRF: %d", r.Status)
	}
}
