package web

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/date"
)

// The API's views were introduced so that store rows stop being encoded
// directly, without changing a byte of what clients receive. Each view must
// encode exactly as the row (or use-case result) it maps did: with every
// field set, and with none. When a row gains a field, this test fails on
// purpose: add it to the view if clients should see it, or drop the field
// from this comparison if they should not (the row's json tag then no longer
// speaks for the API).
func TestViews_EncodeAsTheirSource(t *testing.T) {
	t.Run("Case", sameJSON(caseViewOf))
	t.Run("CaseEvent", sameJSON(caseEventViewOf))
	t.Run("Task", sameJSON(taskViewOf))
	t.Run("CasePage", sameJSON(casePageViewOf))
	t.Run("Workbench", sameJSON(workbenchViewOf))
	t.Run("Queues", sameJSON(queuesViewOf))
	t.Run("TeamLoad", sameJSON(teamLoadViewOf))
	t.Run("Team", sameJSON(teamViewOf))
	t.Run("Collector", sameJSON(collectorViewOf))
	t.Run("Agency", sameJSON(agencyViewOf))
	t.Run("StrategyVersion", sameJSON(strategyVersionViewOf))
	t.Run("Experiment", sameJSON(experimentViewOf))
	t.Run("ExperimentDay", sameJSON(experimentDayViewOf))
	t.Run("ExperimentResults", sameJSON(experimentResultsViewOf))
	t.Run("ContactAttempt", sameJSON(contactAttemptViewOf))
	t.Run("ContactResult", sameJSON(contactResultViewOf))
	t.Run("Approval", sameJSON(approvalViewOf))
	t.Run("RuleHits", sameJSON(ruleHitsViewOf))
	t.Run("ComplianceOverview", sameJSON(complianceOverviewViewOf))
	t.Run("Assessment", sameJSON(assessmentViewOf))
	t.Run("Offer", sameJSON(offerViewOf))
	t.Run("Decision", sameJSON(decisionViewOf))
	t.Run("OfferRecord", sameJSON(offerRecordViewOf))
	t.Run("Round", sameJSON(roundViewOf))
	t.Run("Attachment", sameJSON(attachmentViewOf))
	t.Run("Agreement", sameJSON(agreementViewOf))
	t.Run("OfferPolicyVersion", sameJSON(offerPolicyVersionViewOf))
	t.Run("PolicyExperimentResults", sameJSON(policyExperimentResultsViewOf))
	t.Run("PolicyTotals", sameJSON(policyTotalsViewOf))
	t.Run("TeamSettings", sameJSON(teamSettingsViewOf))
	t.Run("TeamNegotiation", sameJSON(teamNegotiationViewOf))
	t.Run("SupportProgrammeView", sameJSON(supportProgrammeViewOf))
	t.Run("SupportProgrammeVersion", sameJSON(supportProgrammeVersionViewOf))
	t.Run("SupportMessage", sameJSON(supportMessageViewOf))
	t.Run("Collector request", sameJSON(func(v collectorView) collectorView { return collectorViewOf(v.store()) }))
	t.Run("Agency request", sameJSON(func(v agencyView) agencyView { return agencyViewOf(v.store()) }))
}

// sameJSON checks that f(x) encodes as x, for x with every field filled
// and for the zero x.
func sameJSON[T, V any](f func(T) V) func(t *testing.T) {
	return func(t *testing.T) {
		var full T
		fill(reflect.ValueOf(&full).Elem(), 0)
		for name, x := range map[string]T{"filled": full, "zero": *new(T)} {
			want, err := json.Marshal(x)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(f(x))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: the view encodes\n%s\nthe source encodes\n%s", name, got, want)
			}
		}
		if b, _ := json.Marshal(full); bytes.Count(b, []byte(":")) < 2 {
			t.Errorf("filled source encodes as %s: the filler set nothing", b)
		}
	}
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	dateType    = reflect.TypeFor[date.Date]()
	decimalType = reflect.TypeFor[decimal.Decimal]()
	rawType     = reflect.TypeFor[json.RawMessage]()
)

// fill sets every exported field reachable from v to a non-zero value
// (slices and maps get one element), down to a few levels.
func fill(v reflect.Value, depth int) {
	if depth > 6 || !v.CanSet() {
		return
	}
	switch v.Type() {
	case timeType:
		v.Set(reflect.ValueOf(time.Date(2026, 3, 20, 2, 0, depth, 0, time.UTC)))
		return
	case dateType:
		v.Set(reflect.ValueOf(date.MustParse("2026-03-20").AddDays(depth)))
		return
	case decimalType:
		v.Set(reflect.ValueOf(decimal.MustParse("0.125")))
		return
	case rawType:
		v.Set(reflect.ValueOf(json.RawMessage(`{"k":1}`)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + v.Type().Name())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(7 + depth))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(3 + depth))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.25)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	}
}
