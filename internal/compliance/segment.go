package compliance

import (
	"slices"
	"unicode/utf8"
)

// The content screener works on a normalised, segmented form of the text
// (a doc): one unit per Chinese character or Latin letter, grouped into
// tokens (Chinese words found by dictionary maximum matching, Latin words
// split at spaces and punctuation), clauses (split at ，,；;：: and
// sentence ends) and sentences (split at 。.！!？? and line breaks).
//
// Normalisation: full-width forms (U+FF01–FF5E) become ASCII and the
// ideographic space a space; traditional characters become simplified
// (data/t2s.txt); Latin letters are lower-cased and apostrophes inside a
// word dropped (won't → wont); look-alike digits and symbols inside a word
// are read as letters (k1ll → kill); numbers on their own are dropped (they
// only separate words). Spaces between Chinese characters are ignored, and
// punctuation next to a single character or letter does not split a clause
// (杀．了．你, K.I.L.L), so that spacing a word out does not hide it.

// doc is a normalised, segmented text. Its slices are reused between
// screenings through a pool.
type doc struct {
	u      []rune  // units: Chinese characters and lower-case Latin letters
	han    []bool  // han[i]: u[i] is a Chinese character
	start  []bool  // start[i]: a token starts at u[i]; start[len(u)] is true
	tok    []int32 // token number of u[i]
	clause []int32 // clause number of u[i]
	sent   []int32 // sentence number of u[i]
	off    []int32 // byte offset of u[i] in the original text
	offEnd []int32 // byte offset just after u[i]

	brk []textBreak // punctuation between units, before joining
}

// textBreak is punctuation found before unit at: a clause or a sentence
// break.
type textBreak struct {
	at       int
	sentence bool
}

func (d *doc) reset() {
	d.u, d.han, d.start, d.tok = d.u[:0], d.han[:0], d.start[:0], d.tok[:0]
	d.clause, d.sent, d.off, d.offEnd, d.brk = d.clause[:0], d.sent[:0], d.off[:0], d.offEnd[:0], d.brk[:0]
}

// segmenter holds the normalisation table and the dictionary the
// segmenter matches: the word list and every term of the patterns.
type segmenter struct {
	t2s   map[rune]rune
	words map[rune][][]rune // by first character, longest first
}

func (sg *segmenter) addWord(w []rune) {
	if len(w) < 2 {
		return
	}
	list := sg.words[w[0]]
	for _, o := range list {
		if slices.Equal(o, w) {
			return
		}
	}
	list = append(list, slices.Clone(w))
	slices.SortStableFunc(list, func(a, b []rune) int { return len(b) - len(a) })
	sg.words[w[0]] = list
}

// fold returns r with width and traditional forms folded, and reports
// what kind of character it is.
func (sg *segmenter) fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		r = ' '
	case r == 0x2019 || r == 0x2018: // ’ ‘
		r = '\''
	}
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	if r >= 0x3400 {
		if s, ok := sg.t2s[r]; ok {
			return s
		}
	}
	return r
}

// normTerm normalises a term of the pattern file to units.
func (sg *segmenter) normTerm(s string) []rune {
	var d doc
	sg.normalize(s, &d)
	return slices.Clone(d.u)
}

// normalize folds text into d and segments it.
func (sg *segmenter) normalize(text string, d *doc) {
	d.reset()
	wordStart, hasLetter := -1, false // the Latin word being read
	endWord := func() {
		if wordStart < 0 {
			return
		}
		if !hasLetter { // a number: drop it
			d.u, d.han, d.off, d.offEnd = d.u[:wordStart], d.han[:wordStart], d.off[:wordStart], d.offEnd[:wordStart]
			d.start = d.start[:wordStart]
		} else {
			for i := wordStart; i < len(d.u); i++ {
				d.u[i] = rune(leet(byte(d.u[i])))
			}
		}
		wordStart, hasLetter = -1, false
	}
	// hard marks the next Chinese character as one before which a run must
	// end (a word, a number or a symbol came between); it is kept in
	// start[] until segmentation.
	d.start = d.start[:0]
	hard := false
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		at := i
		i += size
		r = sg.fold(r)
		switch {
		case r < utf8.RuneSelf && isWordByte(byte(r)):
			if r >= 'a' && r <= 'z' {
				hasLetter = true
			}
			first := wordStart < 0
			if first {
				wordStart = len(d.u)
			}
			d.u = append(d.u, r)
			d.han = append(d.han, false)
			d.off = append(d.off, int32(at))
			d.offEnd = append(d.offEnd, int32(i))
			d.start = append(d.start, first)
		case r == '\'' && wordStart >= 0 && i < len(text) && isLetterByte(text[i]):
			// an apostrophe inside a word (won't): dropped
		case isHan(r):
			endWord()
			d.u = append(d.u, r)
			d.han = append(d.han, true)
			d.off = append(d.off, int32(at))
			d.offEnd = append(d.offEnd, int32(i))
			d.start = append(d.start, hard)
			hard = false
		default:
			endWord()
			switch {
			case (r == '.' || r == ',') && at > 0 && isDigit(text[at-1]) && i < len(text) && isDigit(text[i]):
				// 1,280.00: part of a number, which only separates words
				hard = true
			case isSentenceEnd(r):
				d.addBreak(true)
			case isClauseEnd(r):
				d.addBreak(false)
			case r == ' ' || r == '\t':
			default:
				hard = true
			}
		}
		if r < utf8.RuneSelf && isWordByte(byte(r)) {
			hard = true // a Latin word or a number ends a Chinese run
		}
	}
	endWord()
	d.start = d.start[:len(d.u)]
	sg.segment(d)
}

