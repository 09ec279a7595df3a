package web

import "testing"

// TestReasonValue: a reason's or factor's value reaches a Chinese reader
// translated (the fixed words, the promise counts, a hardship) and an
// English one in English; numbers and ratios pass as they are.
func TestReasonValue(t *testing.T) {
	tests := []struct{ lang, signal, value, want string }{
		{"zh-CN", "days_since_contact", "never", "从未"},
		{"en", "days_since_contact", "never", "never"},
		{"zh-CN", "income", "unknown", "未知"},
		{"en", "income", "unknown", "unknown"},
		{"zh-CN", "hardship", "none", "无"},
		{"zh-CN", "hardship", "job_loss", "失业"},
		{"en", "hardship", "job_loss", "Job loss"},
		{"zh-CN", "promises", "kept 2, broken 13", "兑现 2 次，违约 13 次"},
		{"en", "promises", "kept 2, broken 13", "kept 2, broken 13"},
		{"zh-CN", "never_reached", "never", "从未"},
		{"zh-CN", "days_since_contact", "12", "12"},
		{"zh-CN", "burden", "1,200.00/4,000.00 (30%)", "1,200.00/4,000.00 (30%)"},
	}
	for _, tt := range tests {
		if got := reasonValue(tt.lang, tt.signal, tt.value); got != tt.want {
			t.Errorf("reasonValue(%q, %q, %q) = %q, want %q", tt.lang, tt.signal, tt.value, got, tt.want)
		}
	}
}
