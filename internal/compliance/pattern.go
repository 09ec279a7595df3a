package compliance

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"accord/internal/errs"
)

// The pattern file (data/patterns.txt; format in docs/GOVERNOR.md):
//
//	# a comment
//	@group = term | term | term        a named group of terms; repeat to extend
//	safe: term | term                  harmless phrases: a term they overlap is ignored
//	category: element + element …  [; option]…
//
// An element is @group or literal terms separated by |. A rule matches
// when its elements occur in order, in one sentence, within a window of
// tokens (default 8), and none of them is negated. Options:
//
//	within N    the window, in tokens, from the first element to the last
//	keepneg     do not apply negation (the rule itself spells it out)
//	unless @g   a term of @g earlier in the first element's sentence, or
//	            later in the last element's clause (up to a scope reset),
//	            cancels the match: hedges ("may", "is possible"), advice
//	loose       Chinese terms of this rule match inside words too
//	sameclause  all elements in one clause, not only one sentence
//
// Reserved groups: @neg (negators), @negcancel (a word after a negator
// that turns it back into a threat: 不会放过, not hesitate) and @scope
// (words that start a new negation scope: 就, 否则, but, or, we …).

// patternSet is a parsed pattern file.
type patternSet struct {
	terms  []patTerm
	index  map[rune][]int32 // term ids by first Chinese character
	latin  [128][]int32     // term ids by first letter
	groups map[string]int   // group name → id
	names  []string         // group id → name
	rules  []patRule
	first  map[int][]int32 // rule ids by the group of their first element
	// reserved groups, -1 when absent
	neg, negCancel, scope, safe int
}

type patTerm struct {
	text   string // as written
	u      []rune // normalised
	han    bool
	loose  bool
	groups []int // sorted group ids
}

type patRule struct {
	id      string // category:line
	cat     Category
	elems   []int // group ids
	within  int
	keepNeg bool
	unless  []int
	loose   bool
	clause  bool
}

