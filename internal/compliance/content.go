package compliance

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"accord/internal/errs"
)

//go:embed data/patterns.txt
var patternsTxt []byte

//go:embed data/words.txt
var wordsTxt []byte

//go:embed data/t2s.txt
var t2sTxt []byte

// Category is what a screened phrase is: a kind of prohibited content, or
// (debt, optout) a fact other rules need.
type Category string

// The categories of data/patterns.txt. See docs/GOVERNOR.md for what each
// covers and which rule it feeds.
const (
	CatThreat        Category = "threat_violence" // violence against the borrower or their property
	CatImpliedThreat Category = "implied_threat"  // home, family, workplace, contacts, public exposure
	CatAbuse         Category = "abuse"           // insults, obscenity
	CatFalseLegal    Category = "false_legal"     // arrest, jail, criminal record, police, blacklists
	CatImpersonation Category = "impersonation"   // claims to be police, a court, a lawyer, government
	CatLegal         Category = "legal"           // civil proceedings stated as fact: need a real case
	CatBorrowToRepay Category = "borrow_to_repay" // urging new borrowing to repay
	CatPressure      Category = "pressure"        // extra fees, selling assets
	CatDebt          Category = "debt"            // debt facts (never to third parties)
	CatOptOut        Category = "optout"          // an opt-out instruction
)

// Categories are the kinds of prohibited or restricted content, in the
// order they are reported.
var Categories = []Category{CatThreat, CatImpliedThreat, CatAbuse, CatFalseLegal, CatImpersonation, CatLegal,
	CatBorrowToRepay, CatPressure}

// Lexicon is the content screener: a segmenter (a word list and the
// pattern terms, matched by forward maximum matching) and the phrase
// patterns. It is immutable and safe for concurrent use.
type Lexicon struct {
	sg   segmenter
	ps   *patternSet
	pool sync.Pool // *screenBuf
}

type screenBuf struct {
	d      doc
	ms     []mention
	mt     []match
	sp     []match
	claims []int32
}

// categoryIndex numbers the categories for per-category state.
func categoryIndex(c Category) int {
	if i := slices.Index(Categories, c); i >= 0 {
		return i
	}
	if c == CatDebt {
		return len(Categories)
	}
	return len(Categories) + 1
}

// Finding is one prohibited or restricted phrase in a text.
type Finding struct {
	Category Category `json:"category"`
	Phrase   string   `json:"phrase"`  // the text matched, as written
	Pattern  string   `json:"pattern"` // category:line of data/patterns.txt
}

// Screening is what Screen found in a text. Findings lists the phrases by
// category in order of appearance; the other fields group them as the
// governor's rules read them.
type Screening struct {
	Findings []Finding `json:"findings"`
	// Abuse: threat_violence, implied_threat and abuse phrases.
	Abuse []string `json:"abuse"`
	// Impersonation: impersonation and false_legal phrases.
	Impersonation []string `json:"impersonation"`
	// Legal: references to civil proceedings stated as fact, allowed only
	// with a genuine case number and approval.
	Legal []string `json:"legal"`
	// Pressure: borrow_to_repay and pressure phrases.
	Pressure []string `json:"pressure"`
	// Debt: debt facts, which may not reach third parties.
	Debt   []string `json:"debt"`
	OptOut bool     `json:"opt_out"` // the text carries an opt-out instruction
}

// Has reports whether s found a phrase of category c.
func (s Screening) Has(c Category) bool {
	return slices.ContainsFunc(s.Findings, func(f Finding) bool { return f.Category == c })
}

// Phrases returns the phrases s found of category c.
func (s Screening) Phrases(c Category) []string {
	var out []string
	for _, f := range s.Findings {
		if f.Category == c {
			out = appendNew(out, f.Phrase)
		}
	}
	return out
}

// Clean reports whether s found nothing prohibited or restricted.
func (s Screening) Clean() bool { return len(s.Findings) == 0 }

// DefaultLexicon returns the screener embedded in the binary
// (data/patterns.txt, data/words.txt and data/t2s.txt). It panics if the
// data is invalid, which a test rules out.
func DefaultLexicon() *Lexicon {
	l, err := ParseLexicon(bytes.NewReader(patternsTxt), bytes.NewReader(wordsTxt), bytes.NewReader(t2sTxt))
	if err != nil {
		panic(fmt.Sprintf("compliance: embedded patterns: %v", err))
	}
	return l
}

