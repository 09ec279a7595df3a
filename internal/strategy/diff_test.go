package strategy

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// render writes d as a unified-style text: " x", "-x", "+x".
func render(d []DiffLine) string {
	var b strings.Builder
	for _, l := range d {
		b.WriteString(map[DiffOp]string{DiffSame: " ", DiffAdd: "+", DiffRemove: "-"}[l.Op] + l.Text + "\n")
	}
	return b.String()
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"equal", "a\nb\n", "a\nb", " a\n b\n"},
		{"both empty", "", "", ""},
		{"from empty", "", "a\nb", "+a\n+b\n"},
		{"to empty", "a\nb", "", "-a\n-b\n"},
		{"one line changed", "a\nb\nc", "a\nB\nc", " a\n-b\n+B\n c\n"},
		{"line inserted", "a\nc", "a\nb\nc", " a\n+b\n c\n"},
		{"line removed", "a\nb\nc", "a\nc", " a\n-b\n c\n"},
		{"condition edited", `"when": "dpd >= 30 && amount > 500000",` + "\n" + `"then": []`,
			`"when": "dpd >= 60 && amount > 500000",` + "\n" + `"then": []`,
			`-"when": "dpd >= 30 && amount > 500000",` + "\n" + `+"when": "dpd >= 60 && amount > 500000",` + "\n" + ` "then": []` + "\n"},
		{"moved block keeps the longest common run", "x\na\nb\nc", "a\nb\nc\nx", "-x\n a\n b\n c\n+x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(Diff(tt.old, tt.new)); got != tt.want {
				t.Errorf("Diff() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestDiffLineNumbers(t *testing.T) {
	d := Diff("a\nb\nc\nd", "a\nx\nc\nd\ne")
	want := []DiffLine{{DiffSame, "a", 1, 1}, {DiffRemove, "b", 2, 0}, {DiffAdd, "x", 0, 2}, {DiffSame, "c", 3, 3},
		{DiffSame, "d", 4, 4}, {DiffAdd, "e", 0, 5}}
	if len(d) != len(want) {
		t.Fatalf("Diff = %+v, want %+v", d, want)
	}
	for i := range want {
		if d[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, d[i], want[i])
		}
	}
}

// TestDiffProperties checks on random texts that the diff rebuilds both
// texts and keeps as many lines as a longest common subsequence.
func TestDiffProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 2000 {
		a, b := randomLines(r), randomLines(r)
		d := Diff(strings.Join(a, "\n"), strings.Join(b, "\n"))
		var gotA, gotB []string
		same := 0
		for _, l := range d {
			if l.Op != DiffAdd {
				gotA = append(gotA, l.Text)
			}
			if l.Op != DiffRemove {
				gotB = append(gotB, l.Text)
			}
			if l.Op == DiffSame {
				same++
			}
		}
		if strings.Join(gotA, "\n") != strings.Join(a, "\n") || strings.Join(gotB, "\n") != strings.Join(b, "\n") {
			t.Fatalf("case %d: diff of %q and %q does not rebuild them: %+v", i, a, b, d)
		}
		if want := lcsLen(a, b); same != want {
			t.Fatalf("case %d: diff of %q and %q keeps %d lines, the LCS has %d", i, a, b, same, want)
		}
		if DiffChanged(d) == (strings.Join(a, "\n") == strings.Join(b, "\n")) {
			t.Fatalf("case %d: DiffChanged = %v for %q and %q", i, DiffChanged(d), a, b)
		}
	}
}

func randomLines(r *rand.Rand) []string {
	n := 1 + r.IntN(8)
	out := make([]string, n)
	for i := range out {
		out[i] = string(rune('a' + r.IntN(4)))
	}
	return out
}

// lcsLen is the textbook recursion, memoised, as an independent check.
func lcsLen(a, b []string) int {
	memo := map[[2]int]int{}
	var f func(i, j int) int
	f = func(i, j int) int {
		if i == len(a) || j == len(b) {
			return 0
		}
		k := [2]int{i, j}
		if v, ok := memo[k]; ok {
			return v
		}
		v := max(f(i+1, j), f(i, j+1))
		if a[i] == b[j] {
			v = max(v, 1+f(i+1, j+1))
		}
		memo[k] = v
		return v
	}
	return f(0, 0)
}
