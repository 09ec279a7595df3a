package pii

import (
	"strings"
	"unicode"
)

// MaskFreeText finds the national ids, card numbers and phone numbers a
// person typed into free text (a case note, a contact-log note, an approval
// comment) and masks each the way the console shows them, so that the full
// number is never stored:
//
//	"客户身份证110105199001011232，手机138 0013 8000" → "客户身份证110105********1232，手机138****8000"
//
// It finds resident identity numbers (18 characters with a valid check
// character, which may be X; and 15-digit first-generation numbers with a
// valid birth date), bank card numbers (16 to 19 digits passing the Luhn
// check), mainland mobile numbers (1[3-9] and nine digits, with or without
// +86, 0086 or 86, spaces, dashes or dots between groups) and landlines
// (0, a two- or three-digit area code and a seven- or eight-digit number,
// e.g. 010-12345678, (0755) 1234 5678, or +86 10 1234 5678). Full-width
// digits count as digits. A number must stand on its own: digits or Latin
// letters right beside it (a loan number such as L20260310001) leave it
// alone, Chinese characters and punctuation do not.
func MaskFreeText(s string) string {
	if !strings.ContainsFunc(s, isDigit) {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	last := 0 // rs[last:] is not written yet
	for i := 0; i < len(rs); {
		if !startsNumber(rs, i) {
			i++
			continue
		}
		run := scanNumber(rs, i)
		if end, masked, ok := run.longestMatch(); ok {
			b.WriteString(string(rs[last:i]))
			b.WriteString(masked)
			i, last = end, end
			continue
		}
		i = run.firstGroupEnd
	}
	if last == 0 {
		return s
	}
	b.WriteString(string(rs[last:]))
	return b.String()
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

func digitValue(r rune) byte {
	if r >= '０' && r <= '９' {
		return byte('0' + r - '０')
	}
	return byte(r)
}

// isWordRune reports whether r glues to a number beside it: an ASCII (or
// full-width) letter or digit, or an underscore.
func isWordRune(r rune) bool {
	return isDigit(r) || r < unicode.MaxASCII && (unicode.IsLetter(r) || r == '_') || r >= 'Ａ' && r <= 'ｚ'
}

func isSeparator(r rune) bool {
	switch r {
	case ' ', '-', '.', '－', '\u00a0', '\u3000':
		return true
	}
	return false
}

// startsNumber reports whether a number may start at rs[i]: a digit, "+"
// or an opening parenthesis before a digit, not glued to a word before it.
func startsNumber(rs []rune, i int) bool {
	r := rs[i]
	next := func(k int) bool { return i+k < len(rs) && isDigit(rs[i+k]) }
	switch {
	case isDigit(r):
	case (r == '+' || r == '(' || r == '（') && next(1):
	default:
		return false
	}
	return i == 0 || !isWordRune(rs[i-1])
}

// numberRun is a stretch of digit groups, and where each group ends.
type numberRun struct {
	rs            []rune
	groups        []group // in order; digits are cumulative
	firstGroupEnd int
}

type group struct {
	end    int    // rune index just after the group
	digits string // every digit (and a final X) from the start of the run to here
	plus   bool   // the run began with "+"
}

// scanNumber collects digit groups from rs[i]: digits, single separators
// between groups, a closing parenthesis after the first group when the run
// opened with one, and a final X after seventeen digits.
func scanNumber(rs []rune, i int) numberRun {
	run := numberRun{rs: rs}
	plus := rs[i] == '+'
	paren := rs[i] == '(' || rs[i] == '（'
	j := i
	if plus || paren {
		j++
	}
	var digits []byte
	for j < len(rs) {
		for j < len(rs) && isDigit(rs[j]) {
			digits = append(digits, digitValue(rs[j]))
			j++
		}
		if j < len(rs) && (rs[j] == 'X' || rs[j] == 'x') && len(digits) == 17 {
			digits = append(digits, 'X')
			j++
		}
		run.groups = append(run.groups, group{end: j, digits: string(digits), plus: plus})
		if len(run.groups) == 1 {
			run.firstGroupEnd = j
		}
		if j >= len(rs) || digits[len(digits)-1] == 'X' {
			break
		}
		k := j
		if paren && len(run.groups) == 1 && (rs[k] == ')' || rs[k] == '）') {
			k++
			if k < len(rs) && isSeparator(rs[k]) {
				k++
			}
		} else if isSeparator(rs[k]) {
			k++
		}
		if k == j || k >= len(rs) || !isDigit(rs[k]) {
			break
		}
		j = k
	}
	return run
}

// longestMatch returns the end and the mask of the longest prefix of the
// run, ending at a group boundary and standing on its own, that is a number
// MaskFreeText masks.
func (n numberRun) longestMatch() (end int, masked string, ok bool) {
	for g := len(n.groups) - 1; g >= 0; g-- {
		gr := n.groups[g]
		if gr.end < len(n.rs) && isWordRune(n.rs[gr.end]) {
			continue
		}
		if m, ok := classify(gr.digits, gr.plus); ok {
			return gr.end, m, true
		}
	}
	return 0, "", false
}

// classify masks digits when they are a number MaskFreeText hides.
func classify(d string, plus bool) (string, bool) {
	if national, ok := stripCountryCode(d, plus); ok {
		if isMobile(national) || isLandline(national) {
			return MaskPhone(national), true
		}
		if len(national) >= 9 && len(national) <= 11 && national[0] != '0' {
			if l := "0" + national; isLandline(l) { // +86 10 1234 5678: no trunk 0 after the country code
				return MaskPhone(l), true
			}
		}
	}
	switch {
	case len(d) == 18 && validID18(d):
		return MaskNationalID(d), true
	case len(d) == 15 && validID15(d):
		return MaskNationalID(d), true
	case len(d) >= 16 && len(d) <= 19 && luhn(d):
		return d[:6] + strings.Repeat("*", len(d)-10) + d[len(d)-4:], true
	case isMobile(d), isLandline(d):
		return MaskPhone(d), true
	}
	return "", false
}

// stripCountryCode returns d without a leading 86 or 0086 (taken only when
// a mainland number follows, or after a "+"), and whether it had one.
func stripCountryCode(d string, plus bool) (string, bool) {
	for _, cc := range []string{"0086", "86"} {
		rest, ok := strings.CutPrefix(d, cc)
		if ok && (plus || isMobile(rest)) {
			return rest, true
		}
	}
	return d, false
}

func isMobile(d string) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' && allDigits(d)
}

// isLandline: 0, then a two-digit area code (10, 20–29) and an
// eight-digit number, or a three-digit area code and a seven- or
// eight-digit number.
func isLandline(d string) bool {
	if len(d) < 10 || len(d) > 12 || d[0] != '0' || d[1] == '0' || !allDigits(d) {
		return false
	}
	if d[1] == '1' || d[1] == '2' {
		return len(d) == 11
	}
	return len(d) == 11 || len(d) == 12
}

func allDigits(d string) bool {
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return d != ""
}

// validID18 checks the ISO 7064 MOD 11-2 check character of an
// 18-character resident identity number.
func validID18(d string) bool {
	if !allDigits(d[:17]) {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(d[i]-'0') * w
	}
	return "10X98765432"[sum%11] == d[17]
}

// validID15 accepts a 15-digit first-generation number whose birth date
// (YYMMDD after the region code) is a plausible date.
func validID15(d string) bool {
	if !allDigits(d) {
		return false
	}
	month := int(d[8]-'0')*10 + int(d[9]-'0')
	day := int(d[10]-'0')*10 + int(d[11]-'0')
	return month >= 1 && month <= 12 && day >= 1 && day <= 31
}

func luhn(d string) bool {
	if !allDigits(d) {
		return false
	}
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if (len(d)-1-i)%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}
