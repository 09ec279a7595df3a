package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServe_SecurityFlags(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--trusted-proxy", "10.0.0.0/8,not-an-address"}, "--trusted-proxy"},
		{[]string{"--trusted-proxy", "10.0.0.0/40"}, "--trusted-proxy"},
		{[]string{"--metrics-token", "short"}, "--metrics-token"},
		{[]string{"--metrics-token", "sixteen chars but spaces"}, "--metrics-token"},
	} {
		d := newE2EDB(t, "sqlite")
		code, _, stderr := d.run(t, append([]string{"serve", "--addr", "127.0.0.1:0"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("serve %v: exit %d, stderr %q; want 2 naming %s", c.args, code, stderr, c.want)
		}
	}
}

// TestServe_TrustedProxy runs serve behind a "proxy" on loopback: with
// --trusted-proxy naming it, its X-Forwarded-Proto makes responses carry
// HSTS; without, the same header is ignored.
func TestServe_TrustedProxy(t *testing.T) {
	t.Parallel()
	for _, trusted := range []bool{true, false} {
		d := newE2EDB(t, "sqlite")
		args := []string{"--db", d.dsn, "--key-file", d.keyFile, "--log-level", "warn", "serve", "--addr", "127.0.0.1:0",
			"--metrics-token", "0123456789abcdef0123"}
		if trusted {
			args = append(args, "--trusted-proxy", "127.0.0.1/32, ::1")
		}
		ctx, cancel := context.WithCancel(context.Background())
		ready := make(chan string, 1)
		done := make(chan int, 1)
		go func() {
			code, _, _ := runAccord(t, ctx, ready, args...)
			done <- code
		}()
		var addr string
		select {
		case addr = <-ready:
		case code := <-done:
			cancel()
			t.Fatalf("serve exited %d before listening", code)
		case <-time.After(30 * time.Second):
			cancel()
			t.Fatal("serve did not start within 30 s")
		}
		req, _ := http.NewRequest("GET", "http://"+addr+"/healthz", nil)
		req.Header.Set("X-Forwarded-Proto", "https")
		req.Header.Set("X-Forwarded-For", "198.51.100.4")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		res.Body.Close()
		if hsts := res.Header.Get("Strict-Transport-Security"); (hsts != "") != trusted {
			t.Errorf("trusted=%v: Strict-Transport-Security %q", trusted, hsts)
		}
		if res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("no Content-Security-Policy from serve")
		}
		// Header blocks are capped well below Go's 1 MiB default.
		req, _ = http.NewRequest("GET", "http://"+addr+"/healthz", nil)
		req.Header.Set("X-Padding", strings.Repeat("p", 100<<10))
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
				t.Errorf("100 KiB of headers: %d, want 431", res.StatusCode)
			}
		}
		// The metrics token reaches the server: a relayed request needs it.
		req, _ = http.NewRequest("GET", "http://"+addr+"/metrics", nil)
		req.Header.Set("X-Forwarded-For", "198.51.100.4")
		res, err = http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("trusted=%v: relayed /metrics without the token = %d, want 401", trusted, res.StatusCode)
			}
		}
		req.Header.Set("Authorization", "Bearer 0123456789abcdef0123")
		res, err = http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("trusted=%v: /metrics with the token = %d, want 200", trusted, res.StatusCode)
			}
		}
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Fatal("serve did not stop")
		}
	}
}
