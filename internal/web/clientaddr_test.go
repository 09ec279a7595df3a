package web

import (
	"net/http/httptest"
	"testing"
)

func TestResolveClient(t *testing.T) {
	proxies, err := ParseTrustedProxies("10.0.0.0/8, 192.168.1.7 ::1")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{opts: Options{TrustedProxies: proxies}}
	cases := []struct {
		name, peer, xff, proto string
		wantIP                 string
		wantHTTPS              bool
	}{
		{"direct client", "203.0.113.9:5555", "", "", "203.0.113.9", false},
		{"untrusted peer's headers are ignored", "203.0.113.9:5555", "1.2.3.4", "https", "203.0.113.9", false},
		{"trusted proxy", "10.1.2.3:443", "198.51.100.20", "https", "198.51.100.20", true},
		{"trusted single address", "192.168.1.7:443", "198.51.100.20", "http", "198.51.100.20", false},
		{"a forged left-most hop is skipped", "10.1.2.3:443", "6.6.6.6, 198.51.100.20", "https", "198.51.100.20", true},
		{"chain of trusted proxies", "10.1.2.3:443", "198.51.100.20, 10.9.9.9", "https", "198.51.100.20", true},
		{"garbage stops the walk", "10.1.2.3:443", "198.51.100.20, nonsense", "https", "10.1.2.3", true},
		{"trusted proxy without X-Forwarded-For", "10.1.2.3:443", "", "", "10.1.2.3", false},
		{"IPv6 loopback proxy", "[::1]:443", "2001:db8::5", "https", "2001:db8::5", true},
		{"proto list: the nearest proxy's value counts", "10.1.2.3:443", "198.51.100.20", "http, https", "198.51.100.20", true},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if c.proto != "" {
			r.Header.Set("X-Forwarded-Proto", c.proto)
		}
		r = r.WithContext(withClientAddr(r.Context(), s.resolveClient(r)))
		if got := clientIP(r); got != c.wantIP {
			t.Errorf("%s: clientIP = %q, want %q", c.name, got, c.wantIP)
		}
		if got := isHTTPS(r); got != c.wantHTTPS {
			t.Errorf("%s: isHTTPS = %v, want %v", c.name, got, c.wantHTTPS)
		}
	}
	// Without the middleware, clientIP falls back to the peer.
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "198.51.100.1:1234"
	r.Header.Set("X-Forwarded-For", "1.1.1.1")
	if got := clientIP(r); got != "198.51.100.1" {
		t.Errorf("clientIP without the middleware = %q", got)
	}
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0.1/x"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted", bad)
		}
	}
}
