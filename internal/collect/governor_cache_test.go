package collect

import (
	"reflect"
	"testing"
	"time"

	"accord/internal/calendar"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// TestService_ContactRulesCache: the contact rules are built once and
// reused while their data stand still, and an edit of a policy, the profile
// in force or the holiday calendar — made through another Service over the
// same database, as another node of a cluster would — is applied by the
// next decision of this one.
func TestService_ContactRulesCache(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		other := New(e.db, Options{Now: e.clock}) // another node
		rules := func() govRules {
			t.Helper()
			var r govRules
			if err := e.db.Read(ctBG, func(tx *sqlstore.Tx) (err error) { r, err = e.svc.contactRules(ctBG, tx); return err }); err != nil {
				t.Fatal(err)
			}
			return r
		}
		first := rules()
		if again := rules(); again.gov != first.gov {
			t.Error("rules rebuilt although nothing changed")
		}

		// A stricter quiet time saved elsewhere refuses this node's next call.
		e.set(ctMorning.Add(11*time.Hour + 30*time.Minute)) // 21:30 in Shanghai
		stricter := PolicySettings{QuietStart: "21:00"}
		if err := other.SavePolicy(ctBG, ctOfficer, compliance.CN, stricter); err != nil {
			t.Fatal(err)
		}
		want, _ := stricter.Policy()
		if got := rules(); !reflect.DeepEqual(got.policy, want) || got.gov == first.gov {
			t.Errorf("after the policy edit: policy %+v, want %+v", got.policy, want)
		}
		_, err := e.svc.LogContact(ctBG, ctCollector, e.call("phone:1", compliance.Connected))
		wantRefused(t, err, errs.Forbidden, compliance.RuleCNTimeQuiet)

		if err := other.ActivateProfile(ctBG, ctOfficer, compliance.US); err != nil {
			t.Fatal(err)
		}
		if got := rules(); got.j != compliance.US {
			t.Errorf("after activating US the profile in force is %s", got.j)
		}

		day := mustParseDate("2027-03-03") // a Wednesday
		if rules().cal.IsHoliday(day) {
			t.Fatal("2027-03-03 is a holiday before the edit")
		}
		entries := []calendar.Entry{{Date: "2027-03-03", Kind: "holiday", NameZH: "公司假日", NameEN: "Company holiday"}}
		if err := other.ReplaceCalendarYear(ctBG, ctOfficer, 2027, entries); err != nil {
			t.Fatal(err)
		}
		if !rules().cal.IsHoliday(day) {
			t.Error("the holiday added elsewhere is not in this node's calendar")
		}
		if err := other.ReplaceCalendarYear(ctBG, ctOfficer, 2027, nil); err != nil {
			t.Fatal(err)
		}
		if rules().cal.IsHoliday(day) {
			t.Error("the holiday removed elsewhere is still in this node's calendar")
		}
	})
}
