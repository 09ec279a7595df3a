package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/gateway"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/selfservice"
)

// gatewayCommand is "accord gateway serve": a local payment gateway
// speaking docs/GATEWAY.md, for demos and manual tests of the portal.
func (m *Main) gatewayCommand() *cli.Command {
	return &cli.Command{
		Name:  "gateway",
		Usage: "a local payment gateway for demos (docs/GATEWAY.md)",
		Commands: []*cli.Command{{
			Name:  "serve",
			Usage: "serve a local payment gateway: creates orders, shows a pay page and calls the merchant back, signed",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8099", Usage: "listen address (loopback)"},
				&cli.StringFlag{Name: "merchant", Value: "M-DEMO", Usage: "the merchant id it accepts", Sources: cli.EnvVars("ACCORD_GATEWAY_MERCHANT_ID")},
				&cli.StringFlag{Name: "secret", Usage: "the merchant secret both sides sign with", Sources: cli.EnvVars("ACCORD_GATEWAY_SECRET")},
			},
			Action: func(ctx context.Context, c *cli.Command) error {
				if len(c.String("secret")) < 16 {
					return errs.Field("--secret", "must be at least 16 characters (ACCORD_GATEWAY_SECRET)")
				}
				ln, err := net.Listen("tcp", c.String("addr"))
				if err != nil {
					return fmt.Errorf("listen on %s: %w", c.String("addr"), err)
				}
				local := gateway.NewLocal(c.String("merchant"), c.String("secret"))
				local.Base = "http://" + ln.Addr().String()
				hs := &http.Server{Handler: local.Handler(), ReadHeaderTimeout: 10 * time.Second}
				fmt.Fprintf(m.stdout, "local payment gateway on %s (merchant %s)\n", local.Base, c.String("merchant"))
				if m.Ready != nil {
					m.Ready <- ln.Addr().String()
				}
				errc := make(chan error, 1)
				go func() { errc <- hs.Serve(ln) }()
				select {
				case err := <-errc:
					return err
				case <-ctx.Done():
				}
				sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				return hs.Shutdown(sctx)
			},
		}},
	}
}

// portalFlags are serve's flags for the borrower portal and the payment
// gateway it sends borrowers to.
func portalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "portal", Value: true, Usage: "serve the borrower self-service portal under /my", Sources: cli.EnvVars("ACCORD_PORTAL")},
		&cli.StringFlag{Name: "public-url", Usage: "the public base URL of this server, e.g. https://accord.example.cn: the gateway calls back and returns borrowers there", Sources: cli.EnvVars("ACCORD_PUBLIC_URL")},
		&cli.StringFlag{Name: "gateway-url", Usage: "the payment gateway's base URL; empty: paying online is off", Sources: cli.EnvVars("ACCORD_GATEWAY_URL")},
		&cli.StringFlag{Name: "gateway-merchant", Usage: "our merchant id at the payment gateway", Sources: cli.EnvVars("ACCORD_GATEWAY_MERCHANT_ID")},
		&cli.StringFlag{Name: "gateway-secret", Usage: "the secret the gateway and we sign with (HMAC-SHA256)", Sources: cli.EnvVars("ACCORD_GATEWAY_SECRET")},
		&cli.StringFlag{Name: "portal-auto-approval", Value: string(offer.Collector), Usage: "the authority level (collector, supervisor, manager) whose limits a plan must fit to be accepted on the portal without a negotiator", Sources: cli.EnvVars("ACCORD_PORTAL_AUTO_APPROVAL")},
	}
}

// portal builds the self-service use cases for serve from its flags, or
// nil with --portal=false. The gateway is optional: without --gateway-url
// the portal works and paying online says it is unavailable.
func (m *Main) portal(c *cli.Command) (*selfservice.Service, error) {
	if !c.Bool("portal") {
		return nil, nil
	}
	level := offer.Level(c.String("portal-auto-approval"))
	switch level {
	case offer.Collector, offer.Supervisor, offer.Manager:
	default:
		return nil, errs.Field("--portal-auto-approval", "must be collector, supervisor or manager")
	}
	opts := selfservice.Options{Log: m.log, Policy: selfservice.Policy{AutoApproval: level}}
	base := strings.TrimRight(c.String("public-url"), "/")
	if u := c.String("gateway-url"); u != "" {
		if base == "" {
			return nil, errs.Field("--public-url", "is required with --gateway-url: the gateway calls back there (ACCORD_PUBLIC_URL)")
		}
		if len(c.String("gateway-secret")) < 16 {
			return nil, errs.Field("--gateway-secret", "must be at least 16 characters (ACCORD_GATEWAY_SECRET)")
		}
		client, err := gateway.NewClient(gateway.Config{URL: u, MerchantID: c.String("gateway-merchant"),
			Secret: c.String("gateway-secret"), NotifyURL: base + "/api/v1/gateway/callback", Now: m.svc.Now})
		if err != nil {
			return nil, err
		}
		opts.Gateway, opts.Callbacks, opts.ReturnBase = client, client.Verifier(), base
	}
	return selfservice.New(m.svc, negotiation.New(m.db, m.svc, negotiation.Options{Log: m.log}), opts), nil
}

// portalSweep is the portal's nightly step: expired sessions removed and
// used sign-in codes redacted from the outbox.
func portalSweep(svc *collect.Service) collect.NightlyStep {
	return selfservice.New(svc, negotiation.New(svc.Store(), svc, negotiation.Options{}), selfservice.Options{}).Nightly()
}
