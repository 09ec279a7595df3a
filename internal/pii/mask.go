package pii

import (
	"strings"
	"unicode/utf8"
)

// MaskPhone hides the middle of a phone number, keeping the first three and
// the last four digits, the form Chinese lenders print on statements:
// "+8613800138000" → "138****8000". A +86 or 86 country code is dropped
// first. Numbers of eight characters or fewer keep only their last four.
func MaskPhone(phone string) string {
	p := strings.TrimSpace(phone)
	p = strings.TrimPrefix(p, "+")
	if strings.HasPrefix(p, "86") && len(p) == 13 {
		p = p[2:]
	}
	switch n := len(p); {
	case n == 0:
		return ""
	case n <= 4:
		return strings.Repeat("*", n)
	case n <= 8:
		return strings.Repeat("*", n-4) + p[n-4:]
	default:
		return p[:3] + strings.Repeat("*", n-7) + p[n-4:]
	}
}

// MaskNationalID keeps the six-digit region code and the last four
// characters of a resident identity number and hides the birth date and
// sequence between them: "110105199001011234" → "110105********1234".
// Anything shorter than eleven characters keeps only its last four.
func MaskNationalID(id string) string {
	s := strings.TrimSpace(id)
	switch n := len(s); {
	case n == 0:
		return ""
	case n <= 4:
		return strings.Repeat("*", n)
	case n < 11:
		return strings.Repeat("*", n-4) + s[n-4:]
	default:
		return s[:6] + strings.Repeat("*", n-10) + s[n-4:]
	}
}

// MaskName keeps the first character of a name (the family name, for
// Chinese names) and replaces every other letter with "*", keeping spaces:
// "张三丰" → "张**", "Li Wei" → "L* ***".
func MaskName(name string) string {
	s := strings.TrimSpace(name)
	if s == "" {
		return ""
	}
	first, size := utf8.DecodeRuneInString(s)
	if size == len(s) {
		return "*" // a one-character name would otherwise be shown whole
	}
	var b strings.Builder
	b.WriteRune(first)
	for _, r := range s[size:] {
		if r == ' ' {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}
