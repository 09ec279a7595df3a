package strategy

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"accord/internal/errs"
)

// Placeholders are the names a template may use, each written {{name}}:
//
//	name         the borrower's name
//	amount       the overdue amount in yuan, "1234.50"
//	balance      the outstanding balance in yuan
//	due_date     the oldest unpaid due date, 2026-03-01
//	dpd          days past due
//	product      the product name
//	lender       the lender's short name
//	hotline      the lender's customer-service number
//	collector    the collector's name or work number
//	pay_channel  how to pay: the official app or account
var Placeholders = []string{"name", "amount", "balance", "due_date", "dpd", "product", "lender", "hotline", "collector", "pay_channel"}

// MaxSMSRunes is the longest SMS template text accepted (before placeholders
// are filled): a few concatenated 70-character Chinese SMS.
const MaxSMSRunes = 300

// Vars are the values for a template's placeholders.
type Vars map[string]string

// Text is a parsed template text: literal runs and placeholders. Rendering is
// one pass of plain substitution, so a value that itself looks like
// "{{name}}" is inserted as it is and never expanded.
type Text struct {
	parts []textPart
}

type textPart struct {
	lit string
	ph  string // placeholder name; lit is empty when set
}

// ParseText parses s. It returns an Invalid error for an unclosed "{{", an
// empty placeholder or a name not in Placeholders.
func ParseText(s string) (Text, error) {
	var t Text
	off := 0
	for s != "" {
		i := strings.Index(s, "{{")
		if i < 0 {
			t.parts = append(t.parts, textPart{lit: s})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, textPart{lit: s[:i]})
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			return Text{}, errs.Errorf(errs.Invalid, "Unclosed \"{{\" at byte %d.", off+i)
		}
		name := strings.TrimSpace(s[i+2 : i+j])
		if !slices.Contains(Placeholders, name) {
			return Text{}, errs.Errorf(errs.Invalid, "Unknown placeholder {{%s}}; use one of %s.", name, strings.Join(Placeholders, ", "))
		}
		t.parts = append(t.parts, textPart{ph: name})
		off += i + j + 2
		s = s[i+j+2:]
	}
	return t, nil
}

// Placeholders returns the placeholder names t uses, in order of first use.
func (t Text) Placeholders() []string {
	var out []string
	for _, p := range t.parts {
		if p.ph != "" && !slices.Contains(out, p.ph) {
			out = append(out, p.ph)
		}
	}
	return out
}

// Render fills t's placeholders from v. Line breaks and other control
// characters in values become spaces. It returns an Invalid error naming the
// first placeholder v has no value for, so that a message never goes out with
// "{{name}}" in it.
func (t Text) Render(v Vars) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.ph == "" {
			b.WriteString(p.lit)
			continue
		}
		val, ok := v[p.ph]
		if !ok {
			return "", errs.Errorf(errs.Invalid, "No value for placeholder {{%s}}.", p.ph)
		}
		b.WriteString(strings.Map(func(r rune) rune {
			if r < ' ' || r == 0x7f {
				return ' '
			}
			return r
		}, val))
	}
	return b.String(), nil
}

// Template is a reminder text for one channel, in Chinese (required) and
// English (optional; Chinese is used when it is empty). Email templates also
// have a subject.
type Template struct {
	ID        string `json:"id"`
	Channel   Kind   `json:"channel"` // sms or email
	SubjectZH string `json:"subject_zh,omitempty"`
	SubjectEN string `json:"subject_en,omitempty"`
	ZH        string `json:"zh"`
	EN        string `json:"en,omitempty"`
}

// Message is a rendered template.
type Message struct {
	Channel Kind   `json:"channel"`
	Subject string `json:"subject,omitempty"`
	Body    string `json:"body"`
}

type compiledTemplate struct {
	t                      Template
	zh, en, subjZH, subjEN Text
}

// compileTemplate parses every text of t, reporting faults as problems on
// field prefix (templates[i]).
func compileTemplate(t Template, prefix string) (compiledTemplate, []Problem) {
	c := compiledTemplate{t: t}
	var ps []Problem
	bad := func(field, format string, args ...any) {
		ps = append(ps, Problem{Rule: -1, Field: prefix + "." + field, Message: fmt.Sprintf(format, args...)})
	}
	if !validName(t.ID) {
		bad("id", "%q must be 1–64 lower-case letters, digits or underscores", t.ID)
	}
	if t.Channel != SMS && t.Channel != Email {
		bad("channel", "%q must be sms or email", t.Channel)
	}
	if t.ZH == "" {
		bad("zh", "the Chinese text is required")
	}
	if t.Channel == Email && t.SubjectZH == "" {
		bad("subject_zh", "an email template needs a Chinese subject")
	}
	if t.Channel != Email && (t.SubjectZH != "" || t.SubjectEN != "") {
		bad("subject_zh", "only email templates have a subject")
	}
	for _, f := range []struct {
		name string
		src  string
		dst  *Text
	}{{"zh", t.ZH, &c.zh}, {"en", t.EN, &c.en}, {"subject_zh", t.SubjectZH, &c.subjZH}, {"subject_en", t.SubjectEN, &c.subjEN}} {
		txt, err := ParseText(f.src)
		if err != nil {
			bad(f.name, "%s", errs.MessageOf(err))
		}
		*f.dst = txt
		if t.Channel == SMS && utf8.RuneCountInString(f.src) > MaxSMSRunes {
			bad(f.name, "%d characters; an SMS template may have at most %d", utf8.RuneCountInString(f.src), MaxSMSRunes)
		}
	}
	return c, ps
}

// render renders c in lang: English when lang starts with "en" and there is
// an English text, Chinese otherwise.
func (c compiledTemplate) render(lang string, v Vars) (Message, error) {
	body, subj := c.zh, c.subjZH
	if strings.HasPrefix(lang, "en") && c.t.EN != "" {
		body = c.en
		if c.t.SubjectEN != "" {
			subj = c.subjEN
		}
	}
	m := Message{Channel: c.t.Channel}
	var err error
	if m.Body, err = body.Render(v); err != nil {
		return Message{}, fmt.Errorf("render template %s: %w", c.t.ID, err)
	}
	if m.Subject, err = subj.Render(v); err != nil {
		return Message{}, fmt.Errorf("render template %s subject: %w", c.t.ID, err)
	}
	return m, nil
}

// validName reports whether s is 1–64 of [a-z0-9_].
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
