package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestContactPanel_Console is the console's path on the borrower page: the
// panel says before dialling whether each contact is allowed, in the
// user's language and without rule codes; choosing one shows the decision
// first and a form only when allowed; a posted contact is checked again on
// the server.
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
			"138****8000", "工作日", `id="contact-choose"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("panel lacks %q", want)
			}
		}
		noCodes(t, "panel", r.Body)
		if strings.Contains(r.Body, "13800138000") || strings.Contains(r.Body, "13700137000") {
			t.Error("the panel shows an unmasked number")
		}
		if strings.Contains(r.Body, `id="contact-form"`) {
			t.Error("a contact form before anything was chosen")
		}
		mom := s.check(t, fmt.Sprintf("contact:%d", s.mom.ID), "call")
		wantReasons(t, "panel", r.Body, mom, "zh")

		// Choosing the mother: the refusal first, in Chinese, and no form.
		r = s.do(t, auth.Collector, "GET", panel+fmt.Sprintf("?to=contact:%d&channel=call", s.mom.ID), nil, "HX-Request", "true")
		if r.Status != 200 || strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, `id="contact-decision" class="error" data-decision="block"`) ||
			strings.Contains(r.Body, `id="contact-form"`) || !strings.Contains(r.Body, "不允许联系") {
			t.Fatalf("choosing the mother: %d %s", r.Status, r.Body)
		}
		wantReasons(t, "the mother chosen", r.Body, mom, "zh")
		// In English, the same reasons in English.
		r = s.do(t, auth.Collector, "GET", panel+fmt.Sprintf("?to=contact:%d&channel=call", s.mom.ID), nil, "HX-Request", "true",
			"Cookie", "accord_lang=en")
		wantReasons(t, "the mother chosen, in English", r.Body, mom, "en")

		// Choosing the first number: allowed, with the form.
		r = s.do(t, auth.Collector, "GET", panel+"?to=phone:1&channel=call", nil, "HX-Request", "true")
		if !strings.Contains(r.Body, `id="contact-decision" class="note" data-decision="allow"`) || !strings.Contains(r.Body, `id="contact-form"`) ||
			strings.Contains(r.Body, `name="promise_amount"`) { // promises belong to a case
			t.Fatalf("choosing phone 1: %d %s", r.Status, r.Body)
		}

		// At night: everything refused, with the reason.
		s.set(ctMorning.Add(13 * time.Hour)) // 23:00
		r = s.do(t, auth.Collector, "GET", panel+"?to=phone:1&channel=call", nil, "HX-Request", "true")
		if r.Status != 200 || strings.Contains(r.Body, `data-decision="allow"`) || strings.Contains(r.Body, `id="contact-form"`) ||
			!strings.Contains(r.Body, "2026-03-11 08:00:00") {
			t.Fatalf("fragment at 23:00: %d %s", r.Status, r.Body)
		}
		noCodes(t, "fragment at 23:00", r.Body)
		night := s.check(t, "phone:1", "call")
		wantReasons(t, "fragment at 23:00", r.Body, night, "zh")
		// The form is refused on the server whatever the page showed.
		form := url.Values{"to": {"phone:1"}, "channel": {"call"}, "outcome": {"connected"}, "notes": {"打了"}}
		r = s.do(t, auth.Collector, "POST", fmt.Sprintf("/borrowers/%d/contacts", s.b.ID), form)
		if r.Status != http.StatusForbidden || !strings.Contains(r.Body, `id="contact-result"`) || !strings.Contains(r.Body, `data-decision="block"`) {
			t.Fatalf("posting at 23:00: %d", r.Status)
		}
		r = s.do(t, auth.Collector, "POST", fmt.Sprintf("/borrowers/%d/contacts", s.b.ID), form, "HX-Request", "true")
		if r.Status != 200 || !strings.Contains(r.Body, `id="contact-result" class="error"`) || !strings.Contains(r.Body, "合规检查拒绝了本次联系") {
			t.Fatalf("htmx post at 23:00: %d", r.Status)
		}
		noCodes(t, "refusal", r.Body)
		wantReasons(t, "refusal", r.Body, night, "zh")
		if s.performed(t) != 0 {
			t.Fatal("a refused contact was recorded as made")
		}

		s.set(ctMorning)
		form.Set("results", "dispute")
		r = s.do(t, auth.Collector, "POST", fmt.Sprintf("/borrowers/%d/contacts", s.b.ID), form, "HX-Request", "true")
		if r.Status != 200 || !strings.Contains(r.Body, `id="contact-result" class="note"`) || !strings.Contains(r.Body, "有异议") {
			t.Fatalf("post at 10:00: %d %s", r.Status, r.Body)
		}
		// The dispute suspends collection (CN-DISPUTE): the SMS is refused,
		// with the reason in Chinese, until the outcome is recorded.
		sms := url.Values{"to": {"phone:2"}, "channel": {"sms"}, "body": {"张先生您好，请回电。"}}
		r = s.do(t, auth.Collector, "POST", fmt.Sprintf("/borrowers/%d/messages", s.b.ID), sms, "HX-Request", "true")
		if r.Status != 200 || !strings.Contains(r.Body, `id="contact-result" class="error"`) || !strings.Contains(r.Body, "合规检查拒绝了本次联系") ||
			!strings.Contains(r.Body, "核实结果记录前暂停催收") || strings.Contains(r.Body, "消息已进入发送队列") {
			t.Errorf("send SMS while disputed: %d %s", r.Status, r.Body)
		}
		noCodes(t, "dispute refusal", r.Body)
		outcome := fmt.Sprintf("/borrowers/%d/dispute-outcome", s.b.ID)
		if r := s.do(t, auth.Collector, "POST", outcome, url.Values{"outcome": {"rejected"}, "note": {"核实无误"}}); r.Status != http.StatusForbidden {
			t.Errorf("a collector records the outcome: %d", r.Status)
		}
		if r := s.do(t, auth.Compliance, "POST", outcome, url.Values{"outcome": {"rejected"}, "note": {"核实无误，债务如记录"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("the compliance officer records the outcome: %d %s", r.Status, r.Body)
		}
		r = s.do(t, auth.Collector, "POST", fmt.Sprintf("/borrowers/%d/messages", s.b.ID), sms, "HX-Request", "true")
		if r.Status != 200 || !strings.Contains(r.Body, "消息已进入发送队列") {
			t.Errorf("send SMS after the outcome: %d %s", r.Status, r.Body)
		}
		if s.performed(t) != 1 {
			t.Errorf("performed = %d, want the one call", s.performed(t))
		}
		if r := s.do(t, auth.Auditor, "GET", panel, nil); r.Status != http.StatusForbidden {
			t.Errorf("auditor: %d", r.Status)
		}
	})
}

// TestContactFlow_Case is the one contact flow of the case page: choose a
// number and channel, see the decision, record the outcome, a note and a
// promise to pay in one submission — all of it or nothing.
func TestContactFlow_Case(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, s *ctSite) {
		ctx := context.Background()
		// The case is the collector's: a contact on a case needs one they may work.
		caseID := s.openCase(t, string(casework.ToCollector), s.collectorFor(t, auth.Collector))
		base := fmt.Sprintf("/cases/%d", caseID)
		r := s.do(t, auth.Collector, "GET", base+"/contact?to=phone:1&channel=call", nil, "HX-Request", "true")
		for _, want := range []string{`id="contact-decision" class="note" data-decision="allow"`, fmt.Sprintf(`hx-post="%s/contacts"`, base),
			`name="promise_amount"`, `name="promise_due" type="date" min="2026-03-10"`, `name="hardship"`, `value="no_answer"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("case flow, phone 1 chosen, lacks %q", want)
			}
		}
		if strings.Contains(r.Body, `name="results" value="promise"`) {
			t.Error("the promise is both a result box and its own fields")
		}
		state := func() (attempts, performed, promises int) {
			t.Helper()
			err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
				if err := tx.Inspect(ctx, "SELECT attempts FROM cases WHERE id = ?", caseID).Scan(&attempts); err != nil {
					return err
				}
				return tx.Inspect(ctx, "SELECT COUNT(*) FROM promises WHERE case_id = ?", caseID).Scan(&promises)
			})
			if err != nil {
				t.Fatal(err)
			}
			return attempts, s.performed(t), promises
		}

		// All or nothing: a promise over what is owed (¥10.00) fails inside
		// the contact's transaction, so the contact is not logged either.
		form := url.Values{"to": {"phone:1"}, "channel": {"call"}, "outcome": {"connected"}, "note": {"说下周还"},
			"promise_amount": {"50.00"}, "promise_due": {"2026-03-13"}}
		r = s.do(t, auth.Collector, "POST", base+"/contacts", form, "HX-Request", "true")
		if r.Status != 200 || !strings.Contains(r.Body, `id="contact-fields"`) || !strings.Contains(r.Body, "承诺金额") ||
			!strings.Contains(r.Body, `id="contact-form"`) || !strings.Contains(r.Body, "说下周还") {
			t.Fatalf("promise over the balance: %d %s", r.Status, r.Body)
		}
		if strings.Contains(r.Body, "owed") {
			t.Error("an English message on the Chinese page")
		}
		if a, p, n := state(); a != 0 || p != 0 || n != 0 {
			t.Fatalf("after a refused promise: %d attempts, %d performed, %d promises; want nothing saved", a, p, n)
		}
		// A promise without a conversation is refused before anything.
		form.Set("outcome", "no_answer")
		form.Set("promise_amount", "5.00")
		if r = s.do(t, auth.Collector, "POST", base+"/contacts", form); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("promise without a conversation: %d", r.Status)
		}

		form.Set("outcome", "connected")
		r = s.do(t, auth.Collector, "POST", base+"/contacts", form, "HX-Request", "true")
		if r.Status != 200 || r.Header.Get("HX-Redirect") != base+"?saved=contact#promises" {
			t.Fatalf("outcome with a promise: %d %q %s", r.Status, r.Header.Get("HX-Redirect"), r.Body)
		}
		if a, p, n := state(); a != 1 || p != 1 || n != 1 {
			t.Fatalf("after the call: %d attempts, %d performed, %d promises; want 1, 1, 1", a, p, n)
		}
		var amount int64
		var channel string
		var contactID int64
		err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
			return tx.Inspect(ctx, "SELECT amount_minor, channel, contact_id FROM promises WHERE case_id = ?", caseID).Scan(&amount, &channel, &contactID)
		})
		if err != nil || amount != 500 || channel != "call" || contactID == 0 {
			t.Errorf("promise: %d fen on %q in contact %d, %v; want 500 on call, made in the logged contact", amount, channel, contactID, err)
		}
		r = s.do(t, auth.Collector, "GET", base+"?saved=contact", nil)
		for _, want := range []string{"联系记录已保存", `id="case-promises"`, "¥5.00", "2026-03-13", "接通"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("case page after the call lacks %q", want)
			}
		}
		if strings.Contains(r.Body, `id="outcome-form"`) || strings.Contains(r.Body, "call：connected") {
			t.Error("the case page still has the old outcome form or shows codes on the timeline")
		}

		// The mother: refused, with the reason in Chinese; nothing recorded.
		mom := fmt.Sprintf("contact:%d", s.mom.ID)
		form = url.Values{"to": {mom}, "channel": {"call"}, "outcome": {"connected"}, "promise_amount": {"5.00"}, "promise_due": {"2026-03-13"}}
		r = s.do(t, auth.Collector, "POST", base+"/contacts", form, "HX-Request", "true")
		if r.Status != 200 || !strings.Contains(r.Body, `id="contact-result" class="error" data-decision="block"`) {
			t.Fatalf("calling the mother: %d %s", r.Status, r.Body)
		}
		noCodes(t, "calling the mother", r.Body)
		wantReasons(t, "calling the mother", r.Body, s.check(t, mom, "call"), "zh")
		if a, p, n := state(); a != 1 || p != 1 || n != 1 {
			t.Fatalf("after the refusal: %d attempts, %d performed, %d promises; want the first call only", a, p, n)
		}
		if r := s.do(t, auth.Collector, "GET", "/cases/99999/contact", nil); r.Status != http.StatusNotFound {
			t.Errorf("unknown case: %d", r.Status)
		}

		// A closed case: said in Chinese in the flow, nothing recorded.
		err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			var id int64
			return tx.Inspect(ctx, "UPDATE cases SET status = 'closed' WHERE id = ? RETURNING id", caseID).Scan(&id)
		})
		if err != nil {
			t.Fatal(err)
		}
		form = url.Values{"to": {"phone:1"}, "channel": {"call"}, "outcome": {"no_answer"}}
		r = s.do(t, auth.Collector, "POST", base+"/contacts", form, "HX-Request", "true")
		if r.Status != 200 || !strings.Contains(r.Body, "案件已结案") {
			t.Errorf("contact on a closed case: %d %s", r.Status, r.Body)
		}
		if a, p, n := state(); a != 1 || p != 1 || n != 1 {
			t.Errorf("after the closed case: %d attempts, %d performed, %d promises; want the first call only", a, p, n)
		}
	})
}

