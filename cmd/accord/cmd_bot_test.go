package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func botParse(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runAccord(t, context.Background(), nil, append([]string{"--log-level", "warn", "bot", "parse"}, args...)...)
}

func TestBotParse_JSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want map[string]any
	}{
		{"我下周五还三千五", map[string]any{"intent": "promise_to_pay", "date": "2026-12-11", "amount": "3500.00",
			"reason": nil, "vulnerable": false, "handover": false}},
		{"等发工资那天我就还一半", map[string]any{"intent": "promise_to_pay", "date": nil, "amount": nil}},
		{"我失业了，能不能分期", map[string]any{"intent": "request_plan", "reason": "job_loss", "date": nil, "amount": nil}},
		{"我真的活不下去了", map[string]any{"vulnerable": true, "handover": true}},
		{"I paid 500 yesterday, reference 88123", map[string]any{"intent": "already_paid", "date": "2026-12-02", "amount": "500.00"}},
		{"我电话13812345678，工号8848", map[string]any{"amount": nil}},
	}
	for _, tt := range tests {
		code, out, errb := botParse(t, "--text", tt.text, "--ref-date", "2026-12-03", "--json")
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", tt.text, code, errb)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%q: %v: %s", tt.text, err, out)
		}
		for _, k := range []string{"intent", "date", "amount", "reason", "vulnerable"} {
			if _, ok := got[k]; !ok {
				t.Errorf("%q: no %q in %s", tt.text, k, out)
			}
		}
		for k, want := range tt.want {
			if got[k] != want {
				t.Errorf("%q: %s = %v, want %v", tt.text, k, got[k], want)
			}
		}
	}
}

func TestBotParse_Text(t *testing.T) {
	t.Parallel()
	code, out, errb := botParse(t, "--text", "明天还两千", "--ref-date", "2026-12-03")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	for _, want := range []string{"intent:     promise_to_pay", "date:       2026-12-04", "amount:     2000.00"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestBotParse_InvalidInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args  []string
		field string
	}{
		{[]string{"--ref-date", "2026-12-03"}, "--text"},
		{[]string{"--text", "明天还", "--ref-date", "2026-13-40"}, "--ref-date"},
		{[]string{"--text", "明天还"}, "--ref-date"},
		{[]string{"--text", "  ", "--ref-date", "2026-12-03"}, "--text"},
	}
	for _, tt := range tests {
		code, _, errb := botParse(t, tt.args...)
		if code != 2 || !strings.Contains(errb, tt.field) {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %s", tt.args, code, errb, tt.field)
		}
	}
}

func TestBotChat(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	m := NewMain(strings.NewReader("我会还的\n下周五\n两千\n对\n"), &out, &errb)
	code := m.Run(context.Background(), []string{"accord", "--log-level", "warn", "bot", "chat", "--ref-date", "2026-12-03"})
	m.Close()
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got := out.String()
	if !strings.Contains(got, "[record_promise date=2026-12-11 amount=2000.00]") {
		t.Errorf("promise not recorded:\n%s", got)
	}
	if strings.Count(got, "[record_promise") != 1 {
		t.Errorf("want exactly one action:\n%s", got)
	}
}

func TestBotChat_InvalidLang(t *testing.T) {
	t.Parallel()
	code, _, errb := runAccord(t, context.Background(), nil, "--log-level", "warn", "bot", "chat", "--ref-date", "2026-12-03", "--lang", "fr")
	if code != 2 || !strings.Contains(errb, "--lang") {
		t.Errorf("exit %d, stderr %q; want 2 naming --lang", code, errb)
	}
}
