package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"accord/internal/auth"
	"accord/internal/errs"

	"accord/internal/web"
)

func (m *Main) serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "serve the console and the JSON API",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "listen address", Sources: cli.EnvVars("ACCORD_ADDR")},
			&cli.StringFlag{Name: "pprof", Usage: "serve Go profiles (net/http/pprof) on this loopback address, e.g. 127.0.0.1:6060", Sources: cli.EnvVars("ACCORD_PPROF")},
			&cli.StringFlag{Name: "trusted-proxy", Usage: "comma-separated CIDR prefixes or addresses of the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, e.g. 10.0.0.0/8; empty: none", Sources: cli.EnvVars("ACCORD_TRUSTED_PROXIES")},
			&cli.StringFlag{Name: "metrics-token", Usage: "bearer token (at least 16 characters) that lets a scraper on another host read /metrics; loopback needs none", Sources: cli.EnvVars("ACCORD_METRICS_TOKEN")},
		}, portalFlags()...), // cmd_gateway.go: the borrower portal and the payment gateway
		Action: func(ctx context.Context, c *cli.Command) error {
			hsec, err := httpSecurityOptions(c)
			if err != nil {
				return err
			}
			if err := m.open(ctx); err != nil {
				return err
			}
			m.log.Info("starting", "version", version, "config", m.cfg)
			m.warnDemoPasswords(ctx)
			portal, err := m.portal(c)
			if err != nil {
				return err
			}
			srv, err := web.New(m.svc, web.Options{Log: m.log, SessionTTL: m.cfg.Session, Version: version, Ready: m.db.Ping,
				TrustedProxies: hsec.proxies, MetricsToken: hsec.metricsToken, SMSReports: m.smsReportAuth(), Portal: portal})
			if err != nil {
				return err
			}
			if addr := c.String("pprof"); addr != "" {
				if err := servePprof(addr); err != nil {
					return err
				}
			}
			ln, err := net.Listen("tcp", c.String("addr"))
			if err != nil {
				return fmt.Errorf("listen on %s: %w", c.String("addr"), err)
			}
			hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute,
				MaxHeaderBytes: maxHeaderBytes}
			url := "http://" + ln.Addr().String()
			fmt.Fprintf(m.stdout, "Accord is serving on %s\n", url)
			m.log.Info("listening", "addr", ln.Addr().String())
			if m.Ready != nil {
				m.Ready <- ln.Addr().String()
			}
			stopJobs, err := m.startJobs(ctx)
			if err != nil {
				ln.Close()
				return err
			}
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve(ln) }()
			select {
			case err := <-errc:
				stopJobs()
				return err
			case <-ctx.Done():
			}
			// Shutdown order: HTTP first, then the jobs, then (in Close) the database.
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err = hs.Shutdown(sctx)
			stopJobs()
			if err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			m.log.Info("stopped")
			return nil
		},
	}
}

// maxHeaderBytes caps a request's header block (Go's default is 1 MiB);
// larger requests get 431.
const maxHeaderBytes = 64 << 10

// httpSecurity is what serve's security flags configure in the web server.
type httpSecurity struct {
	proxies      []netip.Prefix
	metricsToken string
}

// httpSecurityOptions reads --trusted-proxy and --metrics-token, refusing
// a malformed proxy list or a guessable token before anything starts.
func httpSecurityOptions(c *cli.Command) (httpSecurity, error) {
	var h httpSecurity
	var err error
	if h.proxies, err = web.ParseTrustedProxies(c.String("trusted-proxy")); err != nil {
		return h, err
	}
	h.metricsToken = c.String("metrics-token")
	if h.metricsToken != "" && (len(h.metricsToken) < 16 || strings.ContainsAny(h.metricsToken, " \t\r\n")) {
		return h, errs.Field("--metrics-token", "must be at least 16 characters without spaces (ACCORD_METRICS_TOKEN)")
	}
	return h, nil
}

func (m *Main) migrateCommand() *cli.Command {
	return &cli.Command{
		Name:  "migrate",
		Usage: "create or upgrade the database schema",
		Action: func(ctx context.Context, c *cli.Command) error {
			if err := m.open(ctx); err != nil {
				return err
			}
			fmt.Fprintf(m.stdout, "database %s is up to date (%s)\n", maskDSN(m.cfg.DB), m.db.Engine())
			return nil
		},
	}
}

// servePprof serves the Go profiler on a loopback address only.
func servePprof(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		return errs.Field("--pprof", "must be a loopback address such as 127.0.0.1:6060")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go func() { _ = http.ListenAndServe(addr, mux) }()
	return nil
}

// demoPassword is the password accord demo gives its users unless
// ACCORD_DEMO_PASSWORD says otherwise.
const demoPassword = "accord-demo-2026"

// warnDemoPasswords logs an error, at start and every hour while serving,
// naming the demo users (one per role, named after it) that still sign in
// with the demo password: anyone who has read the README can sign in as
// them. Change their passwords (accord user password) or disable them.
func (m *Main) warnDemoPasswords(ctx context.Context) {
	names := make([]string, 0, len(auth.Roles))
	for _, r := range auth.Roles {
		names = append(names, string(r))
	}
	passwords := []string{demoPassword, os.Getenv("ACCORD_DEMO_PASSWORD")}
	check := func() {
		users, err := m.svc.UsersWithPassword(ctx, names, passwords)
		if err != nil {
			if ctx.Err() == nil {
				m.log.Warn("demo password check failed", "err", err)
			}
			return
		}
		if len(users) > 0 {
			m.log.Error("SECURITY: demo users still have the demo password; anyone can sign in as them. "+
				"Change their passwords (accord user password) or remove them before real data is loaded",
				"users", users)
			fmt.Fprintf(m.stderr, "\n*** WARNING: demo users %v still have the demo password; change it (accord user password) ***\n\n", users)
		}
	}
	check()
	go func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				check()
			}
		}
	}()
}
