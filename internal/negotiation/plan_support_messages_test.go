package negotiation_test

import (
	"slices"
	"testing"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/negotiation"
	"accord/internal/sqlstore"
)

// TestSupportMessages: the programme's educational messages are versioned
// and checked; the nightly step queues each enrolment's message of the day
// through the governor and the outbox in the borrower's language, once per
// enrolment and day (re-running a date queues nothing), catches up a
// missed run by at most a week, and a message the governor refuses (an
// automated message to a vulnerable borrower) is recorded as blocked, not
// sent. On both engines.
func TestSupportMessages(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 60)
		e.svc.UseNightly(e.neg.SupportStep())
		e.run(t, start)
		adm, sup := e.as(auth.Admin), e.as(auth.Supervisor)

		_, err := e.neg.SaveSupportProgramme(ctx, e.as(auth.Collector), negotiation.SupportProgramme{})
		wantCode(t, "a collector configuring the programme", err, errs.Forbidden)
		_, err = e.neg.SaveSupportProgramme(ctx, sup, negotiation.SupportProgramme{Messages: []negotiation.SupportMessageTemplate{
			{Day: 0, ZH: "欢迎", EN: "Welcome"}, {Day: 0, ZH: "重复", EN: ""}, {Day: 400, ZH: "x", EN: "x"}}})
		wantCode(t, "a bad programme", err, errs.Invalid)
		var fields []string
		for _, f := range errs.FieldsOf(err) {
			fields = append(fields, f.Field)
		}
		if !slices.Equal(fields, []string{"messages[1].day", "messages[1].en", "messages[2].day"}) {
			t.Errorf("the refusal names %v", fields)
		}
		if _, err := negotiation.ParseSupportProgramme([]byte(`{"messages":[{"day":1,"zh":"a","en":"b","colour":1}]}`)); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("an unknown field: %v, want Invalid", err)
		}
		prog := negotiation.SupportProgramme{Messages: []negotiation.SupportMessageTemplate{
			{Day: 30, ZH: "第三十天：按时还款可保持良好信用。", EN: "Day 30: paying on time keeps your credit record good."},
			{Day: 0, ZH: "欢迎加入帮扶计划：我们会根据您的情况调整还款安排。", EN: "Welcome to the support programme."},
			{Day: 7, ZH: "第七天：如何制定家庭预算。", EN: "Day 7: how to make a household budget."}}}
		v, err := e.neg.SaveSupportProgramme(ctx, sup, prog)
		if err != nil || v.Version != 1 {
			t.Fatalf("SaveSupportProgramme: %+v, %v", v, err)
		}

		cases := delinquentCases(t, e, 2)
		for _, c := range cases {
			if err := e.neg.EnrollSupport(ctx, adm, c.ID, negotiation.Support{Reason: "失业", Until: start.AddDays(90)}); err != nil {
				t.Fatalf("EnrollSupport: %v", err)
			}
		}
		vulnerable := cases[1].BorrowerID
		if err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			b, err := tx.Borrower(ctx, vulnerable)
			if err != nil {
				return err
			}
			flags := append(slices.Clone(b.Flags), "vulnerable")
			_, err = tx.UpdateBorrower(ctx, vulnerable, sqlstore.BorrowerUpdate{Flags: &flags})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		supportMsgs := func(borrower int64) int {
			return e.count(t, "SELECT COUNT(*) FROM messages WHERE borrower_id = ? AND dedup_key LIKE 'support:%'", borrower)
		}

		counts, err := e.neg.SendSupportMessages(ctx, start)
		if err != nil {
			t.Fatal(err)
		}
		if counts["blocked"] != 1 || counts["queued"]+counts["held"] != 1 {
			t.Errorf("day 0: %v, want one sent (queued or held) and one blocked", counts)
		}
		first := cases[0].BorrowerID
		var body, lang string
		e.read(t, func(tx *sqlstore.Tx) error {
			return tx.Inspect(ctx, "SELECT body, lang FROM messages WHERE borrower_id = ? AND dedup_key LIKE 'support:%'", first).Scan(&body, &lang)
		})
		want := prog.Messages[1].ZH
		if lang == "en" || len(lang) > 1 && lang[:2] == "en" {
			want = prog.Messages[1].EN
		}
		if body != want {
			t.Errorf("day 0 message (lang %s) = %q, want %q", lang, body, want)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM messages WHERE borrower_id = ? AND dedup_key LIKE 'support:%' AND status = 'blocked'", vulnerable); n != 1 {
			t.Errorf("the vulnerable borrower's message: %d blocked, want 1 (the governor refuses it)", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM support_messages WHERE borrower_id = ? AND status = 'blocked'", vulnerable); n != 1 {
			t.Errorf("the blocked message is recorded %d times as blocked", n)
		}

		// The same date again, and the days between: nothing new.
		for _, d := range []int{0, 1, 6} {
			if counts, err := e.neg.SendSupportMessages(ctx, start.AddDays(d)); err != nil || len(counts) != 0 {
				t.Errorf("day %d: %v, %v; want nothing", d, counts, err)
			}
		}
		if supportMsgs(first) != 1 {
			t.Errorf("%d support messages after re-running, want 1", supportMsgs(first))
		}
		// Day 7 through the nightly run, once.
		sum := e.run(t, start.AddDays(7))
		if st, ok := sum.Steps["support_messages"]; !ok || st.Counts["blocked"] != 1 || st.Counts["queued"]+st.Counts["held"] != 1 {
			t.Errorf("nightly step on day 7: %+v", sum.Steps)
		}
		e.run(t, start.AddDays(7))
		if supportMsgs(first) != 2 {
			t.Errorf("%d support messages after day 7 run twice, want 2", supportMsgs(first))
		}
		// Day 30's message missed by more than a week is not sent late.
		if counts, err := e.neg.SendSupportMessages(ctx, start.AddDays(38)); err != nil || len(counts) != 0 {
			t.Errorf("day 38: %v, %v; want nothing (day 30 is more than a week late)", counts, err)
		}
		// … but by a few days it is.
		if counts, err := e.neg.SendSupportMessages(ctx, start.AddDays(33)); err != nil || counts["queued"]+counts["held"] != 1 {
			t.Errorf("day 33: %v, %v; want day 30's message", counts, err)
		}
		// Leaving the programme stops the messages.
		if err := e.neg.LeaveSupport(ctx, adm, cases[0].ID, "已复工"); err != nil {
			t.Fatal(err)
		}
		view, err := e.neg.SupportProgrammeInForce(ctx, sup)
		if err != nil || view.Version.Version != 1 || len(view.Program.Messages) != 3 || view.Program.Messages[0].Day != 0 || len(view.Recently) != 6 {
			t.Errorf("SupportProgrammeInForce: version %d, %d messages, %d records, %v", view.Version.Version,
				len(view.Program.Messages), len(view.Recently), err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'support_programme.save'"); n != 1 {
			t.Errorf("%d audit events for one save", n)
		}
	})
}