func parsePatterns(r io.Reader, sg *segmenter) (*patternSet, error) {
	ps := &patternSet{index: map[rune][]int32{}, groups: map[string]int{}, first: map[int][]int32{}}
	termID := map[string]int{}
	group := func(name string) int {
		if id, ok := ps.groups[name]; ok {
			return id
		}
		id := len(ps.names)
		ps.groups[name] = id
		ps.names = append(ps.names, name)
		return id
	}
	addTerms := func(where string, g int, list string, loose bool) error {
		for _, t := range strings.Split(list, "|") {
			t = strings.TrimSpace(t)
			if t == "" {
				return errs.Field(where, "empty term in %q", list)
			}
			u := sg.normTerm(t)
			if len(u) == 0 {
				return errs.Field(where, "term %q has no letters or Chinese characters", t)
			}
			han := isHan(u[0])
			for _, c := range u {
				if isHan(c) != han {
					return errs.Field(where, "term %q must be all Chinese or all Latin letters", t)
				}
			}
			key := string(u)
			id, ok := termID[key]
			if !ok {
				id = len(ps.terms)
				termID[key] = id
				ps.terms = append(ps.terms, patTerm{text: t, u: u, han: han})
				if han {
					ps.index[u[0]] = append(ps.index[u[0]], int32(id))
				} else {
					ps.latin[u[0]&127] = append(ps.latin[u[0]&127], int32(id))
				}
				if han {
					sg.addWord(u)
				}
			}
			pt := &ps.terms[id]
			pt.loose = pt.loose || loose
			if !slices.Contains(pt.groups, g) {
				pt.groups = append(pt.groups, g)
				slices.Sort(pt.groups)
			}
		}
		return nil
	}
	type pending struct {
		where string
		elems []string
		rule  patRule
	}
	var rules []pending
	err := eachLine(r, func(n int, line string) error {
		where := fmt.Sprintf("patterns line %d", n)
		switch {
		case strings.HasPrefix(line, "@"):
			name, list, ok := strings.Cut(line, "=")
			name = strings.TrimSpace(name)
			if !ok || !validGroupName(name) {
				return errs.Field(where, "want \"@group = term | term\", got %q", line)
			}
			return addTerms(where, group(name), list, false)
		case strings.HasPrefix(line, "safe:"):
			return addTerms(where, group("@safe"), strings.TrimPrefix(line, "safe:"), false)
		}
		cat, body, ok := strings.Cut(line, ":")
		c := Category(strings.TrimSpace(cat))
		if !ok || !slices.Contains(Categories, c) && c != CatDebt && c != CatOptOut {
			return errs.Field(where, "want \"category: element + element\" with a category of %v, got %q", Categories, line)
		}
		parts := strings.Split(body, ";")
		p := pending{where: where, rule: patRule{id: string(c) + ":" + strconv.Itoa(n), cat: c, within: 8}}
		for _, opt := range parts[1:] {
			f := strings.Fields(opt)
			switch {
			case len(f) == 2 && f[0] == "within":
				w, err := strconv.Atoi(f[1])
				if err != nil || w < 1 || w > 40 {
					return errs.Field(where, "within wants 1 to 40 tokens, got %q", f[1])
				}
				p.rule.within = w
			case len(f) == 1 && f[0] == "keepneg":
				p.rule.keepNeg = true
			case len(f) == 1 && f[0] == "loose":
				p.rule.loose = true
			case len(f) == 1 && f[0] == "sameclause":
				p.rule.clause = true
			case len(f) == 2 && f[0] == "unless" && validGroupName(f[1]):
				p.elems = append(p.elems, "unless "+f[1])
			default:
				return errs.Field(where, "unknown option %q", strings.TrimSpace(opt))
			}
		}
		for _, e := range strings.Split(parts[0], "+") {
			e = strings.TrimSpace(e)
			if e == "" {
				return errs.Field(where, "empty element in %q", line)
			}
			p.elems = append(p.elems, e)
		}
		rules = append(rules, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Rules refer to groups that may be defined later in the file.
	for _, p := range rules {
		for i, e := range p.elems {
			switch {
			case strings.HasPrefix(e, "unless "):
				id, ok := ps.groups[strings.TrimPrefix(e, "unless ")]
				if !ok {
					return nil, errs.Field(p.where, "unknown group %s", strings.TrimPrefix(e, "unless "))
				}
				p.rule.unless = append(p.rule.unless, id)
			case strings.HasPrefix(e, "@"):
				id, ok := ps.groups[e]
				if !ok || !validGroupName(e) {
					return nil, errs.Field(p.where, "unknown group %s", e)
				}
				p.rule.elems = append(p.rule.elems, id)
			default:
				g := group(fmt.Sprintf("%s#%d", p.rule.id, i))
				if err := addTerms(p.where, g, e, p.rule.loose); err != nil {
					return nil, err
				}
				p.rule.elems = append(p.rule.elems, g)
			}
		}
		if len(p.rule.elems) == 0 {
			return nil, errs.Field(p.where, "a rule needs at least one element")
		}
		id := int32(len(ps.rules))
		ps.rules = append(ps.rules, p.rule)
		ps.first[p.rule.elems[0]] = append(ps.first[p.rule.elems[0]], id)
	}
	lookup := func(name string) int {
		if id, ok := ps.groups[name]; ok {
			return id
		}
		return -1
	}
	ps.neg, ps.negCancel, ps.scope, ps.safe = lookup("@neg"), lookup("@negcancel"), lookup("@scope"), lookup("@safe")
	return ps, nil
}

func validGroupName(s string) bool {
	if len(s) < 2 || s[0] != '@' {
		return false
	}
	for _, b := range []byte(s[1:]) {
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_') {
			return false
		}
	}
	return true
}

// maxReach is how many words a negator or a hedge may stand from what it
// qualifies: in a text without punctuation a whole message would
// otherwise be one clause.
const maxReach = 16

// mention is one occurrence of a term: units [start, end).
type mention struct {
	term       int32
	start, end int32
}

func (ps *patternSet) in(m mention, g int) bool {
	return g >= 0 && slices.Contains(ps.terms[m.term].groups, g)
}

// find appends every term occurrence in d, in order of start. A term
// starts and ends on token boundaries (a loose Chinese term anywhere).
func (ps *patternSet) find(d *doc, ms []mention) []mention {
	n := int32(len(d.u))
	for i := int32(0); i < n; i++ {
		var cands []int32
		if c := d.u[i]; c < 128 {
			if !d.start[i] {
				continue
			}
			cands = ps.latin[c]
		} else {
			cands = ps.index[c]
		}
		if len(cands) == 0 {
			continue
		}
		for _, ti := range cands {
			t := &ps.terms[ti]
			loose := t.loose && t.han
			if !d.start[i] && !loose {
				continue
			}
			end := i + int32(len(t.u))
			if end > n || !loose && !d.start[end] || !slices.Equal(t.u, d.u[i:end]) {
				continue
			}
			ms = append(ms, mention{term: ti, start: i, end: end})
		}
	}
	if ps.safe < 0 {
		return ms
	}
	// Drop what a safe phrase overlaps.
	var safe []mention
	for _, m := range ms {
		if ps.in(m, ps.safe) {
			safe = append(safe, m)
		}
	}
	if len(safe) == 0 {
		return ms
	}
	return slices.DeleteFunc(ms, func(m mention) bool {
		for _, s := range safe {
			if s.start < m.end && m.start < s.end {
				return true
			}
		}
		return false
	})
}

// match is a rule that fired over units [start, end).
type match struct {
	rule       int32
	start, end int32
}

// apply returns the rules that fire on the mentions ms of d.
func (ps *patternSet) apply(d *doc, ms []mention, out []match) []match {
	for mi, m := range ms {
		for _, g := range ps.terms[m.term].groups {
			for _, ri := range ps.first[g] {
				r := &ps.rules[ri]
				if end, ok := ps.tryRule(d, ms, mi, r); ok {
					out = append(out, match{rule: ri, start: m.start, end: end})
				}
			}
		}
	}
	return out
}

func (ps *patternSet) tryRule(d *doc, ms []mention, mi int, r *patRule) (int32, bool) {
	if !r.keepNeg && ps.negated(d, ms, mi) {
		return 0, false
	}
	for _, u := range r.unless {
		if ps.preceded(d, ms, mi, u) {
			return 0, false
		}
	}
	end, k, ok := ps.rest(d, ms, mi, r)
	if !ok {
		return 0, false
	}
	for _, u := range r.unless {
		if ps.followed(d, ms, k, u) {
			return 0, false
		}
	}
	return end, true
}

// rest matches the elements after the first; it returns the end of the
// match and the index of its last mention.
func (ps *patternSet) rest(d *doc, ms []mention, mi int, r *patRule) (int32, int, bool) {
	m := ms[mi]
	sent := d.sent[m.start]
	firstTok := d.tok[m.start]
	end := m.end
	k := mi
	for _, g := range r.elems[1:] {
		found := false
		for j := k + 1; j < len(ms); j++ {
			o := ms[j]
			if o.start < end {
				continue
			}
			if d.sent[o.start] != sent || d.tok[o.end-1]-firstTok >= int32(r.within) || r.clause && d.clause[o.start] != d.clause[m.start] {
				break
			}
			if ps.in(o, g) && (r.keepNeg || !ps.negated(d, ms, j)) {
				end, k, found = o.end, j, true
				break
			}
		}
		if !found {
			return 0, 0, false
		}
	}
	return end, k, true
}

// followed reports whether a term of group g comes after ms[mi] in its
// clause before a scope reset ("court action is possible").
func (ps *patternSet) followed(d *doc, ms []mention, mi, g int) bool {
	m := ms[mi]
	for j := mi + 1; j < len(ms); j++ {
		o := ms[j]
		if o.start < m.end {
			continue
		}
		if d.clause[o.start] != d.clause[m.start] || d.tok[o.start]-d.tok[m.end-1] > maxReach {
			return false
		}
		if ps.in(o, g) {
			return true
		}
		if ps.in(o, ps.scope) {
			return false
		}
	}
	return false
}

// negated reports whether a negator comes before mention ms[mi] in its
// clause with no scope reset between them, is not part of a longer term
// (why not, 不要脸) and is not cancelled by the word right after it (不会放过,
// not hesitate).
func (ps *patternSet) negated(d *doc, ms []mention, mi int) bool {
	if ps.neg < 0 {
		return false
	}
	return ps.before(d, ms, mi, func(j int) bool {
		if !ps.in(ms[j], ps.neg) || ps.in(ms[mi], ps.neg) {
			return false
		}
		for k := max(j-4, 0); k < len(ms) && ms[k].start <= ms[j].start; k++ {
			if k != j && ms[k].start <= ms[j].start && ms[j].end <= ms[k].end && ms[k].end-ms[k].start > ms[j].end-ms[j].start {
				return false
			}
		}
		for k := j + 1; k < len(ms) && ms[k].start <= ms[j].end; k++ {
			if ms[k].start == ms[j].end && ps.in(ms[k], ps.negCancel) {
				return false
			}
		}
		return true
	})
}

// preceded reports whether a term of group g comes before ms[mi] in its
// sentence with no scope reset between them ("若您仍未还款，我司可能…，包括
// 提起民事诉讼").
func (ps *patternSet) preceded(d *doc, ms []mention, mi, g int) bool {
	return ps.walkBack(d, ms, mi, d.sent, func(j int) bool { return ps.in(ms[j], g) })
}

// before walks back from ms[mi] through the mentions that end before it
// in its clause, stopping at a scope reset, and reports whether hit holds
// for one of them.
func (ps *patternSet) before(d *doc, ms []mention, mi int, hit func(j int) bool) bool {
	return ps.walkBack(d, ms, mi, d.clause, hit)
}

// walkBack is before within the span that scope (d.clause or d.sent)
// numbers.
func (ps *patternSet) walkBack(d *doc, ms []mention, mi int, scope []int32, hit func(j int) bool) bool {
	m := ms[mi]
	clause := scope[m.start]
	for j := mi - 1; j >= 0; j-- {
		o := ms[j]
		if o.end > m.start {
			continue
		}
		if scope[o.start] != clause || d.tok[m.start]-d.tok[o.start] > maxReach {
			return false
		}
		if hit(j) {
			return true
		}
		if ps.in(o, ps.scope) {
			return false
		}
	}
	return false
}