// ParseLexicon reads a pattern file, a segmenter word list (words separated
// by spaces) and a traditional to simplified table ("繁简" pairs). It
// returns an Invalid error naming the first bad line.
func ParseLexicon(patterns, words, t2s io.Reader) (*Lexicon, error) {
	l := &Lexicon{sg: segmenter{t2s: map[rune]rune{}, words: map[rune][][]rune{}}}
	if err := eachLine(t2s, func(n int, line string) error {
		for _, pair := range strings.Fields(line) {
			rs := []rune(pair)
			if len(rs) != 2 || rs[0] == rs[1] {
				return errs.Field(fmt.Sprintf("t2s line %d", n), "%q is not a pair of different characters", pair)
			}
			l.sg.t2s[rs[0]] = rs[1]
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachLine(words, func(n int, line string) error {
		for _, w := range strings.Fields(line) {
			u := l.sg.normTerm(w)
			if len(u) != len([]rune(w)) || !isHan(u[0]) {
				return errs.Field(fmt.Sprintf("words line %d", n), "%q is not a Chinese word", w)
			}
			l.sg.addWord(u)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	ps, err := parsePatterns(patterns, &l.sg)
	if err != nil {
		return nil, err
	}
	l.ps = ps
	l.pool.New = func() any { return new(screenBuf) }
	return l, nil
}

func eachLine(r io.Reader, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
	return sc.Err()
}

// Screen normalises and segments text and applies the patterns.
func (l *Lexicon) Screen(text string) Screening {
	var s Screening
	if text == "" {
		return s
	}
	b := l.pool.Get().(*screenBuf)
	defer l.pool.Put(b)
	l.sg.normalize(text, &b.d)
	b.ms = l.ps.find(&b.d, b.ms[:0])
	b.mt = l.ps.apply(&b.d, b.ms, b.mt[:0])
	// Per category, overlapping matches become one phrase, in order; a
	// court named in the clause of a claim to be it, or of a false
	// criminal threat, is that claim, not a separate legal reference.
	mt := b.mt
	slices.SortStableFunc(mt, func(a, c match) int {
		if a.start != c.start {
			return int(a.start - c.start)
		}
		return int(c.end - a.end)
	})
	claims := b.claims[:0] // clauses with a claim or a false criminal threat
	for _, m := range mt {
		if c := l.ps.rules[m.rule].cat; c == CatImpersonation || c == CatFalseLegal {
			claims = append(claims, b.d.clause[m.start])
		}
	}
	b.claims = claims
	spans := b.sp[:0]
	var last [16]int // per category: index in spans of its last span, +1
	for _, m := range mt {
		cat := l.ps.rules[m.rule].cat
		if cat == CatLegal && slices.Contains(claims, b.d.clause[m.start]) {
			continue
		}
		ci := categoryIndex(cat)
		// Sorted by start: a match can only overlap its category's last span.
		if k := last[ci] - 1; k >= 0 && m.start < spans[k].end {
			spans[k].end = max(spans[k].end, m.end)
			continue
		}
		spans = append(spans, m)
		last[ci] = len(spans)
	}
	b.sp = spans
	for _, m := range spans {
		r := &l.ps.rules[m.rule]
		phrase := strings.TrimSpace(text[b.d.off[m.start]:b.d.offEnd[m.end-1]])
		switch r.cat {
		case CatDebt:
			s.Debt = appendNew(s.Debt, phrase)
			continue
		case CatOptOut:
			s.OptOut = true
			continue
		}
		if !slices.ContainsFunc(s.Findings, func(f Finding) bool { return f.Category == r.cat && f.Phrase == phrase }) {
			s.Findings = append(s.Findings, Finding{Category: r.cat, Phrase: phrase, Pattern: r.id})
		}
		switch r.cat {
		case CatThreat, CatImpliedThreat, CatAbuse:
			s.Abuse = appendNew(s.Abuse, phrase)
		case CatFalseLegal, CatImpersonation:
			s.Impersonation = appendNew(s.Impersonation, phrase)
		case CatLegal:
			s.Legal = appendNew(s.Legal, phrase)
		case CatBorrowToRepay, CatPressure:
			s.Pressure = appendNew(s.Pressure, phrase)
		}
	}
	return s
}

// Segment returns the tokens of text after normalisation, for tests and
// for explaining a screening.
func (l *Lexicon) Segment(text string) []string {
	var d doc
	l.sg.normalize(text, &d)
	var out []string
	for i := 0; i < len(d.u); i++ {
		if d.start[i] {
			out = append(out, "")
		}
		out[len(out)-1] += string(d.u[i])
	}
	return out
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
