package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"accord/internal/errs"
)

// Where a request really comes from. Behind a TLS-terminating proxy the
// direct peer is the proxy; the client address and the scheme then arrive in
// X-Forwarded-For and X-Forwarded-Proto. Those headers are believed only when
// the direct peer is one of the configured trusted proxies
// (--trusted-proxy / ACCORD_TRUSTED_PROXIES); from anyone else they are
// ignored, since any client can send them.

type clientAddr struct {
	IP    string // the client's address, without port
	HTTPS bool   // the client reached us over TLS (directly or at a trusted proxy)
}

const keyClientAddr ctxKey = 100

// clientIP returns the address of the client that made r: the direct peer,
// or, when the peer is a trusted proxy, the nearest untrusted address in
// X-Forwarded-For. Login throttling and the audit trail use it. It never
// returns a port.
func clientIP(r *http.Request) string {
	if a, ok := r.Context().Value(keyClientAddr).(clientAddr); ok {
		return a.IP
	}
	return peerIP(r).String()
}

// isHTTPS reports whether the client reached us over TLS: directly, or at a
// trusted proxy that says so in X-Forwarded-Proto.
func isHTTPS(r *http.Request) bool {
	if a, ok := r.Context().Value(keyClientAddr).(clientAddr); ok {
		return a.HTTPS
	}
	return r.TLS != nil
}

// peerIP is the direct peer's address (the invalid Addr when RemoteAddr
// cannot be parsed).
func peerIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// ParseTrustedProxies parses a comma- or space-separated list of CIDR
// prefixes or single addresses ("10.0.0.0/8, 192.168.1.7"). An empty list
// trusts no one.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, errs.Field("--trusted-proxy", "must be CIDR prefixes or addresses such as 10.0.0.0/8, not %q", f)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, errs.Field("--trusted-proxy", "must be CIDR prefixes or addresses such as 10.0.0.0/8, not %q", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// trusted reports whether a is one of the trusted proxies.
func (s *Server) trusted(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// resolveClient works out the client address and scheme once per request and
// keeps them in the context for clientIP and isHTTPS.
func (s *Server) resolveClient(r *http.Request) clientAddr {
	peer := peerIP(r)
	ca := clientAddr{IP: peer.String(), HTTPS: r.TLS != nil}
	if !peer.IsValid() {
		ca.IP = r.RemoteAddr
	}
	if !s.trusted(peer) {
		return ca
	}
	// Walk X-Forwarded-For from the right: every hop we trust is skipped;
	// the first one we do not is the client. Anything left of it could have
	// been written by the client itself.
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // garbage: stop at the last address we could trust
		}
		a = a.Unmap()
		ca.IP = a.String()
		if !s.trusted(a) {
			break
		}
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		// The proxy nearest to us writes the last value.
		parts := strings.Split(p, ",")
		ca.HTTPS = strings.EqualFold(strings.TrimSpace(parts[len(parts)-1]), "https")
	}
	return ca
}

func withClientAddr(ctx context.Context, a clientAddr) context.Context {
	return context.WithValue(ctx, keyClientAddr, a)
}