func (d *doc) addBreak(sentence bool) {
	n := len(d.brk)
	if n > 0 && d.brk[n-1].at == len(d.u) {
		d.brk[n-1].sentence = d.brk[n-1].sentence || sentence
		return
	}
	d.brk = append(d.brk, textBreak{at: len(d.u), sentence: sentence})
}

// segment sets the token, clause and sentence of every unit. On entry
// start[i] is true where a Chinese run must end before u[i].
func (sg *segmenter) segment(d *doc) {
	n := len(d.u)
	hardStart := d.start // reused: read before it is overwritten below
	d.tok = slices.Grow(d.tok[:0], n)[:n]
	d.clause = slices.Grow(d.clause[:0], n)[:n]
	d.sent = slices.Grow(d.sent[:0], n)[:n]

	// Which breaks split? One next to a single character or letter does
	// not: 杀．了．你 and K.I.L.L stay one clause.
	keep := d.brk[:0]
	for k, b := range d.brk {
		if b.at == 0 || b.at >= n {
			continue
		}
		prev := 0
		if k > 0 {
			prev = d.brk[k-1].at
		}
		next := n
		if k+1 < len(d.brk) {
			next = d.brk[k+1].at
		}
		if d.han[b.at-1] == d.han[b.at] && (runLen(d, hardStart, prev, b.at, b.at, -1) == 1 || runLen(d, hardStart, b.at, next, b.at, 1) == 1) {
			continue
		}
		keep = append(keep, b)
	}
	d.brk = keep

	// Units: clause and sentence numbers; Chinese runs end at kept breaks,
	// at hard starts and where the script changes.
	clause, sent, bi := int32(0), int32(0), 0
	runStart := -1
	for i := 0; i < n; i++ {
		broke := false
		for bi < len(d.brk) && d.brk[bi].at == i {
			clause++
			if d.brk[bi].sentence {
				sent++
			}
			broke = true
			bi++
		}
		d.clause[i], d.sent[i] = clause, sent
		if runStart >= 0 && (!d.han[i] || broke || hardStart[i]) {
			sg.maxMatch(d, runStart, i)
			runStart = -1
		}
		if d.han[i] && runStart < 0 {
			runStart = i
		}
	}
	if runStart >= 0 {
		sg.maxMatch(d, runStart, n)
	}
	d.start = append(d.start, true)
	t := int32(-1)
	for i := 0; i < n; i++ {
		if d.start[i] {
			t++
		}
		d.tok[i] = t
	}
}

// runLen is the length of the word (Latin) or run (Chinese) that ends
// just before the break at b (dir < 0) or starts at it (dir > 0), within
// [lo, hi). hard[i] marks units before which a Chinese run ends.
func runLen(d *doc, hard []bool, lo, hi, b, dir int) int {
	c := 0
	if dir < 0 {
		for j := b - 1; j >= lo && d.han[j] == d.han[b-1]; j-- {
			c++
			if hard[j] {
				break
			}
		}
		return c
	}
	for j := b; j < hi && d.han[j] == d.han[b]; j++ {
		if j > b && hard[j] {
			break
		}
		c++
	}
	return c
}

// maxMatch segments the Chinese run u[a:b] by forward maximum matching:
// at each position the longest dictionary word, else one character.
func (sg *segmenter) maxMatch(d *doc, a, b int) {
	for i := a; i < b; {
		d.start[i] = true
		size := 1
		for _, w := range sg.words[d.u[i]] {
			if len(w) <= b-i && slices.Equal(w, d.u[i:i+len(w)]) {
				size = len(w)
				break
			}
		}
		for j := i + 1; j < i+size; j++ {
			d.start[j] = false
		}
		i += size
	}
}

func isSentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '\n', '\r', '。', '！', '？', '…', '｡':
		return true
	}
	return false
}

func isClauseEnd(r rune) bool {
	switch r {
	case ',', ';', ':', '，', '、', '；', '：', '､':
		return true
	}
	return false
}

func isWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '@' || b == '$'
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

func isLetterByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
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
