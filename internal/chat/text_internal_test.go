package chat

import (
	"fmt"
	"strings"
	"testing"

	"accord/internal/compliance"
)

// Every text the bot adds passes the governor's content screening clean in
// both languages, filled in as it is sent (the SMS confirmation too).
func TestTextsScreenClean(t *testing.T) {
	lex := compliance.DefaultLexicon()
	for key, pair := range texts {
		for i, s := range pair {
			if n := strings.Count(s, "%"); n > 0 {
				args := make([]any, 0, n)
				for range n {
					args = append(args, "2000.00")
				}
				s = fmt.Sprintf(s, args...)
			}
			if sc := lex.Screen(s); !sc.Clean() {
				t.Errorf("%s[%d] %q: findings %+v", key, i, s, sc.Findings)
			}
		}
	}
}
