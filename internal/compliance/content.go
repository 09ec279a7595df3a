package compliance

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"accord/internal/errs"
)

//go:embed data/lexicon.txt
var lexiconTxt []byte

//go:embed data/t2s.txt
var t2sTxt []byte

// Category is a class of lexicon term.
type Category string

// The categories of data/lexicon.txt.
const (
	CatAbuse         Category = "abuse"
	CatImpersonation Category = "impersonation"
	CatLegal         Category = "legal"
	CatPressure      Category = "pressure"
	CatDebt          Category = "debt"
	CatOptOut        Category = "optout"
	CatSafe          Category = "safe"
)

var categories = []Category{CatAbuse, CatImpersonation, CatLegal, CatPressure, CatDebt, CatOptOut, CatSafe}

// Lexicon is the content-screening vocabulary: terms by category, indexed
// for a single pass over the text. It is immutable and safe for concurrent
// use.
type Lexicon struct {
	terms []term
	han   map[rune][]int32 // term indexes by first Chinese character
	latin [26][]int32      // term indexes by first letter
	t2s   map[rune]rune
}

type term struct {
	text string // as written in the lexicon
	cat  Category
	han  []rune // normalised Chinese characters, or
	lat  string // normalised letters
}

// Screening is what Screen found in a text: the lexicon terms matched per
// category, in order of first appearance.
type Screening struct {
	Abuse         []string
	Impersonation []string
	Legal         []string
	Pressure      []string
	Debt          []string
	OptOut        bool // the text carries an opt-out instruction
}

// DefaultLexicon returns the lexicon embedded in the binary
// (data/lexicon.txt and data/t2s.txt). It panics if the data is invalid,
// which a test rules out.
func DefaultLexicon() *Lexicon {
	l, err := ParseLexicon(bytes.NewReader(lexiconTxt), bytes.NewReader(t2sTxt))
	if err != nil {
		panic(fmt.Sprintf("compliance: embedded lexicon: %v", err))
	}
	return l
}

