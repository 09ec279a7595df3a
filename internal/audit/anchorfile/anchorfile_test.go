package anchorfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFile(t *testing.T) {
	t.Parallel()
	key := []byte("k0123456789abcdef0123456789abcde")
	path := filepath.Join(t.TempDir(), "sub", "accord-audit.anchor")
	f := New(path, key)
	if list, err := f.Read(); err != nil || list != nil {
		t.Fatalf("Read of a missing file = %v, %v", list, err)
	}
	at := time.Date(2026, 3, 10, 1, 2, 3, 0, time.UTC)
	for _, c := range []struct {
		seq  int64
		want bool
	}{{5, true}, {5, false}, {3, false}, {9, true}} {
		wrote, err := f.Write(c.seq, "h"+string(rune('0'+c.seq)), at)
		if err != nil || wrote != c.want {
			t.Errorf("Write(%d) = %v, %v; want %v", c.seq, wrote, err, c.want)
		}
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("anchor file: %v, %v; want mode 0600", info, err)
	}
	list, err := f.Read()
	if err != nil || len(list) != 2 || list[0].Seq != 5 || list[1].Seq != 9 || list[1].Hash != "h9" || !list[1].At.Equal(at) {
		t.Fatalf("Read = %+v, %v", list, err)
	}
	// A second process sees what the first wrote and does not go back.
	if wrote, _ := New(path, key).Write(7, "h7", at); wrote {
		t.Error("a new File wrote an anchor older than the file's newest")
	}
	// Another key, or an edited line, is caught.
	if _, err := New(path, []byte("another key 0123456789abcdef0123")).Read(); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("Read with another key: %v", err)
	}
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), "9 h9", "19 h9", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(path, key).Read(); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("Read of an edited file: %v", err)
	}
}
