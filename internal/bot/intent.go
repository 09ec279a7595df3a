package bot

import (
	"strings"
	"unicode/utf8"
)

// Intent is what a borrower's message asks for or tells.
type Intent string

// The intents, in the order of precedence Parse uses when a message carries
// several (docs/BOT.md, "Intents"): a payment the borrower says they made is
// looked up before anything else; a dispute, a complaint and a request to
// stop contact are obligations of the lender; then a person, a plan, a
// promise, a hardship, a question.
const (
	AlreadyPaid  Intent = "already_paid"
	Dispute      Intent = "dispute"
	Complaint    Intent = "complaint"
	StopContact  Intent = "stop_contact"
	RequestHuman Intent = "request_human"
	RequestPlan  Intent = "request_plan"
	PromiseToPay Intent = "promise_to_pay"
	Hardship     Intent = "hardship"
	AskBalance   Intent = "ask_balance"
	AskHowToPay  Intent = "ask_how_to_pay"
	Other        Intent = "other"
)

// Intents lists every intent in order of precedence, Other last.
var Intents = []Intent{AlreadyPaid, Dispute, Complaint, StopContact, RequestHuman, RequestPlan,
	PromiseToPay, Hardship, AskBalance, AskHowToPay, Other}

// cues are the phrases that signal an intent. Phrases in neg are dropped
// when a negation governs them (没有投诉, "I don't need a plan"); phrases
// in plain carry their own negation (别再打了, 不是我借的) and are taken as
// they are.
type cues struct {
	neg, plain *lex
}

func cue(neg, plain string) cues {
	c := cues{}
	if neg != "" {
		c.neg = newLex(neg)
	}
	if plain != "" {
		c.plain = newLex(plain)
	}
	return c
}

// find reports whether the cues match norm outside a negation (and, with
// conditional, outside a conditional threat), and where the first such
// match starts.
func (c cues) find(norm string, conditional bool) (int, bool) {
	if c.plain != nil {
		if at, ok := c.plain.first(norm); ok {
			return at, true
		}
	}
	if c.neg == nil {
		return 0, false
	}
	for _, loc := range c.neg.all(norm) {
		if negated(norm, loc[0]) || conditional && isConditional(norm, loc[0]) {
			continue
		}
		return loc[0], true
	}
	return 0, false
}

// clauseBefore returns the text of the clause before byte offset at: from
// the last clause break (punctuation, 但/可是/不过, " but ") to at.
func clauseBefore(norm string, at int) string {
	s := norm[:at]
	cut := strings.LastIndexAny(s, ",.!?;:~")
	for _, w := range []string{"但", "可是", "不过", "只是", " but ", "然后"} {
		if i := strings.LastIndex(s, w); i >= 0 && i+len(w)-1 > cut {
			cut = i + len(w) - 1
		}
	}
	return s[cut+1:]
}

var (
	zhNeg = []string{"不", "没", "别", "未", "无", "非", "勿"}
	// zhNotNeg are words with a negation character that do not negate
	// what follows.
	zhNotNeg = []string{"不好意思", "不过", "不然", "要不", "不如", "不管", "不少", "不久", "不一定", "没事", "没关系",
		"不得不", "不知道", "不清楚", "不行", "无论", "不了解"}
	enNeg = map[string]bool{"not": true, "no": true, "never": true, "don't": true, "dont": true, "didn't": true,
		"didnt": true, "haven't": true, "havent": true, "hasn't": true, "hasnt": true, "won't": true, "wont": true,
		"isn't": true, "isnt": true, "wasn't": true, "aren't": true, "stop": true, "without": true, "nobody": true,
		"doesn't": true, "doesnt": true, "dont't": true, "quit": true}
)

// negated reports whether a negation governs the phrase at byte offset at,
// within the same clause: one of the two characters before it is a
// negation (不 没 别 未 无 非 勿), or one of the five before it starts a
// negated modal (不想 不要 不用 没有 不会 …); a negation inside an A-not-A
// question (能不能, 有没有) or a word like 不好意思 does not count, nor a
// rhetorical question (我不是已经还了吗). In English, one of the three
// words before it is a negation (not, never, don't, haven't, stop …).
func negated(norm string, at int) bool {
	cl := clauseBefore(norm, at)
	for _, w := range zhNotNeg {
		cl = strings.ReplaceAll(cl, w, "")
	}
	rs := []rune(cl)
	win := rs[max(0, len(rs)-5):]
	for i, r := range win {
		if !strings.ContainsRune("不没别未无非勿", r) {
			continue
		}
		if i > 0 && i+1 < len(win) && win[i-1] == win[i+1] {
			continue // 能不能, 有没有, 是不是
		}
		if r == '不' && i+1 < len(win) && win[i+1] == '是' && strings.Contains(norm[at:], "吗") {
			continue // 不是已经还了吗
		}
		if i >= len(win)-2 || hasPrefixAny(string(win[i:]), zhNegModal) {
			return true
		}
	}
	words := strings.Fields(cl)
	for _, w := range words[max(0, len(words)-3):] {
		if enNeg[w] || strings.HasSuffix(w, "n't") {
			return true
		}
	}
	return false
}

var zhNegModal = []string{"不想", "不要", "不用", "不需要", "不打算", "不会", "不是", "不必", "没有", "没打算", "没想", "没说",
	"没要", "别", "并没", "从没", "从来没", "无需", "未"}

// isConditional reports a threat made on a condition ("再打我就投诉", "if
// you call again I will report you"): a request to stop, not a complaint.
func isConditional(norm string, at int) bool {
	if strings.Contains(norm[:at], "再") && strings.Contains(clauseBefore(norm, at), "就") {
		return true // 再打我就投诉, 你们再打，我就投诉
	}
	for _, w := range []string{"否则", "不然", "otherwise", "or i will", "or i'll", "if you", "if u"} {
		if strings.Contains(norm, w) {
			return true
		}
	}
	return false
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }
