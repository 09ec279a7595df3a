package chat

import (
	"testing"

	"accord/internal/bot"
)

func TestMessageLang(t *testing.T) {
	tests := []struct {
		text    string
		current bot.Lang
		want    bot.Lang
	}{
		{"我明天还", "", bot.Zh},
		{"我明天还", bot.En, bot.Zh},
		{"how much do I owe", bot.Zh, bot.En},
		{"ok", bot.Zh, bot.Zh}, // a short answer keeps the conversation's language
		{"yes", bot.Zh, bot.Zh},
		{"500", bot.En, bot.En},
		{"hello", "", bot.En}, // a new conversation in English
		{"123", "", bot.Zh},
	}
	for _, tt := range tests {
		if got := (Message{Text: tt.text}).lang(tt.current); got != tt.want {
			t.Errorf("lang(%q, current %q) = %q, want %q", tt.text, tt.current, got, tt.want)
		}
	}
	if got := (Message{Text: "我明天还", Lang: "en"}).lang(bot.Zh); got != bot.En {
		t.Errorf("an explicit lang = %q, want en", got)
	}
}
