package web

import (
	"net/url"
	"strings"
	"testing"
)

func TestSafeNext(t *testing.T) {
	refused := []string{
		"", "evil", "https://evil.example", "http:/evil.example", "//evil.example", "///evil.example",
		"/\\evil.example", "\\/\\/evil.example", "\\\\evil.example", "/\\/evil.example",
		"javascript:alert(1)", " /ok", "/%2F%2Fevil.example", "/%2f%2fevil.example", "/%5Cevil.example", "/%2Fok", "/.//evil.example", "/..//evil.example", "/a/%2e%2e//evil.example",
		"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\x00/evil.example", "/ok\x7f",
		"/ok\r\nSet-Cookie: a=b", "/cases?x=\\", "/" + strings.Repeat("a", 3000),
	}
	for _, in := range refused {
		if got := safeNext(in); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", in, got)
		}
	}
	accepted := []string{"/", "/ok", "/ok?x=1", "/cases/12?tab=notes#timeline", "/borrowers?q=%E5%BC%A0", "/a/b/"}
	for _, in := range accepted {
		if got := safeNext(in); got != in {
			t.Errorf("safeNext(%q) = %q, want it kept", in, got)
		}
	}
}

// FuzzSafeNext checks what a browser would make of whatever safeNext lets
// through: resolved against the site, it must stay on the site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/ok?x=1", "//evil", "/\\evil", "/%2F%2Fevil", "https://evil", "/\t/evil", "/.//evil", "/..//evil"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://accord.example/login")
	f.Fuzz(func(t *testing.T, in string) {
		got := safeNext(in)
		if got == "/" {
			return
		}
		if got != in {
			t.Fatalf("safeNext(%q) = %q: neither kept nor refused", in, got)
		}
		// Browsers drop tabs and line breaks and read backslashes as slashes.
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		u, err := base.Parse(browser)
		if err != nil {
			return
		}
		if u.Host != "accord.example" || u.Scheme != "https" || strings.HasPrefix(browser, "//") {
			t.Fatalf("safeNext kept %q, which a browser takes to %s", in, u)
		}
		if p, err := url.PathUnescape(u.EscapedPath()); err == nil && strings.HasPrefix(p, "//") {
			t.Fatalf("safeNext kept %q, whose path decodes to %q", in, p)
		}
	})
}
