package importer

import (
	"os"
	"strings"
	"testing"

	"accord/internal/errs"
)

// want is an expected field error: Message need only contain msg.
type want struct {
	row   int
	field string
	msg   string
}

// checkFields fails t unless err is an Invalid error whose fields match ws
// in order.
func checkFields(t *testing.T, err error, ws ...want) {
	t.Helper()
	if errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("error = %v (code %q), want an Invalid error", err, errs.CodeOf(err))
	}
	got := errs.FieldsOf(err)
	if len(got) != len(ws) {
		t.Fatalf("got %d field errors, want %d:\n%s", len(got), len(ws), fieldList(got))
	}
	for i, w := range ws {
		g := got[i]
		if g.Row != w.row || g.Field != w.field || !strings.Contains(g.Message, w.msg) {
			t.Errorf("field error %d = %s, want row %d, %s: …%s…", i, g, w.row, w.field, w.msg)
		}
	}
}

func fieldList(fs []errs.FieldError) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("\t" + f.String() + "\n")
	}
	return b.String()
}

// lines joins lines into a file with a final newline.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