// TestContactAPI_Promise: POST /api/v1/contacts takes the promise made in
// the contact, recorded with it or not at all.
func TestContactAPI_Promise(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, s *ctSite) {
		ctx := context.Background()
		caseID := s.openCase(t, string(casework.ToCollector), s.collectorFor(t, auth.Collector))
		count := func() (attempts, promises int) {
			t.Helper()
			err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
				if err := tx.Inspect(ctx, "SELECT COUNT(*) FROM contact_attempts").Scan(&attempts); err != nil {
					return err
				}
				return tx.Inspect(ctx, "SELECT COUNT(*) FROM promises WHERE case_id = ?", caseID).Scan(&promises)
			})
			if err != nil {
				t.Fatal(err)
			}
			return attempts, promises
		}
		body := func(amount, outcome string) string {
			return fmt.Sprintf(`{"borrower_id":%d,"case_id":%d,"channel":"call","to":"phone:1","outcome":%q,"notes":"发工资后还",`+
				`"promise":{"amount":%q,"due":"2026-03-13"}}`, s.b.ID, caseID, outcome, amount)
		}
		// Over what is owed (¥10.00): neither the contact nor the promise.
		if r := s.do(t, auth.Collector, "POST", "/api/v1/contacts", body("50.00", "connected")); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "promise_amount") {
			t.Fatalf("promise over the balance: %d %s", r.Status, r.Body)
		}
		if r := s.do(t, auth.Collector, "POST", "/api/v1/contacts", body("5.00", "no_answer")); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "needs a conversation") {
			t.Fatalf("promise without a conversation: %d %s", r.Status, r.Body)
		}
		if a, p := count(); a != 0 || p != 0 {
			t.Fatalf("after refused promises: %d attempts, %d promises; want none", a, p)
		}
		r := s.do(t, auth.Collector, "POST", "/api/v1/contacts", body("5.00", "connected"))
		if r.Status != http.StatusCreated {
			t.Fatalf("contact with a promise: %d %s", r.Status, r.Body)
		}
		var res struct {
			Attempt struct {
				ID      int64    `json:"id"`
				Results []string `json:"results"`
			} `json:"attempt"`
			PromiseID int64 `json:"promise_id"`
		}
		r.json(t, &res)
		var promiseID, contactID, amount int64
		err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
			return tx.Inspect(ctx, "SELECT id, contact_id, amount_minor FROM promises WHERE case_id = ?", caseID).Scan(&promiseID, &contactID, &amount)
		})
		if err != nil || contactID != res.Attempt.ID || amount != 500 || !slices.Contains(res.Attempt.Results, "promise") ||
			res.PromiseID != promiseID {
			t.Errorf("promise made in contact %d for %d fen (%v); the contact %+v", contactID, amount, err, res.Attempt)
		}
	})
}

