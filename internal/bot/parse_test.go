package bot

import (
	"encoding/json"
	"slices"
	"testing"
	"unicode/utf8"

	"accord/internal/date"
	"accord/internal/money"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"１５号还２０００", "15号还2000"},
		{"明天還款，謝謝。", "明天还款,謝謝."}, // 謝 is not in the lexicon's table
		{"我已經轉帳了", "我已经转账了"},
		{"ＩＬＬ  ＰＡＹ\tTomorrow", "i'll pay tomorrow"},
		{"im broke, dont call u", "i'm broke, don't call you"},
		{"I’m not refusing", "i'm not refusing"},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestParse covers the hard cases the issue names, one assertion each.
func TestParse(t *testing.T) {
	t.Parallel()
	ref := date.MustParse("2026-12-03") // Thursday
	d := func(s string) date.Date { return date.MustParse(s) }
	tests := []struct {
		text   string
		intent Intent
		date   date.Date
		amount money.Amount // -1: none
		also   []Intent
	}{
		{"我没说不还，明天就转给你们", PromiseToPay, d("2026-12-04"), -1, nil},
		{"I'm not refusing to pay, I just don't have the money", Hardship, 0, -1, nil},
		{"我不是已经还了吗？", AlreadyPaid, 0, -1, nil},
		{"我还没还，不好意思", Other, 0, -1, nil},
		{"不用转人工，告诉我还欠多少就行", AskBalance, 0, -1, nil},
		{"我不会还的", Other, 0, -1, nil},
		{"再打电话我就投诉你们", StopContact, 0, -1, nil},
		{"我早还了，别再发短信了", AlreadyPaid, 0, -1, []Intent{StopContact}},
		{"我失业了，下个月15号先还500", PromiseToPay, d("2027-01-15"), money.Yuan(500), []Intent{Hardship}},
		{"明天下午3点前还500，我电话13912345678", PromiseToPay, d("2026-12-04"), money.Yuan(500), nil},
		{"月底还一半", PromiseToPay, d("2026-12-31"), -1, nil},
		{"可以分12期吗", RequestPlan, 0, -1, nil},
		{"发工资那天我就还", PromiseToPay, 0, -1, nil},
		{"I transferred the money on Tuesday", AlreadyPaid, d("2026-12-01"), -1, nil},
		{"如果月底一次性还清要多少钱", AskBalance, d("2026-12-31"), -1, nil},
	}
	for _, tt := range tests {
		r := Parse(tt.text, ref)
		if r.Intent != tt.intent || r.Date != tt.date {
			t.Errorf("Parse(%q): intent %s date %s, want %s %s", tt.text, r.Intent, r.Date, tt.intent, tt.date)
		}
		if got := amountOr(r, -1); got != tt.amount {
			t.Errorf("Parse(%q): amount %d, want %d", tt.text, got, tt.amount)
		}
		if tt.also != nil && !slices.Equal(r.Also, tt.also) {
			t.Errorf("Parse(%q): also %v, want %v", tt.text, r.Also, tt.also)
		}
	}
}

func amountOr(r Result, none money.Amount) money.Amount {
	if !r.HasAmount {
		return none
	}
	return r.Amount
}

func TestParse_Handover(t *testing.T) {
	t.Parallel()
	ref := date.MustParse("2026-12-03")
	for _, text := range []string{"我不想活了", "I won't kill myself don't worry", "我妈刚去世", "转人工", "我要投诉"} {
		if r := Parse(text, ref); !r.Handover {
			t.Errorf("Parse(%q) does not hand over: %+v", text, r)
		}
	}
	for _, text := range []string{"明天还", "烦死了，别打了", "你们去死吧", "我感冒了"} {
		if r := Parse(text, ref); r.Vulnerable {
			t.Errorf("Parse(%q) flagged vulnerable", text)
		}
	}
}

func TestResult_JSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Parse("hello", date.MustParse("2026-12-03")))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"intent":"other","date":null,"amount":null,"reason":null,"vulnerable":false,"handover":false,"also":[]}`; got != want {
		t.Errorf("JSON %s, want %s", got, want)
	}
}

func TestState_JSONRoundTrip(t *testing.T) {
	t.Parallel()
	s := State{Step: StepConfirm, Lang: En, Date: date.MustParse("2026-12-11"), Amount: money.Yuan(500), HasAmount: true, Misses: 1}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back State
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back != s {
		t.Errorf("round trip %s: %+v, want %+v", b, back, s)
	}
}

// FuzzParse checks that Parse never panics and keeps its promises on any
// text: a date only with a known intent's rules, a positive amount.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"明天还两千", "一千零五十", "1.5万", "十万", "2026-02-30", "31号", "下个月31号", "千万", "１５号",
		"I'll pay 1,500.50 on the 31st", "¥", "还", "万一", "零", "〇〇〇", "1,,000", "9999999999999999999万"} {
		f.Add(s)
	}
	ref := date.MustParse("2028-02-29")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		r := Parse(s, ref)
		if r.HasAmount && r.Amount <= 0 {
			t.Errorf("Parse(%q): amount %d", s, r.Amount)
		}
		if !slices.Contains(Intents, r.Intent) {
			t.Errorf("Parse(%q): intent %q", s, r.Intent)
		}
		Reply(State{}, r, ref)
	})
}
