package bot

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"accord/internal/date"
)

// BenchmarkParse parses the labelled messages in turn:
//
//	go test ./internal/bot -run '^$' -bench Parse -benchmem
func BenchmarkParse(b *testing.B) {
	list := readLabelled(b)
	ref := date.MustParse("2026-12-03")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Parse(list[i%len(list)].Text, ref)
	}
}

// TestParse_Latency checks the p99 latency budget (50 ms) over the labelled
// set and logs p50, p99 and the maximum. Each message is parsed three times
// and its fastest time kept, so that a test machine shared by many
// processes measures the parser rather than the scheduler.
func TestParse_Latency(t *testing.T) {
	list := readLabelled(t)
	ref := date.MustParse("2026-12-03")
	var d []time.Duration
	for _, m := range list {
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			Parse(m.Text, ref)
			best = min(best, time.Since(start))
		}
		d = append(d, best)
	}
	slices.Sort(d)
	p50, p99, top := d[len(d)/2], d[len(d)*99/100], d[len(d)-1]
	t.Logf("%d messages, fastest of three parses each: p50 %v, p99 %v, max %v", len(d), p50, p99, top)
	if p99 > 50*time.Millisecond {
		t.Errorf("p99 %v; want ≤ 50ms", p99)
	}
}

// TestParse_Heap measures the heap the parser holds once its lexicon is
// loaded (the package's regular expressions and tables, built at init) and
// what parsing a thousand messages leaves behind, and fails above 50 MB:
//
//	go test ./internal/bot -run TestParse_Heap -v
//
// The lexicon is measured by building every table again and counting the
// live heap before and after.
func TestParse_Heap(t *testing.T) {
	list := readLabelled(t)
	ref := date.MustParse("2026-12-03")
	before := liveHeap()
	lex := loadLexicon()
	loaded := liveHeap()
	for i := range 1000 {
		Parse(list[i%len(list)].Text, ref)
	}
	after := liveHeap()
	runtime.KeepAlive(lex)
	lexBytes := int64(loaded) - int64(before)
	parseBytes := int64(after) - int64(loaded)
	t.Logf("lexicon %.2f MB live heap; after 1000 parses %+.2f MB more", mb(lexBytes), mb(parseBytes))
	if lexBytes+parseBytes > 50<<20 {
		t.Errorf("the parser adds %.1f MB; want ≤ 50 MB", mb(lexBytes+parseBytes))
	}
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// loadLexicon builds again everything the package builds at init.
func loadLexicon() []any {
	var all []any
	again := func(l *lex) {
		if l != nil {
			all = append(all, newLex(l.String()))
		}
	}
	for _, c := range intentCues {
		again(c.neg)
		again(c.plain)
	}
	for i, r := range dateRules {
		all = append(all, re(r.re.String()))
		again(datePre[i])
	}
	for _, rc := range reasonCues {
		again(rc.c.neg)
	}
	for _, l := range []*lex{vulnerableCues, payVerb, refusal, refusalNegated, hypothetical} {
		again(l)
	}
	all = append(all, copyMap(t2s), copyMap(punct))
	return all
}

func copyMap(m map[rune]rune) map[rune]rune {
	c := make(map[rune]rune, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