// ParseLexicon reads a lexicon ("category: term" lines) and a traditional to
// simplified table ("繁简" pairs). It returns an Invalid error naming the
// first bad line.
func ParseLexicon(lexicon, t2s io.Reader) (*Lexicon, error) {
	l := &Lexicon{han: make(map[rune][]int32), t2s: make(map[rune]rune)}
	if err := eachLine(t2s, func(n int, line string) error {
		for _, pair := range strings.Fields(line) {
			rs := []rune(pair)
			if len(rs) != 2 || rs[0] == rs[1] {
				return errs.Field(fmt.Sprintf("t2s line %d", n), "%q is not a pair of different characters", pair)
			}
			l.t2s[rs[0]] = rs[1]
		}
		return nil
	}); err != nil {
		return nil, err
	}
	err := eachLine(lexicon, func(n int, line string) error {
		cat, text, ok := strings.Cut(line, ":")
		c, text := Category(strings.TrimSpace(cat)), strings.TrimSpace(text)
		if !ok || !slices.Contains(categories, c) || text == "" {
			return errs.Field(fmt.Sprintf("lexicon line %d", n), "want \"category: term\" with a category of %v, got %q", categories, line)
		}
		var nt normalized
		l.normalize(text, &nt)
		t := term{text: text, cat: c}
		switch {
		case len(nt.han) > 0 && len(nt.lat) == 0:
			t.han = slices.Clone(nt.han)
		case len(nt.lat) > 0 && len(nt.han) == 0:
			t.lat = string(nt.lat)
			if t.lat[0] < 'a' || t.lat[0] > 'z' {
				return errs.Field(fmt.Sprintf("lexicon line %d", n), "%q must start with a letter", text)
			}
		default:
			return errs.Field(fmt.Sprintf("lexicon line %d", n), "%q must be all Chinese or all Latin letters", text)
		}
		i := int32(len(l.terms))
		l.terms = append(l.terms, t)
		if t.han != nil {
			l.han[t.han[0]] = append(l.han[t.han[0]], i)
		} else {
			l.latin[t.lat[0]-'a'] = append(l.latin[t.lat[0]-'a'], i)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
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

// normalized is a text reduced to what the lexicon matches: its Chinese
// characters, and its Latin letters with the word boundaries between them.
type normalized struct {
	han   []rune
	lat   []byte
	bound []bool // bound[i]: a word starts or ends at lat[i]
}

// normalize folds text into n, reusing n's buffers.
//
// Full-width forms (U+FF01–FF5E) become ASCII and the ideographic space a
// space; traditional characters become simplified; Latin letters are
// lower-cased, with the look-alike digits and symbols inside a word read as
// letters (k1ll → kill); everything else (spaces, punctuation, digits on
// their own, other scripts) only separates words.
func (l *Lexicon) normalize(text string, n *normalized) {
	n.han, n.lat, n.bound = n.han[:0], n.lat[:0], n.bound[:0]
	tokStart, hasLetter := -1, false
	endToken := func() {
		if tokStart < 0 {
			return
		}
		if !hasLetter { // a number, not a word
			n.lat, n.bound = n.lat[:tokStart], n.bound[:tokStart]
		} else {
			for i := tokStart; i < len(n.lat); i++ {
				n.lat[i] = leet(n.lat[i])
			}
			n.bound[tokStart] = true
		}
		tokStart, hasLetter = -1, false
	}
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		switch {
		case r < utf8.RuneSelf && isWordByte(byte(r)):
			b := byte(r)
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			if 'a' <= b && b <= 'z' {
				hasLetter = true
			}
			if tokStart < 0 {
				tokStart = len(n.lat)
			}
			n.lat = append(n.lat, b)
			n.bound = append(n.bound, false)
		case isHan(r):
			endToken()
			if s, ok := l.t2s[r]; ok {
				r = s
			}
			n.han = append(n.han, r)
		default:
			endToken()
		}
	}
	endToken()
	n.bound = append(n.bound, true) // the end of the last word
}

func isWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '@' || b == '$'
}

// leet reads a digit or symbol inside a word as the letter it imitates.
func leet(b byte) byte {
	switch b {
	case '0':
		return 'o'
	case '1':
		return 'i'
	case '3':
		return 'e'
	case '4', '@':
		return 'a'
	case '5', '$':
		return 's'
	case '7':
		return 't'
	}
	return b
}

func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF || r >= 0xF900 && r <= 0xFAFF || r >= 0x20000 && r <= 0x2FA1F
}

// hit is one match: the term and the span it covers in the Chinese (han)
// or Latin stream.
type hit struct {
	term       int32
	han        bool
	start, end int
}

// Screen normalises text and returns the lexicon terms it contains. A
// match that overlaps a safe phrase is dropped.
func (l *Lexicon) Screen(text string) Screening {
	var s Screening
	if text == "" {
		return s
	}
	var (
		hanBuf   [256]rune
		latBuf   [512]byte
		boundBuf [513]bool
		hitBuf   [16]hit
	)
	n := normalized{han: hanBuf[:0], lat: latBuf[:0], bound: boundBuf[:0]}
	l.normalize(text, &n)
	hits := l.find(&n, hitBuf[:0])
	for _, h := range hits {
		t := &l.terms[h.term]
		if t.cat == CatSafe || l.insideSafe(h, hits) {
			continue
		}
		switch t.cat {
		case CatAbuse:
			s.Abuse = appendNew(s.Abuse, t.text)
		case CatImpersonation:
			s.Impersonation = appendNew(s.Impersonation, t.text)
		case CatLegal:
			s.Legal = appendNew(s.Legal, t.text)
		case CatPressure:
			s.Pressure = appendNew(s.Pressure, t.text)
		case CatDebt:
			s.Debt = appendNew(s.Debt, t.text)
		case CatOptOut:
			s.OptOut = true
		}
	}
	return s
}

// find returns every term occurrence in n.
func (l *Lexicon) find(n *normalized, hits []hit) []hit {
	for i, r := range n.han {
		for _, ti := range l.han[r] {
			th := l.terms[ti].han
			if len(th) <= len(n.han)-i && slices.Equal(th, n.han[i:i+len(th)]) {
				hits = append(hits, hit{term: ti, han: true, start: i, end: i + len(th)})
			}
		}
	}
	for i, b := range n.lat {
		if !n.bound[i] || b < 'a' || b > 'z' {
			continue
		}
		for _, ti := range l.latin[b-'a'] {
			tl := l.terms[ti].lat
			end := i + len(tl)
			if end <= len(n.lat) && n.bound[end] && string(n.lat[i:end]) == tl {
				hits = append(hits, hit{term: ti, start: i, end: end})
			}
		}
	}
	return hits
}

func (l *Lexicon) insideSafe(h hit, hits []hit) bool {
	for _, o := range hits {
		if l.terms[o.term].cat == CatSafe && o.han == h.han && o.start < h.end && h.start < o.end {
			return true
		}
	}
	return false
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
