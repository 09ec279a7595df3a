package scoring_test

import (
	"strings"
	"testing"

	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/scoring"
)

// TestReminderText: the reminder is in the borrower's language, names the
// next due date when known, and passes the governor's content screening
// (no pressure, threat, impersonation or legal wording) in every form.
func TestReminderText(t *testing.T) {
	t.Parallel()
	lex := compliance.DefaultLexicon()
	due := date.Of(2026, 12, 20)
	tests := []struct {
		lang string
		due  date.Date
		want string
	}{
		{"zh-CN", due, "2026年12月20日"},
		{"", 0, "温馨提示"},
		{"en", due, "2026-12-20"},
		{"en-GB", 0, "friendly reminder"},
	}
	for _, tt := range tests {
		text := scoring.ReminderText(tt.lang, tt.due)
		if !strings.Contains(text, tt.want) {
			t.Errorf("ReminderText(%q, %s) = %q, want it to contain %q", tt.lang, tt.due, text, tt.want)
		}
		if sc := lex.Screen(text); len(sc.Findings) > 0 {
			t.Errorf("ReminderText(%q, %s) is screened out: %+v", tt.lang, tt.due, sc.Findings)
		}
	}
}
