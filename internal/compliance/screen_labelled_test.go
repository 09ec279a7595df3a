package compliance

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// labelled is one collector message of testdata/screening_labelled.jsonl
// with the categories a compliance officer assigns it ([] when it is
// lawful). Explicit marks a plain threat that must never be missed. Set
// says when a message was written: "" together with the patterns;
// "batch2" after they were first tuned, "batch3" after they were tuned on
// batch2, and so on to "batch5". Each batch was scored once before the patterns were extended
// for its misses: those first-run scores, in docs/GOVERNOR.md, are the
// honest estimate for unseen text; the scores printed here are not.
type labelled struct {
	ID       string     `json:"id"`
	Lang     string     `json:"lang"`
	Set      string     `json:"set"`
	Text     string     `json:"text"`
	Labels   []Category `json:"labels"`
	Explicit bool       `json:"explicit"`
}

func readLabelled(t *testing.T) []labelled {
	t.Helper()
	f, err := os.Open("testdata/screening_labelled.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var list []labelled
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var m labelled
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		for _, c := range m.Labels {
			if !slices.Contains(Categories, c) {
				t.Fatalf("line %d: unknown category %q", n, c)
			}
		}
		if m.ID == "" || seen[m.ID] || m.Text == "" || (m.Lang != "zh" && m.Lang != "en") || (m.Set != "" && m.Set != "batch2" && m.Set != "batch3" && m.Set != "batch4" && m.Set != "batch5") {
			t.Fatalf("line %d: want a unique id, lang zh or en and a text: %+v", n, m)
		}
		seen[m.ID] = true
		list = append(list, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return list
}

// scores are precision and recall counts per category.
type scores map[Category]*struct{ tp, fp, fn, support int }

func newScores() scores {
	s := scores{}
	for _, c := range Categories {
		s[c] = &struct{ tp, fp, fn, support int }{}
	}
	return s
}

func (s scores) add(want, got bool, c Category) {
	k := s[c]
	switch {
	case want && got:
		k.tp++
	case got:
		k.fp++
	case want:
		k.fn++
	}
	if want {
		k.support++
	}
}

func (s scores) table(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%-16s %7s %9s %6s %4s %4s %4s\n", title, "category", "support", "precision", "recall", "tp", "fp", "fn")
	for _, c := range Categories {
		k := s[c]
		fmt.Fprintf(&b, "%-16s %7d %9.3f %6.3f %4d %4d %4d\n", c, k.support, ratio(k.tp, k.tp+k.fp), ratio(k.tp, k.tp+k.fn), k.tp, k.fp, k.fn)
	}
	return b.String()
}

// TestScreen_Labelled screens every labelled message and prints precision
// and recall per category. It fails below 0.9 for any category, or for any
// explicit threat not found:
//
//	go test ./internal/compliance -run TestScreen_Labelled -v
func TestScreen_Labelled(t *testing.T) {
	t.Parallel()
	list := readLabelled(t)
	byLang := map[string]int{}
	clean := 0
	all, sets := newScores(), map[string]scores{"batch2": newScores(), "batch3": newScores(), "batch4": newScores(), "batch5": newScores()}
	lex := gov.Lexicon()
	var wrong []string
	for _, m := range list {
		byLang[m.Lang]++
		if len(m.Labels) == 0 {
			clean++
		}
		s := lex.Screen(m.Text)
		for _, c := range Categories {
			want, got := slices.Contains(m.Labels, c), s.Has(c)
			all.add(want, got, c)
			if m.Set != "" {
				sets[m.Set].add(want, got, c)
			}
			switch {
			case got && !want:
				wrong = append(wrong, fmt.Sprintf("%s false %s %q: %v", m.ID, c, m.Text, s.Phrases(c)))
			case want && !got:
				wrong = append(wrong, fmt.Sprintf("%s missed %s %q", m.ID, c, m.Text))
				if m.Explicit {
					t.Errorf("%s: explicit %s not found in %q (found %+v)", m.ID, c, m.Text, s.Findings)
				}
			}
		}
	}
	if len(list) < 300 || byLang["zh"] < 120 || byLang["en"] < 120 || clean < 100 {
		t.Errorf("labelled set: %d messages (%v), %d lawful; want at least 300, 120 per language, 100 lawful", len(list), byLang, clean)
	}
	for _, c := range Categories {
		k := all[c]
		p, r := ratio(k.tp, k.tp+k.fp), ratio(k.tp, k.tp+k.fn)
		if k.support < 10 {
			t.Errorf("%s: only %d labelled examples", c, k.support)
		}
		if p < 0.9 || r < 0.9 {
			t.Errorf("%s: precision %.3f, recall %.3f; want both ≥ 0.9", c, p, r)
		}
	}
	t.Logf("\n%d messages (zh %d, en %d; %d lawful)\n%s\n%s\n%s\n%s\n%s", len(list), byLang["zh"], byLang["en"], clean,
		all.table("all messages"), sets["batch2"].table("batch2 (written after the first tuning; since tuned on)"),
		sets["batch3"].table("batch3 (written after tuning on batch2; since tuned on)"),
		sets["batch4"].table("batch4 (written after tuning on batch3; since tuned on)"),
		sets["batch5"].table("batch5 (written after tuning on batch4; since tuned on)"))
	for _, w := range wrong {
		t.Log(w)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
