package strategy

import "strings"

// DiffOp says what happened to a line between two texts.
type DiffOp string

// The diff operations.
const (
	DiffSame   DiffOp = "same"
	DiffAdd    DiffOp = "add"    // only in the new text
	DiffRemove DiffOp = "remove" // only in the old text
)

// DiffLine is one line of a line diff. Old and New are its 1-based line
// numbers in the old and new text (0 where it is absent).
type DiffLine struct {
	Op       DiffOp `json:"op"`
	Text     string `json:"text"`
	Old, New int
}

// maxDiffCells bounds the LCS table (old lines × new lines): beyond it the
// diff is every old line removed and every new line added, still correct
// but not minimal. Definitions are at most 256 KiB; a few thousand lines
// each side fit.
const maxDiffCells = 16 << 20

// Diff returns a line diff from old to new: a longest common subsequence of
// lines kept, the rest removed or added, removals before additions where
// both happen at one place. Equal texts give only DiffSame lines. A
// trailing newline does not make an extra empty line.
func Diff(old, new string) []DiffLine {
	a, b := splitLines(old), splitLines(new)
	// Strip the common prefix and suffix: an edit usually touches a few
	// lines of a long definition.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	out := make([]DiffLine, 0, max(len(a), len(b)))
	for i := range pre {
		out = append(out, DiffLine{Op: DiffSame, Text: a[i], Old: i + 1, New: i + 1})
	}
	out = append(out, lcsDiff(a[pre:len(a)-suf], b[pre:len(b)-suf], pre, pre)...)
	for k := suf; k > 0; k-- {
		i, j := len(a)-k, len(b)-k
		out = append(out, DiffLine{Op: DiffSame, Text: a[i], Old: i + 1, New: j + 1})
	}
	return out
}

// lcsDiff diffs a and b, whose first lines are lines offA+1 and offB+1.
func lcsDiff(a, b []string, offA, offB int) []DiffLine {
	n, m := len(a), len(b)
	var out []DiffLine
	if n*m > maxDiffCells || n == 0 || m == 0 {
		for i, s := range a {
			out = append(out, DiffLine{Op: DiffRemove, Text: s, Old: offA + i + 1})
		}
		for j, s := range b {
			out = append(out, DiffLine{Op: DiffAdd, Text: s, New: offB + j + 1})
		}
		return out
	}
	// l[i][j] is the LCS length of a[i:] and b[j:].
	l := make([][]int32, n+1)
	for i := range l {
		l[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, DiffLine{Op: DiffSame, Text: a[i], Old: offA + i + 1, New: offB + j + 1})
			i, j = i+1, j+1
		case j == m || (i < n && l[i+1][j] >= l[i][j+1]):
			out = append(out, DiffLine{Op: DiffRemove, Text: a[i], Old: offA + i + 1})
			i++
		default:
			out = append(out, DiffLine{Op: DiffAdd, Text: b[j], New: offB + j + 1})
			j++
		}
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// DiffChanged reports whether d has any added or removed line.
func DiffChanged(d []DiffLine) bool {
	for _, l := range d {
		if l.Op != DiffSame {
			return true
		}
	}
	return false
}