// check asks the governor about a contact now, as the panel does.
func (s *ctSite) check(t *testing.T, to, channel string) compliance.Decision {
	t.Helper()
	req := collect.ContactRequest{BorrowerID: s.b.ID, To: to, Channel: compliance.Channel(channel)}
	if strings.HasPrefix(to, "contact:") {
		req.Purpose = compliance.PurposeLocate // what the panel proposes for a registered contact
	}
	res, err := s.svc.CheckContact(context.Background(), collect.Actor{User: s.users[auth.Collector]}, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Decision.Details) == 0 {
		t.Fatalf("%s by %s: no rule fired", to, channel)
	}
	return res.Decision
}

// wantReasons checks that body gives every reason of d in lang, without
// the codes of the conditions a rule found unmet (named instead) and, on
// a Chinese page, without the English text.
func wantReasons(t *testing.T, what, body string, d compliance.Decision, lang string) {
	t.Helper()
	for _, x := range d.Details {
		want := x.Reason.ZH
		if lang == "en" {
			want = x.Reason.EN
		}
		if len(x.Failed) > 0 { // the sentence before the list of conditions
			want = strings.TrimRight(want[:strings.Index(want, x.Failed[0])], "：: ")
		}
		if !strings.Contains(body, html.EscapeString(want)) {
			t.Errorf("%s: lacks the reason %q", what, want)
		}
		for _, f := range x.Failed {
			if strings.Contains(body, f) {
				t.Errorf("%s: shows the condition code %q", what, f)
			}
		}
		if lang != "en" && strings.Contains(body, html.EscapeString(x.Reason.EN)) {
			t.Errorf("%s: shows the English reason %q on the Chinese page", what, x.Reason.EN)
		}
	}
}

// noCodes fails when body shows a rule code (CN-…, R48 …) to the user.
func noCodes(t *testing.T, what, body string) {
	t.Helper()
	if m := regexp.MustCompile(`>[^<]*\b(CN|US|EU)-[A-Z]+[^<]*<`).FindString(body); m != "" {
		t.Errorf("%s shows a rule code: %q", what, m)
	}
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
