package scoring_test

import (
	"encoding/json"
	"testing"

	"accord/internal/features"
	"accord/internal/scoring"
)

// A score stores its reasons as feature and effect; the words are added
// when it is read, in the direction of the effect; scores stored with
// their words (before) keep them.
func TestExplain_WordsStoredReasons(t *testing.T) {
	ozh, oen := features.Cure30.Outcome()
	rs, err := scoring.Explain(features.Cure30, json.RawMessage(`[{"feature":"dpd","effect":-0.4213},{"feature":"dpd_max_90","effect":0.05}]`))
	if err != nil || len(rs) != 2 {
		t.Fatalf("Explain = %+v, %v", rs, err)
	}
	if rs[0].Feature != "dpd" || rs[0].Effect != -0.4213 || rs[0].ZH != "当前逾期天数降低"+ozh+"的可能" ||
		rs[0].EN != "days past due lowers the chance of "+oen {
		t.Errorf("first reason = %+v", rs[0])
	}
	if rs[1].ZH != "近90天最高逾期天数提高"+ozh+"的可能" || rs[1].EN != "worst days past due in 90 days raises the chance of "+oen {
		t.Errorf("second reason = %+v", rs[1])
	}
	old, err := scoring.Explain(features.Cure30, json.RawMessage(`[{"feature":"dpd","effect":0.3,"zh":"旧的说法","en":"as worded then"}]`))
	if err != nil || len(old) != 1 || old[0].ZH != "旧的说法" || old[0].EN != "as worded then" {
		t.Errorf("a score stored with its words: %+v, %v", old, err)
	}
	if none, err := scoring.Explain(features.Cure30, nil); err != nil || none != nil {
		t.Errorf("no reasons: %+v, %v", none, err)
	}
	if _, err := scoring.Explain(features.Cure30, json.RawMessage(`{`)); err == nil {
		t.Error("malformed reasons explained without an error")
	}
}
